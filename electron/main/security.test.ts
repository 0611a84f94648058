import { describe, expect, it } from 'vitest';
import { CSP, guardContents, isAppUrl, secureWebPreferences, viewMenuItems, type GuardableContents } from './security';

describe('Electron security baseline', () => {
  it('windows are isolated, sandboxed, without Node, with web security', () => {
    const p = secureWebPreferences('/x/preload.cjs');
    expect(p).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: '/x/preload.cjs' });
    expect(p.allowRunningInsecureContent).toBe(false);
    expect(p.webviewTag).toBe(false);
  });

  it('a packaged build has no DevTools and no menu entry for them; a development build keeps both', () => {
    expect(secureWebPreferences('/x/preload.cjs', { packaged: true }).devTools).toBe(false);
    expect(JSON.stringify(viewMenuItems(true))).not.toMatch(/devtools/i);
    expect(viewMenuItems(true)).toContainEqual({ role: 'togglefullscreen' });
    expect(secureWebPreferences('/x/preload.cjs').devTools).toBe(true);
    expect(viewMenuItems(false)).toContainEqual({ role: 'toggleDevTools' });
  });

  it('the CSP allows only the app itself', () => {
    expect(CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; child-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(CSP).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('only app:// URLs count as the app', () => {
    expect(isAppUrl('app://warmnet/index.html')).toBe(true);
    expect(isAppUrl('https://example.com/')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('navigation away, webviews and new windows are blocked', () => {
    const handlers: Record<string, (e: { preventDefault(): void }, url: string) => void> = {};
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (ev: string, cb: never) => (handlers[ev] = cb),
      setWindowOpenHandler: (h: never) => (openHandler = h),
    } as unknown as GuardableContents;
    guardContents(contents);
    const prevented: string[] = [];
    const ev = (url: string) => ({ preventDefault: () => prevented.push(url) });
    handlers['will-navigate'](ev('https://example.com/'), 'https://example.com/');
    handlers['will-navigate'](ev('app://warmnet/index.html'), 'app://warmnet/index.html');
    handlers['will-redirect'](ev('http://127.0.0.1:9/'), 'http://127.0.0.1:9/');
    handlers['will-attach-webview'](ev('webview'), '');
    expect(prevented).toEqual(['https://example.com/', 'http://127.0.0.1:9/', 'webview']);
    expect(openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });
});
