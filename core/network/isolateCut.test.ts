import { describe, expect, it } from 'vitest';
import { buildGraph } from './graph';
import { buildSegments, type SegmentModel } from './segments';
import { stationsCutLocally } from './isolateCut';
import { generateNetwork, rng, type GenerateOptions } from './fixtures';

/** Stations fed now that no longer are with `units` removed: a search of the whole contracted graph from the root. */
function bruteForce(m: SegmentModel, units: readonly number[]): number[] {
  const V = m.unitCount + m.boundaryNodes.length + 2;
  const root = V - 1;
  const nb: number[][] = Array.from({ length: V }, () => []);
  for (let i = 0; i < m.linkUnit.length; i++) {
    nb[m.linkUnit[i]].push(m.linkVertex[i]);
    nb[m.linkVertex[i]].push(m.linkUnit[i]);
  }
  for (const v of m.rootVertices) {
    nb[v].push(root);
    nb[root].push(v);
  }
  const reach = (removed: Set<number>) => {
    const seen = new Uint8Array(V);
    seen[root] = 1;
    const queue = [root];
    for (let h = 0; h < queue.length; h++)
      for (const w of nb[queue[h]])
        if (!seen[w] && !removed.has(w)) {
          seen[w] = 1;
          queue.push(w);
        }
    return seen;
  };
  const before = reach(new Set());
  const after = reach(new Set(units));
  const out: number[] = [];
  m.stationVertices.forEach((locs, i) => {
    if (!locs.length || m.stationSelfFed[i]) return;
    if (locs.some((x) => before[x]) && !locs.some((x) => after[x])) out.push(i);
  });
  return out;
}

const shapes: GenerateOptions[] = [
  { seed: 1, side: 8 },
  { seed: 2, side: 12, loopProb: 0.3, secondary: true },
  { seed: 3, side: 14, valveProb: 0.6, interiorValveProb: 0.3, inoperableProb: 0.3, closedProb: 0.1, secondary: true },
  { seed: 4, side: 16, areas: 3, sources: 2, loopProb: 0.05, stationProb: 0.4 },
  { seed: 5, side: 10, loopProb: 0, valveProb: 0.8, interiorValveProb: 0.5, secondary: true },
  { seed: 6, side: 18, loopProb: 0.5, valveProb: 0.2, inoperableProb: 0.5, notInServiceProb: 0.1, secondary: true },
  { seed: 7, side: 12, closedProb: 0.3, inoperableProb: 0.4, interiorValveProb: 0.4, stationProb: 0.5, secondary: true },
];

describe('stations cut by isolating units, searched locally', () => {
  it.each(shapes.map((o) => [o.seed, o] as const))('equal a whole-graph search: every unit, every pipe’s units and random sets (network %i)', (_, o) => {
    const m = buildSegments(buildGraph(generateNetwork(o).project));
    const g = m.graph;
    let cuts = 0;
    for (let u = 0; u < m.unitCount; u++) {
      const want = bruteForce(m, [u]);
      cuts += want.length;
      expect(stationsCutLocally(m, [u]), `unit ${u}`).toEqual(want);
    }
    for (let p = 0; p < g.input.layers.pipes.length; p++) {
      const units = new Set<number>();
      for (let k = g.pipeEdgeStart[p]; k < g.pipeEdgeStart[p + 1]; k++) {
        const s = m.edgeSeg[g.pipeEdge[k]];
        if (s >= 0) units.add(m.segUnit[s]);
      }
      if (units.size > 1) expect(stationsCutLocally(m, [...units]), `pipe ${p}`).toEqual(bruteForce(m, [...units]));
    }
    const r = rng(o.seed * 31);
    for (let n = 0; n < 150; n++) {
      const units = Array.from({ length: 2 + Math.floor(r() * 4) }, () => Math.floor(r() * m.unitCount));
      expect(stationsCutLocally(m, units), `units ${units.join(',')}`).toEqual(bruteForce(m, units));
    }
    // the networks do cut stations off, or the comparison would prove little
    expect(cuts).toBeGreaterThan(0);
  });

  it('units given twice, or none, change nothing', () => {
    const m = buildSegments(buildGraph(generateNetwork({ seed: 9, side: 10, secondary: true }).project));
    for (let u = 0; u < m.unitCount; u += 3) expect(stationsCutLocally(m, [u, u])).toEqual(bruteForce(m, [u]));
    expect(stationsCutLocally(m, [])).toEqual([]);
  });
});
