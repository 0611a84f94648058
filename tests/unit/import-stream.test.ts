/**
 * A GeoJSON import streamed (bounded memory): the CRS and the field mapping
 * decided from the first features, the whole file then read piece by piece and
 * written in one transaction. The result equals the whole-file import's; a bad
 * record past the sample refuses it, named by file, feature and field, and
 * nothing is written; `warmnet import --stream` does the same from the command line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../electron/backend/store/index';
import { importFile, importGeoJsonStreamed } from '../../electron/backend/importer';
import { ogr2ogr, pipesGeoJson, tempDir, writeJson } from '../fixtures/import/gdal';

const root = resolve(__dirname, '../..');
const tmp = tempDir();
afterAll(() => tmp.cleanup());

const N = 400;
const lonLat = writeJson(join(tmp.dir, 'src.geojson'), pipesGeoJson(N));
// GDAL writes a projected GeoJSON with its "crs" member first
const projected = join(tmp.dir, 'projected.geojson');
ogr2ogr('-f', 'GeoJSON', '-t_srs', 'EPSG:4547', projected, lonLat);

function warmnet(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/warmnet.mjs'), ...args], { encoding: 'utf8', cwd: tmp.dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('streamed GeoJSON import', () => {
  it('equals the whole-file import: CRS from the file, mapping guessed from the first features, every record written', async () => {
    for (const [name, file] of [['lonlat', lonLat], ['projected', projected]] as const) {
      const whole = ProjectStore.create(join(tmp.dir, `${name}-whole.gpkg`), { year: 2026 });
      const streamed = ProjectStore.create(join(tmp.dir, `${name}-streamed.gpkg`), { year: 2026 });
      try {
        const a = await importFile(whole, 'pipes', file, { year: 2026 });
        const b = importGeoJsonStreamed(streamed, 'pipes', file, { year: 2026, sampleFeatures: 50, batchSize: 64 });
        expect(b.inserted).toBe(N);
        expect(b.inserted).toBe(a.inserted);
        expect(b.prepared.crs.crs?.code).toBe(a.prepared.crs.crs?.code);
        expect(b.prepared.mapping).toMatchObject(a.prepared.mapping);
        expect(b.prepared.summary.records).toBe(N);
        expect(streamed.listFeatures('pipes')).toEqual(whole.listFeatures('pipes'));
        const log = streamed.importLog()[0];
        expect(log).toMatchObject({ sourceFile: `${name === 'lonlat' ? 'src' : 'projected'}.geojson`, records: N, recordsSkipped: 0 });
        expect(streamed.journal().undo.length).toBe(1);
      } finally {
        whole.close();
        streamed.close();
      }
    }
  }, 60_000);

  it('a bad record after the sample refuses the import, naming file, feature and field; nothing is written', () => {
    const fc = pipesGeoJson(N);
    (fc.features[299].properties as Record<string, unknown>)['管径'] = 123;
    const bad = writeJson(join(tmp.dir, 'bad.geojson'), fc);
    const store = ProjectStore.create(join(tmp.dir, 'bad.gpkg'), { year: 2026 });
    try {
      let message = '';
      try {
        importGeoJsonStreamed(store, 'pipes', bad, { year: 2026, sampleFeatures: 50, batchSize: 64 });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/bad\.geojson/);
      expect(message).toMatch(/feature 300\b/);
      expect(message).toMatch(/\bdn\b/);
      expect(store.count('pipes')).toBe(0);
      expect(store.importLog()).toEqual([]);
      // with --skip-invalid the rest goes in and the bad one is listed
      const r = importGeoJsonStreamed(store, 'pipes', bad, { year: 2026, sampleFeatures: 50, batchSize: 64, skipInvalid: true });
      expect(r.inserted).toBe(N - 1);
      expect(r.prepared.skipped.map((s) => [s.fid, s.field])).toEqual([[300, 'dn']]);
    } finally {
      store.close();
    }
  }, 60_000);

  it("a guess the user drops (--map field=) stays dropped in every batch, as in the whole-file import", async () => {
    const whole = ProjectStore.create(join(tmp.dir, 'drop-whole.gpkg'), { year: 2026 });
    const streamed = ProjectStore.create(join(tmp.dir, 'drop-streamed.gpkg'), { year: 2026 });
    try {
      // (without the user's word, the field is guessed)
      const plain = ProjectStore.create(join(tmp.dir, 'drop-guess.gpkg'), { year: 2026 });
      try {
        expect((await importFile(plain, 'pipes', lonLat, { year: 2026 })).prepared.mapping.material).toBe('材质');
      } finally {
        plain.close();
      }
      await importFile(whole, 'pipes', lonLat, { year: 2026, mapping: { material: '=' } });
      const b = importGeoJsonStreamed(streamed, 'pipes', lonLat, { year: 2026, sampleFeatures: 50, batchSize: 64, mapping: { material: '=' } });
      expect(b.prepared.mapping.material).toBeUndefined();
      const rows = streamed.listFeatures('pipes');
      expect(rows.filter((f) => f.properties.material != null)).toEqual([]);
      expect(rows).toEqual(whole.listFeatures('pipes'));
    } finally {
      whole.close();
      streamed.close();
    }
  }, 60_000);

  it('the sample read in whole batches is not read twice: the full pass goes on from it, with the same result, and the file is let go', () => {
    const fc = pipesGeoJson(N);
    (fc.features[N - 20].properties as Record<string, unknown>)['管径'] = 123;
    const bad = writeJson(join(tmp.dir, 'late-bad.geojson'), fc);
    (fc.features[9].properties as Record<string, unknown>)['管径'] = 123;
    const early = writeJson(join(tmp.dir, 'early-bad.geojson'), fc);
    // open file handles of this process (Linux), to see the read let go after a refusal
    const handles = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : 0);
    const rows: unknown[][] = [];
    // sampleFeatures 128 with batches of 64: the full pass takes the sample's batches and reads on;
    // 50: the sample is not whole batches and the file is read again
    for (const sampleFeatures of [128, 50]) {
      const store = ProjectStore.create(join(tmp.dir, `on-${sampleFeatures}.gpkg`), { year: 2026 });
      const before = handles();
      try {
        let message = '';
        try {
          importGeoJsonStreamed(store, 'pipes', bad, { year: 2026, sampleFeatures, batchSize: 64 });
        } catch (err) {
          message = (err as Error).message;
        }
        expect(message).toMatch(new RegExp(`late-bad\\.geojson.*feature ${N - 19}\\b.*\\bdn\\b`));
        expect(store.count('pipes')).toBe(0);
        expect(handles()).toBe(before);
        // refused from the sample, before the full pass: the read is let go all the same
        expect(() => importGeoJsonStreamed(store, 'pipes', early, { year: 2026, sampleFeatures, batchSize: 64 })).toThrow(/early-bad\.geojson.*feature 10\b/);
        expect(handles()).toBe(before);
        const r = importGeoJsonStreamed(store, 'pipes', lonLat, { year: 2026, sampleFeatures, batchSize: 64 });
        expect(r.inserted).toBe(N);
        expect(r.prepared.summary.records).toBe(N);
        rows.push(store.listFeatures('pipes'));
      } finally {
        store.close();
      }
    }
    expect(rows[0]).toEqual(rows[1]);
  }, 60_000);

  it('warmnet import --stream: written in one go, or refused with nothing created', () => {
    const into = join(tmp.dir, 'cli.gpkg');
    const ok = warmnet('import', projected, '--into', into, '--layer', 'pipes', '--create', '--stream', '--json');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ inserted: N, crs: 'EPSG:4547' });
    const fc = JSON.parse(readFileSync(lonLat, 'utf8'));
    fc.features[N - 1].geometry = null;
    writeFileSync(join(tmp.dir, 'nogeom.geojson'), JSON.stringify(fc));
    const refused = join(tmp.dir, 'refused.gpkg');
    const r = warmnet('import', join(tmp.dir, 'nogeom.geojson'), '--into', refused, '--layer', 'pipes', '--create', '--stream');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`nogeom\\.geojson.*feature ${N}\\b`));
    expect(r.stderr).toMatch(/nothing was written/);
    expect(existsSync(refused)).toBe(false);
  }, 60_000);
});
