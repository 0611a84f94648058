/**
 * `warmnet capacity` end to end: the real command on real GeoPackage files
 * (a small hand-made network and the Mingantu sample), read back as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../backend/store/index';
import { generateSample } from '../../gis-data/generate/index';
import { net } from '../../core/network/capacity.fixture';
import { capacityCheck } from '../../core/network/capacity';
import { runCli, spawnCli } from './testing';

const dir = mkdtempSync(join(tmpdir(), 'warmnet-capacity-'));
const samplePath = join(dir, 'mingantu.gpkg');
const smallPath = join(dir, 'small.gpkg');

const inProcess = (...argv: string[]) => runCli(argv);
const json = async (...args: string[]) => JSON.parse((await inProcess(...args, '--json')).stdout);
const bin = (...args: string[]) => spawnCli(args);

beforeAll(() => {
  ProjectStore.createFromData(samplePath, generateSample()).close();
  const small = net()
    .source('S1', 0, 0, { capacity_mw: 20 })
    .station('HS1', 500, 0, { design_capacity_mw: 3.5 })
    .station('HS2', 1000, 0, { design_capacity_mw: 1.0 })
    .pipe('P1', 'primary', [[0, 0], [500, 0]], { dn: 200 })
    .pipe('P2', 'primary', [[500, 0], [1000, 0]], { dn: 100 })
    .community('C1', 'HS1', [400, 250, 600, 350], { heated_area_m2: 60_000, energy_saving: 'no' })
    .community('C2', 'HS2', [1100, 100, 1200, 200], { heated_area_m2: 44_500, energy_saving: 'yes' })
    .build();
  ProjectStore.createFromData(smallPath, small).close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('warmnet capacity', () => {
  it('reports loads, flows and verdicts of a small network from its GeoPackage', async () => {
    const r = await json('capacity', smallPath);
    const p1 = r.pipes.find((p: { id: string }) => p.id === 'P1');
    const p2 = r.pipes.find((p: { id: string }) => p.id === 'P2');
    // 60 000 × 62 + 44 500 × 45 W = 3.72 + 2.0025 MW.
    expect(p1.loadMW).toBeCloseTo(5.7225, 6);
    expect(p2.loadMW).toBeCloseTo(2.0025, 6);
    expect(Object.keys(p2).sort()).toEqual(
      ['dn', 'fedBy', 'flowKgS', 'id', 'lengthM', 'level', 'loadMW', 'reason', 'rPaM', 'status', 'velocityMs'].sort(),
    );
    expect(p2.status).toBe('mismatched');
    expect(p1.status).toBe('ok');
    expect(r.stations.map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual(['HS1:overloaded', 'HS2:overloaded']);
  });

  it('lists mismatched pipes and overloaded stations on the sample, the same as the core analysis', async () => {
    const r = await json('capacity', samplePath);
    expect(r.summary.mismatched).toBeGreaterThan(0);
    expect(r.summary.stationsOverloaded).toBeGreaterThan(0);
    const store = ProjectStore.open(samplePath);
    const direct = capacityCheck(store.snapshot());
    store.close();
    expect(r.summary).toEqual(direct.summary);
    expect(r.pipes.filter((p: { status: string }) => p.status === 'mismatched').map((p: { id: string }) => p.id)).toEqual(
      direct.pipes.filter((p) => p.status === 'mismatched').map((p) => p.id),
    );
    for (const p of r.pipes.filter((x: { status: string }) => x.status === 'mismatched'))
      expect(p.rPaM > (p.level === 'primary' ? 100 : 300) || p.velocityMs > 3.5).toBe(true);
    const text = bin('capacity', samplePath);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/mismatched 负荷不匹配/);
    expect(text.stdout).toMatch(/overloaded +小马拉大车/);
    for (const s of r.stations.filter((x: { status: string }) => x.status === 'overloaded')) expect(text.stdout).toContain(s.id);
  });

  it('refuses a missing file with exit code 1 and a missing argument with 2', async () => {
    const missing = await inProcess('capacity', join(dir, 'nope.gpkg'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no such file/);
    expect((await inProcess('capacity')).status).toBe(2);
  });
});
