import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appPath, appProtocolResponse, serveAppRequest } from './protocol';
import { CSP } from './security';

let dist: string;
beforeAll(() => {
  dist = join(mkdtempSync(join(tmpdir(), 'warmnet-proto-')), 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html>');
  writeFileSync(join(dist, 'assets', 'a.js'), 'x');
  writeFileSync(join(dist, '..', 'secret.txt'), 'no');
});
afterAll(() => rmSync(join(dist, '..'), { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('serves files of dist/ with the CSP', async () => {
    const r = await serveAppRequest(dist, 'app://warmnet/assets/a.js');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toBe(CSP);
    expect(r.headers.get('content-type')).toMatch(/javascript/);
  });
  it('never serves a file outside dist/', async () => {
    for (const u of ['app://warmnet/../secret.txt', 'app://warmnet/%2e%2e/secret.txt', 'app://warmnet/..%2fsecret.txt']) {
      const r = await serveAppRequest(dist, u);
      expect(await r.text()).not.toBe('no');
    }
  });

  it('answers malformed and escaping addresses with 400/404, never an exception', async () => {
    const cases: [string, number][] = [
      ['app://warmnet/%E0%A4%A', 400], // cut-off UTF-8 in percent-encoding
      ['app://warmnet/%ZZ', 400],
      ['app://warmnet/index.html%00.js', 400],
      ['app://warmnet/%00', 400],
      ['app://warmnet/..%5c..%5csecret.txt', 400],
      ['app://warmnet/assets/%0a', 400],
      ['app://warmnet/..%2fsecret.txt', 404],
      ['app://warmnet/assets/..%2f..%2fsecret.txt', 404],
      ['app://warmnet/%2e%2e%2fsecret.txt', 404],
      ['app://warmnet/assets/none.js', 404],
      ['not a url at all', 400],
    ];
    for (const [url, status] of cases) {
      const r = await serveAppRequest(dist, url);
      expect(r.status, url).toBe(status);
      expect(await r.text(), url).not.toBe('no');
    }
  });

  it('names the path under dist/ or why not', () => {
    expect(appPath('app://warmnet/assets/a.js')).toEqual({ rel: 'assets/a.js' });
    expect(appPath('app://warmnet/')).toEqual({ rel: '' });
    // the URL parser itself resolves whole %2e%2e segments, and never above the root
    expect(appPath('app://warmnet/a/%2e%2e/%2e%2e/x')).toEqual({ rel: 'x' });
    expect(appPath('app://warmnet/a%2f%2e%2e%2f%2e%2e%2fx')).toEqual({ status: 404 });
    expect(appPath('app://warmnet/%c0%ae%c0%ae/x')).toEqual({ status: 400 });
  });

  it('the handler answers only the app’s host and never throws', async () => {
    expect((await appProtocolResponse(dist, 'app://other/index.html', 'warmnet')).status).toBe(403);
    expect((await appProtocolResponse(dist, 'app://warmnet/%E0%A4%A', 'warmnet')).status).toBe(400);
    expect((await appProtocolResponse(dist, '::', 'warmnet')).status).toBe(400);
    const ok = await appProtocolResponse(dist, 'app://warmnet/index.html', 'warmnet');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('<!doctype html>');
    // a route of the single-page app falls back to the page
    expect(await (await appProtocolResponse(dist, 'app://warmnet/some/route', 'warmnet')).text()).toBe('<!doctype html>');
  });
});
