import { describe, expect, it } from 'vitest';
import { lonLatAt, net } from '../fixtures';
import { Arena, releaseScratch, scratchArena } from './arena';
import { PipeReader, readPipes } from './snap';

describe('graph build memory: the arena', () => {
  it('hands out zero-filled arrays that do not overlap, then arrays of their own once the block is used up', () => {
    const a = new Arena(64);
    const x = a.f64(3); // 24 bytes
    const b = a.u8(5); // 8 after rounding
    const c = a.i32(4); // 16
    expect([...x, ...b, ...c].every((v) => v === 0)).toBe(true);
    x.fill(1.5);
    b.fill(7);
    c.fill(-1);
    expect(Array.from(x)).toEqual([1.5, 1.5, 1.5]);
    expect(Array.from(b)).toEqual([7, 7, 7, 7, 7]);
    expect(Array.from(c)).toEqual([-1, -1, -1, -1]);
    expect(a.used).toBe(48);
    const big = a.f64(10); // 80 bytes: more than is left
    expect(big.buffer).not.toBe(x.buffer);
    expect(Array.from(big)).toEqual(new Array(10).fill(0));
    expect(a.f64(2).buffer).toBe(x.buffer); // 16 bytes still fit
    expect(new Arena(0).i32(2).length).toBe(2);
  });

  it('hands a released scratch block to the next scratch arena that fits in it, zeroed where it was used, and to one arena at a time', () => {
    const a = scratchArena(256);
    a.f64(4).fill(3.5);
    a.i32(6).fill(-2);
    const block = a.block;
    releaseScratch(a);
    const b = scratchArena(200);
    expect(b.block).toBe(block);
    expect(Array.from(b.f64(32))).toEqual(new Array(32).fill(0));
    releaseScratch(b);
    const c = scratchArena(1024); // larger than the block: a new one
    expect(c.block).not.toBe(block);
    expect(c.block!.byteLength).toBe(1024);
    const d = scratchArena(64); // the released block was taken by c's call: d gets its own
    expect(d.block).not.toBe(block);
    expect(d.block).not.toBe(c.block);
    releaseScratch(c);
    expect(scratchArena(256).block).not.toBe(c.block); // more than twice as large as asked: not handed on
  });
});

describe('graph phase 1: the pipe reader', () => {
  it('gives the same columns when told too few pipes and vertices (its arrays grow) as when read in one walk', () => {
    const p = net().node('A', 0, 0).node('B', 100, 0).node('C', 100, 50).pipe('P1', 'A', 'B', { length_m: 99, level: 'primary' }).pipe('P2', 'B', 'C', { status: 'planned' }, ['A']).build();
    for (let i = 0; i < 40; i++)
      p.layers.pipes.push({ type: 'Feature', id: `Q${i}`, geometry: { type: 'LineString', coordinates: [lonLatAt(i, 0), lonLatAt(i, 5), lonLatAt(i + 1, 9)] }, properties: { id: `Q${i}`, level: 'courtyard' } });
    p.layers.pipes.push({ type: 'Feature', id: 'N', geometry: null as never, properties: { id: 'N' } });
    const whole = readPipes(p.layers.pipes, new Arena(1 << 16));
    const r = new PipeReader(1, new Arena(64), 2);
    for (const f of p.layers.pipes) r.add(f);
    const grown = r.finish();
    expect(grown.proj).toEqual(whole.proj);
    for (const k of ['start', 'lon', 'lat', 'level', 'storedLengthM', 'inService'] as const) expect(Array.from(grown[k]), k).toEqual(Array.from(whole[k]));
    expect(grown.ids).toEqual(whole.ids);
    expect(Array.from(whole.storedLengthM.subarray(0, 3))).toEqual([99, -1, -1]);
    expect(Array.from(whole.inService.subarray(0, 3))).toEqual([1, 0, 1]);
    expect(whole.start[whole.start.length - 1]).toBe(whole.start[whole.start.length - 2]); // no vertices for the pipe without geometry
  });
});
