/**
 * 0007: indexes for search by name (issue 17, city scale). Ids are already
 * indexed (UNIQUE); names of the layers people look things up by (sources,
 * stations, communities, valves, streets) get an index, so that `search:find`
 * answers an exact or prefix query from the index instead of reading the layer.
 * Frozen: the layers as they were when this migration was written.
 */
import type { Migration } from './migration';

const NAMED = ['heat_sources', 'stations', 'communities', 'valves', 'streets'];

export const migration0007: Migration = {
  version: 7,
  name: '0007_search_index',
  up(db) {
    for (const t of NAMED) {
      const cols = (db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).map((c) => c.name);
      if (cols.includes('name')) db.exec(`CREATE INDEX IF NOT EXISTS "${t}_name_idx" ON "${t}" ("name")`);
    }
  },
};
