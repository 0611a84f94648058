import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../graph';
import { checkNetwork } from '../index';
import { clean, findings } from '../planted';
import { island } from './island';

// P9 lies apart from the sourced line, its ends at valves so that they are not loose.
const planted = () => clean().node('I', 1000, 0).node('J', 1100, 0).pipe('P9', 'I', 'J').valve('VI', 'I').valve('VJ', 'J');

describe('rule island', () => {
  it('finds in-service pipes with no heat source, and nothing else', () => {
    const only = [{ rule: 'island', kind: 'island', code: 'check.island', params: { n: 1, status: 'in_service' }, featureIds: ['P9'] }];
    expect(findings(planted().build())).toEqual(only);
    expect(findings(planted().build(), [island])).toEqual(only);
    expect(checkNetwork(buildGraph(planted().build())).counts.island).toBe(1);
  });

  it('a standby source feeds an island; a retired one does not', () => {
    expect(findings(planted().source('S9', 'I', { status: 'standby' }).build())).toEqual([]);
    expect(findings(planted().source('S9', 'I', { status: 'retired' }).build()).map((f) => f.rule)).toEqual(['island']);
  });

  it('a closed valve does not cut an island off; a pipe out of service is no island', () => {
    expect(findings(clean().node('C', 300, 0).pipe('P3', 'B', 'C').valve('VB', 'B', { state: 'closed' }).valve('VC', 'C').build())).toEqual([]);
    expect(findings(clean().node('I', 1000, 0).node('J', 1100, 0).pipe('P9', 'I', 'J', { status: 'planned' }).valve('VI', 'I').valve('VJ', 'J').build())).toEqual([]);
  });
});
