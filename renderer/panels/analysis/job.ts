/**
 * One analysis call with a run id: progress from the backend's
 * `analysis:progress` events, and cancel through `analysis:cancel`. The
 * analyses themselves run in the backend's worker thread, never here.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ArgsOf, Channel, ResultOf } from '../../../electron/backend/contract';
import { failureCode, invoke, runtime, saidOf } from '../../api';
import type { Message } from '../../../core/i18n';

let counter = 0;
const newRunId = () => `run-${Date.now().toString(36)}-${++counter}`;

export interface JobState {
  running: boolean;
  fraction: number;
  error: string | null;
  /** The failure's code as the backend sent it (`cancelled`, `no_source` …); null while none. */
  errorCode: string | null;
  /** What the backend said went wrong, as a typed message (said in the UI's language). */
  errorSaid?: Message | null;
  channel: Channel | null;
}

/** Start analyses one at a time; a new start cancels the one still running. */
export function useJob() {
  const [state, setState] = useState<JobState>({ running: false, fraction: 0, error: null, errorCode: null, channel: null });
  const current = useRef<string | null>(null);

  useEffect(() => {
    const off = runtime.on('analysis:progress', (p) => {
      if (p.runId === current.current) setState((s) => ({ ...s, fraction: Math.max(s.fraction, p.fraction) }));
    });
    return () => {
      off();
      if (current.current) void invoke('analysis:cancel', { runId: current.current }).catch(() => undefined);
    };
  }, []);

  const cancel = useCallback(() => {
    if (current.current) void invoke('analysis:cancel', { runId: current.current }).catch(() => undefined);
  }, []);

  const start = useCallback(async <K extends Channel>(channel: K, args: ArgsOf<K>): Promise<ResultOf<K> | null> => {
    if (current.current) void invoke('analysis:cancel', { runId: current.current }).catch(() => undefined);
    const runId = newRunId();
    current.current = runId;
    setState({ running: true, fraction: 0, error: null, errorCode: null, channel });
    try {
      const result = await invoke(channel, { ...(args as object), runId } as ArgsOf<K>);
      if (current.current === runId) {
        current.current = null;
        setState({ running: false, fraction: 1, error: null, errorCode: null, channel });
        return result;
      }
      return null;
    } catch (e) {
      if (current.current === runId) {
        current.current = null;
        setState({ running: false, fraction: 0, error: (e as Error).message, errorCode: failureCode(e), errorSaid: saidOf(e), channel });
      }
      return null;
    }
  }, []);

  return { ...state, start, cancel };
}
