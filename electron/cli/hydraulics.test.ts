/**
 * `warmnet hydraulics` end to end on real temporary GeoPackages written by the
 * store: the JSON shape, the INP file solved by EPANET 2.2, scenarios, and the
 * refusals (exit 1 with the feature named; exit 2 for wrong usage).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ProjectStore } from '../backend/store/index';
import { registerGpkgFunctions } from '../backend/store/gpkg';
import { runCli, spawnCli, writeNetworkProject as write } from './testing';
import { generateNetwork, net, twoNetworks } from '../../core/network/fixtures';
import { solveWithEpanet } from '../../tests/fixtures/epanet';
import { generateSample } from '../../gis-data/generate/index';

let dir: string;

const json = async (...args: string[]) => {
  const r = await runCli(['hydraulics', ...args, '--json']);
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
};

let looped: string;
let two: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-hyd-'));
  two = write(join(dir, 'two.gpkg'), twoNetworks().build());
  looped = write(
    join(dir, 'looped.gpkg'),
    generateNetwork({ seed: 42, side: 7, loopProb: 0.3, valveProb: 0.3, interiorValveProb: 0.15, closedProb: 0, inoperableProb: 0, sources: 3, stationProb: 0.35, dnChoices: [100, 150, 200, 250, 300], spacingM: 150 }).project,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('warmnet hydraulics', () => {
  it('prints exactly the documented JSON shape, at full precision', async () => {
    const j = await json(two);
    expect(Object.keys(j).sort()).toEqual(['balancing', 'converged', 'iterations', 'pipes', 'scenario', 'settings', 'sources', 'stations', 'unfavourable'].sort());
    expect(j.converged).toBe(true);
    for (const k of ['supplyC', 'returnC', 'densityKgM3', 'cpKJkgK', 'viscosityM2s', 'roughnessMm', 'minorLossFraction']) expect(typeof j.settings[k]).toBe('number');
    expect(j.settings.viscosityM2s).toBe(0.39e-6);
    for (const p of j.pipes) expect(Object.keys(p).sort()).toEqual(['flowM3h', 'headLossM', 'id', 'rPam', 'supplyInC', 'supplyOutC', 'velocityMs'].sort());
    for (const s of j.stations) expect(Object.keys(s).sort()).toEqual(['demandM3h', 'dpKpa', 'flowM3h', 'id', 'loadKw', 'shortfallKw', 'supplyC'].sort());
    for (const s of j.sources) expect(Object.keys(s).sort()).toEqual(['checkValveClosed', 'flowM3h', 'headM', 'heatMw', 'id'].sort());
    expect(Object.keys(j.unfavourable).sort()).toEqual(['path', 'station']);
    for (const b of j.balancing) expect(Object.keys(b).sort()).toEqual(['excessDpKpa', 'station']);
    // Two separate networks, each with its own pressure-holding source; P1 carries HS1's flow.
    const p1 = j.pipes.find((p: { id: string }) => p.id === 'P1');
    const hs1 = j.stations.find((s: { id: string }) => s.id === 'HS1');
    expect(p1.flowM3h).toBeCloseTo(hs1.flowM3h, 6);
    expect(String(p1.flowM3h).replace(/^-?\d+\./, '').length).toBeGreaterThan(6);
  });

  it('--inp writes the supply side that EPANET 2.2 solves to our flows (swamee-jain)', async () => {
    const inp = join(dir, 'looped.inp');
    const j = await json(looped, '--friction', 'swamee-jain', '--inp', inp);
    const text = readFileSync(inp, 'utf8');
    expect(text).toMatch(/UNITS\tCMH/);
    expect(text).toMatch(/HEADLOSS\tD-W/);
    expect(text).toMatch(/VISCOSITY\t3\.9e-7/);
    const ep = await solveWithEpanet(text);
    let compared = 0;
    for (const p of j.pipes) {
      const parts = p.parts ?? [{ id: p.id, flowM3h: p.flowM3h }];
      for (const part of parts) {
        const e = ep.links.get(part.id);
        if (!e) continue;
        compared++;
        expect(Math.abs(e.flow - part.flowM3h)).toBeLessThanOrEqual(1e-3 * Math.abs(e.flow) + 2e-3);
      }
    }
    expect(compared).toBeGreaterThan(50);
    // Link ids ≤ 31 characters; Node1 of a split pipe's first part is nearer its first vertex.
    for (const line of text.split('\n')) if (/^\S+\t\S+\t\S+\t/.test(line)) expect(line.split('\t')[0].length).toBeLessThanOrEqual(31);
  });

  it('an outage with a loop option built and a tie valve opened', async () => {
    const before = await json(two, '--scenario', 'outage', '--source-off', 'HS-S2');
    const hs2 = (r: { stations: { id: string; shortfallKw: number; loadKw: number }[] }) => r.stations.find((s) => s.id === 'HS2')!;
    expect(hs2(before).shortfallKw).toBeCloseTo(hs2(before).loadKw, 9);
    const after = await json(two, '--scenario', 'outage', '--source-off', 'HS-S2', '--option', '1');
    expect(hs2(after).shortfallKw).toBeLessThan(hs2(after).loadKw);
    expect(after.sources.find((s: { id: string }) => s.id === 'HS-S1').flowM3h).toBeGreaterThan(before.sources.find((s: { id: string }) => s.id === 'HS-S1').flowM3h);
    expect(after.pipes.some((p: { id: string }) => p.id === 'LOOP-1')).toBe(true);
    // Several ids after one flag, or comma-separated.
    const both = await runCli(['hydraulics', two, '--scenario', 'outage', '--source-off', 'HS-S1', 'HS-S2', '--json']);
    expect(JSON.parse(both.stdout).sources.every((s: { flowM3h: number }) => s.flowM3h === 0)).toBe(true);
    const unknownValve = await runCli(['hydraulics', two, '--open', 'V-NONE']);
    expect(unknownValve.status).toBe(1);
    expect(unknownValve.stderr).toMatch(/no valve well "V-NONE"/);
    const opened = await json(two, '--open', 'V1');
    expect(opened.converged).toBe(true);
  });

  it('the sample outage (S-2 off, option 1): no source runs backwards; S-1 and the backup S-B share the load', async () => {
    const sample = join(dir, 'mingantu.gpkg');
    ProjectStore.createFromData(sample, generateSample()).close();
    const j = await json(sample, '--scenario', 'outage', '--source-off', 'S-2', '--option', '1');
    expect(j.converged).toBe(true);
    for (const s of j.sources) expect(s.flowM3h).toBeGreaterThanOrEqual(0);
    const s1 = j.sources.find((s: { id: string }) => s.id === 'S-1');
    const sb = j.sources.find((s: { id: string }) => s.id === 'S-B');
    const demand = j.stations.reduce((a: number, s: { demandM3h: number }) => a + s.demandM3h, 0);
    // S-B stands on S-1's trunk: nearer to every station, it still sends no more than its 14 MW carry.
    expect(sb.flowM3h).toBeGreaterThan(0);
    expect(sb.flowM3h).toBeLessThan(demand);
    expect(sb.heatMw).toBeLessThan(14 * 1.05);
    expect(s1.checkValveClosed).toBe(false);
    expect(s1.flowM3h).toBeGreaterThan(0);
    // Pump heads stay those of a town network, not hundreds of metres.
    for (const s of [s1, sb]) expect(s.headM).toBeLessThan(200);
    // Mass balance: what the running sources give is what the stations take.
    const given = j.sources.reduce((a: number, s: { flowM3h: number }) => a + s.flowM3h, 0);
    const taken = j.stations.reduce((a: number, s: { flowM3h: number }) => a + s.flowM3h, 0);
    expect(Math.abs(given - taken)).toBeLessThanOrEqual(1e-6 * given);
  });

  it('prints both sources’ shares, the unfavourable station and the balancing summary as text', async () => {
    const r = await runCli(['hydraulics', two]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/HS-S1 .*share/);
    expect(r.stdout).toMatch(/HS-S2 .*share/);
    expect(r.stdout).toMatch(/Most unfavourable station: HS\d {2}ΔP [\d.]+ kPa/);
    expect(r.stdout).toMatch(/Balancing: 2 stations/);
    // the headings come from the catalogue: Chinese beside English by default, one language with --lang
    expect(r.stdout).toMatch(/水力计算 Hydraulics/);
    expect(r.stdout).toMatch(/最不利站 Most unfavourable station/);
    const zh = await runCli(['hydraulics', two, '--lang', 'zh']);
    expect(zh.stdout).toMatch(/水力计算 — scenario/);
    expect(zh.stdout).toMatch(/水力平衡: 2 stations/);
    expect(zh.stdout).not.toMatch(/Most unfavourable station|Balancing/);
    const en = await runCli(['hydraulics', two, '--lang', 'en']);
    expect(en.stdout).toMatch(/: Hydraulics — scenario/);
    expect(en.stdout).not.toMatch(/[\p{Script=Han}]/u);
  });

  it('refuses bad input with the feature named (exit 1) and wrong usage (exit 2)', async () => {
    // A station with no path to a source.
    const cut = write(join(dir, 'cut.gpkg'), net().node('S', 0, 0).node('A', 300, 0).node('B', 600, 0).source('S1', 'S').pipe('P1', 'S', 'A').station('HS1', 'B').community('C1', 'HS1', {}, 'B').build());
    const a = await runCli(['hydraulics', cut]);
    expect(a.status).toBe(1);
    expect(a.stderr).toMatch(/station HS1: no path to a running heat source/);
    // A pipe whose DN was blanked in the file by another tool.
    const blank = write(join(dir, 'blank.gpkg'), twoNetworks().build());
    const db = new Database(blank);
    registerGpkgFunctions(db);
    db.prepare(`UPDATE pipes SET dn = NULL WHERE id = 'P2'`).run();
    db.close();
    const b = await runCli(['hydraulics', blank]);
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/pipe P2: field "dn" is zero or missing/);
    // No pressure-holding source: every source set to run at a set flow.
    const flows = twoNetworks().build();
    for (const h of flows.layers.heat_sources) Object.assign(h.properties, { hydraulic_role: 'flow', set_flow_m3h: 100 });
    const c = await runCli(['hydraulics', write(join(dir, 'flows.gpkg'), flows)]);
    expect(c.status).toBe(1);
    expect(c.stderr).toMatch(/HS-S1: no source holds the pressure/);
    expect((await runCli(['hydraulics', two, '--scenario', 'spring'])).status).toBe(2);
    expect((await runCli(['hydraulics', two, '--scenario', 'now'])).stderr).toMatch(/needs --outdoor-c/);
    expect((await runCli(['hydraulics', two, '--option', '99'])).stderr).toMatch(/no loop option of rank 99/);
  });

  it('reports non-convergence with the iteration log and exit 1, never silent numbers', async () => {
    const slow = write(join(dir, 'slow.gpkg'), twoNetworks().build());
    const s = ProjectStore.open(slow);
    s.setSettings({ hydraulicMaxIterations: 1 });
    s.close();
    const r = spawnCli(['hydraulics', slow, '--json']);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.converged).toBe(false);
    expect(j.log.length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/did not converge/);
    const t = spawnCli(['hydraulics', slow]);
    expect(t.stdout).toMatch(/NOT CONVERGED/);
    expect(t.stdout).toMatch(/iteration log/);
  });
});
