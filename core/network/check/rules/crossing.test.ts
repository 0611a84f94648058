import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../graph';
import { lonLatAt } from '../../fixtures';
import { checkNetwork } from '../index';
import { clean, findings } from '../planted';
import { crossing } from './crossing';

// P3, fed by its own source at U, crosses P2 at (150, 0) with no node there.
const planted = () => clean().node('U', 150, -50).node('W', 150, 50).source('S2', 'U').pipe('P3', 'U', 'W').valve('VW', 'W').build();

describe('rule crossing', () => {
  it('finds two pipes crossing without a node, and nothing else', () => {
    const only = [{ rule: 'crossing', kind: 'crossing', code: 'check.crossing', params: { a: 'P2', b: 'P3' }, featureIds: ['P2', 'P3'] }];
    expect(findings(planted())).toEqual(only);
    expect(findings(planted(), [crossing])).toEqual(only);
  });

  it('points at the crossing', () => {
    const [f] = checkNetwork(buildGraph(planted()), undefined, [crossing]).findings;
    const [lon, lat] = lonLatAt(150, 0);
    expect(f.lon).toBeCloseTo(lon, 7);
    expect(f.lat).toBeCloseTo(lat, 7);
  });

  it('pipes meeting at a shared node do not cross', () => {
    expect(findings(clean().node('U', 100, -50).node('W', 100, 50).pipe('P3', 'U', 'A').pipe('P4', 'A', 'W').valve('VU', 'U').valve('VW', 'W').build())).toEqual([]);
  });
});
