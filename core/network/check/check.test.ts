import { describe, expect, it } from 'vitest';
import { buildGraph } from '../graph';
import { checkNetwork, findingText } from './index';
import fc from 'fast-check';
import { generateNetwork, net } from '../fixtures';
import { clean } from './planted';
import { refCheck, refModel } from '../reference';

const kinds = (p: ReturnType<ReturnType<typeof net>['build']>) => {
  const r = checkNetwork(buildGraph(p));
  return r.findings.map((f) => `${f.kind}:${f.featureIds.join('+')}`).sort();
};

const base = clean;

/** The whole check with several defects at once (each rule alone: rules/<rule>.test.ts). */
describe('checkNetwork', () => {
  it('finds nothing on a clean network', () => {
    expect(kinds(base().build())).toEqual([]);
  });

  it('reports a crossing without a node and a pipe ending on another pipe', () => {
    const p = base()
      .node('U', 150, -50)
      .node('W', 150, 50)
      .pipe('P3', 'U', 'W')
      .valve('VU', 'U')
      .valve('VW', 'W')
      .node('T', 50, 80)
      .node('T0', 50, 0)
      .pipe('P4', 'T', 'T0')
      .valve('VT', 'T')
      .build();
    const k = kinds(p);
    expect(k).toContain('crossing:P2+P3');
    expect(k).toContain('crossing:P4+P1');
    expect(k.filter((x) => x.startsWith('dangling'))).toEqual([]);
  });

  it('reports duplicates, zero-length pipes, features off the network and levels joined without a station', () => {
    const p = base()
      .pipe('P2b', 'B', 'A')
      .pipe('P0', 'A', 'A')
      .node('far', 500, 500)
      .valve('V-far', 'far')
      .station('HS2', 'B')
      .node('Q', 100, -60)
      .pipe('P5', 'A', 'Q', { level: 'secondary' })
      .community('CQ', 'HS1', {}, 'Q')
      .build();
    const k = kinds(p);
    expect(k).toContain('duplicate:P2+P2b');
    expect(k).toContain('zero_length:P0');
    expect(k).toContain('off_network:V-far');
    expect(k).toContain('duplicate:HS1+HS2');
    expect(k.some((x) => x.startsWith('levels_joined:') && x.includes('P5'))).toBe(true);
  });

  it('reports an island with no source', () => {
    const p = base().node('I', 1000, 0).node('J', 1100, 0).pipe('P9', 'I', 'J').valve('VI', 'I').valve('VJ', 'J').build();
    const r = checkNetwork(buildGraph(p));
    const island = r.findings.find((f) => f.kind === 'island')!;
    expect(island.featureIds).toEqual(['P9']);
    expect(findingText('zh', island)).toBe('1 条在役管线组成孤立管网，没有热源');
    expect(findingText('en', island)).toBe('an island of 1 pipe (In service) with no heat source');
    expect(r.counts.island).toBe(1);
  });
});

describe('checkNetwork: property test against a naive reference', () => {
  it('finds the same loose ends and sourceless islands on generated networks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 3, max: 7 }), (seed, side) => {
        const gen = generateNetwork({ seed, side, loopProb: 0.1, valveProb: 0.3, notInServiceProb: 0.15, stationProb: 0.3, secondary: seed % 2 === 0, sources: 1 });
        const r = checkNetwork(buildGraph(gen.project));
        const ref = refCheck(refModel(gen.project));
        const dangling = r.findings.filter((f) => f.kind === 'dangling').map((f) => f.featureIds[0]).sort();
        expect(dangling).toEqual(ref.dangling);
        const islands = r.findings.filter((f) => f.kind === 'island').map((f) => f.featureIds).sort();
        expect(islands).toEqual(ref.islands);
        expect(r.counts.crossing + r.counts.duplicate + r.counts.zero_length + r.counts.off_network + r.counts.levels_joined).toBe(0);
      }),
      { numRuns: 60 },
    );
  });
});
