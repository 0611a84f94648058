/**
 * QGIS's view of a published project: GDAL's PostgreSQL driver (what QGIS
 * uses) lists every layer with its geometry type, EPSG:4490 and the same
 * feature count as the GeoPackage.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { LAYERS } from '../../core/model/schema';
import { readProjectAt } from '../../electron/backend/store/location';
import { publishSample, useTestDb } from './server';

const run = promisify(execFile);
const SAMPLE = fileURLToPath(new URL('../../gis-data/mingantu.gpkg', import.meta.url));
const TYPE = { POINT: 'Point', LINESTRING: 'Line String', POLYGON: 'Multi Polygon' } as const;

describe('ogrinfo on the PostGIS connection', () => {
  const db = useTestDb();

  it('lists the layers with the right geometry types and counts', async () => {
    await publishSample(db, 'qgis_mingantu');
    const u = new URL(db.url);
    const conn = `PG:host=${u.hostname} port=${u.port} dbname=${u.pathname.slice(1)} user=${u.username} password=${u.password} schemas=qgis_mingantu`;
    const list = (await run('ogrinfo', ['-ro', '-q', conn], { encoding: 'utf8' })).stdout;
    const { data } = await readProjectAt(SAMPLE);
    for (const l of LAYERS) {
      expect(list, l.name).toMatch(new RegExp(`^\\d+: ${l.name} \\(${TYPE[l.geometry]}\\)$`, 'm'));
    }
    let checked = 0;
    const summary = (await run('ogrinfo', ['-ro', '-so', '-al', conn], { encoding: 'utf8' })).stdout;
    for (const block of summary.split(/\n(?=Layer name: )/).filter((b) => b.startsWith('Layer name: '))) {
      const name = /^Layer name: (\S+)/.exec(block)![1];
      const def = LAYERS.find((l) => l.name === name);
      if (!def) continue;
      expect(block, name).toMatch(new RegExp(`Feature Count: ${(data.layers as Record<string, unknown[]>)[name].length}\\b`));
      expect(block, name).toMatch(/ID\["EPSG",4490\]/);
      expect(block, name).toMatch(/Geometry Column = geom/);
      checked++;
    }
    expect(checked).toBe(LAYERS.length);
  });
});
