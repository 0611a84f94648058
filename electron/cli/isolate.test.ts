/**
 * The network commands (check, isolate, criticality, loops) end to end on a
 * real temporary GeoPackage written by the store, through bin/warmnet.mjs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../backend/store/index';
import { runCli, spawnCli, writeNetworkProject as write } from './testing';
import { net, twoNetworks } from '../../core/network/fixtures';
import { supplyTrace } from '../../core/network/supply';
import { buildGraph } from '../../core/network/graph';

let dir: string;

const run = (...args: string[]) => runCli(args);
const json = async (...args: string[]) => {
  const r = await run(...args, '--json');
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
};


beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-net-'));
  write(join(dir, 'two.gpkg'), twoNetworks().build());
  write(join(dir, 'nosource.gpkg'), net().node('A', 0, 0).node('B', 100, 0).pipe('P1', 'A', 'B').build());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('warmnet network commands', () => {
  it('isolate --pipe prints exactly the agreed JSON', async () => {
    const r = await json('isolate', join(dir, 'two.gpkg'), '--pipe', 'P2');
    expect(Object.keys(r)).toEqual([
      'valvesToClose', 'alreadyClosed', 'pipesIsolated', 'stationsCut', 'communitiesCut', 'households', 'heatedAreaM2', 'loadMW', 'lengthM',
    ]);
    expect(r.valvesToClose).toEqual(['V1']);
    expect(r.stationsCut).toEqual(['HS1']);
    expect(r.communitiesCut).toEqual(['C1']);
    expect(r.households).toBe(300);
    expect(r.loadMW).toBeCloseTo(6.2, 9);
    expect(r.lengthM).toBeCloseTo(200, 3);
  });

  it('isolate --at finds the segment at a point', async () => {
    const r = await json('isolate', join(dir, 'two.gpkg'), '--at', '115.0333,42.2870');
    expect(r.pipesIsolated).toEqual(['P2']);
  });

  it('an unknown pipe or a project without a source is a clear error with exit code 1', async () => {
    // Once through the real executable, for the exit code.
    const unknown = spawnCli(['isolate', join(dir, 'two.gpkg'), '--pipe', 'P-404', '--json']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('P-404');
    expect(unknown.stdout).toBe('');
    for (const cmd of [['isolate', '--pipe', 'P1'], ['criticality'], ['loops']]) {
      const r = await run(cmd[0], join(dir, 'nosource.gpkg'), ...cmd.slice(1));
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/no heat source/);
    }
  });

  it('loops offers an interconnect whose pipe lowers criticality by exactly what it said, joins the sources and serves more in an outage', async () => {
    const path = join(dir, 'two.gpkg');
    const before = await json('criticality', path);
    const loops = await json('loops', path, '--max-length', '800');
    const top = loops.options[0];
    expect(top.kind).toBe('interconnect');
    expect(new Set([top.from.source, top.to.source])).toEqual(new Set(['HS-S1', 'HS-S2']));
    expect(loops.chosen).toContain(1);
    const copy = join(dir, 'two-linked.gpkg');
    write(copy, twoNetworks().build());
    const s = ProjectStore.open(copy);
    s.insertFeature('pipes', {
      type: 'Feature',
      id: 'LINK-1',
      geometry: top.pipe,
      properties: { id: 'LINK-1', level: 'primary', dn: top.dn, status: 'in_service' },
    });
    s.close();
    const after = await json('criticality', copy);
    expect(before.loadAtRiskMWkm - after.loadAtRiskMWkm).toBeCloseTo(top.riskReducedMWkm, 9);
    // Ranked by the outage it is for: with one side's sources off, the link lets the other serve more.
    expect(top.hydraulic.after.servedMW).toBeGreaterThan(top.hydraulic.before.servedMW);
    expect(top.hydraulic.backupMW).toBeGreaterThan(0);
    const sourcesOf = (trace: { stations: { id: string; sources: string[] }[] }, id: string) =>
      trace.stations.find((x) => x.id === id)!.sources;
    const traceBefore = await json('check', path, '--supply');
    expect(sourcesOf(traceBefore, 'HS1')).toEqual(['HS-S1']);
    expect(sourcesOf(traceBefore, 'HS2')).toEqual(['HS-S2']);
    const traceAfter = await json('check', copy, '--supply');
    expect(sourcesOf(traceAfter, 'HS1')).toEqual(['HS-S1', 'HS-S2']);
    expect(sourcesOf(traceAfter, 'HS2')).toEqual(['HS-S1', 'HS-S2']);
  });

  it('check reports findings with ids, location and bilingual reasons', async () => {
    const r = await json('check', join(dir, 'nosource.gpkg'));
    const island = r.findings.find((f: { kind: string }) => f.kind === 'island');
    expect(island.featureIds).toEqual(['P1']);
    expect(typeof island.lon).toBe('number');
    expect(island.reason.en).toMatch(/no heat source/);
  });

  it('on the Mingantu sample: the top interconnect joins the two primary networks and cuts the load at risk by what it said', async () => {
    const sample = join(import.meta.dirname, '..', '..', 'gis-data', 'mingantu.gpkg');
    expect(existsSync(sample)).toBe(true);
    const copy = join(dir, 'sample.gpkg');
    // The network layers and settings copied through the store (the sample may be open elsewhere).
    const src = ProjectStore.open(sample);
    const data = src.snapshot();
    src.close();
    write(copy, data);
    const settingsCopy = ProjectStore.open(copy);
    settingsCopy.setSettings(data.settings);
    settingsCopy.close();
    const before = await json('criticality', copy);
    const loops = await json('loops', copy);
    const top = loops.options[0];
    expect(top.kind).toBe('interconnect');
    expect(top.from.source).not.toBe(top.to.source);
    const s = ProjectStore.open(copy);
    s.insertFeature('pipes', { type: 'Feature', id: 'LINK-TOP', geometry: top.pipe, properties: { id: 'LINK-TOP', level: 'primary', dn: top.dn, status: 'in_service' } });
    const linked = s.snapshot();
    s.close();
    const after = await json('criticality', copy);
    expect(before.loadAtRiskMWkm - after.loadAtRiskMWkm).toBeCloseTo(top.riskReducedMWkm, 6);
    expect(top.riskReducedMWkm).toBeGreaterThan(0);
    // Before, the two sources fed disjoint stations; after, each reaches the other's.
    const tBefore = supplyTrace(buildGraph(data));
    const tAfter = supplyTrace(buildGraph(linked));
    const fedBy = (t: ReturnType<typeof supplyTrace>, src: string) => t.stations.filter((x) => x.sources.includes(src)).map((x) => x.id);
    const a = fedBy(tBefore, top.from.source);
    const b = fedBy(tBefore, top.to.source);
    expect(a.filter((x) => b.includes(x))).toEqual([]);
    for (const id of [...a, ...b]) expect(tAfter.stations.find((x) => x.id === id)!.sources).toEqual(expect.arrayContaining([top.from.source, top.to.source]));
  });
});
