/**
 * Online basemaps: Tianditu (天地图) in Web Mercator (the `_w` services) with
 * its annotation layers, and any XYZ source by URL template. Tiles are
 * fetched by the app's own process (main in Electron, the bridge in browser
 * mode) through a disk cache; the renderer only ever asks its own origin.
 *
 * The Tianditu key is the user's, kept in the user's settings (the OS
 * keychain where Electron has one), never in the project file that is shared.
 */

import { pair } from '../i18n';

export interface OnlineLayer {
  /** URL template with {z} {x} {y} and, for Tianditu, {s} (server 0–7) and {key}. */
  url: string;
}

export interface OnlineSource {
  id: string;
  name: { zh: string; en: string };
  /** Drawn bottom first: the map, then its annotation (labels). */
  layers: OnlineLayer[];
  attribution: string;
  maxZoom: number;
  /** Needs the user's Tianditu key. */
  needsKey?: 'tianditu';
  /** Tiles in GCJ-02 offset coordinates: the data layers are shifted on screen to match (never the stored data). */
  gcj02?: boolean;
  /** Exports over this source print the approval number setting (审图号). */
  approvalNumber?: boolean;
}

const tdt = (layer: string) => ({
  url: `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}`,
});

/** One Tianditu service: its base layer and its annotation layer, Web Mercator (`_w`), the user's key. */
const tianditu = (kind: string, label: string, name: OnlineSource['name'], maxZoom: number): OnlineSource => ({
  id: `tianditu-${kind}`,
  name,
  layers: [tdt(kind), tdt(label)],
  attribution: '© 天地图 Tianditu',
  maxZoom,
  needsKey: 'tianditu',
  approvalNumber: true,
});

export const TIANDITU_SOURCES: OnlineSource[] = [
  tianditu('vec', 'cva', pair('basemap.tianditu.vec'), 18),
  tianditu('img', 'cia', pair('basemap.tianditu.img'), 18),
  tianditu('ter', 'cta', pair('basemap.tianditu.ter'), 14),
];

/** A user's XYZ source: a template with {z}, {x}, {y} (and optionally {s} for a, b, c servers), http(s) only. */
export function checkUrlTemplate(url: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s/]+/i.test(url)) return `"${url}" is not a URL`;
  if (!/^https?:\/\//i.test(url)) return `"${url}": only http and https sources`;
  for (const p of ['{z}', '{x}', '{y}']) if (!url.includes(p)) return `"${url}" lacks ${p}`;
  return null;
}

/** The URL of one tile of a layer. */
export function tileUrl(layer: OnlineLayer, z: number, x: number, y: number, key = ''): string {
  const s = String((x + y) % 8);
  return layer.url
    .replace('{z}', String(z))
    .replace('{x}', String(x))
    .replace('{y}', String(y))
    .replace('{-y}', String(2 ** z - 1 - y))
    .replace('{s}', /\{s\}/.test(layer.url) && !layer.url.includes('tianditu') ? 'abc'[(x + y) % 3] : s)
    .replace('{key}', encodeURIComponent(key));
}
