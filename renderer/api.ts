/**
 * The renderer's one way to the backend: `window.warmnet` from Electron's
 * preload, or the same calls over the loopback HTTP bridge in browser mode.
 * Only the contract's types are imported from electron/.
 */
import type { BackendEvent, BackendEvents, BackendFailure, BridgeApi, Envelope, RuntimeApi } from '../electron/backend/contract';
import type { ValidationIssue } from '../core/model/validate';
import type { Message } from '../core/i18n';

declare global {
  interface Window {
    warmnet?: BridgeApi;
  }
}

/** A call the backend refused: its typed failure (code, params, issues) as it crossed the bridge. */
export class BackendError extends Error {
  readonly code: string;
  readonly params: Record<string, unknown>;
  readonly issues: ValidationIssue[];
  constructor(f: BackendFailure) {
    super(f.message);
    this.name = 'BackendError';
    this.code = f.code;
    this.params = f.params ?? {};
    this.issues = f.issues ?? [];
  }
}

/** What a failure caught from `invoke` says as a typed message, when the backend sent one (`params.said`). */
export function saidOf(e: unknown): Message | null {
  const said = e instanceof BackendError ? e.params.said : undefined;
  return said && typeof said === 'object' && typeof (said as Message).code === 'string' ? (said as Message) : null;
}

/** The code of a failure caught from `invoke` ('failed' for anything that did not come from the backend). */
export function failureCode(e: unknown): string {
  return e instanceof BackendError ? e.code : 'failed';
}

function unwrap(channel: string, body: Envelope | { ok: false; error?: unknown }): unknown {
  if (body.ok) return body.result;
  const f = body.error;
  if (f && typeof f === 'object' && 'code' in f) throw new BackendError(f as BackendFailure);
  throw new BackendError({ code: 'failed', message: typeof f === 'string' ? f : `${channel} failed` });
}

function httpRuntime(): RuntimeApi {
  let source: EventSource | null = null;
  const subs = new Map<string, Set<(p: unknown) => void>>();
  return {
    invoke: (async (channel: string, args: unknown) => {
      // The page's own origin only: the bridge's secret travels as this origin's cookie, calls as JSON.
      const res = await fetch('api/invoke', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ channel, args }),
      });
      if (res.status === 403) throw new BackendError({ code: 'refused', message: `${channel}: refused by browser mode — open the app from the address it printed` });
      return unwrap(channel, (await res.json()) as Envelope);
    }) as RuntimeApi['invoke'],
    on<E extends BackendEvent>(event: E, cb: (payload: BackendEvents[E]) => void) {
      if (!source) source = new EventSource('api/events');
      let set = subs.get(event);
      if (!set) {
        const s = new Set<(p: unknown) => void>();
        subs.set(event, s);
        set = s;
        source.addEventListener(event, (m) => {
          const payload = JSON.parse((m as MessageEvent).data);
          for (const f of s) f(payload);
        });
      }
      set.add(cb as (p: unknown) => void);
      return () => set.delete(cb as (p: unknown) => void);
    },
  };
}

/** True in the desktop app (Electron's preload), false in browser mode. */
export const inDesktopApp = window.warmnet !== undefined;
/** The desktop bridge answers with envelopes; failures become `BackendError`s with their code. */
function desktopRuntime(bridge: BridgeApi): RuntimeApi {
  return {
    invoke: (async (channel: Parameters<BridgeApi['invoke']>[0], args: unknown) => unwrap(channel, await bridge.invoke(channel, args))) as RuntimeApi['invoke'],
    on: (event, cb) => bridge.on(event, cb),
  };
}

export const runtime: RuntimeApi = window.warmnet ? desktopRuntime(window.warmnet) : httpRuntime();
export const invoke = runtime.invoke;
