import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../graph';
import { checkNetwork } from '../index';
import { clean, findings } from '../planted';
import { endOnPipe } from './endOnPipe';

// P4 runs from its own source at T down onto the middle of P1, with no node there.
const planted = () => clean().node('T', 50, 80).node('T0', 50, 0).source('S2', 'T').pipe('P4', 'T', 'T0').build();

describe('rule endOnPipe', () => {
  it('finds a pipe ending on another pipe without a node, and nothing else', () => {
    const only = [{ rule: 'endOnPipe', kind: 'crossing', code: 'check.endOnPipe', params: { pipe: 'P4', host: 'P1' }, featureIds: ['P4', 'P1'] }];
    expect(findings(planted())).toEqual(only);
    expect(findings(planted(), [endOnPipe])).toEqual(only);
  });

  it('points at the loose end', () => {
    const g = buildGraph(planted());
    const [f] = checkNetwork(g, undefined, [endOnPipe]).findings;
    const end = g.pipeEndNode[g.pipeIndex.get('P4')!];
    expect([f.lon, f.lat]).toEqual([g.nodeLon[end], g.nodeLat[end]]);
  });

  it('an end within the snap tolerance of a node is joined, not reported', () => {
    expect(findings(clean().node('T', 100, 80).node('A2', 100.3, 0).source('S2', 'T').pipe('P4', 'T', 'A2').build())).toEqual([]);
  });
});
