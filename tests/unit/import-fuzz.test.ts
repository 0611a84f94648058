/**
 * Fuzz: hundreds of damaged files of every kind the importer reads
 * (truncated, bytes flipped, chunks zeroed or duplicated, shapefile parts
 * dropped) go into a real temporary GeoPackage. Each must either import
 * whole or be refused with a message naming the file — never crash with
 * some other error, never leave a partial layer behind.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportRefused } from '../../core/io/source';
import { LAYER_NAMES, type LayerName } from '../../core/model/schema';
import { importFile } from '../../electron/backend/importer';
import { ImportError, ProjectStore } from '../../electron/backend/store/index';
import { ogr2ogr, pipesGeoJson, random, tempDir, writeJson, zipFiles } from '../fixtures/import/gdal';

const tmp = tempDir();
let store: ProjectStore;
const rnd = random(20261127);
const MUTANTS_PER_KIND = 60;

type Mutation = (b: Uint8Array) => Uint8Array;
const int = (n: number) => Math.floor(rnd() * n);
const MUTATIONS: Record<string, Mutation> = {
  truncate: (b) => new Uint8Array(b.subarray(0, int(b.length))),
  flip: (b) => {
    const c = new Uint8Array(b); // a copy (Buffer#slice would share memory)
    for (let k = 1 + int(8); k > 0; k--) c[int(c.length)] ^= 1 << int(8);
    return c;
  },
  randomise: (b) => {
    const c = new Uint8Array(b); // a copy (Buffer#slice would share memory)
    for (let k = 1 + int(4); k > 0; k--) c[int(c.length)] = int(256);
    return c;
  },
  zeroRange: (b) => {
    const c = new Uint8Array(b); // a copy (Buffer#slice would share memory)
    const s = int(c.length);
    c.fill(0, s, Math.min(c.length, s + 1 + int(64)));
    return c;
  },
  duplicate: (b) => {
    const s = int(b.length);
    const e = Math.min(b.length, s + 1 + int(200));
    const at = int(b.length);
    return Uint8Array.from([...b.subarray(0, at), ...b.subarray(s, e), ...b.subarray(at)]);
  },
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

interface Base {
  kind: string;
  layer: LayerName;
  /** File name → bytes; the first is the one opened. */
  files: [string, Uint8Array][];
  opts?: { mapping?: Record<string, string> };
}
const bases: Base[] = [];

beforeAll(() => {
  const src = writeJson(join(tmp.dir, 'src.geojson'), pipesGeoJson(25, undefined, undefined, 7));
  const shpDir = join(tmp.dir, 'shp');
  ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4526', '-lco', 'ENCODING=GBK', shpDir, src);
  const part = (e: string) => readFileSync(join(shpDir, `src.${e}`));
  bases.push({ kind: 'shapefile', layer: 'pipes', files: ['shp', 'dbf', 'shx', 'prj', 'cpg'].map((e) => [`net.${e}`, part(e)]) });
  const zip = join(tmp.dir, 'net.zip');
  zipFiles(zip, [...readdirSync(shpDir).map((f) => join(shpDir, f))]);
  bases.push({ kind: 'zip', layer: 'pipes', files: [['net.zip', readFileSync(zip)]] });
  const dxf = join(tmp.dir, 'net.dxf');
  ogr2ogr('-f', 'DXF', '-t_srs', 'EPSG:4526', dxf, src);
  bases.push({ kind: 'dxf', layer: 'pipes', files: [['net.dxf', readFileSync(dxf)]], opts: { mapping: { level: '=primary', dn: '=200' } } });
  const gpkg = join(tmp.dir, 'net.gpkg');
  ogr2ogr('-f', 'GPKG', '-t_srs', 'EPSG:4547', gpkg, src);
  bases.push({ kind: 'gpkg', layer: 'pipes', files: [['net.gpkg', readFileSync(gpkg)]] });
  const gj = join(tmp.dir, 'net.geojson');
  ogr2ogr('-f', 'GeoJSON', '-t_srs', 'EPSG:4547', gj, src);
  bases.push({ kind: 'geojson', layer: 'pipes', files: [['net.geojson', readFileSync(gj)]] });
  const csv = ['编号,阀门类型,经度,纬度,安装年份', ...Array.from({ length: 25 }, (_, i) => `V-${i},闸阀,${(115 + i * 0.001).toFixed(6)},${(42.28 + i * 0.0007).toFixed(6)},${2000 + i}`)].join('\n');
  bases.push({ kind: 'csv', layer: 'valves', files: [['valves.csv', new TextEncoder().encode(csv)]] });
  store = ProjectStore.create(join(tmp.dir, 'project.gpkg'));
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

const counts = () => LAYER_NAMES.map((l) => store.listFeatures(l).length);

describe.each(['shapefile', 'zip', 'dxf', 'gpkg', 'geojson', 'csv'])('%s', (kind) => {
  it(`the unmutated file imports, and ${MUTANTS_PER_KIND} mutants import whole or are refused`, async () => {
    const base = bases.find((b) => b.kind === kind)!;
    const run = async (files: [string, Uint8Array][], label: string) => {
      const dir = join(tmp.dir, `${kind}-${label}`);
      mkdirSync(dir);
      for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
      const before = counts();
      const li = LAYER_NAMES.indexOf(base.layer);
      try {
        const { inserted, prepared } = await importFile(store, base.layer, join(dir, base.files[0][0]), { ...base.opts, mode: 'replace', year: 2026 });
        const after = counts();
        // Whole: the layer now holds exactly what was prepared, other layers untouched.
        expect(inserted, label).toBe(prepared.summary.features);
        expect(after[li], label).toBe(inserted);
        expect(after.filter((_, i) => i !== li), label).toEqual(before.filter((_, i) => i !== li));
        for (const f of store.listFeatures(base.layer)) {
          const flat = JSON.stringify(f.geometry.coordinates).match(/-?[\d.e+-]+/g)!.map(Number);
          expect(flat.every(Number.isFinite), label).toBe(true);
        }
        return 'imported' as const;
      } catch (err) {
        if (!(err instanceof ImportRefused || err instanceof ImportError)) throw new Error(`${label}: crashed with ${String((err as Error)?.stack ?? err)}`, { cause: err });
        expect(err.message.length, label).toBeGreaterThan(10);
        expect(err.message, label).toContain(base.files[0][0].replace(/\.shp$/, ''));
        expect(counts(), label).toEqual(before);
        return 'refused' as const;
      }
    };
    expect(await run(base.files, 'original')).toBe('imported');
    const outcomes = { imported: 0, refused: 0 };
    for (let i = 0; i < MUTANTS_PER_KIND; i++) {
      const m = MUTATION_NAMES[i % MUTATION_NAMES.length];
      let files = base.files.map(([n, b]) => [n, b] as [string, Uint8Array]);
      const target = kind === 'shapefile' ? int(2) : 0; // damage the .shp or the .dbf
      files[target] = [files[target][0], MUTATIONS[m](files[target][1])];
      if (kind === 'shapefile' && i % 7 === 3) files = files.filter((_, k) => k !== 1 + int(4)); // drop a part
      outcomes[await run(files, `${i}-${m}`)]++;
    }
    console.log(`fuzz ${kind}: ${JSON.stringify(outcomes)}`);
    // Both outcomes occur: damage is caught, and harmless damage (a flipped
    // digit in a value) still imports whole.
    expect(outcomes.refused, JSON.stringify(outcomes)).toBeGreaterThan(MUTANTS_PER_KIND / 4);
    expect(outcomes.imported + outcomes.refused).toBe(MUTANTS_PER_KIND);
  });
});
