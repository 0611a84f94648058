/**
 * 0006: fields of the hydraulic model (DOMAIN.md §3 item 11).
 * - pipes.circuit: 'pair' (one drawn line is the supply and its return, the
 *   default; NULL reads as 'pair'), 'supply' or 'return' (return pipes drawn
 *   on their own); pipes.elevation_start_m / elevation_end_m: ground elevation
 *   at the first / last vertex.
 * - heat_sources.hydraulic_role ('pressure' holds the system pressure at its
 *   return, 'head' runs at pump_head_m, 'flow' at set_flow_m3h; NULL = the
 *   default rule), pump_head_m, set_flow_m3h, elevation_m.
 * - stations.min_dp_kpa (the station's own minimum ΔP; NULL = the setting),
 *   elevation_m.
 * Frozen SQL: each statement adds one column, and is skipped where a file made
 * from a later schema already has that column.
 */
import type { Migration } from './migration';

const STATEMENTS: [table: string, column: string, sql: string][] = [
  ['pipes', 'circuit', `ALTER TABLE "pipes" ADD COLUMN "circuit" TEXT`],
  ['pipes', 'elevation_start_m', `ALTER TABLE "pipes" ADD COLUMN "elevation_start_m" REAL`],
  ['pipes', 'elevation_end_m', `ALTER TABLE "pipes" ADD COLUMN "elevation_end_m" REAL`],
  ['heat_sources', 'hydraulic_role', `ALTER TABLE "heat_sources" ADD COLUMN "hydraulic_role" TEXT`],
  ['heat_sources', 'pump_head_m', `ALTER TABLE "heat_sources" ADD COLUMN "pump_head_m" REAL`],
  ['heat_sources', 'set_flow_m3h', `ALTER TABLE "heat_sources" ADD COLUMN "set_flow_m3h" REAL`],
  ['heat_sources', 'elevation_m', `ALTER TABLE "heat_sources" ADD COLUMN "elevation_m" REAL`],
  ['stations', 'min_dp_kpa', `ALTER TABLE "stations" ADD COLUMN "min_dp_kpa" REAL`],
  ['stations', 'elevation_m', `ALTER TABLE "stations" ADD COLUMN "elevation_m" REAL`],
];

export const migration0006: Migration = {
  version: 6,
  name: '0006_hydraulics',
  up(db) {
    for (const [table, column, sql] of STATEMENTS) {
      const have = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).some((c) => c.name === column);
      if (!have) db.exec(sql);
    }
  },
};
