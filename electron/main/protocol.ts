/**
 * Serves the built renderer from app://warmnet/ — never a remote URL, never
 * a path outside dist/ — with the Content-Security-Policy on every response.
 */
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { CSP } from './security';
import { serveTile } from '../backend/tiles';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.pbf': 'application/x-protobuf',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * The path under dist/ an app:// URL names, or why not: 400 for an address
 * that is not one (bad percent-encoding, NUL, backslashes, not a URL), 404
 * for one that climbs out (`..`, `%2e%2e`), which is never served.
 */
export function appPath(url: string): { rel: string } | { status: 400 | 404 } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { status: 400 };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(u.pathname);
  } catch {
    return { status: 400 };
  }
  // eslint-disable-next-line no-control-regex -- control characters in a path are exactly what is refused here
  if (/[\u0000-\u001f\\]/.test(decoded)) return { status: 400 };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return { status: 404 };
  const rel = normalize(segments.filter(Boolean).join('/'));
  if (rel.startsWith('..') || isAbsolute(rel)) return { status: 404 };
  return { rel: rel === '.' ? '' : rel };
}

/** The response for one app:// request (pure enough to test with a Request); never throws. */
export async function serveAppRequest(distDir: string, url: string): Promise<Response> {
  const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' };
  try {
    const root = resolve(distDir);
    const p = appPath(url);
    if ('status' in p) return new Response(p.status === 400 ? 'bad request' : 'not found', { status: p.status, headers });
    // vector tiles of an open project's large layers (backend/tiles.ts), cut in this process
    const tile = serveTile(new URL(url).pathname);
    if (tile) return new Response(typeof tile.body === 'string' ? tile.body : new Uint8Array(tile.body), { status: tile.status, headers: { ...headers, 'Content-Type': tile.type, 'Cache-Control': 'no-store' } });
    const rel = p.rel || 'index.html';
    const file = resolve(root, rel);
    if (file !== root && !file.startsWith(root + sep)) return new Response('not found', { status: 404, headers });
    try {
      const body = await readFile(file);
      return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' } });
    } catch {
      if (rel.startsWith('glyphs/') && rel.endsWith('.pbf')) return new Response(new Uint8Array(0), { status: 200, headers });
      if (!extname(rel) && rel !== 'index.html') return serveAppRequest(distDir, new URL('/index.html', url).href);
      return new Response('not found', { status: 404, headers });
    }
  } catch {
    return new Response('bad request', { status: 400, headers });
  }
}

/** The app:// handler: only the app's host, then serveAppRequest. */
export async function appProtocolResponse(distDir: string, url: string, host: string): Promise<Response> {
  let h: string;
  try {
    h = new URL(url).host;
  } catch {
    return new Response('bad request', { status: 400 });
  }
  if (h !== host) return new Response('forbidden', { status: 403 });
  return serveAppRequest(distDir, url);
}

export function distPath(appRoot: string): string {
  return join(appRoot, 'dist');
}
