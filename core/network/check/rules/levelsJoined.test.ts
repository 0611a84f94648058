import { describe, expect, it } from 'vitest';
import { clean, findings } from '../planted';
import { levelsJoined } from './levelsJoined';

// A secondary pipe P5 leaves node A of the primary line, with no station at A (its far end serves a community).
const planted = () => clean().node('Q', 100, -60).pipe('P5', 'A', 'Q', { level: 'secondary' }).community('CQ', 'HS1', {}, 'Q');

describe('rule levelsJoined', () => {
  it('finds a primary pipe meeting a secondary one without a station, and nothing else', () => {
    const only = [{ rule: 'levelsJoined', kind: 'levels_joined', code: 'check.levelsJoined', params: { ids: 'P1, P2, P5' }, featureIds: ['P1', 'P2', 'P5'] }];
    expect(findings(planted().build())).toEqual(only);
    expect(findings(planted().build(), [levelsJoined])).toEqual(only);
  });

  it('a station at the node makes the join right', () => {
    expect(findings(planted().station('HS-A', 'A').build())).toEqual([]);
  });
});
