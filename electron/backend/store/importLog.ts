/** The project's import log (migration 0004): where each layer's rows came from and what the importer decided. */
import type { LayerName } from '../../../core/model/schema';
import type { ImportLogInput, ImportLogRow } from './api';
import type { Connection } from './connection';

/** Imports recorded in the project, newest first. */
export function readImportLog(conn: Connection): ImportLogRow[] {
  return (conn.db.prepare(`SELECT * FROM import_log ORDER BY fid DESC`).all() as Record<string, unknown>[]).map((r) => ({
    fid: Number(r.fid),
    importedAt: String(r.imported_at),
    layer: String(r.layer) as LayerName,
    mode: String(r.mode),
    sourceFile: String(r.source_file),
    format: String(r.format),
    records: Number(r.records),
    featuresWritten: Number(r.features_written),
    recordsSkipped: Number(r.records_skipped),
    crs: r.crs === null ? null : String(r.crs),
    crsReason: r.crs_reason === null ? null : String(r.crs_reason),
    datumShift: r.datum_shift === null ? null : String(r.datum_shift),
    encoding: r.encoding === null ? null : String(r.encoding),
    encodingReason: r.encoding_reason === null ? null : String(r.encoding_reason),
    summary: JSON.parse(String(r.summary)) as Record<string, unknown>,
  }));
}

/** Record one import, inside the import's transaction. */
export function appendImportLog(conn: Connection, layer: LayerName, mode: string, written: number, log: ImportLogInput): void {
  conn.db
    .prepare(
      `INSERT INTO import_log (imported_at, layer, mode, source_file, format, records, features_written, records_skipped, crs, crs_reason, datum_shift, encoding, encoding_reason, summary)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      new Date().toISOString(),
      layer,
      mode,
      log.sourceFile,
      log.format,
      log.records,
      written,
      log.recordsSkipped,
      log.crs ?? null,
      log.crsReason ?? null,
      log.datumShift ?? null,
      log.encoding ?? null,
      log.encodingReason ?? null,
      JSON.stringify(log.summary),
    );
  conn.db.prepare(`UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = 'import_log'`).run();
}
