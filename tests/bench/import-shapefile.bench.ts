/**
 * Import of a 100k-feature shapefile (CGCS2000 3° GK, GBK attributes)
 * into a new project: WarmNet's importer (read + decide encoding and CRS +
 * transform + map with evidence + validate, then the store's
 * one-transaction write with the import log) next to `ogr2ogr -f GPKG` on
 * the same file in the same run, plain and reprojected to EPSG:4490 as ours
 * is. Three rounds each (IMPORT_BENCH_ROUNDS), alternating, best of each; CPU time (user + system)
 * beside wall time, since the build machine is shared and CPU time is far
 * less affected by other load.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { importFile } from '../../electron/backend/importer';
import { ProjectStore } from '../../electron/backend/store/index';
import { ogr2ogr, pipesGeoJson, tempDir, writeJson } from '../fixtures/import/gdal';

const N = Number(process.env.IMPORT_BENCH_FEATURES ?? 100_000);
/** Rounds of each, alternating; the best counts (other load on a shared machine only ever adds). */
const ROUNDS = Number(process.env.IMPORT_BENCH_ROUNDS ?? 3);

/** ogr2ogr in a shell that reports its child's CPU time (`times`). */
function timedOgr(args: string[]): { wallS: number; cpuS: number } {
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', 'ogr2ogr "$@" && times', 'bench', ...args], { encoding: 'utf8' });
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`ogr2ogr failed: ${r.stderr}`);
  const child = r.stdout.trim().split('\n').pop() ?? '';
  const secs = [...child.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { wallS, cpuS: secs.length === 2 ? secs[0] + secs[1] : NaN };
}

export default async function bench(): Promise<void> {
  const tmp = tempDir('warmnet-bench-import-');
  try {
    const src = writeJson(join(tmp.dir, 'pipes.geojson'), pipesGeoJson(N, [115.03, 42.287], 0.3, 42));
    const shpDir = join(tmp.dir, 'shp');
    ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=GBK', shpDir, src);
    const shp = join(shpDir, 'pipes.shp');
    const count = execFileSync('ogrinfo', ['-so', '-al', shp], { encoding: 'utf8' }).match(/Feature Count: (\d+)/)?.[1];
    console.log(`file: ${N} pipes (${count} features), EPSG:4547, GBK attributes`);

    const best = { ours: Infinity, oursCpu: Infinity, plain: Infinity, plainCpu: Infinity, reproj: Infinity, reprojCpu: Infinity };
    let inserted = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const gpkg = join(tmp.dir, 'warmnet.gpkg');
      rmSync(gpkg, { force: true });
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const store = ProjectStore.create(gpkg);
      inserted = (await importFile(store, 'pipes', shp)).inserted;
      store.close();
      const cpu = process.cpuUsage(c0);
      best.ours = Math.min(best.ours, (performance.now() - t0) / 1000);
      best.oursCpu = Math.min(best.oursCpu, (cpu.user + cpu.system) / 1e6);

      const plainOut = join(tmp.dir, 'ogr-plain.gpkg');
      const reprojOut = join(tmp.dir, 'ogr-4490.gpkg');
      rmSync(plainOut, { force: true });
      rmSync(reprojOut, { force: true });
      const p = timedOgr(['-f', 'GPKG', plainOut, shp]);
      const r = timedOgr(['-f', 'GPKG', '-t_srs', 'EPSG:4490', reprojOut, shp]);
      best.plain = Math.min(best.plain, p.wallS);
      best.plainCpu = Math.min(best.plainCpu, p.cpuS);
      best.reproj = Math.min(best.reproj, r.wallS);
      best.reprojCpu = Math.min(best.reprojCpu, r.cpuS);
    }

    const rate = (s: number) => `${Math.round(N / s).toLocaleString('en')} features/s`;
    console.log(`warmnet import        wall ${best.ours.toFixed(2)} s  ${rate(best.ours)}, CPU ${best.oursCpu.toFixed(2)} s  (${inserted} written, with evidence, validation and the import log)`);
    console.log(`ogr2ogr -f GPKG       wall ${best.plain.toFixed(2)} s  ${rate(best.plain)}, CPU ${best.plainCpu.toFixed(2)} s  (no reprojection, no validation)`);
    console.log(`ogr2ogr -t_srs 4490   wall ${best.reproj.toFixed(2)} s  ${rate(best.reproj)}, CPU ${best.reprojCpu.toFixed(2)} s  (reprojected like ours)`);
    console.log(
      `ratio warmnet / ogr2ogr: wall ${(best.ours / best.plain).toFixed(2)}× plain, ${(best.ours / best.reproj).toFixed(2)}× reprojected; CPU ${(best.oursCpu / best.plainCpu).toFixed(2)}× plain, ${(best.oursCpu / best.reprojCpu).toFixed(2)}× reprojected (≤ 1 means no slower)`,
    );
    console.log(`(best of ${ROUNDS} rounds each; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`);
  } finally {
    tmp.cleanup();
  }
}
