import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../backend/store/index';
import { runCli, spawnCli } from './testing';

let dir: string;

/** The real command line in a child process: exit code, stdout, stderr. */
function spawnWarmnet(...args: string[]) {
  const r = spawnCli(args, { cwd: dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The same entry point in this process (each child process costs seconds of
 * TypeScript loading on the shared build machine); file names are resolved in `dir`.
 */
async function warmnet(...args: string[]) {
  const r = await runCli(args, { cwd: dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const feature = (id: string, i: number, props: Record<string, unknown> = {}) => ({
  type: 'Feature',
  id,
  geometry: { type: 'LineString', coordinates: [[115.03 + i * 0.001, 42.287], [115.031 + i * 0.001, 42.2875]] },
  properties: { level: 'secondary', dn: 100, install_year: 2001, ...props },
});

function collection(features: unknown[]): string {
  return JSON.stringify({ type: 'FeatureCollection', features });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-cli-'));
  writeFileSync(
    join(dir, 'good.geojson'),
    collection([
      feature('P-0001', 0, { owner: '热力公司', is_checked: true, material: '钢', water_loss_rate: 1.25, renovation_status: 'candidate' }),
      feature('P-0002', 1, { level: 'primary', dn: '300', name: '幸福路一级干线' }),
      feature('P-0003', 2, { install_year: null, note: { surveyed: false } }),
    ]),
  );
  writeFileSync(
    join(dir, 'bad.geojson'),
    collection([feature('P-0004', 0), feature('P-0005', 1), feature('P-0006', 2), feature('P-0007', 3, { level: 'tertiary' }), feature('P-0008', 4)]),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('warmnet import / export', () => {
  it('imports a good file into a new project and exports it with every property, extras included', async () => {
    const r = spawnWarmnet('import', 'good.geojson', '--into', 'a.gpkg', '--layer', 'pipes', '--create', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: 'a.gpkg', layer: 'pipes', inserted: 3 });

    const e = await warmnet('export', 'a.gpkg', '--layer', 'pipes');
    expect(e.code).toBe(0);
    const fc = JSON.parse(e.stdout);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f: { id: string }) => f.id)).toEqual(['P-0001', 'P-0002', 'P-0003']);
    const p1 = fc.features[0].properties;
    expect(p1).toMatchObject({ id: 'P-0001', owner: '热力公司', is_checked: true, material: '钢', water_loss_rate: 1.25, status: 'in_service' });
    expect(p1.length_m).toBeGreaterThan(80);
    expect(fc.features[1].properties).toMatchObject({ dn: 300, level: 'primary', name: '幸福路一级干线' });
    expect(fc.features[2].properties.note).toEqual({ surveyed: false });
  });

  it('rejects a file with one broken feature, names it, and writes nothing', async () => {
    const before = (await warmnet('export', 'a.gpkg', '--layer', 'pipes')).stdout;
    const r = spawnWarmnet('import', 'bad.geojson', '--into', 'a.gpkg', '--layer', 'pipes');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    // Every file goes through the same importer: features are numbered from 1, as GDAL numbers them.
    expect(r.stderr).toContain('bad.geojson, feature 4 (id P-0007): field level: "tertiary" is not one of primary, secondary, courtyard');
    expect(r.stderr).toContain('nothing was written');
    expect((await warmnet('export', 'a.gpkg', '--layer', 'pipes')).stdout).toBe(before);

    const c = await warmnet('import', 'bad.geojson', '--into', 'new.gpkg', '--layer', 'pipes', '--create');
    expect(c.code).toBe(1);
    expect(existsSync(join(dir, 'new.gpkg'))).toBe(false);
  });

  it('export then re-import into a new file gives the same features and properties', async () => {
    expect((await warmnet('export', 'a.gpkg', '--layer', 'pipes', '--out', 'pipes.geojson')).code).toBe(0);
    const r = await warmnet('import', 'pipes.geojson', '--into', 'b.gpkg', '--layer', 'pipes', '--create');
    expect(r.code).toBe(0);
    const a = ProjectStore.open(join(dir, 'a.gpkg'));
    const b = ProjectStore.open(join(dir, 'b.gpkg'));
    expect(b.listFeatures('pipes')).toEqual(a.listFeatures('pipes'));
    a.close();
    b.close();
    expect((await warmnet('export', 'b.gpkg', '--layer', 'pipes')).stdout).toBe(readFileSync(join(dir, 'pipes.geojson'), 'utf8'));
  });

  it('imports a layer that GDAL exported from the project file with the same properties', async () => {
    const gdalJson = join(dir, 'gdal-pipes.geojson');
    const r = spawnSync('ogr2ogr', ['-f', 'GeoJSON', gdalJson, join(dir, 'a.gpkg'), 'pipes'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect((await warmnet('import', 'gdal-pipes.geojson', '--into', 'c.gpkg', '--layer', 'pipes', '--create')).code).toBe(0);
    const a = ProjectStore.open(join(dir, 'a.gpkg'));
    const c = ProjectStore.open(join(dir, 'c.gpkg'));
    const before = a.listFeatures('pipes');
    const after = c.listFeatures('pipes');
    // GDAL writes 15 significant digits, so coordinates (and lengths) agree to ~1e-12, properties exactly.
    const strip = (f: (typeof before)[number]) => ({ ...f, geometry: null, properties: { ...f.properties, length_m: null } });
    expect(after.map(strip)).toEqual(before.map(strip));
    after.forEach((f, i) => {
      expect(f.properties.length_m as number).toBeCloseTo(before[i].properties.length_m as number, 6);
      (f.geometry.coordinates as number[][]).forEach((p, j) => {
        expect(p[0]).toBeCloseTo((before[i].geometry.coordinates as number[][])[j][0], 9);
        expect(p[1]).toBeCloseTo((before[i].geometry.coordinates as number[][])[j][1], 9);
      });
    });
    a.close();
    c.close();
  });

  it('exits 2 on wrong usage and 1 on a missing or foreign file', async () => {
    const s = spawnWarmnet('import', 'good.geojson', '--into', 'a.gpkg');
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/missing --layer/);
    const u = await warmnet('export', 'a.gpkg', '--layer', 'pipez');
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/unknown layer "pipez"/);
    expect((await warmnet('export', 'a.gpkg', '--layer', 'pipes', '--bogus')).code).toBe(2);
    const m = await warmnet('import', 'good.geojson', '--into', 'missing.gpkg', '--layer', 'pipes');
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/missing\.gpkg: no such file/);
    const f = await warmnet('export', 'good.geojson', '--layer', 'pipes');
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/good\.geojson: not a GeoPackage/);
  });
});
