import { describe, expect, it } from 'vitest';
import { clean, findings } from '../planted';
import { duplicatePoints } from './duplicatePoints';

describe('rule duplicatePoints', () => {
  it('finds two stations at one place, and nothing else', () => {
    const p = clean().station('HS2', 'B').build();
    const only = [{ rule: 'duplicatePoints', kind: 'duplicate', code: 'check.duplicatePoints.station', params: { layer: 'stations', a: 'HS1', b: 'HS2' }, featureIds: ['HS1', 'HS2'] }];
    expect(findings(p)).toEqual(only);
    expect(findings(p, [duplicatePoints])).toEqual(only);
  });

  it('says which layer, and leaves features of different layers at one place alone', () => {
    const p = clean().valve('V1', 'A').node('A2', 100.2, 0).valve('V2', 'A2').source('S2', 'S').valve('V3', 'B').build();
    expect(findings(p).map((f) => [f.code, f.featureIds.join('+')])).toEqual([
      ['check.duplicatePoints.valve', 'V1+V2'],
      ['check.duplicatePoints.source', 'S1+S2'],
    ]);
  });
});
