import { describe, expect, it } from 'vitest';
import { clean, findings } from '../planted';
import { dangling } from './dangling';

describe('rule dangling', () => {
  it('finds a loose pipe end, and nothing else', () => {
    const p = clean().node('X', 100, 100).pipe('P3', 'A', 'X').build();
    const only = [{ rule: 'dangling', kind: 'dangling', code: 'check.dangling', params: { pipe: 'P3' }, featureIds: ['P3'] }];
    expect(findings(p)).toEqual(only);
    expect(findings(p, [dangling])).toEqual(only);
  });

  it('a secondary pipe ending inside a community is a building connection', () => {
    expect(findings(clean().node('Y', 200, 60).pipe('P4', 'B', 'Y', { level: 'secondary' }).community('C1', 'HS1', {}, 'Y').build())).toEqual([]);
  });

  it('a primary pipe ending inside a community is still a loose end', () => {
    const p = clean().node('Y', 200, 60).pipe('P4', 'B', 'Y').community('C1', 'HS1', {}, 'Y').build();
    expect(findings(p).map((f) => `${f.rule}:${f.featureIds}`)).toEqual(['dangling:P4']);
  });

  it('an end at a valve, station or source is not loose', () => {
    const p = clean().node('X', 100, 100).node('Y', 100, -100).node('Z', 0, 100).pipe('P3', 'A', 'X').valve('VX', 'X').pipe('P4', 'A', 'Y').station('HS2', 'Y').pipe('P5', 'S', 'Z').source('S2', 'Z').build();
    expect(findings(p)).toEqual([]);
  });
});
