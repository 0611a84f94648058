/**
 * Runs network analyses in a worker thread with progress events and cancel,
 * and caches results per project revision (the store's `revision()`), so the
 * app's IPC handlers can call it for every click without recomputing.
 *
 * A project that is a GeoPackage file is read by the worker itself (`file`):
 * nothing of the project crosses the thread boundary. The worker tells when
 * its read transaction holds its snapshot; if the store's revision moved
 * between the request and that moment the state read may be a later one, so
 * the run is repeated at the store's revision now and nothing is kept under
 * the old one. A run may read twice (the renewal candidates read their records
 * apart from the network the worker holds): each read says its moment, and
 * either one at a later state makes the run stale. A what-if copy of a file
 * is the file plus the pipes it adds (`extraPipes`, a loop option): the
 * worker reads the file and adds them.
 * A project that is no file goes as data.
 *
 * Two callers asking for the same analysis of the same revision while it runs
 * (the drawer and a panel, two windows) share one run: each gets its progress,
 * and the run is cancelled only when every caller waiting on it has cancelled.
 *
 * Usage (the app binds this to `analysis:*` channels):
 *   const runner = new AnalysisRunner();
 *   const r = await runner.run({ path, revision: store.revision(), project: () => store.snapshot(),
 *                                file: { path, revisionNow: () => store.revision() } },
 *                              'isolate', { pipeId: 'P-0034' }, { onProgress, signal });
 */
import { existsSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Feature, LineStringGeom } from '../../../core/model/types';
import type { AnalysisArgs, AnalysisName, AnalysisResults } from '../../../core/network/analyses';
import type { FeatureChanges } from '../store/api';
import { FLAG_CANCEL, FLAG_VERDICT, VERDICT_SAME, VERDICT_STALE, type NetworkRead, type ProjectAsData, type RunMessage, type WorkerReply } from './protocol';

/** Which project revision to analyse; `project` is only called on a cache miss, and never when `file` is given. */
export interface ProjectRef {
  path: string;
  revision: number;
  project: () => ProjectAsData;
  /**
   * The GeoPackage the worker reads itself, and the store's revision at any moment (to check what was
   * read); `changesSince`, the features written since a revision (a worker holding it re-reads only those).
   */
  file?: { path: string; revisionNow: () => number; changesSince?: (revision: number) => FeatureChanges | null };
  /** Pipes added, in the worker, to what it reads of `file` (a what-if's option); never written to the file. */
  extraPipes?: Feature<LineStringGeom>[];
}

/** Whether a store's path is a plain file the worker can open (not an in-memory or virtual name). */
export function isPlainFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The hydraulic runs a revision keeps, counted in the pipes their columns hold (at a million pipes a
 * run holds ~140 bytes a pipe in this process: its columns, ids, stations' and balancing rows):
 * every scenario of a town's network, one of a city's at a time. Without a bound each scenario asked
 * at a million pipes kept ~150 MB more for as long as the project was not edited. The latest run is
 * always kept.
 */
export const HYDRAULIC_RESULTS_KEPT_MAX_PIPES = 1_000_000;

/** How many times a run whose read met a newer revision is repeated before its result is given uncached. */
const STALE_RETRIES = 3;

export interface RunOptions {
  onProgress?(fraction: number): void;
  signal?: AbortSignal;
}

/** A failed or cancelled analysis; `code` tells the UI which message to show. */
export class AnalysisError extends Error {
  constructor(
    public code: 'cancelled' | 'no_source' | 'unknown_pipe' | 'stale' | 'failed' | 'bad_input',
    message: string,
    /** What the refusal names (feature ids, field), for bad input. */
    public params?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AnalysisError';
  }
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onProgress?(fraction: number): void;
  key: string;
  flag: Int32Array;
  /** The store's revision now, for a run that reads the file. */
  revisionNow?: () => number;
  revision: number;
}

/** What a run came back with: the result, and whether the state it was computed on may be newer than its key. */
interface Outcome {
  result: unknown;
  stale: boolean;
}

/** A run in the worker and the callers waiting on it. */
interface Shared {
  outcome: Promise<Outcome>;
  /** Each waiting caller's progress listener. */
  listeners: Set<(fraction: number) => void>;
  /** Callers still waiting; the run is cancelled when the last one leaves. */
  waiting: number;
  /** The run's cancel flag (shared with the worker). */
  flag: Int32Array;
}

const cancelled = () => new AnalysisError('cancelled', 'analysis cancelled');

export class AnalysisRunner {
  private worker: Worker | null = null;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  /** Revision key the worker holds a graph for. */
  private workerKey: string | null = null;
  /** The file and revision the worker's graph was read from, when it is the file as it was (no pipes added). */
  private workerFile: { path: string; revision: number } | null = null;
  /** How the worker came by the network of its last run (tests read it; protocol.ts NetworkRead). */
  lastRead: NetworkRead | null = null;
  /** path → { revision key, results by analysis + args }. Only the latest revision per file is kept. */
  private cache = new Map<string, { key: string; results: Map<string, unknown> }>();
  /** Keys whose file read met a later revision: nothing is ever kept or trusted under them. */
  private staleKeys = new Set<string>();
  /** Runs in the worker by revision key and analysis + args, while they run. */
  private inflight = new Map<string, Shared>();
  /** How many analyses actually ran in the worker (tests read it to prove cache hits). */
  runs = 0;
  /** The last message sent to the worker, less the project data it may carry (tests read it to prove what crossed the thread boundary). */
  lastMessage: (Omit<RunMessage, 'project'> & { withProject: boolean }) | null = null;

  /** `keptHydraulicPipes`: HYDRAULIC_RESULTS_KEPT_MAX_PIPES (tests set a smaller bound). */
  constructor(private readonly keptHydraulicPipes = HYDRAULIC_RESULTS_KEPT_MAX_PIPES) {}

  private spawn(): Worker {
    if (this.worker) return this.worker;
    // Under plain Node (tests, browser mode, CLI) the worker is TypeScript run through tsx;
    // the packaged app points `WARMNET_ANALYSIS_WORKER` at its bundled worker instead.
    const bundled = process.env.WARMNET_ANALYSIS_WORKER;
    const w = bundled
      ? new Worker(bundled)
      : new Worker(new URL('./worker-tsx.mjs', import.meta.url));
    w.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      if (reply.type === 'progress') p.onProgress?.(reply.fraction);
      else if (reply.type === 'snapshot') {
        // No write between the request and this moment: the state read is the request's revision.
        const same = p.revisionNow?.() === p.revision;
        if (!same) this.staleKeys.add(p.key);
        Atomics.store(p.flag, FLAG_VERDICT, same ? VERDICT_SAME : VERDICT_STALE);
      } else {
        this.pending.delete(reply.id);
        // An idle worker must not keep the process alive; a busy one must.
        if (this.pending.size === 0) w.unref();
        if (reply.type === 'done') {
          this.lastRead = reply.read;
          p.resolve({ result: reply.result, stale: this.staleKeys.has(p.key) } satisfies Outcome);
        }
        else p.reject(new AnalysisError(reply.code, reply.message, reply.params));
      }
    });
    w.on('error', (err) => this.failAll(err));
    w.on('exit', () => {
      this.worker = null;
      this.workerKey = null;
      this.workerFile = null;
      this.failAll(new AnalysisError('failed', 'analysis worker stopped'));
    });
    w.unref();
    this.worker = w;
    return w;
  }

  private failAll(err: Error): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(err);
    }
  }

  async run<K extends AnalysisName>(
    ref: ProjectRef,
    name: K,
    args: AnalysisArgs[K],
    opts: RunOptions = {},
  ): Promise<AnalysisResults[K]> {
    return (await this.atRevision(ref, name, args, opts)) as AnalysisResults[K];
  }

  private async atRevision(ref: ProjectRef, name: AnalysisName | 'prepare', args: unknown, opts: RunOptions): Promise<unknown> {
    let revision = ref.revision;
    for (let attempt = 0; ; attempt++) {
      const key = `${ref.path}@${revision}`;
      const out = await this.runAt(ref, revision, key, name, args, opts);
      if (!out.stale) return out.result;
      // The worker read a state later than `revision`: ask again at the revision now.
      const now = ref.file!.revisionNow();
      if (attempt >= STALE_RETRIES || now === revision) return out.result;
      revision = now;
    }
  }

  private async runAt(ref: ProjectRef, revision: number, key: string, name: AnalysisName | 'prepare', args: unknown, opts: RunOptions): Promise<Outcome> {
    const argKey = `${name}:${JSON.stringify(args)}`;
    let entry = this.cache.get(ref.path);
    if (!entry || entry.key !== key) this.cache.set(ref.path, (entry = { key, results: new Map() }));
    if (entry.results.has(argKey)) {
      opts.onProgress?.(1);
      const result = entry.results.get(argKey);
      // the most recently asked last: a bound on what is kept lets the longest unasked go first
      entry.results.delete(argKey);
      entry.results.set(argKey, result);
      return { result, stale: false };
    }
    if (opts.signal?.aborted) throw cancelled();
    const runKey = `${key}\n${argKey}`;
    let shared = this.inflight.get(runKey);
    if (!shared) {
      const flag = new Int32Array(new SharedArrayBuffer(8));
      const listeners = new Set<(fraction: number) => void>();
      const run: Shared = { outcome: this.execute(ref, revision, key, name, args, argKey, flag, (f) => listeners.forEach((l) => l(f))), listeners, waiting: 0, flag };
      this.inflight.set(runKey, run);
      const done = () => {
        if (this.inflight.get(runKey) === run) this.inflight.delete(runKey);
      };
      run.outcome.then(done, done);
      shared = run;
    }
    return this.join(runKey, shared, opts);
  }

  /** Waits on a shared run; a caller that cancels leaves it, and the last one to leave cancels it. */
  private join(runKey: string, shared: Shared, opts: RunOptions): Promise<Outcome> {
    shared.waiting++;
    const onProgress = opts.onProgress;
    if (onProgress) shared.listeners.add(onProgress);
    return new Promise<Outcome>((resolve, reject) => {
      let settled = false;
      const leave = () => {
        settled = true;
        if (onProgress) shared.listeners.delete(onProgress);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (settled) return;
        leave();
        if (--shared.waiting === 0) {
          Atomics.store(shared.flag, FLAG_CANCEL, 1);
          // A caller coming after this starts a run of its own rather than join a cancelled one.
          if (this.inflight.get(runKey) === shared) this.inflight.delete(runKey);
        }
        reject(cancelled());
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      shared.outcome.then(
        (o) => {
          if (settled) return;
          leave();
          resolve(o);
        },
        (e: Error) => {
          if (settled) return;
          leave();
          reject(e);
        },
      );
    });
  }

  /** One run in the worker; its result is kept under `key` unless the state it read was later. */
  private async execute(
    ref: ProjectRef,
    revision: number,
    key: string,
    name: AnalysisName | 'prepare',
    args: unknown,
    argKey: string,
    flag: Int32Array,
    onProgress: (fraction: number) => void,
  ): Promise<Outcome> {
    const worker = this.spawn();
    const id = this.nextId++;
    const cancel = flag.buffer as SharedArrayBuffer;
    const file = ref.file;
    // A worker holding an earlier revision of this file re-reads only what was written since.
    const held = this.workerFile;
    const changes = file && !ref.extraPipes?.length && held?.path === ref.path && this.workerKey !== key ? (file.changesSince?.(held.revision) ?? null) : null;
    const delta = changes && held ? { from: `${held.path}@${held.revision}`, changes } : undefined;
    const send = (withData: boolean) =>
      new Promise<Outcome>((resolve, reject) => {
        this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress, key, flag, revision, ...(file ? { revisionNow: file.revisionNow } : {}) });
        worker.ref();
        const msg: RunMessage = file
          ? { type: 'run', id, name, args, key, cancel, file: file.path, ...(ref.extraPipes?.length ? { extraPipes: ref.extraPipes } : {}), ...(delta ? { delta } : {}) }
          : { type: 'run', id, name, args, key, cancel, project: withData ? ref.project() : undefined };
        const { project: sent, ...rest } = msg;
        this.lastMessage = { ...rest, withProject: sent !== undefined };
        worker.postMessage(msg);
      });
    this.runs++;
    let out: Outcome;
    try {
      out = await send(this.workerKey !== key);
    } catch (err) {
      // The worker was restarted or moved on: send the project again.
      if (!(err instanceof AnalysisError && err.code === 'stale')) throw err;
      out = await send(true);
    }
    if (out.stale) {
      this.workerKey = null;
      this.workerFile = null;
      if (this.cache.get(ref.path)?.key === key) this.cache.delete(ref.path);
      return out;
    }
    this.workerKey = key;
    this.workerFile = file && !ref.extraPipes?.length ? { path: ref.path, revision } : null;
    const entry = this.cache.get(ref.path);
    if (entry?.key === key) {
      entry.results.set(argKey, out.result);
      if (name === 'hydraulics') this.boundHydraulics(entry.results);
    }
    return out;
  }

  /** Lets the least recently asked hydraulic runs go while those kept hold more than the bound's pipes. */
  private boundHydraulics(results: Map<string, unknown>): void {
    const runs = [...results].filter(([k]) => k.startsWith('hydraulics:')) as [string, AnalysisResults['hydraulics']][];
    let pipes = 0;
    for (const [, r] of runs) pipes += r.columns.ids.length;
    for (const [k, r] of runs.slice(0, -1)) {
      if (pipes <= this.keptHydraulicPipes) break;
      results.delete(k);
      pipes -= r.columns.ids.length;
    }
  }

  /**
   * Reads the network of `ref` in the worker and builds its graph, so that the first analysis of this
   * revision finds it held (the app asks once the map first stands drawn: at a million pipes the
   * read is most of a first analysis's time). An analysis asked for meanwhile waits its turn in the
   * worker and then runs on what this read; cancelled with `opts.signal` like a run.
   */
  async prepare(ref: ProjectRef, opts: RunOptions = {}): Promise<void> {
    await this.atRevision(ref, 'prepare', {}, opts);
  }

  /** Forget cached results (all files, or one). */
  invalidate(path?: string): void {
    if (path) this.cache.delete(path);
    else this.cache.clear();
  }

  async dispose(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
