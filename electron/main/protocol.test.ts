import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveAppRequest } from './protocol';
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
});
