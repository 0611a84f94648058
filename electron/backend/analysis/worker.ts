/**
 * Worker thread that runs the network analyses off the main thread. It keeps
 * the graph of the last project revision it was sent, so a series of
 * isolations on one revision builds the graph once.
 */
import { parentPort } from 'node:worker_threads';
import type { ProjectData } from '../../../core/model/project';
import { prepareNetwork, runAnalysis, type AnalysisName, type PreparedNetwork } from '../../../core/network/analyses';
import { AnalysisCancelled } from '../../../core/network/graph';
import { NoSourceError, UnknownPipeError } from '../../../core/network/isolate';
import { HydraulicInputError } from '../../../core/hydraulics/network';
import { SaidError } from '../../../core/i18n';

export interface RunMessage {
  type: 'run';
  id: number;
  name: AnalysisName;
  args: unknown;
  /** Project revision key; `project` is sent only when the worker does not hold this key. */
  key: string;
  project?: Pick<ProjectData, 'layers' | 'settings'>;
  /** Int32Array over a SharedArrayBuffer: 1 = cancel. */
  cancel: SharedArrayBuffer;
}

export type WorkerReply =
  | { type: 'progress'; id: number; fraction: number }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'error'; id: number; code: 'cancelled' | 'no_source' | 'unknown_pipe' | 'stale' | 'failed' | 'bad_input'; message: string; params?: Record<string, unknown> };

let held: { key: string; net: PreparedNetwork } | null = null;

parentPort?.on('message', (msg: RunMessage) => {
  const post = (reply: WorkerReply) => parentPort!.postMessage(reply);
  const flag = new Int32Array(msg.cancel);
  try {
    if (!held || held.key !== msg.key) {
      if (!msg.project) {
        post({ type: 'error', id: msg.id, code: 'stale', message: 'worker does not hold this revision' });
        return;
      }
      held = { key: msg.key, net: prepareNetwork(msg.project) };
    }
    const result = runAnalysis(msg.name, held.net, msg.args as never, {
      onProgress: (fraction) => post({ type: 'progress', id: msg.id, fraction }),
      signal: { get aborted() { return Atomics.load(flag, 0) === 1; } },
    });
    post({ type: 'done', id: msg.id, result });
  } catch (err) {
    const code =
      err instanceof AnalysisCancelled
        ? 'cancelled'
        : err instanceof NoSourceError
          ? 'no_source'
          : err instanceof UnknownPipeError
            ? 'unknown_pipe'
            : err instanceof HydraulicInputError
              ? 'bad_input'
              : 'failed';
    const said = err instanceof SaidError ? { said: err.said } : {};
    const params = err instanceof HydraulicInputError ? { ...err.params, code: err.code, ...said } : err instanceof SaidError ? said : undefined;
    post({ type: 'error', id: msg.id, code, message: (err as Error)?.message ?? String(err), ...(params ? { params } : {}) });
  }
});
