/**
 * Runs network analyses in a worker thread with progress events and cancel,
 * and caches results per project revision (the store's `revision()`), so the
 * app's IPC handlers can call it for every click without recomputing.
 *
 * Usage (the app binds this to `analysis:*` channels):
 *   const runner = new AnalysisRunner();
 *   const r = await runner.run({ path, revision: store.revision(), project: () => store.snapshot() },
 *                              'isolate', { pipeId: 'P-0034' }, { onProgress, signal });
 */
import { Worker } from 'node:worker_threads';
import type { ProjectData } from '../../../core/model/project';
import type { AnalysisArgs, AnalysisName, AnalysisResults } from '../../../core/network/analyses';
import type { RunMessage, WorkerReply } from './worker';

/** Which project revision to analyse; `project` is only called on a cache miss. */
export interface ProjectRef {
  path: string;
  revision: number;
  project: () => Pick<ProjectData, 'layers' | 'settings'>;
}

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
}

export class AnalysisRunner {
  private worker: Worker | null = null;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  /** Revision key the worker holds a graph for. */
  private workerKey: string | null = null;
  /** path → { revision key, results by analysis + args }. Only the latest revision per file is kept. */
  private cache = new Map<string, { key: string; results: Map<string, unknown> }>();
  /** How many analyses actually ran in the worker (tests read it to prove cache hits). */
  runs = 0;

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
      else {
        this.pending.delete(reply.id);
        // An idle worker must not keep the process alive; a busy one must.
        if (this.pending.size === 0) w.unref();
        if (reply.type === 'done') p.resolve(reply.result);
        else p.reject(new AnalysisError(reply.code, reply.message, reply.params));
      }
    });
    w.on('error', (err) => this.failAll(err));
    w.on('exit', () => {
      this.worker = null;
      this.workerKey = null;
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
    const key = `${ref.path}@${ref.revision}`;
    const argKey = `${name}:${JSON.stringify(args)}`;
    let entry = this.cache.get(ref.path);
    if (!entry || entry.key !== key) this.cache.set(ref.path, (entry = { key, results: new Map() }));
    if (entry.results.has(argKey)) {
      opts.onProgress?.(1);
      return entry.results.get(argKey) as AnalysisResults[K];
    }
    if (opts.signal?.aborted) throw new AnalysisError('cancelled', 'analysis cancelled');
    const worker = this.spawn();
    const id = this.nextId++;
    const cancel = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancel);
    const onAbort = () => Atomics.store(flag, 0, 1);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const send = (withProject: boolean) =>
      new Promise<unknown>((resolve, reject) => {
        this.pending.set(id, { resolve, reject, onProgress: opts.onProgress });
        worker.ref();
        const msg: RunMessage = { type: 'run', id, name, args, key, cancel, project: withProject ? ref.project() : undefined };
        worker.postMessage(msg);
      });
    try {
      this.runs++;
      let result: unknown;
      try {
        result = await send(this.workerKey !== key);
      } catch (err) {
        // The worker was restarted or moved on: send the project again.
        if (!(err instanceof AnalysisError && err.code === 'stale')) throw err;
        result = await send(true);
      }
      this.workerKey = key;
      if (this.cache.get(ref.path)?.key === key) this.cache.get(ref.path)!.results.set(argKey, result);
      return result as AnalysisResults[K];
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
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
