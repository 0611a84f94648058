/**
 * Sanity limits on imported data (settings importMaxSegmentM,
 * importMaxDistanceKm, importMaxTextBytes, and the coordinate system's area
 * of use): a record beyond one is refused naming the file, the feature
 * (numbered from 1) and the field, and nothing is written; with --force it
 * is imported and the warning is shown.
 */
import { say } from '../../core/i18n';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportRefused } from '../../core/io/source';
import { importFile } from '../../electron/backend/importer';
import { ProjectStore } from '../../electron/backend/store/index';
import { runCli } from '../../electron/cli/testing';
import { writeFixtureProject } from '../e2e/fixture';
import { tempDir, writeJson } from '../fixtures/import/gdal';

const tmp = tempDir('warmnet-sanity-');
afterAll(() => tmp.cleanup());

const pipe = (id: string, coordinates: number[][], extra: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: { id, level: 'primary', dn: 200, ...extra },
  geometry: { type: 'LineString', coordinates },
});
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

async function refusal(project: string, layer: 'pipes' | 'valves', file: string, opts = {}): Promise<{ message: string; count: number }> {
  const store = ProjectStore.open(project);
  const before = store.featureIds(layer).length;
  try {
    const err = await importFile(store, layer, file, { year: 2026, ...opts }).then(
      () => null,
      (e) => e,
    );
    expect(err).toBeInstanceOf(ImportRefused);
    return { message: (err as Error).message, count: store.featureIds(layer).length - before };
  } finally {
    store.close();
  }
}

function emptyProject(name: string): string {
  const p = join(tmp.dir, name);
  ProjectStore.create(p).close();
  return p;
}

describe('sanity limits', () => {
  it('a segment longer than importMaxSegmentM is refused, naming file, feature and field; --force imports it with a warning', async () => {
    const src = writeJson(join(tmp.dir, 'long.geojson'), collection(pipe('P-1', [[115.0, 42.28], [115.001, 42.281]]), pipe('P-2', [[115.0, 42.28], [115.001, 42.28], [115.25, 42.28]])));
    const p = emptyProject('long.gpkg');
    const r = await refusal(p, 'pipes', src);
    expect(r.message).toMatch(/^long\.geojson, feature 2: field geometry: segment 2–3 is 20\.\d km long, longer than 5000 m \(setting importMaxSegmentM\) — wrong coordinate system or units\?; add --force to import it anyway$/);
    expect(r.count).toBe(0);
    const store = ProjectStore.open(p);
    try {
      const { inserted, prepared } = await importFile(store, 'pipes', src, { year: 2026, force: true });
      expect(inserted).toBe(2);
      expect(prepared.notes.some((n) => /^warning \(--force\): feature 2, field geometry: segment 2–3 is 20\.\d km long/.test(say('en', n)))).toBe(true);
      expect(prepared.notes.some((n) => /^警告（--force）：第 2 个要素，字段 geometry：第 2–3 段长 20\.\d km/.test(say('zh', n)))).toBe(true);
    } finally {
      store.close();
    }
    // A project may raise the limit.
    const raised = emptyProject('long-raised.gpkg');
    const s = ProjectStore.open(raised);
    try {
      s.setSettings({ importMaxSegmentM: 25_000 });
      expect((await importFile(s, 'pipes', src, { year: 2026 })).inserted).toBe(2);
    } finally {
      s.close();
    }
  });

  it('a position outside the area of use of the coordinate system is refused', async () => {
    const csv = join(tmp.dir, 'paris.csv');
    writeFileSync(csv, 'id,lon,lat\nV-1,115.03,42.28\nV-2,2.35,48.85\n');
    const r = await refusal(emptyProject('paris.gpkg'), 'valves', csv, { crs: 'EPSG:4490' });
    expect(r.message).toBe(
      'paris.csv, row 3: field geometry: (2.35000, 48.85000) lies outside the area of use of CGCS2000 (73.62…134.77° E, 16.70…53.56° N) — wrong coordinate system or zone?; add --force to import it anyway',
    );
    expect(r.count).toBe(0);
  });

  it('a feature far from the project is refused by importMaxDistanceKm', async () => {
    const p = join(tmp.dir, 'far.gpkg');
    writeFixtureProject(p, 2026);
    const csv = join(tmp.dir, 'far.csv');
    writeFileSync(csv, 'id,lon,lat\nFAR-1,116.9,42.28\n');
    const r = await refusal(p, 'valves', csv, { crs: 'EPSG:4490' });
    expect(r.message).toMatch(/^far\.csv, row 2: field geometry: \(116\.90000, 42\.28000\) is 1\d\d km from the project's features, farther than 100 km \(setting importMaxDistanceKm\); add --force to import it anyway$/);
    expect(r.count).toBe(0);
  });

  it('a text value longer than importMaxTextBytes is refused naming its field', async () => {
    const big = '很'.repeat(30_000); // 90 000 bytes of UTF-8
    const src = writeJson(join(tmp.dir, 'text.geojson'), collection(pipe('P-1', [[115.0, 42.28], [115.001, 42.281]], { 备注: big })));
    const r = await refusal(emptyProject('text.gpkg'), 'pipes', src);
    expect(r.message).toBe('text.geojson, feature 1: field 备注: text of 87.9 KiB, longer than 64.0 KiB (setting importMaxTextBytes); add --force to import it anyway');
    expect(r.count).toBe(0);
  });

  it('warmnet import --force imports and prints the warning', async () => {
    const src = writeJson(join(tmp.dir, 'cli-long.geojson'), collection(pipe('P-1', [[115.0, 42.28], [115.25, 42.28]])));
    const p = emptyProject('cli.gpkg');
    const refused = await runCli(['import', src, '--into', p, '--layer', 'pipes']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('cli-long.geojson, feature 1: field geometry: segment 1–2 is 20.');
    // Chinese: the refusal is said in the language asked for, file and field names as data.
    const zh = await runCli(['import', src, '--into', p, '--layer', 'pipes', '--lang', 'zh']);
    expect(zh.status).toBe(1);
    expect(zh.stderr).toContain('cli-long.geojson，第 1 个要素：字段 geometry：第 1–2 段长 20.');
    expect(zh.stderr).toContain('未写入任何数据');
    expect(zh.stderr).not.toMatch(/segment|nothing was written/);
    const forced = await runCli(['import', src, '--into', p, '--layer', 'pipes', '--force', '--lang', 'en']);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toMatch(/1 features imported/);
    expect(forced.stdout).toMatch(/note: warning \(--force\): feature 1, field geometry: segment 1–2 is 20\.\d km long/);
  });
});
