import { describe, expect, it } from 'vitest';
import { analysePattern } from './sparse';
import { releaseWork, trimWork, workBytes, workF64, workI32 } from './work';

describe('work arrays', () => {
  it('hand out the same memory under one name, grown when a larger one is asked for', () => {
    const a = workF64('test.a', 100);
    expect(a.length).toBe(100);
    expect(workF64('test.a', 50).buffer).toBe(a.buffer);
    const grown = workF64('test.a', 1000);
    expect(grown.length).toBe(1000);
    expect(grown.buffer).not.toBe(a.buffer);
    // another name is other memory
    expect(workI32('test.b', 100).buffer).not.toBe(grown.buffer);
  });

  it('are kept up to a size and let go above it', () => {
    const a = workF64('test.keep', 1000);
    const held = workBytes();
    expect(held).toBeGreaterThanOrEqual(8000);
    trimWork(held);
    expect(workBytes()).toBe(held);
    expect(workF64('test.keep', 1000).buffer).toBe(a.buffer);
    trimWork(held - 1);
    expect(workBytes()).toBe(0);
    expect(workF64('test.keep', 1000).buffer).not.toBe(a.buffer);
  });

  it('of one step are let go by name when together they pass a size, the others kept', () => {
    trimWork(0);
    const a = workI32('step.a', 1000);
    const b = workF64('step.b', 1000);
    const other = workF64('other', 1000);
    releaseWork('step.', 12_000);
    expect(workI32('step.a', 1000).buffer).toBe(a.buffer);
    releaseWork('step.', 11_999);
    expect(workI32('step.a', 1000).buffer).not.toBe(a.buffer);
    expect(workF64('step.b', 1000).buffer).not.toBe(b.buffer);
    expect(workF64('other', 1000).buffer).toBe(other.buffer);
  });

  it('of the ordering are kept after a small pattern and let go after a city-sized one', () => {
    const path = (n: number) => {
      const i = new Int32Array(n - 1), j = new Int32Array(n - 1);
      for (let k = 0; k + 1 < n; k++) [i[k], j[k]] = [k, k + 1];
      return analysePattern(n, i, j);
    };
    trimWork(0);
    expect(path(1000).Li.length).toBe(999);
    const small = workBytes();
    expect(small).toBeGreaterThan(10 * 4 * 1000);
    // a path of a million unknowns: its ordering's arrays pass 32 MB
    expect(path(1_000_000).Li.length).toBe(999_999);
    expect(workBytes()).toBeLessThanOrEqual(small);
  });
});
