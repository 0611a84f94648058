/**
 * Worker thread that runs the network analyses off the main thread. It keeps
 * the graph of the last project revision it built, so a series of isolations
 * on one revision builds the graph once.
 *
 * A project that is a file is read here, from the GeoPackage itself (its own
 * read-only connection, one read transaction; readNetwork.ts): the main
 * process sends only the path and the revision it means. Right after the read
 * transaction takes its snapshot the worker says so ('snapshot'); the main
 * process answers through the shared flag whether its revision was still the
 * one asked for (else the state read may be a later one, and the graph is not
 * kept under that revision). A what-if copy of a file comes as the file and
 * the pipes it adds (`extraPipes`); a project that is no file is sent as data.
 *
 * A file at a later revision than the one held, with the features written in
 * between (`delta`), is caught up by re-reading those features alone
 * (patchNetworkInput) and building the graph anew: after an edit of one pipe
 * of a city network the next analysis does not read a million again.
 *
 * The renewal candidates read more of the file than the network holds (the
 * pipes' ages and records, incidents, plan links): that read is made when
 * they run, in a read transaction of its own, said to the main process the
 * same way ('snapshot' again under the run's id): a state later than the
 * revision held makes the run's result stale, as for the network's read.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { prepareNetwork, runAnalysis, type AnalysisResults, type CandidatesRecordsSource, type PreparedNetwork } from '../../../core/network/analyses';
import { columnBuffers } from '../../../core/hydraulics/view';
import { AnalysisCancelled, type NetworkInput } from '../../../core/network/graph';
import type { Feature, LineStringGeom } from '../../../core/model/types';
import { NoSourceError, UnknownPipeError, prepareIsolation } from '../../../core/network/isolate';
import { HydraulicInputError } from '../../../core/hydraulics/network';
import { SaidError } from '../../../core/i18n';
import { openReader, patchNetworkInput, readNetworkInput, withCandidatesRecords } from './readNetwork';
import { FLAG_CANCEL, FLAG_VERDICT, VERDICT_STALE, type NetworkRead, type RunMessage, type WorkerReply } from './protocol';

export type { RunMessage, WorkerReply } from './protocol';

/**
 * The graph held, its key, and (for a file read) the flag that says whether the state read is that
 * key's, and the input read (when it is the file as it was: a later revision re-reads only what changed).
 */
let held: { key: string; net: PreparedNetwork; flag?: Int32Array; input?: NetworkInput } | null = null;
let reader: { path: string; db: Database.Database } | null = null;

function readerOf(path: string): Database.Database {
  if (reader?.path !== path) {
    reader?.db.close();
    reader = null;
    reader = { path, db: openReader(path) };
  }
  return reader.db;
}

/**
 * Networks of at least this many pipes collect garbage once a hydraulic run's solve is done and
 * once its answer is posted. At a million pipes the solve leaves ~400 MB of dead work arrays and
 * the answer's making ~250 MB of dead objects; whether the engine had collected them in time
 * decided a later scenario's peak (1.78–2.01 GB over five runs). A collection costs 0.4–0.8 s of a
 * 30 s run.
 */
const COLLECT_MIN_PIPES = 200_000;
let collectGarbage: (() => void) | null = null;

function collectOn(net: PreparedNetwork): void {
  if (net.graph.input.layers.pipes.length < COLLECT_MIN_PIPES) return;
  if (!collectGarbage) {
    // the engine's own collector, asked for by name (no flag at the process's start)
    setFlagsFromString('--expose-gc');
    collectGarbage = runInNewContext('gc') as () => void;
  }
  collectGarbage();
}

/** The input with pipes added after those read (a what-if's option): the read arrays are not copied element by element twice. */
function withPipes(input: NetworkInput, extra: Feature<LineStringGeom>[]): NetworkInput {
  return { ...input, layers: { ...input.layers, pipes: input.layers.pipes.concat(extra) } };
}

parentPort?.on('message', (msg: RunMessage) => {
  const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(reply, transfer);
  const flag = new Int32Array(msg.cancel);
  const signal = { get aborted() { return Atomics.load(flag, FLAG_CANCEL) === 1; } };
  // Every read of the file in this run (the network's, the candidates' records) says its moment and stops when cancelled.
  const hooks = {
    onSnapshot: () => post({ type: 'snapshot', id: msg.id }),
    checkCancel: () => {
      if (signal.aborted) throw new AnalysisCancelled();
    },
  };
  try {
    // A graph read from a file at a revision the main process had already left is not that revision's.
    if (held?.flag && Atomics.load(held.flag, FLAG_VERDICT) === VERDICT_STALE) held = null;
    let read: NetworkRead = 'held';
    if (!held || held.key !== msg.key) {
      // What was read at the revision the changes start from, if that is what is held.
      let prev = msg.delta && held?.key === msg.delta.from && held.input ? { input: held.input, net: held.net } : null;
      held = null;
      if (msg.file) {
        const db = readerOf(msg.file);
        const patched = prev && msg.delta ? patchNetworkInput(db, prev.input, msg.delta.changes, hooks) : null;
        const input = patched ?? readNetworkInput(db, hooks);
        const net = msg.extraPipes?.length ? withPipes(input, msg.extraPipes) : input;
        // Nothing the network reads was written (an incident recorded): the graph held is this revision's too.
        const reuse = prev !== null && input === prev.input && !msg.extraPipes?.length ? prev.net : null;
        prev = null; // an earlier graph is let go before the new one is built
        read = reuse ? 'kept' : patched ? 'changes' : 'whole';
        held = { key: msg.key, net: reuse ?? prepareNetwork(net), flag, ...(msg.extraPipes?.length ? {} : { input }) };
      } else if (msg.project) {
        read = 'whole';
        held = { key: msg.key, net: prepareNetwork(msg.project) };
      } else {
        post({ type: 'error', id: msg.id, code: 'stale', message: 'worker does not hold this revision' });
        return;
      }
    }
    // This run's own read of what the candidates need, when the network came from the file
    // (a project sent as data holds them itself).
    const file = msg.file;
    const records: CandidatesRecordsSource | undefined = file ? (use) => withCandidatesRecords(readerOf(file), hooks, use) : undefined;
    if (msg.name === 'prepare') {
      // what the first isolation would make on first need, made now
      prepareIsolation(held.net.segments);
      post({ type: 'done', id: msg.id, result: null, read });
      return;
    }
    const net = held.net;
    const result = runAnalysis(
      msg.name,
      net,
      msg.args as never,
      { onProgress: (fraction) => post({ type: 'progress', id: msg.id, fraction }), signal, onSolved: () => collectOn(net) },
      records,
    );
    const hydraulic = msg.name === 'hydraulics';
    // a hydraulic run's columns are this answer's alone: handed over, not copied
    post({ type: 'done', id: msg.id, result, read }, hydraulic ? columnBuffers((result as AnalysisResults['hydraulics']).columns) : []);
    // what the answer's making left (the view, its copy for the message) goes before the next run
    if (hydraulic) collectOn(net);
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
