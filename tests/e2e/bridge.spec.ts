/**
 * The browser-mode bridge answers the app's own page and nobody else. Browser
 * mode runs on a temporary copy of the project; a second loopback server
 * plays the stranger's page, in a browser context holding the app's cookie
 * (as the user's browser would once the app was opened, so it would be sent
 * if nothing else stopped it; a context of its own keeps the stranger's pages
 * out of the app page's renderer process). Every hostile call tries to delete
 * a pipe; the pipe count, read by the app's own page, must not move — and the
 * app's own delete still works at the end.
 */
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { createServer, request, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type RunningApp } from './server';
import { bridgeCall } from './bridgeCall';

test.describe.configure({ mode: 'serial' });

let app: RunningApp;
let context: BrowserContext;
let strangers: BrowserContext;
let page: Page;
let stranger: Server;
let strangerUrl: string;
let target: string;

const STRANGER_PAGE = '<!doctype html><html><body><h1>another page</h1></body></html>';

/** A call from the app's own page, the way renderer/api.ts makes it. */
const call = <T>(channel: string, args: unknown): Promise<T> => bridgeCall<T>(page, channel, args);
const pipeCount = async () => (await call<{ counts: { pipes: number } }>('project:info', {})).counts.pipes;
const deleteBody = () => JSON.stringify({ channel: 'edit:delete', args: { layer: 'pipes', ids: [target] } });

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  app = await startApp();
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(app.url);
  await expect(page.locator('.app')).toHaveAttribute('data-status', 'ready');
  target = (await call<{ features: { id: string }[] }>('layer:get', { layer: 'pipes' })).features[0].id;
  stranger = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(STRANGER_PAGE);
  });
  await new Promise<void>((ok) => stranger.listen(0, '127.0.0.1', () => ok()));
  strangers = await browser.newContext();
  await strangers.addCookies(await context.cookies(app.url));
  const addr = stranger.address();
  strangerUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
});

test.afterAll(async () => {
  await strangers?.close();
  await context?.close();
  stranger?.close();
  app?.stop();
});

test('the app’s own page works: it got the secret as an HttpOnly cookie and reads the project', async () => {
  const cookies = await context.cookies(app.url);
  const bridge = cookies.find((c) => c.name.startsWith('warmnet_bridge_'));
  expect(bridge?.httpOnly).toBe(true);
  expect(bridge?.sameSite).toBe('Strict');
  // scripts of the page cannot read it
  expect(await page.evaluate(() => document.cookie)).not.toContain('warmnet_bridge_');
  expect(await pipeCount()).toBeGreaterThan(0);
  const info = await call<{ fileName: string }>('project:info', {});
  expect(info.fileName).toBe('project.gpkg');
});

test('another loopback page holding the app’s cookie cannot call the bridge: text/plain, JSON, a form, an EventSource', async () => {
  const before = await pipeCount();
  expect((await strangers.cookies(app.url)).some((c) => c.name.startsWith('warmnet_bridge_'))).toBe(true);
  const other = await strangers.newPage();
  await other.goto(strangerUrl);
  await expect(other.locator('h1')).toHaveText('another page');
  const results = await other.evaluate(
    async ([base, body]) => {
      const out: Record<string, string> = {};
      const attempt = async (name: string, init: RequestInit) => {
        try {
          const r = await fetch(base + 'api/invoke', init);
          out[name] = `${r.type} ${r.status}`;
        } catch (e) {
          out[name] = `refused ${(e as Error).name}`;
        }
      };
      // the request the hole was found with: a "simple" text/plain POST, no preflight, cookies included
      await attempt('no-cors text/plain', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body });
      await attempt('cors json', { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body });
      await attempt('no-cors no type', { method: 'POST', mode: 'no-cors', credentials: 'include', body: new Blob([body]) });
      out.events = await new Promise<string>((ok) => {
        const es = new EventSource(base + 'api/events', { withCredentials: true });
        es.onopen = () => (es.close(), ok('open'));
        es.onerror = () => (es.close(), ok('refused'));
        setTimeout(() => (es.close(), ok('timeout')), 5000);
      });
      return out;
    },
    [app.url, deleteBody()] as const,
  );
  // a no-cors answer is opaque (status 0) to the page; what matters is that the server did nothing
  expect(results['no-cors text/plain']).toMatch(/^opaque 0$|^refused/);
  expect(results['cors json']).toMatch(/^refused/);
  expect(results['no-cors no type']).toMatch(/^opaque 0$|^refused/);
  expect(results.events).toBe('refused');
  // a top-level form post (enctype text/plain), which a stranger can make without any script permission
  const navigation = other.waitForResponse((r) => r.url().startsWith(app.url + 'api/invoke'));
  await other.evaluate(
    ([action, body]) => {
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = action;
      form.enctype = 'text/plain';
      const input = document.createElement('input');
      input.name = body.slice(0, -2);
      input.value = '"}';
      form.append(input);
      document.body.append(form);
      form.submit();
    },
    [app.url + 'api/invoke', deleteBody()] as const,
  );
  expect((await navigation).status()).toBe(403);
  expect(await pipeCount()).toBe(before);
});

test('the app’s own page cannot send text/plain either', async () => {
  const before = await pipeCount();
  const status = await page.evaluate(async (body) => (await fetch('api/invoke', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body })).status, deleteBody());
  expect(status).toBe(403);
  expect(await pipeCount()).toBe(before);
});

test('another Host (DNS rebinding, localhost) gets neither the page nor the bridge', async () => {
  const before = await pipeCount();
  const port = new URL(app.url).port;
  const other = await strangers.newPage();
  const r = await other.goto(`http://localhost:${port}/`);
  expect(r?.status()).toBe(403);
  await expect(other.locator('.app')).toHaveCount(0);
  // the right cookie with a rebound Host
  const cookie = (await context.cookies(app.url)).filter((c) => c.name.startsWith('warmnet_bridge_')).map((c) => `${c.name}=${c.value}`).join('; ');
  const status = await new Promise<number>((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port: Number(port), method: 'POST', path: '/api/invoke', setHost: false, headers: { Host: `attacker.example:${port}`, Cookie: cookie, 'Content-Type': 'application/json' } },
      (res) => (res.resume(), ok(res.statusCode ?? 0)),
    );
    req.on('error', fail);
    req.end(deleteBody());
  });
  expect(status).toBe(403);
  expect(await pipeCount()).toBe(before);
});

test('without the secret (a browser that never opened the app) the call is refused', async () => {
  const before = await pipeCount();
  const fresh = await (page.context().browser() as Browser).newContext();
  try {
    const r = await fresh.request.post(app.url + 'api/invoke', { headers: { 'Content-Type': 'application/json' }, data: deleteBody() });
    expect(r.status()).toBe(403);
    expect((await r.json()).ok).toBe(false);
  } finally {
    await fresh.close();
  }
  expect(await pipeCount()).toBe(before);
});

test('even the app’s own page cannot make the backend read a path: a secret file beside it stays unread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'warmnet-secret-'));
  const secret = join(dir, 'secret.csv');
  writeFileSync(secret, 'PASSWORD=hunter2,x,y\n1,2,3\n');
  try {
    for (const args of [{ path: secret, layer: 'valves' }, { handle: secret, layer: 'valves' }, { handle: 'f'.repeat(32), layer: 'valves' }]) {
      const answer = await page.evaluate(
        async (a) => (await fetch('api/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel: 'import:preview', args: a }) })).json(),
        args,
      );
      expect(answer.ok).toBe(false);
      // The error crosses the bridge as a typed object; none of its parts may quote the file.
      const error = JSON.stringify(answer.error);
      expect(error).toMatch(/handle/);
      expect(error).not.toContain('hunter2');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the app’s own delete still works', async () => {
  const before = await pipeCount();
  const removed = await call<number>('edit:delete', { layer: 'pipes', ids: [target] });
  expect(removed).toBe(1);
  expect(await pipeCount()).toBe(before - 1);
});
