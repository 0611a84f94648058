import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebServer, type WebServer } from './web';
import { writeFixtureProject } from '../tests/e2e/fixture';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP request to the server, every header as given (fetch would fill in Host and Origin itself). */
function raw(web: WebServer, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const { port } = new URL(web.url);
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: Number(port), method, path, headers, setHost: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

let dir: string;
let web: WebServer;
let host: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-web-'));
  // the bridge wants a built renderer; the API does not need a real one
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html>');
  const project = join(dir, 'p.gpkg');
  writeFixtureProject(project);
  web = await startWebServer({ projectPath: project, port: 0, distDir: join(dir, 'dist') });
  host = new URL(web.url).host;
});
afterAll(async () => {
  await web.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A call the way the app's page makes it: its Host, its cookie, a JSON body. */
const own = (channel: string, args: unknown, extra: Record<string, string> = {}) =>
  raw(web, 'POST', '/api/invoke', { Host: host, Cookie: web.cookie, 'Content-Type': 'application/json', ...extra }, JSON.stringify({ channel, args }));
const call = async (channel: string, args: unknown) => (await own(channel, args)).body;

describe('browser bridge: layer:get answers', () => {
  it('serves the same layer twice alike, and the edited layer after an edit (the written JSON is kept per revision only)', async () => {
    const first = await call('layer:get', { layer: 'pipes' });
    expect(await call('layer:get', { layer: 'pipes' })).toBe(first);
    const pipes = JSON.parse(first).result.features as { id: string; properties: { dn: number } }[];
    expect(pipes.length).toBeGreaterThan(0);
    const target = pipes[0];
    const dn = target.properties.dn === 200 ? 250 : 200;
    web.store.updateFeature('pipes', String(target.id), { properties: { dn } });
    const after = JSON.parse(await call('layer:get', { layer: 'pipes' })).result.features as typeof pipes;
    expect(after.find((f) => f.id === target.id)!.properties.dn).toBe(dn);
    // other channels are written fresh each time and still answer
    expect(JSON.parse(await call('layer:get', { layer: 'nope' })).ok).toBe(false);
  });
});

describe('browser bridge: only the app’s own page', () => {
  it('listens on 127.0.0.1 only', () => {
    const addr = web.server.address();
    expect(typeof addr === 'object' && addr?.address).toBe('127.0.0.1');
  });

  it('the page is served with the launch’s secret as an HttpOnly SameSite=Strict cookie, and a call with it works', async () => {
    const page = await raw(web, 'GET', '/', { Host: host });
    expect(page.status).toBe(200);
    const setCookie = String(page.headers['set-cookie']);
    expect(setCookie).toContain(web.cookie);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(web.cookie.split('=')[1].length).toBeGreaterThanOrEqual(40);
    const cookie = setCookie.split(';')[0];
    const r = await raw(web, 'POST', '/api/invoke', { Host: host, Cookie: cookie, 'Content-Type': 'application/json', Origin: `http://${host}` }, JSON.stringify({ channel: 'project:info', args: {} }));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).ok).toBe(true);
    // the event stream takes the same cookie
    const events = await new Promise<number>((ok, fail) => {
      const req = request({ host: '127.0.0.1', port: Number(new URL(web.url).port), path: '/api/events', headers: { Host: host, Cookie: cookie }, setHost: false }, (res) => {
        ok(res.statusCode ?? 0);
        res.destroy();
      });
      req.on('error', fail);
      req.end();
    });
    expect(events).toBe(200);
  });

  it('a second launch: another secret; it sweeps a crashed run’s uploads at start and removes its own on close', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = join(tmpdir(), `warmnet-uploads-${gone}-test${Date.now()}`);
    mkdirSync(join(stale, 'h'), { recursive: true });
    writeFileSync(join(stale, 'h', 'left.csv'), 'x');
    const other = await startWebServer({ projectPath: join(dir, 'p.gpkg'), port: 0, distDir: join(dir, 'dist') });
    let folder: string | null | undefined;
    try {
      expect(existsSync(stale)).toBe(false);
      expect(other.cookie.split('=')[1]).not.toBe(web.cookie.split('=')[1]);
      // an upload through the guarded bridge lands in the server's own folder
      const r = await raw(other, 'POST', '/api/invoke', { Host: new URL(other.url).host, Cookie: other.cookie, 'Content-Type': 'application/json' }, JSON.stringify({ channel: 'import:upload', args: { files: [{ name: 'w.csv', base64: Buffer.from('a,b\n').toString('base64') }] } }));
      const up = JSON.parse(r.body);
      expect(up.ok).toBe(true);
      expect(up.result.handle).toMatch(/^[0-9a-f]{32}$/);
      folder = other.uploads.folderPath;
      expect(existsSync(join(folder!, up.result.handle, 'w.csv'))).toBe(true);
    } finally {
      await other.close();
    }
    expect(existsSync(folder!)).toBe(false);
  });

  it('refuses with 403 and deletes nothing: no secret, a wrong one, text/plain, another Host, another Origin, a cross-site fetch, a detour path', async () => {
    const count = async () => JSON.parse(await call('layer:get', { layer: 'pipes' })).result.features.length as number;
    const before = await count();
    // The previous test's second server wrote the same file; let this store see that now, so the
    // revision below moves only if one of these requests writes (the bridge polls every 250 ms).
    web.store.changedExternally();
    const revision = web.store.revision();
    const target = JSON.parse(await call('layer:get', { layer: 'pipes' })).result.features[0].id as string;
    const del = JSON.stringify({ channel: 'edit:delete', args: { layer: 'pipes', ids: [target] } });
    const json = { 'Content-Type': 'application/json' };
    const attempts: [string, string, string, Record<string, string>][] = [
      ['no secret', 'POST', '/api/invoke', { Host: host, ...json }],
      ['a wrong secret', 'POST', '/api/invoke', { Host: host, Cookie: `${web.cookie.split('=')[0]}=guess`, ...json }],
      ['another port’s cookie name', 'POST', '/api/invoke', { Host: host, Cookie: `warmnet_bridge_1=${web.cookie.split('=')[1]}`, ...json }],
      ['text/plain', 'POST', '/api/invoke', { Host: host, Cookie: web.cookie, 'Content-Type': 'text/plain;charset=UTF-8' }],
      ['no body type', 'POST', '/api/invoke', { Host: host, Cookie: web.cookie }],
      ['form', 'POST', '/api/invoke', { Host: host, Cookie: web.cookie, 'Content-Type': 'application/x-www-form-urlencoded' }],
      ['DNS rebinding (another Host)', 'POST', '/api/invoke', { Host: `evil.example:${new URL(web.url).port}`, Cookie: web.cookie, ...json }],
      ['localhost', 'POST', '/api/invoke', { Host: `localhost:${new URL(web.url).port}`, Cookie: web.cookie, ...json }],
      ['another loopback page', 'POST', '/api/invoke', { Host: host, Cookie: web.cookie, Origin: 'http://127.0.0.1:1', ...json }],
      ['another site', 'POST', '/api/invoke', { Host: host, Cookie: web.cookie, Origin: 'https://evil.example', ...json }],
      ['a sandboxed frame', 'POST', '/api/invoke', { Host: host, Cookie: web.cookie, Origin: 'null', ...json }],
      ['a same-site fetch', 'POST', '/api/invoke', { Host: host, Cookie: web.cookie, 'Sec-Fetch-Site': 'same-site', ...json }],
      ['a detour path', 'POST', '/x/../api/invoke', { Host: host, ...json }],
      ['a GET', 'GET', '/api/invoke', { Host: host, Cookie: web.cookie }],
      ['an unknown api address', 'POST', '/api/other', { Host: host, Cookie: web.cookie, ...json }],
      ['a CORS preflight', 'OPTIONS', '/api/invoke', { Host: host, Origin: 'http://127.0.0.1:1', 'Access-Control-Request-Method': 'POST' }],
    ];
    for (const [why, method, path, headers] of attempts) {
      const r = await raw(web, method, path, headers, method === 'POST' ? del : undefined);
      expect(r.status, why).toBe(403);
      expect(JSON.parse(r.body).ok, why).toBe(false);
      expect(r.headers['access-control-allow-origin'], why).toBeUndefined();
    }
    // Without any Host, Node's own parser answers 400 before the bridge sees it.
    expect([400, 403]).toContain((await raw(web, 'POST', '/api/invoke', { Cookie: web.cookie, ...json }, del)).status);
    expect(web.store.revision()).toBe(revision);
    expect(await count()).toBe(before);
    // and the app's own call still does it
    const done = JSON.parse((await own('edit:delete', { layer: 'pipes', ids: [target] })).body);
    expect(done).toMatchObject({ ok: true, result: 1 });
    expect(await count()).toBe(before - 1);
  });

  it('refuses the page and the event stream to another Host or without the secret (no cookie handed out)', async () => {
    const rebound = await raw(web, 'GET', '/', { Host: 'evil.example' });
    expect(rebound.status).toBe(403);
    expect(rebound.headers['set-cookie']).toBeUndefined();
    expect((await raw(web, 'GET', '/api/events', { Host: host })).status).toBe(403);
    // the routes that read the project's data want the secret as well
    for (const path of ['/tiles/0123456789abcdef/pipes/14/13400/6100.pbf', '/basemap/0123456789abcdef/1/14/13400/6100.png', '/online/tianditu/vec/14/13400/6100'])
      expect((await raw(web, 'GET', path, { Host: host })).status, path).toBe(403);
    expect((await raw(web, 'GET', '/api/events', { Host: host, Cookie: web.cookie, Origin: 'http://127.0.0.1:1' })).status).toBe(403);
  });

  it('answers bad addresses of the page with 400/403/404, never 500', async () => {
    for (const path of ['/%E0%A4%A', '/a%00.js', '/assets/none.js', '/%2e%2e/p.gpkg']) {
      const r = await raw(web, 'GET', path, { Host: host });
      expect([400, 403, 404], path).toContain(r.status);
    }
    // an escaping path is read inside dist/: the page, never a file above it
    const up = await raw(web, 'GET', '/..%2f..%2f..%2fetc%2fpasswd', { Host: host });
    expect(up.body).toBe('<!doctype html>');
  });
});
