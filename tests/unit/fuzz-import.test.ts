/**
 * Fuzz suite: for every format the importer reads (GeoJSON, zipped
 * Shapefile, DXF, CSV, GeoPackage), seeded mutations of sample files made by
 * GDAL — bit flips, truncation, random bytes, duplicated and zeroed ranges,
 * huge counts in headers, wrong offsets, deep nesting, zip directory damage.
 * Each case runs in a child process (fuzz.child.ts) against a real project
 * file and must end in a whole import or a clean refusal naming the file,
 * within a time bound per case, with the project file unchanged on refusal.
 * A case that overruns is a hang (the child is killed and the rest go on);
 * a child that dies is a crash. Seeds are fixed, so a failure reproduces.
 *
 * WARMNET_FUZZ_CASES: cases per format (default 30); WARMNET_FUZZ_SEED
 * (default 20261206); WARMNET_FUZZ_CASE_S: time bound per case (default 30).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ogr2ogr, pipesGeoJson, tempDir, writeJson } from '../fixtures/import/gdal';

const ROOT = resolve(__dirname, '../..');
const CHILD = join(ROOT, 'tests', 'unit', 'fuzz.child.ts');
const BUNDLE = join(ROOT, 'node_modules', '.cache', 'warmnet', 'fuzz-child.mjs');
const CASES = Number(process.env.WARMNET_FUZZ_CASES ?? 30);
const SEED = Number(process.env.WARMNET_FUZZ_SEED ?? 20261206);
const CASE_S = Number(process.env.WARMNET_FUZZ_CASE_S ?? 30);
/** Memory bound of a child (V8 heap), MiB; its peak resident memory is reported and checked too. */
const HEAP_MB = 1536;
const FORMATS = ['geojson', 'shapefile', 'dxf', 'csv', 'gpkg'] as const;

const tmp = tempDir('warmnet-fuzz-');
afterAll(() => tmp.cleanup());
let childArgs: string[] = [];

interface CaseLine {
  i: number;
  what: string;
  outcome: 'imported' | 'refused' | 'crash' | 'partial';
  ms: number;
  message: string;
}
interface Figures {
  cases: number;
  imported: number;
  refused: number;
  crashes: number;
  hangs: number;
  partial: number;
  slowestMs: number;
  peakRssMb: number;
  problems: string[];
}
const figures: Record<string, Figures> = {};

beforeAll(async () => {
  const src = writeJson(join(tmp.dir, 'src.geojson'), pipesGeoJson(25, undefined, undefined, 7));
  ogr2ogr('-f', 'GeoJSON', '-t_srs', 'EPSG:4547', join(tmp.dir, 'net.geojson'), src);
  const shp = join(tmp.dir, 'shp');
  ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4526', '-lco', 'ENCODING=GBK', '-nln', 'net', shp, src);
  for (const e of ['shp', 'shx', 'dbf', 'prj', 'cpg']) writeFileSync(join(tmp.dir, `net.${e}`), readFileSync(join(shp, `net.${e}`)));
  ogr2ogr('-f', 'DXF', '-t_srs', 'EPSG:4526', join(tmp.dir, 'net.dxf'), src);
  ogr2ogr('-f', 'GPKG', '-t_srs', 'EPSG:4547', '-nln', 'net', join(tmp.dir, 'net.gpkg'), src);
  const csv = ['编号,阀门类型,经度,纬度,安装年份', ...Array.from({ length: 25 }, (_, i) => `V-${i},闸阀,${(115 + i * 0.001).toFixed(6)},${(42.28 + i * 0.0007).toFixed(6)},${2000 + i}`)].join('\n');
  writeFileSync(join(tmp.dir, 'valves.csv'), csv);
  // One bundled file starts far faster than TypeScript through tsx, once per format.
  try {
    const { build } = (await import('esbuild')) as typeof import('esbuild');
    await build({ entryPoints: [CHILD], outfile: BUNDLE, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
    childArgs = [BUNDLE];
  } catch {
    childArgs = ['--import', 'tsx', CHILD];
  }
}, 120_000);

/** Run cases [first, end) in children, one after another, restarting after a hang or a crash. */
async function runFormat(format: string): Promise<Figures> {
  const f: Figures = { cases: 0, imported: 0, refused: 0, crashes: 0, hangs: 0, partial: 0, slowestMs: 0, peakRssMb: 0, problems: [] };
  let next = 0;
  while (next < CASES) {
    const from = next;
    await new Promise<void>((done) => {
      const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--stack-size=984', ...childArgs, format, tmp.dir, String(from), String(CASES - from), String(SEED)], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, WARMNET_GPKG_PROBE: join(ROOT, 'electron', 'backend', 'gpkg-probe.cjs') },
      });
      let buf = '';
      let stderr = '';
      let hung = false;
      let ended = false;
      let timer = setTimeout(() => ((hung = true), child.kill('SIGKILL')), CASE_S * 1000 + 5000);
      child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
      child.stdout!.on('data', (b: Buffer) => {
        buf += b.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const msg = JSON.parse(line) as CaseLine | { end: true; peakRssMb: number };
          if ('end' in msg) {
            ended = true;
            f.peakRssMb = Math.max(f.peakRssMb, msg.peakRssMb);
            continue;
          }
          clearTimeout(timer);
          timer = setTimeout(() => ((hung = true), child.kill('SIGKILL')), CASE_S * 1000);
          f.cases++;
          next = msg.i + 1;
          f.slowestMs = Math.max(f.slowestMs, msg.ms);
          if (msg.outcome === 'imported') f.imported++;
          else if (msg.outcome === 'refused') f.refused++;
          else if (msg.outcome === 'crash') f.crashes++;
          else f.partial++;
          if (msg.outcome === 'crash' || msg.outcome === 'partial') f.problems.push(`${format} case ${msg.i} (${msg.what}): ${msg.outcome}: ${msg.message}`);
          if (msg.ms > CASE_S * 1000) f.problems.push(`${format} case ${msg.i} (${msg.what}): took ${msg.ms} ms`);
        }
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (!ended) {
          // The case in progress never reported: it hung (killed) or took the process down.
          f.cases++;
          if (hung) f.hangs++;
          else f.crashes++;
          f.problems.push(`${format} case ${next}: ${hung ? `no answer within ${CASE_S} s` : `child died (${signal ?? code})`}: ${stderr.slice(-600)}`);
          next++;
        }
        done();
      });
    });
  }
  return f;
}

describe('fuzz: mutated files of every format import whole or are refused cleanly', () => {
  it.each(FORMATS)('%s', async (format) => {
    const f = await runFormat(format);
    figures[format] = f;
    console.log(`fuzz ${format}: ${JSON.stringify({ ...f, problems: f.problems.length })}`);
    expect(f.problems).toEqual([]);
    expect(f.cases).toBe(CASES);
    expect(f.imported + f.refused).toBe(CASES);
    expect(f.peakRssMb).toBeLessThan(HEAP_MB + 512);
    // Damage is caught: most mutants are refused (a flipped digit in a value may still import).
    expect(f.refused).toBeGreaterThan(CASES / 5);
  }, 60_000 + CASES * (CASE_S + 5) * 1000);

  afterAll(() => {
    const rows = Object.entries(figures).map(([fmt, f]) => `  ${fmt.padEnd(10)} ${String(f.cases).padStart(6)} ${String(f.imported).padStart(8)} ${String(f.refused).padStart(8)} ${String(f.crashes).padStart(7)} ${String(f.hangs).padStart(5)} ${String(f.partial).padStart(8)} ${String(f.slowestMs).padStart(9)} ${String(f.peakRssMb).padStart(8)}`);
    const total = Object.values(figures).reduce((s, f) => s + f.cases, 0);
    console.log(
      [`fuzz (seed ${SEED}, ${CASES} cases per format, ${total} in all):`, '  format      cases imported  refused crashes hangs  partial slowestMs  peakMiB', ...rows].join('\n'),
    );
  });
});
