/**
 * The sample's offline vector basemap: `warmnet sample` writes vector tiles
 * made from the sample's own streets, blocks and landmarks into the project,
 * chosen as its basemap; the tiles decode as Mapbox Vector Tiles with the
 * OpenMapTiles layer names the bundled style draws, Chinese names, and every
 * feature marked 示例数据. The file stays a valid GeoPackage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PbfReader } from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { ProjectStore } from '../../electron/backend/store/index';
import { runCli } from '../../electron/cli/testing';
import { BasemapTiles } from '../../electron/backend/basemap/serve';
import { lonLatToMercator, MERCATOR_HALF } from '../../core/geo/webMercator';

let dir: string;
let path: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-sample-basemap-'));
  path = join(dir, 'sample.gpkg');
  const r = await runCli(['sample', '--out', path]);
  expect(r.status, r.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tileAt(lon: number, lat: number, z: number): [number, number] {
  const [mx, my] = lonLatToMercator(lon, lat);
  const size = (2 * MERCATOR_HALF) / 2 ** z;
  return [Math.floor((mx + MERCATOR_HALF) / size), Math.floor((MERCATOR_HALF - my) / size)];
}

describe('the sample ships an offline vector basemap', () => {
  it('is listed, marked as sample data, and chosen as the project basemap', () => {
    const store = ProjectStore.open(path);
    try {
      const [b] = store.basemaps();
      expect(b).toMatchObject({ kind: 'vector-sample', tileFormat: 'pbf', sample: true, minZoom: 10, maxZoom: 16 });
      expect(b.attribution).toContain('示例数据');
      expect(store.viewState().basemap).toBe(`gpkg:${b.fid}`);
      const [w, s, e, n] = b.bounds!;
      // The town (115.03 E, 42.287 N) and its river are inside.
      expect(w).toBeLessThan(115.03);
      expect(e).toBeGreaterThan(115.03);
      expect(s).toBeLessThan(42.287);
      expect(n).toBeGreaterThan(42.287);
    } finally {
      store.close();
    }
  });

  it('its tiles decode as MVT with streets, land use, water and Chinese labels, every feature 示例数据', async () => {
    const store = ProjectStore.open(path);
    const tiles = new BasemapTiles(() => store.reader(), path);
    try {
      const fid = store.basemaps()[0].fid;
      const [x, y] = tileAt(115.03, 42.287, 15);
      const t = await tiles.tile(fid, 15, x, y);
      expect(t.status).toBe(200);
      expect(t.type).toBe('application/x-protobuf');
      const vt = new VectorTile(new PbfReader(t.body));
      expect(Object.keys(vt.layers).sort()).toEqual(expect.arrayContaining(['landuse', 'transportation', 'transportation_name']));
      const names = new Set<string>();
      for (const layer of Object.values(vt.layers)) {
        for (let i = 0; i < layer.length; i++) {
          const f = layer.feature(i);
          expect(f.properties.note).toBe('示例数据');
          if (typeof f.properties['name:zh'] === 'string') names.add(f.properties['name:zh']);
        }
      }
      expect(names.has('明安图大街')).toBe(true);
      const town = await tiles.tile(fid, 12, ...tileAt(115.03, 42.287, 12));
      const place = new VectorTile(new PbfReader(town.body)).layers.place;
      expect(place.feature(0).properties.name).toBe('明安图镇（示例）');
      // Nothing far outside the town.
      expect((await tiles.tile(fid, 15, x + 40, y)).status).toBe(204);
    } finally {
      tiles.close();
      store.close();
    }
    const v = execFileSync('/usr/bin/python3', ['/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py', path], { encoding: 'utf8' });
    expect(v).toBe('');
  });
});
