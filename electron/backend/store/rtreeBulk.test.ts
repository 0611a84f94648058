import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { bulkLoadRtree, float32Down, float32Up } from './rtreeBulk';

describe('float32 rounding of index boxes', () => {
  it('rounds minima down and maxima up to float32, exactly representable values unchanged', () => {
    for (const d of [115.0301, 42.28711, -0.1, 1e-50, -1e-50, 180, -90]) {
      expect(float32Down(d)).toBeLessThanOrEqual(d);
      expect(float32Up(d)).toBeGreaterThanOrEqual(d);
      expect(Math.fround(float32Down(d))).toBe(float32Down(d));
      expect(float32Up(d) - float32Down(d)).toBeLessThan(Math.abs(d) * 1.2e-7 + 1e-44);
    }
    expect(float32Down(0.5)).toBe(0.5);
    expect(float32Up(0.5)).toBe(0.5);
  });
});

describe('bulkLoadRtree', () => {
  it('builds a tree that SQLite checks as valid and answers like one filled row by row', () => {
    const db = new Database(':memory:');
    db.exec('CREATE VIRTUAL TABLE packed USING rtree(id, minx, maxx, miny, maxy); CREATE VIRTUAL TABLE plain USING rtree(id, minx, maxx, miny, maxy)');
    const n = 6000;
    const ids = new Float64Array(n);
    const boxes = new Float64Array(n * 4);
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const put = db.prepare('INSERT INTO plain VALUES (?, ?, ?, ?, ?)');
    for (let i = 0; i < n; i++) {
      const x = 115 + rnd() * 0.1;
      const y = 42.25 + rnd() * 0.05;
      ids[i] = i * 3 + 1;
      boxes.set([x, x + rnd() * 0.001, y, y + rnd() * 0.001], i * 4);
      put.run(ids[i], boxes[i * 4], boxes[i * 4 + 1], boxes[i * 4 + 2], boxes[i * 4 + 3]);
    }
    bulkLoadRtree(db, 'packed', ids, boxes);
    expect(db.prepare(`SELECT rtreecheck('packed')`).pluck().get()).toBe('ok');
    expect(db.prepare('SELECT count(*) FROM packed').pluck().get()).toBe(n);
    const q = (t: string) =>
      db.prepare(`SELECT id FROM ${t} WHERE maxx >= 115.03 AND minx <= 115.05 AND maxy >= 42.26 AND miny <= 42.27 ORDER BY id`).pluck().all();
    const hits = q('packed');
    expect(hits.length).toBeGreaterThan(100);
    expect(hits).toEqual(q('plain'));
    // Still an ordinary rtree afterwards: row-by-row edits keep it valid.
    db.prepare('DELETE FROM packed WHERE id < 3000').run();
    db.prepare('INSERT INTO packed VALUES (999999, 115, 115.1, 42, 42.1)').run();
    expect(db.prepare(`SELECT rtreecheck('packed')`).pluck().get()).toBe('ok');
    db.close();
  });

  it('handles an empty and a one-box load', () => {
    const db = new Database(':memory:');
    db.exec('CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy)');
    bulkLoadRtree(db, 'r', [], new Float64Array(0));
    expect(db.prepare(`SELECT rtreecheck('r')`).pluck().get()).toBe('ok');
    bulkLoadRtree(db, 'r', [5], Float64Array.from([1, 2, 3, 4]));
    expect(db.prepare('SELECT id, minx, maxx, miny, maxy FROM r').raw(true).all()).toEqual([[5, 1, 2, 3, 4]]);
    expect(db.prepare(`SELECT rtreecheck('r')`).pluck().get()).toBe('ok');
    db.close();
  });
});
