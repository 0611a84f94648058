/**
 * Adding an orthophoto basemap: a BASEMAP_BENCH_SIZE² pixel RGB GeoTIFF
 * (default 2000; the target figure is for 10000) in CGCS2000 3° Gauss–Krüger
 * zone 38, tiled into a project with `warmnet basemap add`, next to GDAL
 * doing the same job on the same file in the same run:
 * `gdal_translate -of GPKG -co TILING_SCHEME=GoogleMapsCompatible` (warp to
 * Web Mercator, PNG/JPEG tiles) and `gdaladdo -r average` (overviews down to
 * one tile). Both run as child processes under /usr/bin/time, which reports
 * wall time, CPU time and peak memory (maximum resident set size).
 * Goals: at most 1.5 × GDAL's time, peak memory under 1 GB.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ProjectStore } from '../../electron/backend/store/index';

const SIZE = Number(process.env.BASEMAP_BENCH_SIZE ?? 2000);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'warmnet.mjs');

interface Timed {
  wallS: number;
  cpuS: number;
  maxRssMb: number;
}

/** A command under GNU time: wall, user + system, max RSS. */
function timed(cmd: string, args: string[]): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no timing from /usr/bin/time: ${r.stderr}`);
  return { wallS: Number(m[1]), cpuS: Number(m[2]) + Number(m[3]), maxRssMb: Number(m[4]) / 1024 };
}

const MAKE_RASTER = `
import sys, random
from osgeo import gdal, osr
gdal.UseExceptions()
out, size = sys.argv[1], int(sys.argv[2])
random.seed(7)
n = 400
drv = gdal.GetDriverByName('GTiff')
small = drv.Create('/vsimem/small.tif', n, n, 3, gdal.GDT_Byte)
for b in range(3):
    small.GetRasterBand(b + 1).WriteRaster(0, 0, n, n, bytes(random.randrange(40, 220) for _ in range(n * n)))
s = osr.SpatialReference(); s.ImportFromEPSG(4526)
res = 0.3
small.SetProjection(s.ExportToWkt())
small.SetGeoTransform((38_520_000.0, res * size / n, 0, 4_641_300.0, 0, -res * size / n))
gdal.Translate(out, small, width=size, height=size, resampleAlg='cubic')
`;

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warmnet-bench-basemap-'));
  try {
    const tif = join(dir, 'ortho.tif');
    const script = join(dir, 'make.py');
    writeFileSync(script, MAKE_RASTER);
    execFileSync('/usr/bin/python3', [script, tif, String(SIZE)]);
    console.log(`raster: ${SIZE} × ${SIZE} RGB, 0.3 m pixels, EPSG:4526 (CGCS2000 3° GK zone 38), uncompressed GeoTIFF; load ${loadavg()[0].toFixed(1)}`);

    const project = join(dir, 'p.gpkg');
    ProjectStore.create(project).close();
    const ours = timed(process.execPath, [BIN, 'basemap', 'add', tif, '--into', project, '--name', 'bench', '--json']);
    const store = ProjectStore.open(project);
    const tiles = store.reader().prepare('SELECT count(*) FROM basemap_bench').pluck().get() as number;
    const zooms = store.reader().prepare('SELECT min(zoom_level), max(zoom_level) FROM basemap_bench').raw().get() as [number, number];
    store.close();

    const gpkg = join(dir, 'gdal.gpkg');
    const tr = timed('gdal_translate', ['-q', '-of', 'GPKG', '-co', 'TILING_SCHEME=GoogleMapsCompatible', tif, gpkg]);
    const levels: string[] = [];
    for (let f = 2; f <= 2 ** (zooms[1] - zooms[0]); f *= 2) levels.push(String(f));
    const ov = timed('gdaladdo', ['-q', '-r', 'average', gpkg, ...levels]);
    const g = new Database(gpkg, { readonly: true });
    const gdalTable = g.prepare(`SELECT table_name FROM gpkg_contents WHERE data_type = 'tiles'`).pluck().get() as string;
    const gdalTiles = g.prepare(`SELECT count(*) FROM "${gdalTable}"`).pluck().get() as number;
    g.close();
    const gdal = { wallS: tr.wallS + ov.wallS, cpuS: tr.cpuS + ov.cpuS, maxRssMb: Math.max(tr.maxRssMb, ov.maxRssMb) };

    const row = (label: string, t: Timed, n: number) =>
      console.log(`${label.padEnd(34)} wall ${t.wallS.toFixed(2).padStart(7)} s  cpu ${t.cpuS.toFixed(2).padStart(7)} s  peak ${t.maxRssMb.toFixed(0).padStart(5)} MB  ${n} tiles`);
    row('warmnet basemap add', ours, tiles);
    row('gdal_translate -of GPKG + gdaladdo', gdal, gdalTiles);
    console.log(`  (gdal_translate ${tr.wallS.toFixed(2)} s, gdaladdo ${ov.wallS.toFixed(2)} s; zoom ${zooms[0]}–${zooms[1]})`);
    const ratio = ours.wallS / gdal.wallS;
    const cpuRatio = ours.cpuS / gdal.cpuS;
    console.log(`ratio wall ${ratio.toFixed(2)}× (goal ≤ 1.5×) ${ratio <= 1.5 ? 'OK' : 'MISSED'}; cpu ${cpuRatio.toFixed(2)}×`);
    console.log(`peak memory ${ours.maxRssMb.toFixed(0)} MB (goal < 1024 MB) ${ours.maxRssMb < 1024 ? 'OK' : 'MISSED'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
