import { describe, expect, it } from 'vitest';
import { capacityAnswer, capacityCheck, capacityVerdicts, loadMatchClassOf, worstFirst } from './capacity';
import { renewalCandidates } from './candidates';
import { pipeHydraulics } from './hydraulics';
import { ll, net } from './capacity.fixture';
import { DEFAULT_SETTINGS } from '../model/settings';
import { say } from '../i18n';

/**
 * S1 ──P1 DN200── HS1 ──P2 DN100── HS2       (primary, metres along x)
 *                  │Q1 DN300 secondary
 *                (500,200)
 *            Q2 ╱        ╲ Q3  courtyard DN200
 *       (450,300)        (550,300)   both inside community C1
 * C1: 60 000 m² older stock → 3.72 MW on HS1; C2: 20 000 m² energy-saving → 0.90 MW on HS2.
 */
function base() {
  return net()
    .source('S1', 0, 0, { capacity_mw: 20 })
    .station('HS1', 500, 0, { design_capacity_mw: 3.5 })
    .station('HS2', 1000, 0, { design_capacity_mw: 1.0 })
    .pipe('P1', 'primary', [[0, 0], [500, 0]], { dn: 200 })
    .pipe('P2', 'primary', [[500, 0], [1000, 0]], { dn: 100 })
    .pipe('Q1', 'secondary', [[500, 0], [500, 200]], { dn: 300 })
    .pipe('Q2', 'courtyard', [[500, 200], [450, 300]], { dn: 200 })
    .pipe('Q3', 'courtyard', [[500, 200], [550, 300]], { dn: 200 })
    .community('C1', 'HS1', [400, 250, 600, 350], { heated_area_m2: 60_000, energy_saving: 'no' })
    .community('C2', 'HS2', [1100, 100, 1200, 200], { heated_area_m2: 20_000, energy_saving: 'yes' });
}

const byId = <T extends { id: string }>(list: T[], id: string): T => {
  const hit = list.find((x) => x.id === id);
  if (!hit) throw new Error(`no ${id}`);
  return hit;
};

describe('capacity check: loads along the supply tree, simulated', () => {
  // Primary loads are simulated: stations' flow control holds the design flow to
  // stationControlTolerance (1e-9 per unit of excess ΔP), so they are compared to 1e-6 MW (1 W).
  it('gives each primary pipe the station loads downstream of it', () => {
    const r = capacityCheck(base().build());
    // 60 000 × 62 W/m² = 3.72 MW; 20 000 × 45 W/m² = 0.90 MW.
    expect(byId(r.pipes, 'P1').loadMW).toBeCloseTo(3.72 + 0.9, 6);
    expect(byId(r.pipes, 'P2').loadMW).toBeCloseTo(0.9, 6);
    expect(byId(r.pipes, 'P1').fedBy).toBe('S1');
    const p1 = byId(r.pipes, 'P1');
    const h = pipeHydraulics(4.62, 200, 'primary', DEFAULT_SETTINGS);
    expect(p1.flowKgS).toBeCloseTo(h.flowKgS, 6);
    expect(p1.rPaM).toBeCloseTo(h.rPaM, 6);
    expect(p1.status).toBe('ok');
    expect(p1.lengthM).toBeGreaterThan(495);
    expect(p1.lengthM).toBeLessThan(505);
  });

  it('splits a community over the branch ends inside it and sums up to the station', () => {
    const r = capacityCheck(base().build());
    expect(byId(r.pipes, 'Q1').loadMW).toBeCloseTo(3.72, 9);
    expect(byId(r.pipes, 'Q2').loadMW).toBeCloseTo(1.86, 9);
    expect(byId(r.pipes, 'Q3').loadMW).toBeCloseTo(1.86, 9);
    expect(byId(r.pipes, 'Q1').fedBy).toBe('HS1');
    const c1 = byId(r.communities, 'C1');
    expect(c1.rule).toBe('branch_ends_inside');
    expect(c1.at).toHaveLength(2);
  });

  it('solves a looped courtyard network: the loop carries what its resistance gives it', () => {
    const b = base().pipe('Q4', 'courtyard', [[450, 300], [550, 300]], { dn: 100 });
    b.data.layers.pipes.find((p) => p.id === 'Q2')!.properties.dn = 80;
    const r = capacityCheck(b.build());
    expect(r.flows.secondary).toBe('hydraulic');
    expect(byId(r.communities, 'C1').rule).toBe('nodes_inside');
    const [q1, q2, q3, q4] = ['Q1', 'Q2', 'Q3', 'Q4'].map((id) => byId(r.pipes, id).loadMW);
    expect(q1).toBeCloseTo(3.72, 9);
    expect(q2 + q3).toBeCloseTo(3.72, 9);
    // The thinner Q2 takes less; Q4 brings the difference to (450, 300).
    expect(q2).toBeLessThan(q3);
    expect(q4).toBeCloseTo(1.86 - q2, 9);
  });

  it('falls back to the nearest node of the own station when no node is inside the community', () => {
    const r = capacityCheck(base().community('C3', 'HS1', [520, 400, 600, 450], { heated_area_m2: 10_000 }).build());
    const c3 = byId(r.communities, 'C3');
    expect(c3.rule).toBe('nearest_node');
    // Nearest node is the branch end (550,300), 100 m below the polygon.
    expect(c3.distanceM).toBeGreaterThan(99);
    expect(c3.distanceM).toBeLessThan(101);
    expect(byId(r.pipes, 'Q3').loadMW).toBeCloseTo(1.86 + 0.62, 9);
    expect(byId(r.pipes, 'Q2').loadMW).toBeCloseTo(1.86, 9);
  });

  it('reports a community whose station has no secondary network as unattached', () => {
    const r = capacityCheck(base().build());
    expect(byId(r.communities, 'C2').rule).toBe('unattached');
  });

  it('gives a loop-closing pipe the flow the pressures give it (simulated), not the radial "nothing"', () => {
    const r = capacityCheck(base().pipe('P3', 'primary', [[1000, 0], [500, -300], [0, 0]], { dn: 100 }).build());
    expect(r.flows.primary).toBe('hydraulic');
    const p3 = byId(r.pipes, 'P3').loadMW;
    const p2 = byId(r.pipes, 'P2').loadMW;
    // HS2's 0.9 MW arrives through P2 and the loop P3 together; P1 carries the rest.
    expect(p3).toBeGreaterThan(0.05);
    expect(p2 + p3).toBeCloseTo(0.9, 6);
    expect(byId(r.pipes, 'P1').loadMW + p3).toBeCloseTo(4.62, 6);
    // Without a DN somewhere the model cannot run: the supply tree's loads, and why.
    const b = base().pipe('P3', 'primary', [[1000, 0], [500, -300], [0, 0]], { dn: 100 });
    delete b.data.layers.pipes[0].properties.dn;
    const t = capacityCheck(b.build());
    expect(t.flows.primary).toBe('tree');
    expect(say('en', t.flows.note)).toMatch(/pipe P1: field "dn"/);
    expect(byId(t.pipes, 'P3').loadMW).toBe(0);
    expect(say('en', byId(t.pipes, 'P3').reason)).toMatch(/loop/);
  });

  it('stops at a closed valve inside a pipe; the station behind it is unfed', () => {
    const r = capacityCheck(base().valve('V1', 750, 0, { state: 'closed' }).build());
    expect(r.stationsUnfed).toEqual(['HS2']);
    // Nothing flows behind the closed valve: the solver leaves at most rounding (1e-29 MW) there.
    expect(Math.abs(byId(r.pipes, 'P2').loadMW)).toBeLessThan(1e-12);
    expect(byId(r.pipes, 'P1').loadMW).toBeCloseTo(3.72, 6);
  });

  it('lets a backup source feed only what no main source reaches', () => {
    const b = () => base().source('S2', 1000, 0, { capacity_mw: 10, is_backup: true });
    const open = capacityCheck(b().build());
    expect(byId(open.pipes, 'P2').fedBy).toBe('S1');
    expect(byId(open.sources, 'S1').loadMW).toBeCloseTo(4.62, 9);
    expect(byId(open.sources, 'S1').backup).toEqual({ sources: ['S2'], spareMW: 10, coverageRatio: 1 });
    expect(byId(open.sources, 'S2').loadMW).toBe(0);
    const cut = capacityCheck(b().valve('V1', 750, 0, { state: 'closed' }).build());
    expect(byId(cut.sources, 'S2').stations).toEqual(['HS2']);
    expect(byId(cut.sources, 'S1').stations).toEqual(['HS1']);
    expect(cut.stationsUnfed).toEqual([]);
    // Behind the closed valve S1 has no backup any more.
    expect(byId(cut.sources, 'S1').backup.sources).toEqual([]);
    expect(say('en', byId(cut.sources, 'S1').reason)).toMatch(/no backup/);
  });

  it('ignores pipes not in service', () => {
    const r = capacityCheck(base().pipe('P9', 'primary', [[0, 0], [1000, 0]], { dn: 300, status: 'planned' }).build());
    expect(byId(r.pipes, 'P9').loadMW).toBe(0);
    expect(say('en', byId(r.pipes, 'P9').reason)).toMatch(/not in service/);
    expect(byId(r.pipes, 'P2').loadMW).toBeCloseTo(0.9, 6);
  });
});

describe('capacity check: verdicts', () => {
  it('marks a primary pipe over 100 Pa/m as mismatched and says why', () => {
    // 44 444 m² × 45 W/m² = 2.0 MW through DN100: R ≈ 364 Pa/m.
    const b = base();
    b.data.layers.communities[1].properties.heated_area_m2 = 44_444.44;
    const r = capacityCheck(b.build());
    const p2 = byId(r.pipes, 'P2');
    expect(p2.rPaM).toBeGreaterThan(300);
    expect(p2.status).toBe('mismatched');
    expect(say('zh', p2.reason)).toMatch(/负荷不匹配/);
    expect(say('en', p2.reason)).toMatch(/Pa\/m over 100 Pa\/m/);
    expect(r.summary.mismatched).toBe(1);
  });

  it('marks velocity over the limit even when R is within it', () => {
    const r = capacityCheck(base().settings({ maxVelocityMs: 0.5, primaryMaxRPam: 1e6 }).build());
    expect(byId(r.pipes, 'P1').status).toBe('mismatched');
    expect(say('en', byId(r.pipes, 'P1').reason)).toMatch(/velocity/);
  });

  it('gives each verdict its reasons in order, the ones without parameters shared and read-only', () => {
    // Both limits over: load mismatch, then R, then velocity; R alone over: two reasons.
    const both = capacityCheck(base().settings({ maxVelocityMs: 0.5, primaryMaxRPam: 1 }).build());
    const mismatched = both.pipes.filter((p) => p.status === 'mismatched');
    expect(mismatched.length).toBeGreaterThan(1);
    const codes = mismatched.map((p) => p.reason.map((m) => m.code).join(' '));
    for (const c of codes) expect(['capacity.loadMismatch capacity.rOver capacity.vOver', 'capacity.loadMismatch capacity.vOver']).toContain(c);
    expect(codes).toContain('capacity.loadMismatch capacity.rOver capacity.vOver');
    expect(mismatched[0].reason[0]).toBe(mismatched[1].reason[0]);
    expect(Object.isFrozen(mismatched[0].reason[0])).toBe(true);
    const rOnly = capacityCheck(base().settings({ primaryMaxRPam: 1 }).build());
    const p = rOnly.pipes.find((x) => x.status === 'mismatched')!;
    expect(p.reason.map((m) => m.code)).toEqual(['capacity.loadMismatch', 'capacity.rOver']);
  });

  it('uses the secondary and courtyard limits from settings', () => {
    const strict = capacityCheck(base().settings({ courtyardMaxRPam: 50 }).build());
    expect(byId(strict.pipes, 'Q2').status).toBe('mismatched');
    expect(byId(strict.pipes, 'Q1').status).toBe('ok');
  });

  it('marks a primary pipe far below the economic R as oversized when one DN smaller would do', () => {
    const b = base();
    b.data.layers.pipes[1].properties.dn = 600;
    const r = capacityCheck(b.build());
    const p2 = byId(r.pipes, 'P2');
    expect(p2.rPaM).toBeLessThan(3);
    expect(p2.status).toBe('oversized');
    expect(say('en', p2.reason)).toMatch(/DN500/);
    // Not oversized when the limit fraction is 0.
    expect(byId(capacityCheck(b.settings({ oversizedRFraction: 0 }).build()).pipes, 'P2').status).toBe('ok');
  });
});

describe('station overload', () => {
  it('classes stations by load ratio', () => {
    const r = capacityCheck(base().build());
    const hs1 = byId(r.stations, 'HS1');
    expect(hs1.connectedMW).toBeCloseTo(3.72, 9);
    expect(hs1.ratio).toBeCloseTo(3.72 / 3.5, 9);
    expect(hs1.status).toBe('overloaded');
    expect(say('zh', hs1.reason)).toMatch(/小马拉大车/);
    expect(byId(r.stations, 'HS2').status).toBe('near_limit');
    expect(r.summary.stationsOverloaded).toBe(1);
    expect(r.summary.stationsNearLimit).toBe(1);
  });

  it('applies simultaneity and the ratio thresholds from settings', () => {
    const r = capacityCheck(base().settings({ simultaneity: 0.8, stationOverloadRatio: 1.2 }).build());
    expect(byId(r.stations, 'HS1').connectedMW).toBeCloseTo(3.72 * 0.8, 9);
    expect(byId(r.stations, 'HS1').status).toBe('ok');
    expect(byId(r.pipes, 'P1').loadMW).toBeCloseTo(4.62 * 0.8, 6);
  });

  it('reports a station without design capacity as such', () => {
    const b = base();
    b.data.layers.stations[0].properties.design_capacity_mw = null;
    expect(byId(capacityCheck(b.build()).stations, 'HS1').status).toBe('no_capacity');
  });

  it('flags a source whose load exceeds its capacity', () => {
    const r = capacityCheck(base().settings({}).build());
    expect(byId(r.sources, 'S1').status).toBe('ok');
    const b = base();
    b.data.layers.heat_sources[0].properties.capacity_mw = 4;
    const s1 = byId(capacityCheck(b.build()).sources, 'S1');
    expect(s1.status).toBe('overloaded');
    expect(s1.ratio).toBeCloseTo(4.62 / 4, 9);
  });
});

describe('capacity check: community shapes', () => {
  it('places the load of a MultiPolygon community on branch ends inside any of its parts, not inside a hole', () => {
    const b = base();
    const c1 = b.data.layers.communities[0];
    const ring = (x0: number, y0: number, x1: number, y1: number) =>
      [ll(x0, y0), ll(x1, y0), ll(x1, y1), ll(x0, y1), ll(x0, y0)];
    // Part one holds (450,300) but has a hole around it; part two holds (550,300).
    (c1 as { geometry: unknown }).geometry = {
      type: 'MultiPolygon',
      coordinates: [[ring(400, 250, 500, 350), ring(440, 290, 460, 310)], [ring(520, 250, 600, 350)]],
    };
    const r = capacityCheck(b.build());
    expect(byId(r.communities, 'C1').rule).toBe('branch_ends_inside');
    expect(byId(r.pipes, 'Q3').loadMW).toBeCloseTo(3.72, 9);
    expect(byId(r.pipes, 'Q2').loadMW).toBe(0);
  });
});

describe('capacity check: station beside a main', () => {
  it('feeds a station whose primary side is the interior of a main, from the nearer end of that main', () => {
    // HS3 sits at (1250,0) on the middle of P4 (1000→1500); its secondary network starts there.
    const r = capacityCheck(
      base()
        .pipe('P4', 'primary', [[1000, 0], [1500, 0]], { dn: 150 })
        .station('HS3', 1250, 0, { design_capacity_mw: 5 })
        .pipe('Q9', 'secondary', [[1250, 0], [1250, 200]], { dn: 200 })
        .community('C9', 'HS3', [1200, 150, 1300, 250], { heated_area_m2: 10_000 })
        .build(),
    );
    expect(r.stationsUnfed).toEqual([]);
    expect(byId(r.sources, 'S1').stations).toContain('HS3');
    expect(byId(r.pipes, 'P2').loadMW).toBeCloseTo(0.9 + 0.62, 6);
    expect(byId(r.pipes, 'Q9').loadMW).toBeCloseTo(0.62, 9);
  });
});

describe("capacity check: the app's answer", () => {
  it('brings the worst rows in the table order, every pipe of each class but the most numerous, and the rest of the report as it is', () => {
    // R over its limit on every primary pipe; the loop-free courtyard pipes stay ok
    const r = capacityCheck(base().settings({ primaryMaxRPam: 1 }).build());
    const sorted = [...r.pipes].sort(worstFirst);
    const of = (k: string) => r.pipes.filter((p) => loadMatchClassOf(p) === k).map((p) => p.id);
    for (const rows of [0, 1, 3, r.pipes.length, r.pipes.length + 5]) {
      const a = capacityAnswer(r, rows);
      expect(a.pipes).toEqual(sorted.slice(0, rows));
      const { pipes: _a, classes, rest, ...restA } = a;
      const { pipes: _r, communities: _c, ...restR } = r;
      expect(restA).toEqual(restR);
      for (const k of ['ok', 'no_load', 'mismatched', 'oversized'] as const) {
        if (k === rest) expect(classes[k]).toEqual([]);
        else expect(classes[k]).toEqual(of(k));
        expect(of(rest).length).toBeGreaterThanOrEqual(of(k).length);
      }
    }
    expect(sorted[0].status).toBe('mismatched');
    expect(sorted[sorted.length - 1].status).not.toBe('mismatched');
  });

  it('leaves the mismatched pipes unlisted when they are most of the network, and lists the ok ones', () => {
    const strained = capacityCheck(base().settings({ primaryMaxRPam: 1, secondaryMaxRPam: 1, courtyardMaxRPam: 1 }).build());
    const mismatched = strained.pipes.filter((p) => p.status === 'mismatched').length;
    expect(mismatched * 2).toBeGreaterThan(strained.pipes.length);
    const a = capacityAnswer(strained);
    expect(a.rest).toBe('mismatched');
    expect(a.classes.mismatched).toEqual([]);
    const listed = a.classes.ok.length + a.classes.no_load.length + a.classes.oversized.length;
    expect(listed).toBe(strained.pipes.length - mismatched);
    // a network in good order: ok goes unlisted, the mismatched are listed
    const calm = capacityAnswer(capacityCheck(base().build()));
    expect(calm.rest).toBe('ok');
    expect(calm.classes.ok).toEqual([]);
  });
});

describe('capacity check: verdicts kept as numbers', () => {
  it('give each pipe the verdict the report lists, the same answer, and the same candidates', () => {
    for (const project of [base().build(), base().settings({ primaryMaxRPam: 1 }).build(), base().settings({ maxVelocityMs: 0.5, primaryMaxRPam: 1e6 }).build()]) {
      const report = capacityCheck(project);
      const v = capacityVerdicts(project);
      expect(v.ids).toEqual(report.pipes.map((p) => p.id));
      expect(report.pipes.map((_, i) => v.pipe(i))).toEqual(report.pipes);
      const { pipes: _p, ...rest } = report;
      expect(v.report).toEqual(rest);
      for (const rows of [0, 2, 1000]) expect(capacityAnswer(v, rows)).toEqual(capacityAnswer(report, rows));
      expect(renewalCandidates(project, '2026-06-30', project.settings, v)).toEqual(renewalCandidates(project, '2026-06-30', project.settings, report));
    }
  });
});
