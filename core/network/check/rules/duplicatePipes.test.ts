import { describe, expect, it } from 'vitest';
import { clean, findings } from '../planted';
import { duplicatePipes } from './duplicatePipes';

describe('rule duplicatePipes', () => {
  it('finds a pipe drawn twice (the second one backwards), and nothing else', () => {
    const p = clean().pipe('P2b', 'B', 'A').build();
    const only = [{ rule: 'duplicatePipes', kind: 'duplicate', code: 'check.duplicatePipes', params: { a: 'P2', b: 'P2b' }, featureIds: ['P2', 'P2b'] }];
    expect(findings(p)).toEqual(only);
    expect(findings(p, [duplicatePipes])).toEqual(only);
  });

  it('two pipes between the same nodes along different lines are a loop, not a duplicate', () => {
    const p = clean().node('M', 150, 40).pipe('P2b', 'A', 'B', {}, ['M']).build();
    expect(findings(p)).toEqual([]);
  });
});
