import { describe, expect, it } from 'vitest';
import { buildGraph } from './graph';
import { sourcesKey, supplyAnswer, supplyTrace } from './supply';
import { communityLoadMW } from './loads';
import fc from 'fast-check';
import { generateNetwork, net } from './fixtures';
import { refModel, refSupply } from './reference';
import { DEFAULT_SETTINGS } from '../model/settings';

describe('supplyTrace', () => {
  // S1 ─ A ─ S2 joined network (two sources), and a separate S3 ─ C network; a closed valve cuts D off.
  const build = () =>
    net()
      .node('S1', 0, 0)
      .node('A', 100, 0)
      .node('S2', 200, 0)
      .node('S3', 0, 500)
      .node('C', 100, 500)
      .node('D', 200, 500)
      .source('H1', 'S1', { capacity_mw: 30 })
      .source('H2', 'S2', { capacity_mw: 10, is_backup: true, status: 'standby' })
      .source('H3', 'S3', { capacity_mw: 5 })
      .source('H-old', 'S3', { capacity_mw: 99, status: 'retired' })
      .pipe('P1', 'S1', 'A')
      .pipe('P2', 'A', 'S2')
      .pipe('P3', 'S3', 'C')
      .pipe('P4', 'C', 'D')
      .valve('VC', 'C', { state: 'closed' })
      .station('HS-A', 'A')
      .station('HS-C', 'C')
      .station('HS-D', 'D')
      .community('CA', 'HS-A', { heated_area_m2: 100000, energy_saving: 'no' })
      .community('CA2', 'HS-A', { heated_area_m2: 20000, energy_saving: 'yes' })
      .community('CC', 'HS-C', { heated_area_m2: 10000 })
      .community('CD', 'HS-D', { heated_area_m2: 10000 })
      .build();

  it('names every source that reaches a station, through open valves only', () => {
    const t = supplyTrace(buildGraph(build()));
    const by = (id: string) => t.stations.find((s) => s.id === id)!.sources;
    expect(by('HS-A')).toEqual(['H1', 'H2']);
    expect(by('HS-C')).toEqual(['H3']); // reached up to the closed valve
    expect(by('HS-D')).toEqual([]); // behind it
    expect(t.communities.find((c) => c.id === 'CA')!.sources).toEqual(['H1', 'H2']);
    expect(t.pipeSources.P4).toBeUndefined();
    expect(t.pipeSources.P1).toEqual(['H1', 'H2']);
  });

  it('adds loads up from communities and shares a joined area by capacity', () => {
    const p = build();
    const t = supplyTrace(buildGraph(p));
    const loadA = (100000 * 62 + 20000 * 45) / 1e6;
    expect(communityLoadMW(p.layers.communities[0], DEFAULT_SETTINGS)).toBeCloseTo(6.2, 12);
    expect(t.stations.find((s) => s.id === 'HS-A')!.loadMW).toBeCloseTo(loadA, 12);
    const h1 = t.sources.find((s) => s.id === 'H1')!;
    const h2 = t.sources.find((s) => s.id === 'H2')!;
    expect(h1.loadMW + h2.loadMW).toBeCloseTo(loadA, 12);
    expect(h1.loadMW / h2.loadMW).toBeCloseTo(3, 9);
    expect(h1.loadRatio).toBeCloseTo(h1.loadMW / 30, 12);
    expect(t.sources.find((s) => s.id === 'H-old')!.active).toBe(false);
    expect(t.areas.map((a) => a.sources)).toEqual([['H1', 'H2'], ['H3']]);
  });
});

describe('supplyTrace: property test against per-source search', () => {
  it('each station lists exactly the sources that reach it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 3, max: 7 }), (seed, side) => {
        const gen = generateNetwork({ seed, side, areas: 2, sources: 2, closedProb: 0.15, notInServiceProb: 0.1, stationProb: 0.4, secondary: true });
        const t = supplyTrace(buildGraph(gen.project));
        const ref = refSupply(refModel(gen.project));
        for (const s of t.stations) expect([...s.sources].sort()).toEqual(ref.get(s.id));
      }),
      { numRuns: 60 },
    );
  });
});

describe("supply trace: the app's answer", () => {
  it('puts every pipe in the group of the sources reaching it (none: the first group) and leaves the most numerous group unlisted', () => {
    const gen = generateNetwork({ seed: 5, side: 14, areas: 3, valveProb: 0.4, stationProb: 0.3, secondary: true });
    const g = buildGraph(gen.project);
    const t = supplyTrace(g);
    const ids = gen.project.layers.pipes.map((p) => String(p.id));
    const a = supplyAnswer(t, ids);
    const keys = a.pipeGroups.map((x) => sourcesKey(x.sources));
    expect(keys[0]).toBe('');
    expect(keys).toEqual([...new Set(keys)].sort());
    expect(a.pipeGroups.length).toBeGreaterThan(2);
    expect(a.pipeGroups[a.rest].pipes).toEqual([]);
    const want = (id: string) => (t.pipeSources[id] ? sourcesKey(t.pipeSources[id]) : '');
    const listed = new Map<string, string>();
    a.pipeGroups.forEach((x) => x.pipes.forEach((id) => listed.set(id, sourcesKey(x.sources))));
    for (const id of ids) expect(listed.get(id) ?? keys[a.rest]).toBe(want(id));
    const sizes = keys.map((k) => ids.filter((id) => want(id) === k).length);
    expect(sizes[a.rest]).toBe(Math.max(...sizes));
    expect(a.sources.map((s) => [s.id, s.loadMW, s.stationCount])).toEqual(t.sources.map((s) => [s.id, s.loadMW, s.stations.length]));
    expect(a.areas.map((x) => [x.sources, x.loadMW, x.stationCount])).toEqual(t.areas.map((x) => [x.sources, x.loadMW, x.stations.length]));
    expect(Object.keys(a).sort()).toEqual(['areas', 'pipeGroups', 'rest', 'sources']);
  });
});
