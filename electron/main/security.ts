/**
 * The Electron security baseline (HOUSE-STYLE.md item 10) in one place, so a
 * unit test can hold it: isolated, sandboxed renderer without Node, a strict
 * Content-Security-Policy, no navigation away from the app, no new windows.
 * No `electron` import here: main passes its objects in.
 */

/** The app's own origin; the renderer is served from it, never from a remote URL. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'warmnet';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * webPreferences of every window. A packaged build (`app.isPackaged`) has no
 * DevTools at all: they would give whoever sits at the machine a console
 * inside the app's origin.
 */
export function secureWebPreferences(preloadPath: string, opts: { packaged?: boolean } = {}) {
  return {
    preload: preloadPath,
    devTools: !opts.packaged,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  } as const;
}

/** The 视图 View menu: DevTools and their entry only in a development build. */
export function viewMenuItems(packaged: boolean): ({ role: 'reload' | 'toggleDevTools' | 'togglefullscreen' } | { type: 'separator' })[] {
  return [{ role: 'reload' }, ...(packaged ? [] : [{ role: 'toggleDevTools' as const }]), { type: 'separator' }, { role: 'togglefullscreen' }];
}

/**
 * Everything from the app's own origin only. MapLibre needs `blob:` workers
 * and images; React and MapLibre set inline styles; no eval, no remote
 * anything.
 */
const CSP_DIRECTIVES: Record<string, string> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data: blob:",
  'font-src': "'self' data:",
  'connect-src': "'self'",
  'worker-src': "'self' blob:",
  'child-src': "'self' blob:",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
};

export function buildCsp(directives: Record<string, string> = CSP_DIRECTIVES): string {
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
}

/** CSP of the desktop app (served from app://warmnet). */
export const CSP = buildCsp();
/** Browser mode serves the same renderer from http://127.0.0.1; 'self' covers it the same way. */
export const CSP_WEB = CSP;

/** True only for URLs of the app itself; everything else is refused. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Minimal shape of the electron objects the guards attach to (kept structural for tests). */
export interface GuardableContents {
  on(event: 'will-navigate' | 'will-redirect', cb: (e: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', cb: (e: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
}

/** Blocks navigation away from the app and every new window or webview. */
export function guardContents(contents: GuardableContents): void {
  const stay = (e: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) e.preventDefault();
  };
  contents.on('will-navigate', stay);
  contents.on('will-redirect', stay);
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Permission requests (camera, geolocation, notifications…): a GIS on a local file needs none. */
export function denyAllPermissions(_permission: string): boolean {
  return false;
}
