/**
 * One bridge call from the app's own page, the way renderer/api.ts makes it:
 * same origin, so the launch's secret cookie goes with it.
 */
import type { Page } from '@playwright/test';

export function bridgeCall<T>(page: Page, channel: string, args: unknown): Promise<T> {
  return page.evaluate(
    async ([c, a]) => {
      const r = await fetch('api/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel: c, args: a }) });
      const body = await r.json();
      if (!body.ok) throw new Error(body.error.message);
      return body.result;
    },
    [channel, args] as const,
  ) as Promise<T>;
}
