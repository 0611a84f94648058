import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildGraph, NODE_VALVE } from './graph';
import { buildSegments, linkEffect, wholePass, type LinkEffect, type SegmentModel } from './segments';
import { linkChange } from './loops';
import { generateNetwork, rng } from './fixtures';

const analyse = (seed: number, side: number, variant: number): SegmentModel =>
  buildSegments(
    buildGraph(
      generateNetwork({
        seed,
        side,
        areas: 1 + (variant % 3),
        loopProb: [0.02, 0.1, 0.3][variant % 3],
        valveProb: 0.5,
        interiorValveProb: 0.15,
        // Closed valves with stations on them give stations fed from several sides.
        closedProb: variant % 2 ? 0.15 : 0.05,
        inoperableProb: 0.25,
        notInServiceProb: 0.05,
        sources: 1 + (variant % 2),
        stationProb: 0.45,
        secondary: variant % 2 === 0,
      }).project,
    ),
  );

/** The same effect: risk reduced and every unit's saved load, up to rounding (the two sum in different orders). */
function expectSame(tree: LinkEffect, whole: LinkEffect, what: string): void {
  const tol = (x: number) => 1e-9 * Math.max(1, Math.abs(x));
  expect(Math.abs(tree.riskReducedMWkm - whole.riskReducedMWkm), `${what}: risk ${tree.riskReducedMWkm} vs ${whole.riskReducedMWkm}`).toBeLessThanOrEqual(
    tol(whole.riskReducedMWkm),
  );
  const saved = (e: LinkEffect) => {
    const out = new Map<number, number>();
    e.units.forEach((u, i) => {
      if (Math.abs(e.savedMW[i]) > 1e-9) out.set(u, e.savedMW[i]);
    });
    return out;
  };
  const a = saved(tree);
  const b = saved(whole);
  expect([...a.keys()], `${what}: units whose loss changes`).toEqual([...b.keys()]);
  for (const [u, s] of b) expect(Math.abs(a.get(u)! - s), `${what}: unit ${u}`).toBeLessThanOrEqual(tol(s));
  expect(tree.units, `${what}: ascending units`).toEqual([...tree.units].sort((x, y) => x - y));
}

describe('link what-if read off the DFS tree', () => {
  it('equals the whole-graph pass for links between any two pipe ends of generated networks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 4, max: 9 }), fc.integer({ min: 0, max: 5 }), (seed, side, variant) => {
        const m = analyse(seed, side, variant);
        const g = m.graph;
        const ends: number[] = [];
        for (let n = 0; n < g.endNodeCount; n++) if (m.nodeVertex[n] !== -1) ends.push(n);
        if (ends.length < 2) return;
        const r = rng(seed + 17);
        const pairs: [number, number][] = [];
        for (let k = 0; k < 30; k++) {
          const a = ends[Math.floor(r() * ends.length)];
          const b = ends[Math.floor(r() * ends.length)];
          if (a !== b) pairs.push([a, b]);
        }
        // Valve nodes (the link ends on a boundary vertex) in every run.
        const valves = ends.filter((n) => g.nodeFlags[n] & NODE_VALVE);
        for (let k = 0; k + 1 < valves.length && k < 6; k += 2) pairs.push([valves[k], valves[k + 1]], [valves[k], ends[k % ends.length]]);
        for (const [a, b] of pairs) {
          const change = linkChange(m, a, b, 10 + Math.floor(r() * 500));
          expectSame(linkEffect(m, change), wholePass(m, change), `seed ${seed} side ${side} variant ${variant} link ${a}–${b}`);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('equals the whole-graph pass for every pair of pipe ends of small networks', () => {
    for (const [seed, side, variant] of [
      [11, 5, 0],
      [12, 5, 1],
      [13, 6, 2],
      [14, 6, 3],
      [15, 5, 4],
      [16, 6, 5],
    ]) {
      const m = analyse(seed, side, variant);
      const g = m.graph;
      for (let a = 0; a < g.endNodeCount; a++)
        for (let b = a + 1; b < g.endNodeCount; b++) {
          if (m.nodeVertex[a] === -1 || m.nodeVertex[b] === -1) continue;
          const change = linkChange(m, a, b, 100);
          expectSame(linkEffect(m, change), wholePass(m, change), `seed ${seed} link ${a}–${b}`);
        }
    }
  });
});
