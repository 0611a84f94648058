/**
 * An online basemap kept in the project (the 添加底图 dialog's online tab,
 * `warmnet basemap add URL`): an XYZ template, or a WMTS GetCapabilities
 * address whose Web Mercator layer becomes one (core/basemap/wmts.ts). The
 * project keeps the template only — never a key — in its basemap list
 * (kind 'online'); tiles are fetched and cached like Tianditu's.
 */
import type { ProjectStore } from '../store/index';
import type { BasemapAdded } from '../basemap.contract';
import { insertBasemap, listBasemaps } from './gpkgTiles';
import { xyzSourceId } from './online';
import { checkUrlTemplate } from '../../../core/basemap/online';
import { isWmtsCapabilitiesUrl, wmtsSource } from '../../../core/basemap/wmts';
import { say, type Message, type MessageKey } from '../../../core/i18n';

/** A refusal the dialog shows from the catalogue (`code`, `params`); the message says the same for logs and the CLI. */
export class BasemapRefusal extends Error {
  readonly code: MessageKey;
  readonly params: Record<string, string | number>;
  constructor(m: Message) {
    super(say('en', m) + ' / ' + say('zh', m));
    this.name = 'BasemapRefusal';
    this.code = m.code;
    this.params = (m.params ?? {}) as Record<string, string | number>;
  }
}

export const refuse = (code: MessageKey, params: Record<string, string | number>) => new BasemapRefusal({ code, params });

export interface OnlineBasemapInput {
  url: string;
  name: string;
  /** WMTS: which layer (default: the first in Web Mercator). */
  layer?: string;
  attribution?: string;
  gcj02?: boolean;
}

export async function addOnlineBasemap(project: ProjectStore, args: OnlineBasemapInput): Promise<BasemapAdded> {
  if (project.basemaps().some((b) => b.name === args.name)) throw refuse('basemap.nameTaken', { name: args.name });
  let url = args.url;
  let wmts: BasemapAdded['wmts'];
  let minZoom = 0, maxZoom = 19;
  let bounds: [number, number, number, number] | null = null;
  if (!/^https?:\/\//i.test(url)) throw refuse('basemap.badUrl', { url, reason: checkUrlTemplate(url) ?? 'http(s)' });
  if (isWmtsCapabilitiesUrl(url)) {
    const timeout = project.getSettings().basemapTimeoutMs;
    let xml: string;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(1000, timeout)), redirect: 'follow' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      xml = await res.text();
    } catch (err) {
      const e = err as Error;
      throw refuse('basemap.fetchFailed', { url, reason: e.name === 'TimeoutError' ? `timeout after ${timeout} ms` : e.message });
    }
    const r = wmtsSource(xml, url, args.layer);
    if (!r.ok) throw new BasemapRefusal(r.error);
    ({ url, minZoom, maxZoom, bounds } = r.source);
    wmts = { layer: r.source.layer, tileMatrixSet: r.source.tileMatrixSet, format: r.source.format, style: r.source.style, encoding: r.source.encoding };
  } else {
    const bad = checkUrlTemplate(url);
    if (bad) throw refuse('basemap.badUrl', { url, reason: bad });
  }
  await project.writeAsync(async (db) => {
    if (listBasemaps(db).some((b) => b.name === args.name)) throw refuse('basemap.nameTaken', { name: args.name });
    insertBasemap(db, {
      name: args.name,
      kind: 'online',
      path: url,
      minZoom,
      maxZoom,
      bounds,
      attribution: args.attribution ?? null,
      sourceFile: args.url,
      details: { gcj02: !!args.gcj02, ...(wmts ? { wmts } : {}) },
    });
  });
  return { id: `online:${xyzSourceId(url)}`, name: args.name, minZoom, maxZoom, ...(wmts ? { wmts } : {}) };
}
