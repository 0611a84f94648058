/**
 * Peak memory of an isolation through the app's analysis runner on a
 * generated project file, the worker given the project as data (a snapshot
 * posted to it) or reading the GeoPackage itself. Each size and mode runs in
 * a child process of its own, so its VmHWM is that run's alone.
 *
 *   npx tsx tests/bench/analysis-memory.bench.ts            # sizes from WARMNET_SCALE_SIZES (default 100000)
 *
 * Prints per size and mode: the process's VmHWM after opening the store, its
 * VmHWM after the isolation, the main thread's heap right after the snapshot
 * (data mode), and the wall / CPU time of the first isolation (graph built).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectStore } from '../../electron/backend/store/index';
import { AnalysisRunner, type ProjectRef } from '../../electron/backend/analysis/runner';
import { benchNetwork } from './network.bench';
import { benchChild, startedAsScript, vmHWM } from './child';

const HERE = fileURLToPath(new URL('.', import.meta.url));


function childMake(size: number, path: string): void {
  ProjectStore.createFromData(path, benchNetwork(size)).close();
}

async function childRun(path: string, mode: 'data' | 'file'): Promise<void> {
  const store = ProjectStore.open(path);
  const pipeId = store.reader().prepare('SELECT id FROM pipes ORDER BY fid LIMIT 1').pluck().get() as string;
  global.gc?.();
  const opened = vmHWM();
  let snapshotHeapMB = NaN;
  const ref: ProjectRef = {
    path,
    revision: store.revision(),
    project: () => {
      const s = store.snapshot();
      snapshotHeapMB = process.memoryUsage().heapUsed / 2 ** 20;
      return s;
    },
    ...(mode === 'file' ? { file: { path, revisionNow: () => store.revision() } } : {}),
  };
  const runner = new AnalysisRunner();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await runner.run(ref, 'isolate', { pipeId });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const peak = vmHWM();
  await runner.dispose();
  store.close();
  process.stdout.write(JSON.stringify({ mode, openedMB: opened, peakMB: peak, snapshotHeapMB, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\n');
}

const child = (args: string[]) => benchChild(join(HERE, 'analysis-memory.bench.ts'), args);

const f0 = (x: unknown) => (typeof x === 'number' ? x.toFixed(0) : String(x));

export default async function main(): Promise<void> {
  const sizes = (process.env.WARMNET_SCALE_SIZES ?? '100000').split(',').map(Number).filter((n) => n > 0);
  const repeats = Number(process.env.WARMNET_SCALE_REPEATS ?? 1);
  const dir = process.env.WARMNET_BENCH_DIR ?? join(tmpdir(), 'warmnet-analysis-memory');
  mkdirSync(dir, { recursive: true });
  for (const size of sizes) {
    const path = join(dir, `net-${size}.gpkg`);
    if (!existsSync(path)) child(['--make', String(size), path]);
    for (const mode of ['data', 'file'] as const) {
      for (let i = 0; i < repeats; i++) {
        const r = child(['--run', path, mode]);
        if (typeof r === 'string') console.log(`${size} ${mode}: ${r}`);
        else
          console.log(
            `${size} pipes, project ${mode === 'data' ? 'posted as data' : 'read by the worker'}: VmHWM ${f0(r.openedMB)} MB opened → ${f0(r.peakMB)} MB after isolation; main heap after snapshot ${f0(r.snapshotHeapMB)} MB; first isolation ${f0(r.wallMs)} ms wall, ${f0(r.cpuMs)} ms CPU (load ${loadavg()[0].toFixed(1)})`,
          );
      }
    }
  }
}

const mk = process.argv.indexOf('--make');
const run = process.argv.indexOf('--run');
if (mk >= 0) childMake(Number(process.argv[mk + 1]), process.argv[mk + 2]);
else if (run >= 0) await childRun(process.argv[run + 1], process.argv[run + 2] as 'data' | 'file');
else if (startedAsScript(import.meta.url)) await main();
