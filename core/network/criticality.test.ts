import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildGraph } from './graph';
import { buildSegments } from './segments';
import { isolateEdges } from './isolate';
import { BRIDGES_SHOWN, RISK_CLASS_MAX_MW, SEGMENT_PIPES_SHOWN, criticality, criticalityAnswer, primaryBridges, riskClassOf } from './criticality';
import { generateNetwork, net } from './fixtures';
import { refBridges, refIsolate, refModel } from './reference';

describe('criticality: hand-built', () => {
  it('weights each segment loss by its length and names the bridges', () => {
    // S ─P1─ A(valve) ─P2─ B(valve) ─P3─ C; station at C; a loop S─D─A around P1.
    const p = net()
      .node('S', 0, 0)
      .node('A', 100, 0)
      .node('B', 200, 0)
      .node('C', 300, 0)
      .node('D', 50, 80)
      .source('S1', 'S')
      .pipe('P1', 'S', 'A')
      .pipe('P2', 'A', 'B')
      .pipe('P3', 'B', 'C')
      .pipe('P4', 'S', 'D')
      .pipe('P5', 'D', 'A')
      .valve('VA', 'A')
      .valve('VB', 'B')
      .valve('VS', 'S')
      .station('HS-C', 'C')
      .community('C-C', 'HS-C', { heated_area_m2: 10000, energy_saving: 'no', households: 7 })
      .build();
    const m = buildSegments(buildGraph(p));
    const r = criticality(m);
    const load = (10000 * 62) / 1e6;
    const byPipe = (id: string) => r.segments.find((s) => s.pipes.includes(id))!;
    expect(byPipe('P1').loadLostMW).toBe(0); // the loop through D keeps C fed
    expect(byPipe('P2').loadLostMW).toBeCloseTo(load, 12);
    expect(byPipe('P3').loadLostMW).toBeCloseTo(load, 12);
    expect(byPipe('P2').households).toBe(7);
    const expected = load * (byPipe('P2').lengthM + byPipe('P3').lengthM) / 1000;
    expect(r.loadAtRiskMWkm).toBeCloseTo(expected, 12);
    expect(r.bridges).toEqual(['P2', 'P3']);
    expect(r.worstSegment?.pipes).toEqual(['P2']);
  });
});

describe('criticality: property tests', () => {
  it('each segment loss equals isolating that segment; bridges equal remove-each-edge', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 3, max: 8 }),
        fc.boolean(),
        (seed, side, secondary) => {
          const gen = generateNetwork({
            seed,
            side,
            loopProb: 0.2,
            valveProb: 0.45,
            interiorValveProb: 0.2,
            closedProb: 0.1,
            inoperableProb: 0.25,
            notInServiceProb: 0.05,
            sources: 2,
            stationProb: 0.4,
            secondary,
          });
          const m = buildSegments(buildGraph(gen.project));
          const r = criticality(m);
          const ref = refModel(gen.project);
          let risk = 0;
          for (let s = 0; s < m.segCount; s++) {
            const edges = Array.from(m.segEdge.subarray(m.segEdgeStart[s], m.segEdgeStart[s + 1]));
            const iso = isolateEdges(m, edges);
            expect(r.segments[s].loadLostMW).toBeCloseTo(iso.loadMW, 9);
            expect(r.segments[s].households).toBe(iso.households);
            // The same piece through the naive reference.
            const e = edges[0];
            const g = m.graph;
            const pipeId = String(gen.project.layers.pipes[g.edgePipe[e]].id);
            const pieceIdx = ref.pieces.findIndex(
              (pc) => pc.pipe === pipeId && Math.abs(pc.lengthM - g.edgeLengthM[e]) < 1e-6,
            );
            expect(refIsolate(ref, [pieceIdx]).loadMW).toBeCloseTo(iso.loadMW, 9);
            risk += iso.loadMW * (r.segments[s].lengthM / 1000);
          }
          expect(r.loadAtRiskMWkm).toBeCloseTo(risk, 9);
          expect(r.bridges).toEqual(refBridges(ref));
          expect(primaryBridges(m.graph)).toEqual(r.bridges);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("criticality: the app's answer", () => {
  it('counts each class, keeps the worst rows in the report’s order, and lists every pipe’s class but the most numerous', () => {
    const gen = generateNetwork({ seed: 11, side: 16, areas: 3, valveProb: 0.35, stationProb: 0.3, secondary: true });
    const r = criticality(buildSegments(buildGraph(gen.project)));
    expect(r.segments.length).toBeGreaterThan(30);
    for (const rows of [0, 1, 5, 20, r.segments.length + 3]) {
      const a = criticalityAnswer(r, rows);
      expect(a.segmentCount).toBe(r.segments.length);
      expect(a.loadAtRiskMWkm).toBe(r.loadAtRiskMWkm);
      // classes as the legend counted them from the whole list
      RISK_CLASS_MAX_MW.forEach((max, k) => {
        const lo = k === 0 ? -Infinity : RISK_CLASS_MAX_MW[k - 1];
        const segs = r.segments.filter((s) => s.loadLostMW > lo && s.loadLostMW <= max);
        expect(a.classes[k].segments).toBe(segs.length);
        expect(a.classes[k].lengthM).toBeCloseTo(segs.reduce((x, s) => x + s.lengthM, 0), 6);
      });
      // the worst rows: a stable sort by MW·km, cut
      const sorted = [...r.segments].sort((x, y) => y.riskMWkm - x.riskMWkm).slice(0, rows);
      expect(a.worst.map((s) => [s.pipes[0], s.riskMWkm, s.pipeCount])).toEqual(sorted.map((s) => [s.pipes[0], s.riskMWkm, s.pipes.length]));
      for (const s of a.worst) expect(s.pipes.length).toBe(Math.min(s.pipeCount, SEGMENT_PIPES_SHOWN));
      // each pipe in the list of the largest loss among its segments, or unlisted when that is `rest`
      const lost = new Map<string, number>();
      for (const s of r.segments) for (const p of s.pipes) lost.set(p, Math.max(lost.get(p) ?? 0, riskClassOf(s.loadLostMW)));
      const listed = new Map<string, number>();
      a.pipeClasses.forEach((ids, k) => ids.forEach((id) => listed.set(id, k)));
      expect(a.pipeClasses[a.rest]).toEqual([]);
      for (const [p, k] of lost) expect(listed.get(p) ?? a.rest).toBe(k);
      const sizes = RISK_CLASS_MAX_MW.map((_, k) => [...lost.values()].filter((x) => x === k).length);
      expect(sizes[a.rest]).toBe(Math.max(...sizes));
      expect(a.bridgeCount).toBe(r.bridges.length);
      expect(a.bridges).toEqual(r.bridges.slice(0, BRIDGES_SHOWN));
    }
  });
});
