/**
 * search:find from the store's indexes on a real GeoPackage: exact id first,
 * then prefixes of ids and names, then substrings, case-insensitive; the
 * prefix queries use the id and name indexes (0007), as SQLite's query plan
 * shows, so a city-sized layer is not read to answer them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from './index';
import { gridProject } from '../../../tests/bench/grid';
import type { LayerName } from '../../../core/model/schema';

const ORDER: LayerName[] = ['heat_sources', 'stations', 'communities', 'valves', 'pipes', 'streets'];
let dir: string;
let path: string;
let store: ProjectStore;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-search-'));
  path = join(dir, 'grid.gpkg');
  const data = gridProject(5000);
  data.layers.stations = ['幸福里', '幸福家园', '东风', 'Pine Court'].map((name, i) => ({
    type: 'Feature',
    id: `ST-${i + 1}`,
    geometry: { type: 'Point', coordinates: [115.03 + i * 0.001, 42.287] },
    properties: { id: `ST-${i + 1}`, name },
  })) as never;
  store = ProjectStore.createFromData(path, data);
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('search from the indexes', () => {
  it('exact id first, then prefixes in layer order, case-insensitive', () => {
    const hits = store.search('p-00012', 20, ORDER);
    expect(hits[0]).toEqual({ layer: 'pipes', id: 'P-000120', name: null });
    // P-00012 is not an id; P-000120..P-000129 start with it: exact lowercase query matches nothing exactly
    expect(store.search('P-000120', 5, ORDER)[0].id).toBe('P-000120');
    const prefix = store.search('p-00012', 50, ORDER).map((h) => h.id);
    expect(prefix.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `P-00012${i}`));
    expect(prefix).toHaveLength(10);
  });

  it('names by prefix before names containing the query; Chinese names', () => {
    const hits = store.search('幸福', 10, ORDER);
    expect(hits.map((h) => h.id)).toEqual(['ST-1', 'ST-2']);
    expect(store.search('court', 10, ORDER)).toEqual([{ layer: 'stations', id: 'ST-4', name: 'Pine Court' }]);
    expect(store.search('PINE', 10, ORDER)[0].id).toBe('ST-4');
  });

  it('substrings after prefixes, within the limit', () => {
    const hits = store.search('0001', 5, ORDER);
    expect(hits).toHaveLength(5);
    for (const h of hits) expect(h.id.toLowerCase()).toContain('0001');
  });

  it('prefix queries are answered from the indexes', () => {
    const db = new Database(path, { readonly: true });
    try {
      const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('a', 'b', 5) as { detail: string }[]).map((r) => r.detail).join(' | ');
      expect(plan(`SELECT id FROM "pipes" WHERE id >= ? AND id < ? ORDER BY id LIMIT ?`)).toMatch(/USING (COVERING )?INDEX/);
      expect(plan(`SELECT id, name FROM "stations" WHERE name >= ? AND name < ? ORDER BY name LIMIT ?`)).toMatch(/USING INDEX stations_name_idx/);
    } finally {
      db.close();
    }
  });
});

describe('attribute pages from the store', () => {
  it('pages sorted by a field with nulls last, filtered by text, with the total', () => {
    const all = store.listFeatures('pipes');
    const first = store.page('pipes', { offset: 0, limit: 3 });
    expect(first.total).toBe(5000);
    expect(first.rows.map((r) => r.id)).toEqual(all.slice(0, 3).map((f) => f.id));
    const byYear = store.page('pipes', { offset: 10, limit: 5, sort: 'install_year', desc: true });
    const want = [...all].sort((a, b) => (b.properties.install_year as number) - (a.properties.install_year as number) || all.indexOf(a) - all.indexOf(b));
    expect(byYear.rows.map((r) => r.id)).toEqual(want.slice(10, 15).map((f) => f.id));
    const planned = store.page('pipes', { offset: 0, limit: 1000, filter: 'PLANNED' });
    expect(planned.total).toBe(all.filter((f) => f.properties.status === 'planned').length);
    expect(planned.rows.every((r) => r.status === 'planned')).toBe(true);
    expect(() => store.page('pipes', { offset: 0, limit: 1, sort: 'nope' })).toThrow(/no field "nope"/);
  });
});
