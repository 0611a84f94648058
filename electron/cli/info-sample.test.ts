import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../backend/store/index';
import { runCli, spawnCli } from './testing';

const VALIDATE_GPKG = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';
let dir: string;
let samplePath: string;

function spawnWarmnet(...args: string[]) {
  const r = spawnCli(args, { cwd: dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI entry point in this process, stdout and stderr captured. */
async function warmnet(...args: string[]) {
  const r = await runCli(args);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Pipe lengths per level in km from GeographicLib's GeodSolve on the CGCS2000 ellipsoid. */
function geodSolveKmByLevel(path: string): Record<string, number> {
  const store = ProjectStore.open(path);
  const pipes = store.listFeatures('pipes');
  store.close();
  const lines: string[] = [];
  const levelOfLine: string[] = [];
  for (const p of pipes) {
    const c = p.geometry.coordinates as number[][];
    for (let i = 1; i < c.length; i++) {
      lines.push(`${c[i - 1][1]} ${c[i - 1][0]} ${c[i][1]} ${c[i][0]}`);
      levelOfLine.push(String(p.properties.level));
    }
  }
  const out = execFileSync('GeodSolve', ['-i', '-e', '6378137', '1/298.257222101', '-p', '6'], { input: lines.join('\n') + '\n', encoding: 'utf8' });
  const km: Record<string, number> = {};
  out
    .trim()
    .split('\n')
    .forEach((row, i) => {
      const s12 = Number(row.trim().split(/\s+/)[2]);
      km[levelOfLine[i]] = (km[levelOfLine[i]] ?? 0) + s12 / 1000;
    });
  return km;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-sample-'));
  samplePath = join(dir, 'mingantu.gpkg');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('warmnet sample', () => {
  it('writes a valid GeoPackage marked as sample data, and no temporary file', () => {
    const r = spawnWarmnet('sample', '--out', samplePath, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.file).toBe(samplePath);
    expect(doc.features.pipes).toBeGreaterThan(100);
    expect(readdirSync(dir)).toEqual(['mingantu.gpkg']);
    const v = spawnSync(existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3', [VALIDATE_GPKG, samplePath], { encoding: 'utf8' });
    expect(v.stdout + v.stderr).toBe('');
    expect(v.status).toBe(0);
  });

  it('fails cleanly when the output cannot be written, leaving nothing behind', async () => {
    const r = await warmnet('sample', '--out', join(dir, 'no-such-dir', 'x.gpkg'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/warmnet sample: /);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['mingantu.gpkg']);
  });
});

describe('warmnet info', () => {
  it('--json gives km per level that agree with GeodSolve to 0.01 %, and the 2024 plan totals', async () => {
    const r = await warmnet('info', samplePath, '--json', '--year', '2024');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.description).toMatch(/示例数据，非实测/);
    const ref = geodSolveKmByLevel(samplePath);
    for (const level of ['primary', 'secondary', 'courtyard']) {
      expect(ref[level]).toBeGreaterThan(0);
      expect(Math.abs(info.pipes.kmByLevel[level] - ref[level]) / ref[level]).toBeLessThan(1e-4);
      expect(info.themes.level[level].km).toBe(info.pipes.kmByLevel[level]);
    }
    const themeKm = (t: Record<string, { km: number }>) => Object.values(t).reduce((s, c) => s + c.km, 0);
    for (const theme of ['age', 'leakage', 'renovation', 'level']) expect(themeKm(info.themes[theme])).toBeCloseTo(info.pipes.km, 9);
    const y2024 = info.plan.find((p: { year: number }) => p.year === 2024);
    expect(Math.abs(y2024.km.primary - 0.8) / 0.8).toBeLessThan(0.01);
    expect(Math.abs(y2024.secondaryCourtyardKm - 10.5) / 10.5).toBeLessThan(0.01);
    expect(y2024.budgetWanByKind.pipe).toBeCloseTo(1800, 6);
    expect(y2024.budgetWan).toBeCloseTo(1900, 6);
    const [x0, y0, x1, y1] = info.bbox;
    expect(x0 < 115.03 && 115.03 < x1 && y0 < 42.287 && 42.287 < y1).toBe(true);
  });

  it('prints readable text without --json, and exits 1 naming a bad file', async () => {
    const r = spawnWarmnet('info', samplePath);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/管线 Pipes: \d+ segments, [\d.]+ km/);
    expect(r.stdout).toMatch(/一级管网 Primary/);
    expect(r.stdout).toMatch(/2024: \d+ projects, budget 1900\.0 万元/);
    const bad = await warmnet('info', join(dir, 'nothing.gpkg'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/nothing\.gpkg: no such file/);
    expect((await warmnet('info')).code).toBe(2);
  });
});
