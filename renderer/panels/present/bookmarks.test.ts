import { describe, expect, it } from 'vitest';
import { loadBookmarks, OVERVIEW, parseBookmarks, saveBookmarks, serializeBookmarks, step, withOverview, type Bookmark } from './bookmarks';

const b = (name: string): Bookmark => ({ name, bbox: [115, 42.28, 115.01, 42.29], theme: 'age' });

describe('presentation bookmarks', () => {
  it('steps forward and back with wrap-around', () => {
    expect(step(-1, 3, 1)).toBe(0);
    expect(step(-1, 3, -1)).toBe(2);
    expect(step(0, 3, 1)).toBe(1);
    expect(step(2, 3, 1)).toBe(0);
    expect(step(0, 3, -1)).toBe(2);
    expect(step(0, 0, 1)).toBe(-1);
  });

  it('round-trips through storage per project and drops malformed entries', () => {
    const mem = new Map<string, string>();
    const storage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) };
    saveBookmarks('/a.gpkg', [b('东区'), b('西区')], storage);
    expect(loadBookmarks('/a.gpkg', storage).map((x) => x.name)).toEqual(['东区', '西区']);
    expect(loadBookmarks('/b.gpkg', storage)).toEqual([]);
    const bad = JSON.parse(serializeBookmarks([b('ok')]));
    bad.bookmarks.push({ name: 'x', bbox: [1, 2], theme: 'age' });
    expect(parseBookmarks(JSON.stringify(bad)).map((x) => x.name)).toEqual(['ok']);
    expect(parseBookmarks('{"version":2,"bookmarks":[]}')).toEqual([]);
    expect(parseBookmarks('not json')).toEqual([]);
  });

  it('starts with an overview of the whole project when nothing is saved', () => {
    expect(withOverview([], [1, 2, 3, 4], 'leak')).toEqual([{ name: OVERVIEW, bbox: [1, 2, 3, 4], theme: 'leak' }]);
    expect(withOverview([b('x')], [1, 2, 3, 4], 'leak')).toHaveLength(1);
  });
});
