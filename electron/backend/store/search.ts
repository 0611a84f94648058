/**
 * Search by id or name (the search box): exact ids, then prefixes from the
 * id and name indexes (migration 0007), then a bounded scan for the rest.
 */
import { pushAll } from '../../../core/arrays';
import type { LayerName } from '../../../core/model/schema';
import type { Connection } from './connection';
import type { FeatureTables } from './features';
import { q } from './gpkg';

export interface SearchHit {
  layer: LayerName;
  id: string;
  name: string | null;
}

/**
 * Features whose id or name matches `query` (case-insensitive), best first:
 * exact id, then id or name starting with it, then containing it; within a
 * rank, in the order of `layers`, then by id. Exact and prefix matches come from the id
 * and name indexes (0007); only when they leave room is the layer scanned,
 * in SQL, for the rest.
 */
export function searchFeatures(conn: Connection, features: FeatureTables, query: string, limit: number, layers: readonly LayerName[]): SearchHit[] {
  const q0 = query.trim().toLowerCase();
  if (!q0) return [];
  const variants = [...new Set([query.trim(), q0, query.trim().toUpperCase()])];
  const upper = (v: string) => v + '\u{10FFFF}';
  const found: { layer: LayerName; id: string; name: string | null; rank: number; order: number }[] = [];
  const seen = new Set<string>();
  const add = (layer: LayerName, order: number, rows: { id: string; name: string | null }[], rank: number) => {
    for (const r of rows) {
      const key = `${layer}\u0000${r.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ layer, id: r.id, name: r.name, rank, order });
    }
  };
  const named = (l: LayerName) => features.layer(l).fields.some((f) => f.name === 'name');
  const nameOf = (l: LayerName) => (named(l) ? 'name' : 'NULL AS name');
  const full = () => found.length >= limit;
  // exact ids
  layers.forEach((l, order) => {
    const rows = conn.db.prepare(`SELECT id, ${nameOf(l)} FROM ${q(l)} WHERE id IN (${variants.map(() => '?').join(', ')})`).all(...variants) as { id: string; name: string | null }[];
    add(l, order, rows.filter((r) => r.id.toLowerCase() === q0), 0);
  });
  // ids and names starting with the query: index ranges per spelling
  if (!full()) {
    layers.forEach((l, order) => {
      const rows: { id: string; name: string | null }[] = [];
      for (const v of variants) {
        pushAll(rows, conn.db.prepare(`SELECT id, ${nameOf(l)} FROM ${q(l)} WHERE id >= ? AND id < ? ORDER BY id LIMIT ?`).all(v, upper(v), limit) as typeof rows);
        if (named(l)) pushAll(rows, conn.db.prepare(`SELECT id, name FROM ${q(l)} WHERE name >= ? AND name < ? ORDER BY name LIMIT ?`).all(v, upper(v), limit) as typeof rows);
      }
      add(l, order, rows.filter((r) => r.id.toLowerCase().startsWith(q0) || (r.name ?? '').toLowerCase().startsWith(q0)), 1);
    });
  }
  // containing it: a scan in SQL, bounded by what is still wanted
  if (!full()) {
    layers.forEach((l, order) => {
      if (full()) return;
      const cond = named(l) ? `instr(lower(id), ?) > 0 OR instr(lower(coalesce(name, '')), ?) > 0` : `instr(lower(id), ?) > 0`;
      const args = named(l) ? [q0, q0] : [q0];
      const rows = conn.db.prepare(`SELECT id, ${nameOf(l)} FROM ${q(l)} WHERE ${cond} ORDER BY fid LIMIT ?`).all(...args, limit + seen.size) as { id: string; name: string | null }[];
      add(l, order, rows.filter((r) => r.id.toLowerCase().includes(q0) || (r.name ?? '').toLowerCase().includes(q0)), 2);
    });
  }
  return found
    .sort((a, b) => a.rank - b.rank || a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, limit)
    .map(({ layer, id, name }) => ({ layer, id, name }));
}
