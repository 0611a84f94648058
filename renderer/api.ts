/**
 * The renderer's one way to the backend: `window.warmnet` from Electron's
 * preload, or the same calls over the loopback HTTP bridge in browser mode.
 * Only the contract's types are imported from electron/.
 */
import type { BackendEvent, BackendEvents, RuntimeApi } from '../electron/backend/contract';

declare global {
  interface Window {
    warmnet?: RuntimeApi;
  }
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
      if (res.status === 403) throw new Error(`${channel}: refused by browser mode — open the app from the address it printed / 浏览器模式拒绝了请求，请从启动时显示的地址打开`);
      const body = (await res.json()) as { ok: boolean; result?: unknown; error?: string };
      if (!body.ok) throw new Error(body.error ?? `${channel} failed`);
      return body.result;
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
export const runtime: RuntimeApi = window.warmnet ?? httpRuntime();
export const invoke = runtime.invoke;
