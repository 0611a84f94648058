import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { net } from '../network/fixtures';
import { buildGraph } from '../network/graph';
import { buildHydraulicNetwork, HydraulicInputError } from './network';
import { simulateScenario, type ScenarioParams } from './simulate';
import { runHydraulics } from './scenario';
import { prepareNetwork, runAnalysis } from '../network/analyses';
import { saturationPressureKpa } from './statics';
import type { ProjectData } from '../model/project';
import { DEFAULT_SETTINGS } from '../model/settings';

const sim = (p: ProjectData, params: Partial<ScenarioParams> = {}) =>
  simulateScenario(buildHydraulicNetwork(buildGraph(p)), { scenario: 'design', ...params });

const S = DEFAULT_SETTINGS;
const headOfKpa = (kpa: number, g = S.gravityMs2) => (kpa * 1000) / (S.waterDensityKgM3 * g);

/** Head loss of one pipe written out (Colebrook by bisection), m. */
function loss(qM3h: number, lengthM: number, dn: number): number {
  const D = S.innerDiameterMm[String(dn)] / 1000;
  const A = (Math.PI * D * D) / 4;
  const v = qM3h / 3600 / A;
  const re = (v * D) / S.waterViscosityM2s;
  const e = S.roughnessMm / 1000 / D;
  let lo = 0.005, hi = 0.1;
  for (let i = 0; i < 200; i++) {
    const f = (lo + hi) / 2;
    const gg = 1 / Math.sqrt(f) + 2 * Math.log10(e / 3.7 + 2.51 / (re * Math.sqrt(f)));
    if (gg > 0) lo = f;
    else hi = f;
  }
  return lo * (lengthM * (1 + S.minorLossFraction) / D) * (v * v) / (2 * S.gravityMs2);
}

describe('one source, one pipe, one station (by hand)', () => {
  // 1000 m of DN150 to a station of 100,000 m² older stock: Q = 6.2 MW at design.
  const p = () =>
    net()
      .node('S', 0, 0)
      .node('A', 1000, 0)
      .source('S1', 'S', { capacity_mw: 20 })
      .pipe('P1', 'S', 'A', { dn: 150 })
      .station('HS1', 'A')
      .community('C1', 'HS1', { heated_area_m2: 100000, energy_saving: 'no' }, 'A');

  it('design flow, pump head from the station minimum and the margin, ΔP = head − supply and return loss', () => {
    const r = sim(p().build());
    expect(r.converged).toBe(true);
    const Q = 6200; // kW
    const G = (Q * 3600) / (S.waterDensityKgM3 * S.waterCkJkgK * (S.primarySupplyC - S.primaryReturnC));
    const st = r.stations[0];
    expect(st.loadKw).toBeCloseTo(Q, 9);
    expect(st.demandM3h).toBeCloseTo(G, 9);
    expect(st.flowM3h).toBeCloseTo(G, 5);
    const pipeLoss = loss(G, r.pipes[0] ? (buildGraph(p().build()).edgeLengthM[0]) : 1000, 150);
    expect(r.pipes[0].headLossM).toBeCloseTo(pipeLoss, 6);
    const head = (2 * pipeLoss + headOfKpa(100)) * (1 + S.pumpHeadMargin);
    expect(r.sources[0].headM).toBeCloseTo(head, 6);
    expect(st.dpKpa!).toBeCloseTo(((head - 2 * pipeLoss) * S.waterDensityKgM3 * S.gravityMs2) / 1000, 4);
    expect(r.unfavourable).toEqual({ station: 'HS1', path: ['P1'], nodes: expect.any(Array) });
    expect(r.balancing[0].excessDpKpa).toBeCloseTo(st.dpKpa! - 100, 9);
    // Make-up pressure at the source's return: 0.3 MPa on flat ground.
    expect(r.sources[0].returnHeadM).toBeCloseTo(headOfKpa(300), 9);
  });

  it('supply temperature falls along the pipe by exp(−U·L/(ṁ·c)) toward the ground', () => {
    const r = sim(p().build());
    const G = r.stations[0].flowM3h / 3600;
    const L = buildGraph(p().build()).edgeLengthM[0];
    const U = S.heatLossWmK['150'];
    const out = S.groundTemperatureC + (S.primarySupplyC - S.groundTemperatureC) * Math.exp((-U * L) / (G * S.waterDensityKgM3 * S.waterCkJkgK * 1000));
    expect(r.pipes[0].supplyInC!).toBeCloseTo(S.primarySupplyC, 9);
    expect(r.pipes[0].supplyOutC!).toBeCloseTo(out, 9);
    expect(r.stations[0].supplyC!).toBeCloseTo(out, 9);
  });

  it('cold wave: load × (t_in − T)/(t_in − t_design); the design head kept, the station short when ΔP falls below its minimum', () => {
    const run = runHydraulics(p().build(), { scenario: 'coldwave' });
    const phi = (18 + 29) / (18 + 26);
    const st = run.result.stations[0];
    expect(st.loadKw).toBeCloseTo(6200 * phi, 9);
    expect(run.result.sources[0].headM).toBeCloseTo(run.designHeads.S1, 9);
    // Much colder: more flow than the design head can push.
    const cold = runHydraulics(p().build(), { scenario: 'now', outdoorC: -60 }).result.stations[0];
    expect(cold.limited).toBe(true);
    expect(cold.dpKpa!).toBeLessThan(100);
    expect(cold.flowM3h).toBeCloseTo(cold.demandM3h * Math.sqrt(cold.dpKpa! / 100), 6);
    expect(cold.shortfallKw).toBeCloseTo(cold.loadKw * (1 - cold.flowM3h / cold.demandM3h), 6);
  });

  it('refuses a pipe without DN, naming it', () => {
    const b = p();
    const proj = b.build();
    delete proj.layers.pipes[0].properties.dn;
    expect(() => sim(proj)).toThrow(/pipe P1: field "dn" is zero or missing/);
    proj.layers.pipes[0].properties.dn = 0;
    try {
      sim(proj);
    } catch (e) {
      expect(e).toBeInstanceOf(HydraulicInputError);
      expect((e as HydraulicInputError).code).toBe('hydraulics/bad-dn');
      expect((e as HydraulicInputError).params.pipes).toEqual(['P1']);
    }
  });

  it('says so, with the iteration log, when it does not converge', () => {
    const proj = p().set({ hydraulicMaxIterations: 1 }).build();
    const r = sim(proj);
    expect(r.converged).toBe(false);
    expect(r.reason).toMatch(/not converged in 1 iterations/);
    expect(r.log.length).toBeGreaterThan(0);
    expect(r.log[0]).toHaveProperty('relativeChange');
  });
});

describe('several sources and the network', () => {
  /** S1 (60 MW) — A — B — C — S2 (30 MW) in a line, a station at A, B and C. */
  const line = () =>
    net()
      .node('S1', 0, 0)
      .node('A', 500, 0)
      .node('B', 1000, 0)
      .node('C', 1500, 0)
      .node('S2', 2000, 0)
      .source('S1', 'S1', { capacity_mw: 60 })
      .source('S2', 'S2', { capacity_mw: 30 })
      .pipe('P1', 'S1', 'A', { dn: 300 })
      .pipe('P2', 'A', 'B', { dn: 250 })
      .pipe('P3', 'B', 'C', { dn: 250 })
      .pipe('P4', 'C', 'S2', { dn: 300 })
      .station('HA', 'A')
      .station('HB', 'B')
      .station('HC', 'C')
      .community('CA', 'HA', { heated_area_m2: 100000 }, 'A')
      .community('CB', 'HB', { heated_area_m2: 100000 }, 'B')
      .community('CC', 'HC', { heated_area_m2: 100000 }, 'C');

  it('the largest holds the pressure, the other injects the load of its own area', () => {
    const r = sim(line().build());
    expect(r.converged).toBe(true);
    const s1 = r.sources.find((s) => s.id === 'S1')!;
    const s2 = r.sources.find((s) => s.id === 'S2')!;
    expect(s1.role).toBe('pressure');
    expect(s2.role).toBe('flow');
    // S2's own area: HC (500 m from S2, 1000 m from S1).
    const hc = r.stations.find((s) => s.id === 'HC')!;
    expect(s2.flowM3h).toBeCloseTo(hc.demandM3h, 9);
    const total = r.stations.reduce((a, s) => a + s.flowM3h, 0);
    expect(s1.flowM3h + s2.flowM3h).toBeCloseTo(total, 6);
    expect(s1.heatMw + s2.heatMw).toBeGreaterThan(18.6 - 1e-6);
  });

  it('pipe results read after another run are still this run’s, in JSON and spreads too; assigning replaces them', () => {
    const a = sim(line().build());
    // Another scenario (other flows) before the first result's pipes are read: its work arrays are reused.
    const b = sim(line().build(), { scenario: 'coldwave' });
    const pa = a.pipes;
    expect(pa.map((p) => p.id)).toEqual(['P1', 'P2', 'P3', 'P4']);
    // P2 carries HB and HC less what S2 injects (HC's demand): HB's demand, from A to B.
    const hb = a.stations.find((s) => s.id === 'HB')!;
    expect(pa[1].flowM3h).toBeCloseTo(hb.demandM3h, 6);
    expect(b.pipes[1].flowM3h).toBeGreaterThan(pa[1].flowM3h);
    expect(a.pipes).toBe(pa); // built once
    expect(JSON.parse(JSON.stringify(a)).pipes).toEqual(JSON.parse(JSON.stringify(pa)));
    expect({ ...a }.pipes).toBe(pa);
    a.pipes = [];
    expect(a.pipes).toEqual([]);
  });

  it('a result holds nothing of the run that made it: its options, and with them the solve’s work, are let go while the result is kept', async () => {
    // A closure made inside the run and kept by the result holds the run's whole scope (V8 gives
    // a function's closures one shared context): at a million pipes that kept the factor's
    // pattern and the solver's arrays, ~290 MB, for as long as the result lived.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const hydraulic = buildHydraulicNetwork(buildGraph(line().build()));
    const run = () => {
      const opts = { onProgress: () => {} };
      return { r: simulateScenario(hydraulic, { scenario: 'design' }, opts), gone: new WeakRef(opts) };
    };
    const { r, gone } = run();
    // a WeakRef's target lives to the end of the job that made it
    await new Promise((ok) => setTimeout(ok, 0));
    gc();
    expect(gone.deref()).toBeUndefined();
    // the result itself, kept, still gives its pipes
    expect(r.pipes.map((p) => p.id)).toEqual(['P1', 'P2', 'P3', 'P4']);
  });

  it('the app’s hydraulic run says once, after its solve’s last progress, that its solve is done (the worker collects there)', () => {
    const said: string[] = [];
    const run = runAnalysis('hydraulics', prepareNetwork(line().build()), { scenario: 'design' }, {
      onProgress: (f) => said.push(`progress ${f}`),
      onSolved: () => said.push('solved'),
    });
    expect(said.filter((x) => x === 'solved')).toHaveLength(1);
    // after the solve's last progress
    expect(said.at(-1)).toBe('solved');
    expect(said).toContain('progress 1');
    expect(run.columns.ids).toEqual(['P1', 'P2', 'P3', 'P4']);
  });

  it('a flow source on the pressure source’s trunk injects its own area’s demand, at most what its capacity carries', () => {
    // S1 — P — S2 — A — B: HP is nearer S1 (300 m against 700 m), HA and HB nearer S2.
    const trunk = (s2Mw: number) =>
      net()
        .node('S1', 0, 0)
        .node('P', 300, 0)
        .node('S2', 1000, 0)
        .node('A', 1500, 0)
        .node('B', 2000, 0)
        .source('S1', 'S1', { capacity_mw: 60 })
        .source('S2', 'S2', { capacity_mw: s2Mw })
        .pipe('P1', 'S1', 'P', { dn: 300 })
        .pipe('P2', 'P', 'S2', { dn: 300 })
        .pipe('P3', 'S2', 'A', { dn: 250 })
        .pipe('P4', 'A', 'B', { dn: 250 })
        .station('HP', 'P')
        .station('HA', 'A')
        .station('HB', 'B')
        .community('CP', 'HP', { heated_area_m2: 100000 }, 'P')
        .community('CA', 'HA', { heated_area_m2: 100000 }, 'A')
        .community('CB', 'HB', { heated_area_m2: 100000 }, 'B')
        .build();
    const big = sim(trunk(50));
    expect(big.converged).toBe(true);
    const st = (r: typeof big, id: string) => r.stations.find((s) => s.id === id)!;
    const src = (r: typeof big, id: string) => r.sources.find((s) => s.id === id)!;
    expect(src(big, 'S1').role).toBe('pressure');
    expect(src(big, 'S2').role).toBe('flow');
    expect(src(big, 'S2').flowM3h).toBeCloseTo(st(big, 'HA').demandM3h + st(big, 'HB').demandM3h, 9);
    expect(src(big, 'S1').flowM3h).toBeCloseTo(st(big, 'HP').demandM3h, 6);
    expect(src(big, 'S1').checkValveClosed).toBe(false);

    // 5 MW cannot carry HA and HB (about 12 MW): S2 sends its capacity's flow, S1 the rest.
    const small = sim(trunk(5));
    expect(small.converged).toBe(true);
    const hp = st(small, 'HP');
    const capFlow = (5000 * hp.demandM3h) / hp.loadKw;
    expect(capFlow).toBeLessThan(st(small, 'HA').demandM3h + st(small, 'HB').demandM3h);
    expect(src(small, 'S2').flowM3h).toBeCloseTo(capFlow, 9);
    const total = small.stations.reduce((a, s) => a + s.flowM3h, 0);
    expect(src(small, 'S1').flowM3h).toBeCloseTo(total - capFlow, 6);
    expect(src(small, 'S1').flowM3h).toBeGreaterThan(hp.demandM3h);
  });

  it('per-source fields: a set flow, a set head, the pressure-holding one chosen', () => {
    const p = line().build();
    p.layers.heat_sources[1].properties.hydraulic_role = 'pressure';
    p.layers.heat_sources[0].properties.hydraulic_role = 'flow';
    p.layers.heat_sources[0].properties.set_flow_m3h = 200;
    const r = sim(p);
    expect(r.sources.find((s) => s.id === 'S2')!.role).toBe('pressure');
    expect(r.sources.find((s) => s.id === 'S1')!.flowM3h).toBeCloseTo(200, 9);
    p.layers.heat_sources[0].properties.hydraulic_role = 'head';
    p.layers.heat_sources[0].properties.pump_head_m = 50;
    const h = sim(p);
    expect(h.converged).toBe(true);
    expect(h.sources.find((s) => s.id === 'S1')!.headM).toBeCloseTo(50, 6);
    delete p.layers.heat_sources[0].properties.pump_head_m;
    expect(() => sim(p)).toThrow(/heat source S1: hydraulic_role is head but field "pump_head_m" is missing/);
  });

  it('a set-head source that would run backwards is closed by its non-return valve: flow 0, flagged, mass balance holds', () => {
    const p = line().build();
    p.layers.heat_sources[0].properties.hydraulic_role = 'pressure';
    p.layers.heat_sources[0].properties.pump_head_m = 60;
    p.layers.heat_sources[1].properties.hydraulic_role = 'head';
    p.layers.heat_sources[1].properties.pump_head_m = 5; // far below what S1 gives at S2's end
    const r = sim(p);
    expect(r.converged).toBe(true);
    const s1 = r.sources.find((s) => s.id === 'S1')!;
    const s2 = r.sources.find((s) => s.id === 'S2')!;
    expect(s2.checkValveClosed).toBe(true);
    expect(s2.flowM3h).toBe(0);
    expect(s2.heatMw).toBe(0);
    expect(s1.checkValveClosed).toBe(false);
    // Everything the stations take comes from S1, and nothing flows into S2's node along P4.
    const total = r.stations.reduce((a, s) => a + s.flowM3h, 0);
    expect(total).toBeGreaterThan(0);
    expect(s1.flowM3h).toBeCloseTo(total, 6);
    expect(Math.abs(r.pipes.find((x) => x.id === 'P4')!.flowM3h)).toBeLessThan(1e-6);
    // The closed pump would not push forward: the supply head at its node is at least what it holds.
    expect(s2.headM).toBeGreaterThanOrEqual(5 - 1e-6);
    for (const s of r.sources) expect(s.flowM3h).toBeGreaterThanOrEqual(0);
    // Before the valve the same set-head source ran backwards; a strong enough head keeps it open.
    p.layers.heat_sources[1].properties.pump_head_m = 58;
    const fwd = sim(p);
    const f2 = fwd.sources.find((s) => s.id === 'S2')!;
    expect(f2.checkValveClosed).toBe(false);
    expect(f2.flowM3h).toBeGreaterThan(0);
    expect(f2.headM).toBeCloseTo(58, 6);
  });

  it('the check-valve status rounds are limited (checkValveMaxChanges) and say so', () => {
    const p = line().set({ checkValveMaxChanges: 0 }).build();
    p.layers.heat_sources[0].properties.hydraulic_role = 'pressure';
    p.layers.heat_sources[0].properties.pump_head_m = 60;
    p.layers.heat_sources[1].properties.hydraulic_role = 'head';
    p.layers.heat_sources[1].properties.pump_head_m = 5;
    const r = sim(p);
    expect(r.converged).toBe(false);
    expect(r.reason).toMatch(/S2.*checkValveMaxChanges/);
  });

  it('refuses a network where no source holds the pressure, and two that both do', () => {
    const p = line().build();
    for (const h of p.layers.heat_sources) {
      h.properties.hydraulic_role = 'flow';
      h.properties.set_flow_m3h = 100;
    }
    expect(() => sim(p)).toThrow(/S1, S2: no source holds the pressure/);
    for (const h of p.layers.heat_sources) h.properties.hydraulic_role = 'pressure';
    expect(() => sim(p)).toThrow(/S1, S2: two sources hold the pressure/);
  });

  it('refuses a station with no path to a source in the design scenario, names it; an outage reports it unserved', () => {
    const p = line().valve('VB', 'B', { state: 'closed' }).build();
    p.layers.heat_sources.splice(1, 1); // only S1, and the closed valve at B cuts C off
    expect(() => sim(p)).toThrow(/station HC: no path to a running heat source/);
    const r = sim(p, { scenario: 'outage' });
    const hc = r.stations.find((s) => s.id === 'HC')!;
    expect(hc.served).toBe(false);
    expect(hc.shortfallKw).toBeCloseTo(hc.loadKw, 9);
    expect(r.totals.servedMW).toBeLessThan(r.totals.loadMW);
  });

  it('an outage of the pressure-holding source: the other takes the pressure over at the design head', () => {
    const base = runHydraulics(line().build(), { scenario: 'design' });
    const out = runHydraulics(line().build(), { scenario: 'outage', sourcesOff: ['S1'] });
    const s2 = out.result.sources.find((s) => s.id === 'S2')!;
    expect(s2.role).toBe('pressure');
    expect(s2.headM).toBeCloseTo(base.designHeads.S1, 9);
    expect(out.result.sources.find((s) => s.id === 'S1')!.running).toBe(false);
    expect(() => runHydraulics(line().build(), { scenario: 'outage', sourcesOff: ['S9'] })).toThrow(/no heat source "S9"/);
  });

  it('return pipes drawn on their own give what the mirrored return gives', () => {
    const mirrored = sim(line().build());
    const b = line();
    const p = b.build();
    const extra = p.layers.pipes.map((pipe) => ({
      ...pipe,
      id: `${pipe.id}R`,
      properties: { ...pipe.properties, id: `${pipe.id}R`, circuit: 'return' },
    }));
    for (const pipe of p.layers.pipes) pipe.properties.circuit = 'supply';
    p.layers.pipes.push(...extra);
    const drawn = sim(p);
    expect(drawn.converged).toBe(true);
    expect(drawn.scenario.twoCircuits).toBe(true);
    for (const st of mirrored.stations) {
      const d = drawn.stations.find((s) => s.id === st.id)!;
      expect(d.flowM3h).toBeCloseTo(st.flowM3h, 6);
      expect(d.dpKpa!).toBeCloseTo(st.dpKpa!, 5);
    }
    for (const pipe of mirrored.pipes) {
      expect(drawn.pipes.find((x) => x.id === pipe.id)!.flowM3h).toBeCloseTo(pipe.flowM3h, 6);
      expect(drawn.pipes.find((x) => x.id === `${pipe.id}R`)!.flowM3h).toBeCloseTo(-pipe.flowM3h, 6);
    }
    expect(drawn.sources[0].headM).toBeCloseTo(mirrored.sources[0].headM, 6);
  });

  it('balancing: flows before balancing (valves fully open) deviate from design, near stations take more', () => {
    const r = sim(line().build(), { unbalanced: true });
    const near = r.balancing.find((b) => b.station === 'HA')!;
    const far = r.balancing.find((b) => b.station === 'HB')!;
    expect(near.deviationPct!).toBeGreaterThan(far.deviationPct!);
    expect(near.excessDpKpa).toBeGreaterThan(far.excessDpKpa);
    const totalOpen = r.stations.reduce((a, s) => a + s.unbalancedFlowM3h!, 0);
    expect(totalOpen).toBeGreaterThan(0);
  });
});

describe('elevation and pressure checks', () => {
  it('saturation pressure of water (IAPWS-IF97): 101.42 kPa at 100 °C, 143.38 kPa at 110 °C', () => {
    expect(saturationPressureKpa(100)).toBeCloseTo(101.418, 2);
    expect(saturationPressureKpa(110)).toBeCloseTo(143.38, 1);
  });

  it('a station on a hill 40 m above the source: low pressure found there, static line too', () => {
    const p = net()
      .node('S', 0, 0)
      .node('A', 1000, 0)
      .source('S1', 'S', { capacity_mw: 20, elevation_m: 1340 })
      .pipe('P1', 'S', 'A', { dn: 200, elevation_start_m: 1340, elevation_end_m: 1380 })
      .station('HS1', 'A', { elevation_m: 1380 })
      .community('C1', 'HS1', { heated_area_m2: 50000 }, 'A')
      .build();
    const r = sim(p);
    expect(r.elevationKnown).toBe(true);
    expect(r.nodes.groundM[1]).toBeCloseTo(1380, 9);
    // Static line: 0.3 MPa above the source's ground = 31.4 m, 8.6 m below the hill.
    const hill = r.pressure.findings.filter((f) => Math.abs(f.groundM - 1380) < 1e-6);
    expect(hill.some((f) => f.circuit === 'static' && f.kind === 'vacuum')).toBe(true);
    expect(hill.some((f) => f.circuit === 'return' && f.kind === 'vacuum')).toBe(true);
    expect(r.pressure.counts['vacuum:static']).toBeGreaterThan(0);
    // Flat: none of that.
    const flat = sim(p, {});
    expect(flat.pressure.findings.length).toBeGreaterThan(0);
    for (const pipe of p.layers.pipes) {
      delete pipe.properties.elevation_start_m;
      delete pipe.properties.elevation_end_m;
    }
    delete p.layers.heat_sources[0].properties.elevation_m;
    delete p.layers.stations[0].properties.elevation_m;
    const none = sim(p);
    expect(none.elevationKnown).toBe(false);
    expect(none.pressure.findings).toEqual([]);
  });
});
