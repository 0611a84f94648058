/**
 * Import of a 100k-feature shapefile (CGCS2000 3° GK, GBK attributes)
 * into a new project: WarmNet's importer (read + transform + map +
 * validate, then the store's one-transaction write) next to
 * `ogr2ogr -f GPKG` on the same file in the same run.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { prepareFileImport } from '../../electron/backend/importer';
import { ProjectStore } from '../../electron/backend/store/index';
import { ogr2ogr, pipesGeoJson, tempDir, writeJson } from '../fixtures/import/gdal';

const N = Number(process.env.IMPORT_BENCH_FEATURES ?? 100_000);

export default async function bench(): Promise<void> {
  const tmp = tempDir('warmnet-bench-import-');
  try {
    const src = writeJson(join(tmp.dir, 'pipes.geojson'), pipesGeoJson(N, [115.03, 42.287], 0.3, 42));
    const shpDir = join(tmp.dir, 'shp');
    ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=GBK', shpDir, src);
    const shp = join(shpDir, 'pipes.shp');
    const vertices = execFileSync('ogrinfo', ['-so', '-al', shp], { encoding: 'utf8' }).match(/Feature Count: (\d+)/)?.[1];
    console.log(`file: ${N} pipes (${vertices} features), EPSG:4547, GBK attributes`);

    const t0 = performance.now();
    const prepared = await prepareFileImport(shp, 'pipes');
    const t1 = performance.now();
    const store = ProjectStore.create(join(tmp.dir, 'warmnet.gpkg'));
    const { inserted } = store.importFeatures('pipes', prepared.features, { fileName: 'pipes.shp' });
    store.close();
    const t2 = performance.now();
    const ours = (t2 - t0) / 1000;

    const g0 = performance.now();
    ogr2ogr('-f', 'GPKG', join(tmp.dir, 'ogr-plain.gpkg'), shp);
    const g1 = performance.now();
    ogr2ogr('-f', 'GPKG', '-t_srs', 'EPSG:4490', join(tmp.dir, 'ogr-4490.gpkg'), shp);
    const g2 = performance.now();
    const ogrPlain = (g1 - g0) / 1000;
    const ogrReproject = (g2 - g1) / 1000;

    const rate = (s: number) => `${Math.round(N / s).toLocaleString('en')} features/s`;
    console.log(`warmnet import          ${ours.toFixed(2)} s  ${rate(ours)}  (read+transform+map+validate ${((t1 - t0) / 1000).toFixed(2)} s, store write ${((t2 - t1) / 1000).toFixed(2)} s, ${inserted} written)`);
    console.log(`ogr2ogr -f GPKG         ${ogrPlain.toFixed(2)} s  ${rate(ogrPlain)}  (no reprojection, no validation)`);
    console.log(`ogr2ogr -t_srs 4490     ${ogrReproject.toFixed(2)} s  ${rate(ogrReproject)}  (reprojected like ours)`);
    console.log(`ratio warmnet / ogr2ogr: ${(ours / ogrPlain).toFixed(2)}× (plain), ${(ours / ogrReproject).toFixed(2)}× (reprojected)`);
  } finally {
    tmp.cleanup();
  }
}
