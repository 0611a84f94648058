/**
 * Import of a 100k-segment pipe network from GeoJSON into a new GeoPackage
 * with its spatial index: ProjectStore against GDAL's `ogr2ogr -f GPKG` on the
 * same file, in the same run. Goal: no slower than GDAL.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../electron/backend/store/index';
import { parseGeoJson } from '../../core/io/geojson';

const SEGMENTS = 100_000;
const LEVELS = ['primary', 'secondary', 'courtyard'];
const DNS = [100, 150, 200, 300];

/** A street-grid network around Mingantu: 50 m blocks, alternating horizontal and vertical segments. */
export function gridNetworkGeoJson(segments: number): string {
  const cols = Math.ceil(Math.sqrt(segments / 2)) + 1;
  const dLon = 50 / (111_320 * Math.cos((42.287 * Math.PI) / 180));
  const dLat = 50 / 111_132;
  const lines: string[] = [];
  let n = 0;
  for (let r = 0; n < segments; r++) {
    for (let c = 0; c < cols && n < segments; c++) {
      for (const dir of [0, 1]) {
        if (n >= segments) break;
        const x = 115.0 + c * dLon;
        const y = 42.25 + r * dLat;
        const end = dir === 0 ? [x + dLon, y] : [x, y + dLat];
        const id = `P-${String(n).padStart(6, '0')}`;
        lines.push(
          JSON.stringify({
            type: 'Feature',
            id,
            geometry: { type: 'LineString', coordinates: [[x, y], end] },
            properties: {
              id,
              level: LEVELS[n % 3],
              dn: DNS[n % 4],
              install_year: 1995 + (n % 29),
              leak_count_5y: n % 5,
              status: 'in_service',
            },
          }),
        );
        n++;
      }
    }
  }
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}

function ms(t0: number): number {
  return performance.now() - t0;
}

export default async function storeImportBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warmnet-bench-'));
  try {
    const src = join(dir, 'network.geojson');
    writeFileSync(src, gridNetworkGeoJson(SEGMENTS));
    console.log(`input: ${SEGMENTS} pipe segments, ${(statSync(src).size / 1e6).toFixed(1)} MB GeoJSON`);

    // Three rounds each, alternating, best of each: the build machine is shared and noisy, so
    // CPU time (user + system) is reported beside wall time; it is far less affected by load.
    const ours = join(dir, 'warmnet.gpkg');
    const gdalOut = join(dir, 'gdal.gpkg');
    let oursMs = Infinity;
    let gdalMs = Infinity;
    let oursCpuMs = Infinity;
    let gdalCpuMs = Infinity;
    let inserted = 0;
    const loads: string[] = [];
    for (let round = 0; round < 3; round++) {
      loads.push(loadavg()[0].toFixed(1));
      rmSync(ours, { force: true });
      rmSync(gdalOut, { force: true });
      // WarmNet: read, parse, validate every feature, compute geodesic lengths, write rows + spatial index.
      const cpu0 = process.cpuUsage();
      let t0 = performance.now();
      const parsed = parseGeoJson(readFileSync(src, 'utf8'), 'network.geojson');
      const store = ProjectStore.create(ours);
      inserted = store.importFeatures('pipes', parsed.features.map((f) => f.feature) as never, { fileName: 'network.geojson' }).inserted;
      store.close();
      oursMs = Math.min(oursMs, ms(t0));
      const cpu = process.cpuUsage(cpu0);
      oursCpuMs = Math.min(oursCpuMs, (cpu.user + cpu.system) / 1000);

      // The shell's `times` reports the CPU time of its child, ogr2ogr.
      t0 = performance.now();
      const r = spawnSync('bash', ['-c', 'ogr2ogr -f GPKG "$1" "$2" -nln pipes && times', 'bench', gdalOut, src], { encoding: 'utf8' });
      if (r.error || r.status !== 0) {
        console.log(`ogr2ogr failed: ${r.error?.message ?? r.stderr}`);
        return;
      }
      gdalMs = Math.min(gdalMs, ms(t0));
      const child = r.stdout.trim().split('\n').pop() ?? '';
      const secs = [...child.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
      if (secs.length === 2) gdalCpuMs = Math.min(gdalCpuMs, (secs[0] + secs[1]) * 1000);
    }

    const t0 = performance.now();
    const reopened = ProjectStore.open(ours);
    const listed = reopened.listFeatures('pipes').length;
    const listMs = ms(t0);
    reopened.close();

    const rate = (rows: number, t: number) => Math.round(rows / (t / 1000));
    console.log(`WarmNet ProjectStore import : ${inserted} rows, wall ${oursMs.toFixed(0)} ms = ${rate(inserted, oursMs)} rows/s, CPU ${oursCpuMs.toFixed(0)} ms = ${rate(inserted, oursCpuMs)} rows/s`);
    console.log(`GDAL ogr2ogr -f GPKG        : ${SEGMENTS} rows, wall ${gdalMs.toFixed(0)} ms = ${rate(SEGMENTS, gdalMs)} rows/s, CPU ${gdalCpuMs.toFixed(0)} ms = ${rate(SEGMENTS, gdalCpuMs)} rows/s`);
    console.log(`ratio WarmNet/GDAL rows/s   : wall ${(gdalMs / oursMs).toFixed(2)}, CPU ${(gdalCpuMs / oursCpuMs).toFixed(2)} (≥ 1 means no slower than GDAL)`);
    console.log(`file size WarmNet ${(statSync(ours).size / 1e6).toFixed(1)} MB, GDAL ${(statSync(gdalOut).size / 1e6).toFixed(1)} MB`);
    console.log(`open + listFeatures('pipes'): ${listed} features in ${listMs.toFixed(0)} ms`);
    console.log(`(best of 3 rounds each; load average ${loads.join(', ')} at the rounds' starts, ${loadavg()[0].toFixed(1)} now, on ${cpus().length} cores)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
