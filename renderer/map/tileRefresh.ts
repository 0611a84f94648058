/**
 * Which tiles of a layer drawn from tiles an edit made stale: project:info lists the latest
 * changes with the boxes they touched; the map reloads only the tiles those boxes meet.
 */
import type { BBox } from '../../core/model/geojson';
import type { LayerName } from '../../core/model/schema';
import { pushAll } from '../../core/arrays';

/** One change of a layer as project:info lists it (the version it made, the boxes it touched; null: anywhere). */
export interface TileChange {
  layer: LayerName;
  version: number;
  boxes: BBox[] | null;
}

/**
 * The boxes of every change that took `layer` from version `from` to `to`, or null when one of
 * them is not listed (too old) or touched the whole layer: then the layer reloads as a whole.
 */
export function changedBoxes(changes: readonly TileChange[], layer: LayerName, from: number, to: number): BBox[] | null {
  if (to <= from) return null;
  const mine = new Map(changes.filter((c) => c.layer === layer).map((c) => [c.version, c.boxes]));
  const out: BBox[] = [];
  for (let v = from + 1; v <= to; v++) {
    const b = mine.get(v);
    if (!b) return null;
    pushAll(out, b);
  }
  return out;
}

/** MVT units per tile edge and the buffer the backend cuts around each tile (electron/backend/tiles.ts). */
const TILE_EXTENT = 4096;
const TILE_BUFFER = 64;

/**
 * The tiles (z from `minzoom` to `maxzoom`) whose extent with its buffer meets one of the boxes.
 * Beyond `sourceMaxzoom` the map cuts tiles from the deepest ones, each keeping its parent's
 * buffer, which is wider in its own tile units.
 */
export function tilesMeeting(boxes: readonly BBox[], minzoom: number, maxzoom: number, sourceMaxzoom = maxzoom): { z: number; x: number; y: number }[] {
  const out = new Map<string, { z: number; x: number; y: number }>();
  const lat2y = (lat: number, n: number) => ((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * n;
  for (let z = minzoom; z <= maxzoom; z++) {
    const n = 2 ** z;
    const pad = (TILE_BUFFER / TILE_EXTENT) * 2 ** Math.max(0, z - sourceMaxzoom); // in tiles
    for (const [w, s, e, nn] of boxes) {
      const x0 = Math.max(0, Math.floor(((w + 180) / 360) * n - pad)), x1 = Math.min(n - 1, Math.floor(((e + 180) / 360) * n + pad));
      const y0 = Math.max(0, Math.floor(lat2y(nn, n) - pad)), y1 = Math.min(n - 1, Math.floor(lat2y(s, n) + pad));
      for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.set(`${z}/${x}/${y}`, { z, x, y });
    }
  }
  return [...out.values()];
}

