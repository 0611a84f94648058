/**
 * Views in another tool's GeoPackage are SQL the file's author wrote: a
 * recursive one never ends, or sorts without end. Before the importer reads
 * a view it is tried in a child process (gpkg-probe.cjs) under SQLite's hard
 * heap limit; when the child has not answered within the time limit it is
 * killed and the file refused, naming the view and the setting. Plain
 * tables need no trial (the reader takes them row-limited).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ImportLimitExceeded } from '../../core/io/limits';
import { ImportRefused } from '../../core/io/source';
import { message } from '../../core/i18n';
import type { Settings } from '../../core/model/settings';

export type ViewLimits = Pick<Settings, 'importViewTimeLimitS' | 'importViewMemoryMb' | 'importMaxRows'>;

const META = ['gpkg_contents', 'gpkg_geometry_columns', 'gpkg_spatial_ref_sys'];

/** The script the child runs: beside this module, or where the packaged app put it. */
function probeScript(): string {
  return process.env.WARMNET_GPKG_PROBE ?? fileURLToPath(new URL('./gpkg-probe.cjs', import.meta.url));
}

interface ProbeAnswer {
  ok: boolean;
  rows?: Record<string, number>;
  memory?: boolean;
  message?: string;
}

/** Start the probe: a Node child, or Electron's utility process in the app (which has no Node child of itself). */
async function startProbe(args: string[]): Promise<{ answer: Promise<ProbeAnswer | null>; kill(): void }> {
  let out = '';
  let settle!: (a: ProbeAnswer | null) => void;
  const answer = new Promise<ProbeAnswer | null>((r) => (settle = r));
  const parse = () => {
    const line = out.split('\n').find((l) => l.startsWith('{'));
    try {
      return line ? (JSON.parse(line) as ProbeAnswer) : null;
    } catch {
      return null;
    }
  };
  if (process.versions.electron && process.type === 'browser') {
    const { utilityProcess } = (await import('electron')) as unknown as {
      utilityProcess: { fork(p: string, a: string[], o: object): unknown };
    };
    const child = utilityProcess.fork(probeScript(), args, { stdio: 'pipe', serviceName: 'WarmNet GeoPackage view check' }) as unknown as {
      stdout: NodeJS.ReadableStream | null;
      on(e: string, f: () => void): void;
      kill(): boolean;
    };
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', () => settle(parse()));
    return { answer, kill: () => void child.kill() };
  }
  const child = spawn(process.execPath, [probeScript(), ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  // A command that ends meanwhile (Ctrl-C, SIGTERM) ends the trial with it; the trial also watches for its parent.
  const onExit = () => void child.kill('SIGKILL');
  process.once('exit', onExit);
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.on('exit', () => {
    process.off('exit', onExit);
    settle(parse());
  });
  child.on('error', () => settle(null));
  return { answer, kill: () => void child.kill('SIGKILL') };
}

/** The file's views: GeoPackage tables that are views (refused), and the feature tables gpkg_contents lists that are. */
function viewsOf(path: string): { meta: string[]; listed: string[] } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    // The schema is read without running anything the file defines.
    const views = new Set(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'view'`).pluck().all() as string[]);
    if (views.size === 0) return { meta: [], listed: [] };
    const meta = META.filter((t) => views.has(t));
    if (meta.length) return { meta, listed: [] };
    let listed: string[] = [];
    try {
      listed = db.prepare(`SELECT table_name FROM gpkg_contents`).pluck().all() as string[];
    } catch {
      // Not a GeoPackage: the reader says so.
    }
    return { meta: [], listed: listed.filter((t) => views.has(t)) };
  } finally {
    db.close();
  }
}

/**
 * Refuse a GeoPackage whose views (those the import reads) do not give their rows within the time and memory
 * limits; returns quietly for a file without such views. Other damage is left for the reader to name.
 */
export async function checkGpkgViews(path: string, fileName: string, limits: ViewLimits): Promise<void> {
  let found: { meta: string[]; listed: string[] };
  try {
    found = viewsOf(path);
  } catch {
    return;
  }
  if (found.meta.length) {
    // The standard makes them tables; a view there would run the author's SQL before anything could be checked.
    throw new ImportRefused(fileName, undefined, message('io.gpkg.metaView', { names: found.meta.join(', '), n: found.meta.length }));
  }
  const views = found.listed;
  if (views.length === 0) return;
  const heap = Math.max(16, limits.importViewMemoryMb) * 1024 * 1024;
  const probe = await startProbe([path, JSON.stringify(views), String(limits.importMaxRows), String(heap)]);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), limits.importViewTimeLimitS * 1000)));
  const result = await Promise.race([probe.answer, timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    probe.kill();
    throw new ImportLimitExceeded(
      fileName,
      message('io.where.views', { names: views.join(', '), n: views.length }),
      message('io.gpkg.viewTime', { s: limits.importViewTimeLimitS }),
      'importViewTimeLimitS',
    );
  }
  if (!result) throw new ImportRefused(fileName, undefined, message('io.gpkg.viewNoAnswer'));
  if (!result.ok) {
    if (result.memory) {
      throw new ImportLimitExceeded(fileName, undefined, message('io.gpkg.viewMemory', { mb: limits.importViewMemoryMb }), 'importViewMemoryMb');
    }
    throw new ImportRefused(fileName, undefined, message('io.gpkg.viewUnreadable', { detail: result.message ?? 'unknown error' }));
  }
  for (const [view, n] of Object.entries(result.rows ?? {})) {
    if (n > limits.importMaxRows) throw new ImportLimitExceeded(fileName, message('io.where.views', { names: view, n: 1 }), message('io.limit.rows', { max: limits.importMaxRows }), 'importMaxRows');
  }
}
