/**
 * `warmnet sample [--out F] [--seed N] [--json]`: regenerate the Mingantu
 * sample project (示例数据，非实测). Written under a temporary name and renamed,
 * so a failure never leaves half a file.
 */
import { existsSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from './command';
import { CliError, flag, num, printJson, str } from './args';
import { ProjectStore } from '../backend/store/index';
import type { ProjectData } from '../../core/model/project';
import type { FeatureCollection } from '../../core/model/geojson';
import { createVectorTilesTable, writeVectorTiles } from '../backend/basemap/vectorTiles';
import { insertBasemap } from '../backend/basemap/gpkgTiles';

/** Zoom range of the sample's vector basemap (MapLibre draws beyond 16 from the level-16 tiles). */
const SAMPLE_BASEMAP_ZOOMS = [10, 16] as const;

type BasemapMaker = (data: ProjectData) => { layers: Record<string, FeatureCollection>; attribution: string };

async function loadBasemapMaker(): Promise<BasemapMaker | undefined> {
  const mod = (await import('../../gis-data/generate/basemap' as string)) as { sampleBasemap?: BasemapMaker };
  return mod.sampleBasemap;
}

/** The sample's offline vector basemap (示例数据), chosen as the project's basemap. */
async function addSampleBasemap(store: ProjectStore, data: ProjectData): Promise<number> {
  const make = await loadBasemapMaker();
  if (!make) return 0;
  const { layers, attribution } = make(data);
  const fid = await store.writeAsync(async (db) => {
    createVectorTilesTable(db, 'basemap_sample', '示例底图');
    const { bounds } = writeVectorTiles(db, 'basemap_sample', layers, SAMPLE_BASEMAP_ZOOMS[0], SAMPLE_BASEMAP_ZOOMS[1]);
    return insertBasemap(db, {
      name: '示例底图（示例数据）',
      kind: 'vector-sample',
      tilesTable: 'basemap_sample',
      tileFormat: 'pbf',
      minZoom: SAMPLE_BASEMAP_ZOOMS[0],
      maxZoom: SAMPLE_BASEMAP_ZOOMS[1],
      bounds,
      attribution,
      sample: true,
    });
  });
  store.setViewState({ basemap: `gpkg:${fid}` });
  return fid;
}

/** The project's folder: the nearest one above this module with package.json (from the sources or the command's bundle). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const repo = projectRoot();
export const SAMPLE_DESCRIPTION = '示例数据，非实测 Sample data, not surveyed';

type Generator = (opts?: { seed?: number }) => ProjectData;

async function loadGenerator(): Promise<Generator> {
  const file = join(repo, 'gis-data', 'generate', 'index.ts');
  if (!existsSync(file)) throw new CliError(`the sample generator is missing (${file})`);
  const mod = (await import('../../gis-data/generate/index' as string)) as { generateSample?: Generator };
  if (typeof mod.generateSample !== 'function') throw new CliError(`${file} does not export generateSample()`);
  return mod.generateSample;
}

export const sample: Command = {
  usage: '[--out F] [--seed N] [--json]',
  options: { out: { value: true }, seed: { value: true }, json: {} },
  async run(args) {
    const out = str(args, 'out') ?? join(repo, 'gis-data', 'mingantu.gpkg');
    const seed = num(args, 'seed');
    const generate = await loadGenerator();
    const data = generate(seed === undefined ? {} : { seed });
    const tmp = `${out}.tmp-${process.pid}`;
    ProjectStore.remove(tmp);
    try {
      const store = ProjectStore.createFromData(tmp, data, { description: SAMPLE_DESCRIPTION });
      try {
        await addSampleBasemap(store, data);
      } finally {
        store.close();
      }
      // A WAL left beside an older file of the same name would be replayed into the new one.
      ProjectStore.remove(out);
      renameSync(tmp, out);
    } catch (err) {
      ProjectStore.remove(tmp);
      throw err;
    }
    const features = Object.fromEntries(Object.entries(data.layers).map(([k, v]) => [k, v.length]));
    if (flag(args, 'json')) printJson({ file: out, seed: seed ?? null, features, projects: data.projects.length });
    else process.stdout.write(`${out}: sample project written (${Object.values(features).reduce((a, b) => a + b, 0)} features, ${data.projects.length} projects)\n`);
  },
};
