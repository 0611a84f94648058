/** Messages between the analysis runner (main thread) and its worker thread. */
import type { ProjectData } from '../../../core/model/project';
import type { AnalysisName } from '../../../core/network/analyses';
import type { Feature, LineStringGeom } from '../../../core/model/types';
import type { FeatureChanges } from '../store/api';

/** A project sent as data: its layers and settings, and its plan links where the renewal candidates may be asked for. */
export type ProjectAsData = Pick<ProjectData, 'layers' | 'settings'> & Partial<Pick<ProjectData, 'projectFeatures'>>;

export interface RunMessage {
  type: 'run';
  id: number;
  /** `prepare`: only read the network and build its graph (held for the analyses to come). */
  name: AnalysisName | 'prepare';
  args: unknown;
  /** Project revision key. */
  key: string;
  /** The project as data: sent only for a project that is no file, and only when the worker does not hold this key. */
  project?: ProjectAsData;
  /** The project file the worker reads itself when it does not hold this key. */
  file?: string;
  /** Pipes the worker adds to what it reads of `file` (a what-if's loop option), never written to the file. */
  extraPipes?: Feature<LineStringGeom>[];
  /**
   * The features of `file` written since the revision `from` (a key): a worker that holds `from`,
   * read from the file as it is, re-reads only these and builds the graph anew; any other reads it all.
   */
  delta?: { from: string; changes: FeatureChanges };
  /**
   * Int32Array over a SharedArrayBuffer: [0] 1 = cancel; [1] the main
   * process's word on the state read from `file`: 0 not yet said, 1 it is
   * the revision of `key`, 2 it may be a later one (not kept under `key`).
   */
  cancel: SharedArrayBuffer;
}

/** How a run came by its network: read whole, caught up from the changes, the graph held kept (nothing it reads changed), or already held. */
export type NetworkRead = 'whole' | 'changes' | 'kept' | 'held';

/** Slots of the shared flag. */
export const FLAG_CANCEL = 0;
export const FLAG_VERDICT = 1;
export const VERDICT_SAME = 1;
export const VERDICT_STALE = 2;

export type WorkerReply =
  | { type: 'progress'; id: number; fraction: number }
  /** The read transaction of `file` holds its snapshot now. */
  | { type: 'snapshot'; id: number }
  /** `read`: how the worker came by the network for this run (the whole file, the changes since the revision held, or none: the one held did). */
  | { type: 'done'; id: number; result: unknown; read: NetworkRead }
  | { type: 'error'; id: number; code: 'cancelled' | 'no_source' | 'unknown_pipe' | 'stale' | 'failed' | 'bad_input'; message: string; params?: Record<string, unknown> };

