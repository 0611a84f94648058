import { describe, expect, it } from 'vitest';
import { splitLineAt, nearestOnLine } from './split';
import { lineLengthM } from './length';

const line = [
  [115.0, 42.28],
  [115.002, 42.28],
  [115.002, 42.282],
];

describe('splitLineAt', () => {
  it('cuts inside a segment; both pieces share the cut position and lengths add up', () => {
    const r = splitLineAt(line, [115.001, 42.28001])!;
    expect(r.first).toEqual([[115.0, 42.28], [115.001, 42.28]]);
    expect(r.second[0]).toEqual([115.001, 42.28]);
    expect(r.second.slice(1)).toEqual([[115.002, 42.28], [115.002, 42.282]]);
    expect(r.offsetM).toBeGreaterThan(1);
    expect(r.offsetM).toBeLessThan(1.2);
    expect(lineLengthM(r.first) + lineLengthM(r.second)).toBeCloseTo(lineLengthM(line), 6);
  });
  it('cuts on an interior vertex without doubling it', () => {
    const r = splitLineAt(line, [115.002, 42.28])!;
    expect(r.first).toEqual([[115.0, 42.28], [115.002, 42.28]]);
    expect(r.second).toEqual([[115.002, 42.28], [115.002, 42.282]]);
  });
  it('refuses a cut at either end', () => {
    expect(splitLineAt(line, [114.999, 42.28])).toBeNull();
    expect(splitLineAt(line, [115.002, 42.2825])).toBeNull();
  });
  it('nearestOnLine picks the nearest segment', () => {
    expect(nearestOnLine(line, [115.0021, 42.281]).segment).toBe(1);
  });
});
