import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { buildGraph } from './graph';
import { buildSegments } from './segments';
import { loopOptions, type LoopsResult } from './loops';
import { generateNetwork } from './fixtures';

/** Loop options valued either from the tree (as shipped) or by the whole-graph pass per link (the reference). */
const valuation = vi.hoisted(() => ({ whole: false }));
vi.mock('./segments', async (importOriginal) => {
  const real = await importOriginal<typeof import('./segments')>();
  return { ...real, linkEffect: (...args: Parameters<typeof real.linkEffect>) => (valuation.whole ? real.wholePass(...args) : real.linkEffect(...args)) };
});

const network = (seed: number, side: number) =>
  generateNetwork({
    seed,
    side,
    areas: 1 + (seed % 3),
    loopProb: 0.05,
    valveProb: 0.5,
    interiorValveProb: 0.15,
    closedProb: 0.08,
    inoperableProb: 0.2,
    sources: 1 + (seed % 2),
    stationProb: 0.4,
    secondary: seed % 2 === 0,
  }).project;

function run(seed: number, side: number, whole: boolean): LoopsResult {
  valuation.whole = whole;
  try {
    return loopOptions(buildSegments(buildGraph(network(seed, side))), { maxLengthM: 800, maxLoopCandidates: 40 });
  } finally {
    valuation.whole = false;
  }
}

describe('loop options valued from the tree', () => {
  it('rank, size and choose exactly as when each link is valued by a whole-graph pass', () => {
    let loops = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 4, max: 9 }), (seed, side) => {
        const tree = run(seed, side, false);
        const whole = run(seed, side, true);
        const key = (r: LoopsResult) => r.options.map((o) => `${o.rank} ${o.kind} ${o.from.node}-${o.to.node} DN${o.dn} ${o.costWan} ${o.lengthM}`);
        expect(key(tree)).toEqual(key(whole));
        expect(tree.chosen).toEqual(whole.chosen);
        expect(tree.loadAtRiskMWkm).toBe(whole.loadAtRiskMWkm);
        tree.options.forEach((o, i) => {
          const w = whole.options[i];
          for (const f of ['riskReducedMWkm', 'designLoadMW', 'benefitPerWan', 'backupMW'] as const)
            expect(Math.abs(o[f] - w[f]), `option ${o.rank} ${f}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(w[f])));
          expect(o.explanation).toEqual(w.explanation);
          if (o.kind === 'loop') loops++;
        });
      }),
      { numRuns: 40 },
    );
    // The generator gives loop options as well as interconnects.
    expect(loops).toBeGreaterThan(0);
  });
});
