/**
 * Serves the built renderer from app://warmnet/ — never a remote URL, never
 * a path outside dist/ — with the Content-Security-Policy on every response.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
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

/** The response for one app:// request (pure enough to test with a Request). */
export async function serveAppRequest(distDir: string, url: string): Promise<Response> {
  const root = resolve(distDir);
  const u = new URL(url);
  const rel = normalize(decodeURIComponent(u.pathname)).replace(/^([/\\])+/, '') || 'index.html';
  const file = resolve(root, rel);
  const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' };
  if (file !== root && !file.startsWith(root + sep)) return new Response('forbidden', { status: 403, headers });
  // vector tiles of an open project's large layers (backend/tiles.ts), cut in this process
  const tile = serveTile(u.pathname);
  if (tile) return new Response(typeof tile.body === 'string' ? tile.body : new Uint8Array(tile.body), { status: tile.status, headers: { ...headers, 'Content-Type': tile.type } });
  try {
    const body = await readFile(file);
    return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' } });
  } catch {
    if (rel.startsWith('glyphs/') && rel.endsWith('.pbf')) return new Response(new Uint8Array(0), { status: 200, headers });
    if (!extname(rel)) return serveAppRequest(distDir, new URL('/index.html', u).href);
    return new Response('not found', { status: 404, headers });
  }
}

export function distPath(appRoot: string): string {
  return join(appRoot, 'dist');
}
