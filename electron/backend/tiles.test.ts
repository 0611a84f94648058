/**
 * Vector tiles cut from a real temporary GeoPackage: a tile holds exactly the
 * features that meet its extent (decoded with @mapbox/vector-tile and
 * compared with a scan of the layer), with the properties the GeoJSON path
 * gives; an edit drops only the cached tiles it touches; the plan switches a
 * layer to tiles at the setting's size; the URL router refuses what is not a tile.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PbfReader } from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { ProjectStore } from './store/index';
import { createDispatcher } from './handlers';
import { TileService, serveTile, tileBBox } from './tiles';
import { gridProject } from '../../tests/bench/grid';
import { wgs84ToGcj02 } from '../../core/geo/gcj02';
import { decodeMvt } from '../../core/basemap/mvt';
import type { BBox } from '../../core/model/geojson';

let dir: string;
let store: ProjectStore;
let tiles: TileService;

/** Tile (x, y) at zoom z holding a point. */
function tileAt(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return [x, y];
}

function decode(buf: Buffer, layer: string) {
  const t = new VectorTile(new PbfReader(buf));
  const l = t.layers[layer];
  const out: { id: string; props: Record<string, unknown> }[] = [];
  for (let i = 0; i < (l?.length ?? 0); i++) {
    const f = l.feature(i);
    out.push({ id: String(f.properties.id), props: f.properties });
  }
  return out;
}

/** Ids of the features whose geometry's envelope meets the box, by a scan of every feature. */
function idsMeeting(layer: 'pipes' | 'valves', box: BBox): string[] {
  return store
    .listFeatures(layer)
    .filter((f) => {
      const cs = (f.geometry.type === 'Point' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][];
      const xs = cs.map((c) => c[0]), ys = cs.map((c) => c[1]);
      return Math.min(...xs) <= box[2] && Math.max(...xs) >= box[0] && Math.min(...ys) <= box[3] && Math.max(...ys) >= box[1];
    })
    .map((f) => String(f.id))
    .sort();
}

const Z = 16;
const BUFFER_FRACTION = 64 / 4096;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-tiles-'));
  store = ProjectStore.createFromData(join(dir, 'grid.gpkg'), gridProject(3000));
  tiles = new TileService(store, 2026);
});
afterEach(() => {
  tiles.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('vector tiles', () => {
  it('a tile holds exactly the features meeting its extent (with the buffer), with their properties', () => {
    const [x, y] = tileAt(115.03, 42.287, Z);
    const box = tileBBox(Z, x, y);
    const m = (box[2] - box[0]) * BUFFER_FRACTION;
    const withBuffer: BBox = [box[0] - m, box[1] - m, box[2] + m, box[3] + m];
    for (const layer of ['pipes', 'valves'] as const) {
      const got = decode(tiles.tile(layer, Z, x, y), layer);
      const want = idsMeeting(layer, withBuffer);
      expect(want.length).toBeGreaterThan(5);
      expect(got.map((f) => f.id).sort()).toEqual(want);
    }
    const pipes = decode(tiles.tile('pipes', Z, x, y), 'pipes');
    const one = pipes[0];
    const stored = store.getFeature('pipes', one.id)!;
    expect(one.props.dn).toBe(stored.properties.dn);
    expect(one.props.status).toBe(stored.properties.status);
    // the theme classes and length the style's expressions read, as on the GeoJSON path
    expect(typeof one.props._class_age).toBe('string');
    expect(one.props.length_m as number).toBeGreaterThan(10);
  });

  it('a tile far from the data is empty, and a tile off the world is refused', () => {
    const [x, y] = tileAt(100, 30, Z);
    expect(decode(tiles.tile('pipes', Z, x, y), 'pipes')).toEqual([]);
    expect(() => tiles.tile('pipes', 3, 9, 0)).toThrow(/no tile/);
  });

  it('an edit drops only the cached tiles it touches; the recut tile shows the edit', () => {
    const [x, y] = tileAt(115.03, 42.287, Z);
    const near = decode(tiles.tile('pipes', Z, x, y), 'pipes');
    const far = tileAt(115.03 + 0.01, 42.287 + 0.008, Z);
    expect(decode(tiles.tile('pipes', Z, far[0], far[1]), 'pipes').length).toBeGreaterThan(0);
    decode(tiles.tile('valves', Z, x, y), 'valves');
    const cutsBefore = tiles.cuts;
    expect(tiles.cachedTiles()).toHaveLength(3);

    const target = near.find((f) => f.props.dn !== 500)!;
    store.updateFeature('pipes', target.id, { properties: { dn: 500 } });
    const left = tiles.cachedTiles();
    expect(left).toContain(`pipes/${Z}/${far[0]}/${far[1]}`);
    expect(left).toContain(`valves/${Z}/${x}/${y}`);
    expect(left).not.toContain(`pipes/${Z}/${x}/${y}`);

    const again = decode(tiles.tile('pipes', Z, x, y), 'pipes');
    expect(again.find((f) => f.id === target.id)!.props.dn).toBe(500);
    expect(tiles.cuts).toBe(cutsBefore + 1);
    // the untouched tile comes from the cache
    tiles.tile('pipes', Z, far[0], far[1]);
    expect(tiles.cuts).toBe(cutsBefore + 1);
    // only the edited layer's version moved (the renderer refetches that layer alone)
    const v = tiles.layerVersions();
    expect(v.pipes).toBe(1);
    expect(v.valves).toBe(0);
    // the change is listed with the version it made and the box it touched (the map reloads the tiles it meets)
    const listed = tiles.recentChanges();
    expect(listed).toHaveLength(1);
    expect(listed[0].layer).toBe('pipes');
    expect(listed[0].version).toBe(1);
    const edited = store.getFeature('pipes', target.id)!.geometry as { coordinates: number[][] };
    for (const [lon, lat] of edited.coordinates) {
      expect(listed[0].boxes!.some((b) => b[0] <= lon && lon <= b[2] && b[1] <= lat && lat <= b[3])).toBe(true);
    }
    const tileBox = tileBBox(Z, far[0], far[1]);
    expect(listed[0].boxes!.some((b) => b[0] <= tileBox[2] && b[2] >= tileBox[0] && b[1] <= tileBox[3] && b[3] >= tileBox[1])).toBe(false);

    // a moved pipe: the tiles of its old and its new place are both recut
    const g = store.getFeature('pipes', target.id)!.geometry as { coordinates: number[][] };
    const farBox = tileBBox(Z, far[0], far[1]);
    const cx = (farBox[0] + farBox[2]) / 2, cy = (farBox[1] + farBox[3]) / 2;
    store.updateFeature('pipes', target.id, { geometry: { type: 'LineString', coordinates: [[cx, cy], [cx + 0.0001, cy]] } });
    expect(tiles.cachedTiles().filter((k) => k.startsWith('pipes/'))).toEqual([]);
    expect(decode(tiles.tile('pipes', Z, x, y), 'pipes').some((f) => f.id === target.id)).toBe(false);
    expect(decode(tiles.tile('pipes', Z, far[0], far[1]), 'pipes').some((f) => f.id === target.id)).toBe(true);
    void g;

    // undo puts it back where it was (the journal's writes invalidate too)
    store.undo();
    expect(tiles.recentChanges().map((c) => c.version)).toEqual([1, 2, 3]);
    expect(decode(tiles.tile('pipes', Z, x, y), 'pipes').some((f) => f.id === target.id)).toBe(true);
    expect(decode(tiles.tile('pipes', Z, far[0], far[1]), 'pipes').some((f) => f.id === target.id)).toBe(false);
  });

  it('after an edit the touched tiles at the zoom the map asked for last are cut again before it asks, showing the edit', async () => {
    const [x, y] = tileAt(115.03, 42.287, Z);
    const [x14, y14] = tileAt(115.03, 42.287, 14);
    decode(tiles.tile('pipes', 14, x14, y14), 'pipes');
    const near = decode(tiles.tile('pipes', Z, x, y), 'pipes');
    const target = near.find((f) => f.props.dn !== 500)!;
    const cutsBefore = tiles.cuts;
    store.updateFeature('pipes', target.id, { properties: { dn: 500 } });
    // dropped at once: nothing stale is served while the cut waits for its turn
    expect(tiles.cachedTiles()).not.toContain(`pipes/${Z}/${x}/${y}`);
    expect(tiles.cachedTiles()).not.toContain(`pipes/14/${x14}/${y14}`);
    await new Promise((ok) => setImmediate(ok));
    await new Promise((ok) => setImmediate(ok));
    expect(tiles.cutAhead).toBe(1);
    expect(tiles.cuts).toBe(cutsBefore + 1);
    // the map's request is answered from the cache, with the edit in it
    const again = decode(tiles.tile('pipes', Z, x, y), 'pipes');
    expect(tiles.cuts).toBe(cutsBefore + 1);
    expect(again.find((f) => f.id === target.id)!.props.dn).toBe(500);
    // the same tile as a scan of the store would cut it afresh
    const fresh = new TileService(store, 2026);
    try {
      expect(again).toEqual(decode(fresh.tile('pipes', Z, x, y), 'pipes'));
    } finally {
      fresh.close();
    }
    // the z14 tile the map no longer shows waits until it is asked for
    expect(tiles.cachedTiles()).not.toContain(`pipes/14/${x14}/${y14}`);
    expect(decode(tiles.tile('pipes', 14, x14, y14), 'pipes').find((f) => f.id === target.id)!.props.dn).toBe(500);
    expect(tiles.cuts).toBe(cutsBefore + 2);

    // with the setting at 0 nothing is cut ahead
    store.setSettings({ mapTileRecutAhead: 0 });
    tiles.tile('pipes', Z, x, y);
    store.updateFeature('pipes', target.id, { properties: { dn: 450 } });
    await new Promise((ok) => setImmediate(ok));
    await new Promise((ok) => setImmediate(ok));
    expect(tiles.cutAhead).toBe(1);
    expect(tiles.cachedTiles()).not.toContain(`pipes/${Z}/${x}/${y}`);
  });

  it('at low zoom, features smaller than the setting leave the tile', () => {
    const [x, y] = tileAt(115.03, 42.287, 9);
    // one pipe is 0.0008° (~66 m): at z9 a tile pixel is ~0.0014° of longitude (0.001° across at 42°N),
    // so the default (1 px) keeps none and half a pixel keeps all
    expect(decode(tiles.tile('pipes', 9, x, y), 'pipes')).toEqual([]);
    store.setSettings({ mapTileMinFeaturePx: 0.5 });
    const t2 = new TileService(store, 2026);
    try {
      expect(decode(t2.tile('pipes', 9, x, y), 'pipes').length).toBe(store.count('pipes'));
    } finally {
      t2.close();
    }
    // beyond the most features a tile may hold, the largest stay: a long pipe is among them
    store.setSettings({ mapTileMaxFeatures: 100 });
    store.updateFeature('pipes', 'P-002999', { geometry: { type: 'LineString', coordinates: [[115.02, 42.28], [115.04, 42.28]] } });
    const t3 = new TileService(store, 2026);
    try {
      const ids = decode(t3.tile('pipes', 9, x, y), 'pipes').map((f) => f.id);
      expect(ids).toHaveLength(100);
      expect(ids).toContain('P-002999');
    } finally {
      t3.close();
    }
  });

  it('project:info switches a layer to tiles at the setting and the router serves its tiles', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- channel results are read field by field; their shape is what the test checks
    const call = createDispatcher(() => store, 2026) as (c: string, a: unknown) => Promise<any>;
    let info = await call('project:info', {});
    expect(info.counts.pipes).toBe(3000);
    expect(info.tiles.layers).toEqual([]);
    await call('settings:set', { patch: { mapTileMinFeatures: 1000 } }).catch(() => store.setSettings({ mapTileMinFeatures: 1000 }));
    info = await call('project:info', {});
    expect(info.tiles.layers).toEqual(['pipes']);
    const [x, y] = tileAt(115.03, 42.287, Z);
    const ok = serveTile(`/tiles/${info.tiles.key}/pipes/${Z}/${x}/${y}.pbf`)!;
    expect(ok.status).toBe(200);
    expect(decode(ok.body as Buffer, 'pipes').length).toBeGreaterThan(5);
    expect(serveTile(`/tiles/${'0'.repeat(24)}/pipes/${Z}/${x}/${y}.pbf`)!.status).toBe(404);
    expect(serveTile(`/tiles/${info.tiles.key}/nope/${Z}/${x}/${y}.pbf`)!.status).toBe(404);
    expect(serveTile(`/tiles/${info.tiles.key}/pipes/${Z}/${x}/${y}.png`)!.status).toBe(404);
    expect(serveTile('/index.html')).toBeNull();
  });

  it('a `~gcj02` tile holds the features shifted into GCJ-02 (for a GCJ-02 basemap); the stored data does not move', () => {
    const valve = store.listFeatures('valves')[0];
    const [lon, lat] = valve.geometry.coordinates as number[];
    const [glon, glat] = wgs84ToGcj02(lon, lat);
    // The offset here is hundreds of metres: the shifted valve sits in another z16 tile.
    const plainTile = tileAt(lon, lat, Z), shiftedTile = tileAt(glon, glat, Z);
    expect(shiftedTile).not.toEqual(plainTile);
    /** Position of the valve in a tile of `layer`, in degrees (from the tile's MVT units). */
    const find = (buf: Buffer, x: number, y: number): [number, number] | null => {
      const l = decodeMvt(buf).find((v) => v.name === 'valves');
      const f = l?.features.find((g) => g.properties.id === valve.id);
      if (!l || !f) return null;
      const [px, py] = f.geometry[0][0];
      const n = 2 ** Z;
      const lonOf = ((x + px / l.extent) / n) * 360 - 180;
      const latOf = (Math.atan(Math.sinh(Math.PI * (1 - (2 * (y + py / l.extent)) / n))) * 180) / Math.PI;
      return [lonOf, latOf];
    };
    const shifted = serveTile(`/tiles/${tiles.key}/valves~gcj02/${Z}/${shiftedTile[0]}/${shiftedTile[1]}.pbf`)!;
    expect(shifted.status).toBe(200);
    const at = find(shifted.body as Buffer, ...shiftedTile)!;
    // Within one MVT unit at z16 (≈15 cm).
    expect(Math.abs(at[0] - glon)).toBeLessThan(2e-6);
    expect(Math.abs(at[1] - glat)).toBeLessThan(2e-6);
    // The same valve is not in the shifted tile of its stored place, and the plain tile has it where it is stored.
    expect(find(tiles.tile('valves', Z, plainTile[0], plainTile[1], true), ...plainTile)).toBeNull();
    const plain = find(tiles.tile('valves', Z, plainTile[0], plainTile[1]), ...plainTile)!;
    expect(Math.abs(plain[0] - lon)).toBeLessThan(2e-6);
    expect(store.getFeature('valves', valve.id)!.geometry.coordinates).toEqual([lon, lat]);
    // An edit near the stored place drops the shifted tile too (its box reaches the offset).
    expect(tiles.cachedTiles()).toContain(`valves~gcj02/${Z}/${shiftedTile[0]}/${shiftedTile[1]}`);
    store.updateFeature('valves', valve.id, { properties: { note: 'moved nothing' } });
    expect(tiles.cachedTiles()).not.toContain(`valves~gcj02/${Z}/${shiftedTile[0]}/${shiftedTile[1]}`);
  });
});
