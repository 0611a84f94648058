/**
 * What every reader in core/io hands back: features still in the file's own
 * coordinates and field names, the file's CRS hint, and where each feature
 * came from (so a refusal can name the row or entity). Readers take bytes,
 * never paths.
 */
import type { Geometry } from '../model/geojson';

export type SourceFormat = 'shapefile' | 'dxf' | 'csv' | 'gpkg' | 'geojson';

/** One feature as read: source coordinates, source field names. */
export interface SourceFeature {
  geometry: Geometry;
  properties: Record<string, unknown>;
  /** 'record 12', 'row 7', 'entity LWPOLYLINE #3 (handle 2F)', 'feature 4'. */
  where: string;
}

export interface SourceData {
  format: SourceFormat;
  fileName: string;
  /** Source field names in file order (the wizard's left-hand column). */
  fields: string[];
  features: SourceFeature[];
  /** CRS text the file declares: WKT from .prj / gpkg, or a name like 'EPSG:4547'. */
  crsText?: string;
  /** Where crsText came from, for messages ('p.prj'). */
  crsOrigin?: string;
  /** Text encoding used for attributes, when the format has one. */
  encoding?: string;
  /** Things skipped or assumed that the user should see (not reasons to refuse). */
  notes: string[];
}

/**
 * A file the importer will not take: names the file, the row / record /
 * entity where known, and the reason. Nothing has been written when it is
 * thrown.
 */
export class ImportRefused extends Error {
  constructor(
    readonly file: string,
    readonly where: string | undefined,
    readonly reason: string,
  ) {
    super(`${file}${where ? `, ${where}` : ''}: ${reason}`);
    this.name = 'ImportRefused';
  }
}
