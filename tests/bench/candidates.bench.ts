/**
 * The renewal candidates through the app's channel (`analysis:candidates`,
 * bound on a store as the app binds it) on a generated project file: what the
 * backend process pays for a first call on a revision (the worker builds the
 * graph, runs the capacity check and reads the scoring's records). Each run
 * is a child process of its own, so its VmHWM is that run's alone.
 *
 *   npx tsx tests/bench/candidates.bench.ts      # sizes from WARMNET_SCALE_SIZES (default 100000)
 *
 * Prints per run: wall and process CPU time of the call (both threads), the
 * main thread's busy time during it (event-loop utilisation), the main
 * thread's heap right after the call and after a collection (what it keeps),
 * the process's VmHWM, and a hash of the answer (equal runs, equal answers).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { ProjectStore } from '../../electron/backend/store/index';
import { AnalysisRunner } from '../../electron/backend/analysis/runner';
import { bindAnalysisHandlers } from '../../electron/backend/analysis.handlers';
import { benchNetwork } from './network.bench';
import { benchChild, startedAsScript, vmHWM } from './child';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const AS_OF = '2026-06-30';


async function childRun(path: string): Promise<void> {
  const store = ProjectStore.open(path);
  const runner = new AnalysisRunner();
  const channels = bindAnalysisHandlers(store, runner);
  global.gc?.();
  const elu0 = performance.eventLoopUtilization();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await channels['analysis:candidates']({ asOf: AS_OF });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const busyMs = performance.eventLoopUtilization(elu0).active;
  const heapMB = process.memoryUsage().heapUsed / 2 ** 20;
  global.gc?.();
  const keptMB = process.memoryUsage().heapUsed / 2 ** 20;
  const hash = createHash('sha256').update(JSON.stringify(report)).digest('hex').slice(0, 16);
  // (the app's answer carries the first rows and how many were scored)
  const scored = 'scored' in report ? report.scored : (report as { pipes: unknown[] }).pipes.length;
  const out = { pipes: scored, rows: report.pipes.length, candidates: report.candidates, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, busyMs, heapMB, keptMB, peakMB: vmHWM(), hash };
  await runner.dispose();
  store.close();
  process.stdout.write(JSON.stringify(out) + '\n');
}

const child = (args: string[]) => benchChild(join(HERE, 'candidates.bench.ts'), args);

const f0 = (x: unknown) => (typeof x === 'number' ? x.toFixed(0) : String(x));

export default async function main(): Promise<void> {
  const sizes = (process.env.WARMNET_SCALE_SIZES ?? '100000').split(',').map(Number).filter((n) => n > 0);
  const repeats = Number(process.env.WARMNET_SCALE_REPEATS ?? 3);
  const dir = process.env.WARMNET_BENCH_DIR ?? join(tmpdir(), 'warmnet-candidates');
  mkdirSync(dir, { recursive: true });
  for (const size of sizes) {
    const path = join(dir, `net-${size}.gpkg`);
    if (!existsSync(path)) ProjectStore.createFromData(path, benchNetwork(size)).close();
    for (let i = 0; i < repeats; i++) {
      const r = child(['--run', path]);
      if (typeof r === 'string') console.log(`${size}: ${r}`);
      else
        console.log(
          `${f0(r.pipes)} pipes scored (${f0(r.candidates)} candidates, ${f0(r.rows)} rows answered): analysis:candidates ${f0(r.wallMs)} ms wall, ${f0(r.cpuMs)} ms CPU; main thread busy ${f0(r.busyMs)} ms; main heap ${f0(r.heapMB)} MB after, ${f0(r.keptMB)} MB kept; VmHWM ${f0(r.peakMB)} MB; report ${r.hash} (load ${loadavg()[0].toFixed(1)})`,
        );
    }
  }
}

const run = process.argv.indexOf('--run');
if (run >= 0) await childRun(process.argv[run + 1]);
else if (startedAsScript(import.meta.url)) await main();
