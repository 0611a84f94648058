/**
 * What every reader in core/io hands back: features still in the file's own
 * coordinates and field names, the file's CRS hint, and where each feature
 * came from (so a refusal can name the row or entity). Readers take bytes,
 * never paths.
 */
import type { Geometry } from '../model/geojson';
import { message, SaidError, type Message } from '../i18n';

export type SourceFormat = 'shapefile' | 'dxf' | 'csv' | 'gpkg' | 'geojson';

/** A geometry as a reader found it: GeoJSON's, or a collection of them (GeoJSON, GeoPackage, WKT, a CAD block). */
export type SourceGeometry = Geometry | { type: 'GeometryCollection'; geometries: SourceGeometry[] };

/** One feature as read: source coordinates, source field names. */
export interface SourceFeature {
  /** Null when the record has none (a null shape, a JSON null, an empty or NaN geometry): a bad record, listed. */
  geometry: SourceGeometry | null;
  properties: Record<string, unknown>;
  /** 1-based number of the record in the file, as GDAL's FID counts where the source has none ('record 12' is fid 12). */
  fid: number;
  /** 'row 7', 'entity LWPOLYLINE #3 (handle 2F)', 'feature 4' as a message; absent means 'record <fid>' (a shapefile's many records need none each). */
  where?: Message;
  /** Why the reader could not read this record, one message or several (it is listed, and skipped with --skip-invalid). */
  problem?: Message | Message[];
  /** A CAD block reference: the block's own geometry, for line and polygon layers (the insertion point is `geometry`). */
  block?: SourceGeometry | null;
}

/** DXF: entities read, approximated (curves turned into chords) and skipped, by entity type. */
export interface EntityCounts {
  read: Record<string, number>;
  approximated: Record<string, number>;
  skipped: Record<string, number>;
}

export interface SourceData {
  format: SourceFormat;
  fileName: string;
  /** Source field names in file order (the wizard's left-hand column). */
  fields: string[];
  features: SourceFeature[];
  /** CRS the file declares: an EPSG code ('EPSG:4547') or WKT from .prj / gpkg. */
  crsText?: string;
  /** WKT the file also carries (a GeoPackage's srs definition beside its code). */
  crsWkt?: string;
  /** Where crsText came from, for messages ('p.prj', 'p.geojson "crs" member'). */
  crsOrigin?: Message;
  /** Text encoding used for attributes, when the format has one. */
  encoding?: string;
  /** Why that encoding: 'from p.cpg ("936")', 'valid UTF-8 (412 non-ASCII characters)'. */
  encodingReason?: Message;
  /** DXF entity counts. */
  entities?: EntityCounts;
  /** Things skipped or assumed that the user should see (not reasons to refuse). */
  notes: Message[];
  /**
   * Every coordinate array is the reader's own and appears once: an import that will not look at the source
   * again may transform positions where they are instead of copying them (large files hold millions).
   */
  ownedPositions?: boolean;
}

/** Where a record is, as a message ('record 12' where the reader named no other place). */
export function whereOf(f: Pick<SourceFeature, 'where' | 'fid'>): Message {
  return f.where ?? message('io.where.record', { n: f.fid });
}

/** A record's problem as a list of messages. */
export function problemsOf(p: Message | readonly Message[]): Message[] {
  return Array.isArray(p) ? [...(p as readonly Message[])] : [p as Message];
}

/** The refusal as one message: the file, the place where known, and the reason. */
export function refusalMessage(file: string, where: Message | undefined, reason: Message | Message[]): Message {
  return where ? message('io.refusedAt', { file, where, reason }) : message('io.refused', { file, reason });
}

/**
 * A file the importer will not take: names the file, the row / record /
 * entity where known, and the reason, each a message said in the user's
 * language (`said`); `message` is the English text, for logs. Nothing has
 * been written when it is thrown.
 */
export class ImportRefused extends SaidError {
  constructor(
    readonly file: string,
    readonly where: Message | undefined,
    readonly reason: Message | Message[],
  ) {
    super(refusalMessage(file, where, reason));
    this.name = 'ImportRefused';
  }
}
