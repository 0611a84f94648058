import { describe, expect, it } from 'vitest';
import { trimWork, workBytes, workF64, workI32 } from './work';

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
});
