import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../graph';
import { lonLatAt } from '../../fixtures';
import { checkNetwork } from '../index';
import { clean, findings } from '../planted';
import { zeroLength } from './zeroLength';

describe('rule zeroLength', () => {
  it('finds a pipe of no length, and nothing else', () => {
    const p = clean().pipe('P0', 'A', 'A').build();
    const only = [{ rule: 'zeroLength', kind: 'zero_length', code: 'check.zeroLength', params: { pipe: 'P0', lengthM: 0 }, featureIds: ['P0'] }];
    expect(findings(p)).toEqual(only);
    expect(findings(p, [zeroLength])).toEqual(only);
    const [f] = checkNetwork(buildGraph(p), undefined, [zeroLength]).findings;
    expect([f.lon, f.lat]).toEqual(lonLatAt(100, 0));
  });

  it('a short loop within twice the snap tolerance and a broken geometry are of no length too', () => {
    const p = clean().node('A1', 100.2, 0.2).pipe('P0', 'A', 'A', {}, ['A1']).build();
    p.layers.pipes.push({ type: 'Feature', id: 'Pbad', geometry: { type: 'LineString', coordinates: [lonLatAt(10, 10)] }, properties: { id: 'Pbad', level: 'primary', status: 'in_service' } });
    expect(findings(p, [zeroLength]).map((f) => f.featureIds[0])).toEqual(['P0', 'Pbad']);
  });
});
