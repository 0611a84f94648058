/**
 * An online basemap given as a WMTS GetCapabilities document (OGC 07-057r7):
 * the layer, its style, a tile matrix set in Web Mercator (the
 * GoogleMapsCompatible grid: 256-pixel tiles, zoom z = 2^z × 2^z tiles from
 * the top-left corner of the world), the image format and the tile URL —
 * the RESTful ResourceURL template where the server offers one, else the
 * KVP GetTile request — turned into an XYZ template with {z} {x} {y} that
 * the online tile fetcher (and the disk cache) use like any other source.
 *
 * Pure: the caller fetches the document. Refusals are typed messages
 * (catalogue keys basemap.wmts*), never sentences.
 */
import { message, type Message } from '../i18n';
import { maxOf, minOf } from '../arrays';

export interface XmlNode {
  /** Local name (namespace prefix dropped). */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : (ENTITIES[e] ?? m),
  );
const local = (n: string) => n.slice(n.indexOf(':') + 1);

/** A small XML reader (elements, attributes, text, CDATA; comments, declarations and processing instructions skipped). */
export function parseXml(xml: string): XmlNode | null {
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  const re = /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<![^>]*>|<\?[\s\S]*?\?>|<\/\s*([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) top.text += m[1];
    else if (m[2] !== undefined) {
      if (stack.length > 1 && top.name === local(m[2])) stack.pop();
      else return null;
    } else if (m[3] !== undefined) {
      const attrs: Record<string, string> = {};
      for (const a of m[4].matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[local(a[1])] = unescape(a[2] ?? a[3] ?? '');
      const node: XmlNode = { name: local(m[3]), attrs, children: [], text: '' };
      top.children.push(node);
      if (!m[5]) stack.push(node);
    } else if (m[6] !== undefined) top.text += unescape(m[6]);
  }
  return stack.length === 1 && root.children.length === 1 ? root.children[0] : null;
}

const kids = (n: XmlNode | undefined, name: string) => (n ? n.children.filter((c) => c.name === name) : []);
const kid = (n: XmlNode | undefined, name: string) => kids(n, name)[0];
const text = (n: XmlNode | undefined, name: string) => kid(n, name)?.text.trim() ?? '';
function descendants(n: XmlNode, name: string, out: XmlNode[] = []): XmlNode[] {
  for (const c of n.children) {
    if (c.name === name) out.push(c);
    descendants(c, name, out);
  }
  return out;
}

/** Scale denominator of zoom 0 in GoogleMapsCompatible (OGC 07-057r7 Annex E.4). */
const Z0_SCALE = 559082264.0287178;
const HALF = 20037508.342789244;

export interface WmtsSource {
  layer: string;
  title: string;
  style: string;
  tileMatrixSet: string;
  format: string;
  /** XYZ template: {z} {x} {y} in place of the tile matrix, column and row. */
  url: string;
  minZoom: number;
  maxZoom: number;
  /** [west, south, east, north] of the layer (WGS84BoundingBox), when given. */
  bounds: [number, number, number, number] | null;
  /** How the tile URL was made. */
  encoding: 'rest' | 'kvp';
}

export type WmtsResult = { ok: true; source: WmtsSource } | { ok: false; error: Message };

const isMercatorCrs = (crs: string) => /(EPSG(::|:|\/)(3857|900913|102100|102113|3785))|GoogleMapsCompatible|google/i.test(crs);

/** The zoom of each tile matrix of a Web Mercator set, or null when the set is another grid. */
function mercatorZooms(set: XmlNode): Map<string, number> | null {
  const crs = text(set, 'SupportedCRS');
  if (!isMercatorCrs(crs) && !/GoogleMapsCompatible/i.test(text(set, 'WellKnownScaleSet'))) return null;
  const zooms = new Map<string, number>();
  for (const m of kids(set, 'TileMatrix')) {
    const id = text(m, 'Identifier');
    const scale = Number(text(m, 'ScaleDenominator'));
    const z = Math.round(Math.log2(Z0_SCALE / scale));
    const corner = text(m, 'TopLeftCorner').split(/\s+/).map(Number);
    const size = [Number(text(m, 'TileWidth')), Number(text(m, 'TileHeight'))];
    const matrix = [Number(text(m, 'MatrixWidth')), Number(text(m, 'MatrixHeight'))];
    const onGrid =
      Number.isFinite(z) && z >= 0 && z <= 30 &&
      Math.abs(Z0_SCALE / 2 ** z / scale - 1) < 1e-3 &&
      corner.length === 2 &&
      // The corner as x y, or y x where the CRS URN orders northing first.
      Math.abs(Math.abs(corner[0]) - HALF) < 1 && Math.abs(Math.abs(corner[1]) - HALF) < 1 &&
      size[0] === 256 && size[1] === 256 &&
      matrix[0] === 2 ** z && matrix[1] === 2 ** z;
    if (!onGrid) return null;
    zooms.set(id, z);
  }
  return zooms.size ? zooms : null;
}

/**
 * The tile matrix identifiers as {z}: the plain zoom ("0", "1" …) or one
 * prefix before it ("EPSG:3857:0"). Null when they are named otherwise.
 */
function matrixTemplate(zooms: Map<string, number>): string | null {
  let prefix: string | null = null;
  for (const [id, z] of zooms) {
    if (!id.endsWith(String(z)) || (id.length > String(z).length && /\d$/.test(id.slice(0, -String(z).length)))) return null;
    const p = id.slice(0, id.length - String(z).length);
    if (prefix !== null && p !== prefix) return null;
    prefix = p;
  }
  return `${prefix ?? ''}{z}`;
}

/** `ref` resolved against `base` (absolute, scheme-relative, root-relative or relative addresses); core has no URL class. */
export function resolveUrl(ref: string, base: string): string | null {
  if (/^https?:\/\//i.test(ref)) return ref;
  const m = /^(https?:)\/\/([^/?#]+)([^?#]*)/i.exec(base);
  if (!m) return null;
  if (ref.startsWith('//')) return m[1] + ref;
  if (ref.startsWith('/')) return `${m[1]}//${m[2]}${ref}`;
  const dir = m[3].slice(0, m[3].lastIndexOf('/') + 1) || '/';
  return `${m[1]}//${m[2]}${dir}${ref}`;
}

const FORMAT_ORDER = ['image/png', 'image/jpeg', 'image/jpg', 'image/webp'];
const rank = (f: string) => {
  const i = FORMAT_ORDER.indexOf(f.toLowerCase().split(';')[0].trim());
  return i < 0 ? 99 : i;
};

/**
 * The tile URL of `layerId` (or the first layer with a Web Mercator tile
 * matrix set) from a capabilities document fetched from `capabilitiesUrl`.
 */
export function wmtsSource(xml: string, capabilitiesUrl: string, layerId?: string): WmtsResult {
  const doc = parseXml(xml);
  const where = { url: capabilitiesUrl };
  if (!doc || doc.name !== 'Capabilities') {
    const what = doc?.name === 'ExceptionReport' ? (descendants(doc, 'ExceptionText')[0]?.text.trim() ?? 'ExceptionReport') : doc ? `<${doc.name}>` : 'not XML';
    return { ok: false, error: message('basemap.wmtsNotCapabilities', { ...where, what }) };
  }
  const contents = kid(doc, 'Contents');
  const sets = new Map(kids(contents, 'TileMatrixSet').map((s) => [text(s, 'Identifier'), s]));
  const layers = kids(contents, 'Layer');
  if (layers.length === 0) return { ok: false, error: message('basemap.wmtsNoLayer', where) };
  const named = layerId ? layers.filter((l) => text(l, 'Identifier') === layerId) : layers;
  if (layerId && named.length === 0) return { ok: false, error: message('basemap.wmtsLayerMissing', { ...where, layer: layerId, layers: layers.map((l) => text(l, 'Identifier')).join(', ') }) };
  for (const layer of named) {
    const id = text(layer, 'Identifier');
    let chosen: { setId: string; zooms: Map<string, number>; z: string } | null = null;
    for (const link of kids(layer, 'TileMatrixSetLink')) {
      const setId = text(link, 'TileMatrixSet');
      const set = sets.get(setId);
      const zooms = set ? mercatorZooms(set) : null;
      const z = zooms ? matrixTemplate(zooms) : null;
      if (zooms && z) {
        chosen = { setId, zooms, z };
        break;
      }
    }
    if (!chosen) continue;
    const styles = kids(layer, 'Style');
    const style = text(styles.find((s) => s.attrs.isDefault === 'true') ?? styles[0], 'Identifier') || 'default';
    const dims = Object.fromEntries(kids(layer, 'Dimension').map((d) => [text(d, 'Identifier'), text(d, 'Default') || text(d, 'Value')]));
    const resources = kids(layer, 'ResourceURL').filter((r) => (r.attrs.resourceType ?? 'tile') === 'tile' && r.attrs.template);
    const formats = [...kids(layer, 'Format').map((f) => f.text.trim()), ...resources.map((r) => r.attrs.format ?? '')].filter((f) => rank(f) < 99).sort((a, b) => rank(a) - rank(b));
    const format = formats[0];
    if (!format) return { ok: false, error: message('basemap.wmtsNoFormat', { ...where, layer: id, formats: kids(layer, 'Format').map((f) => f.text.trim()).join(', ') || '—' }) };
    const zs = [...chosen.zooms.values()];
    const box = kid(layer, 'WGS84BoundingBox');
    const lower = text(box, 'LowerCorner').split(/\s+/).map(Number);
    const upper = text(box, 'UpperCorner').split(/\s+/).map(Number);
    const bounds: WmtsSource['bounds'] = box && [...lower, ...upper].length === 4 && [...lower, ...upper].every(Number.isFinite) ? [lower[0], lower[1], upper[0], upper[1]] : null;
    const base = { layer: id, title: text(layer, 'Title') || id, style, tileMatrixSet: chosen.setId, format, minZoom: minOf(zs), maxZoom: maxOf(zs), bounds };
    const resource = resources.sort((a, b) => rank(a.attrs.format ?? '') - rank(b.attrs.format ?? ''))[0];
    if (resource) {
      let url = resource.attrs.template.replace(/\{TileMatrix\}/gi, chosen.z).replace(/\{TileRow\}/gi, '{y}').replace(/\{TileCol\}/gi, '{x}');
      url = url.replace(/\{TileMatrixSet\}/gi, chosen.setId).replace(/\{Style\}/gi, style);
      url = url.replace(/\{([^{}]+)\}/g, (m, k: string) => (['z', 'x', 'y'].includes(k) ? m : (dims[k] ?? m)));
      const abs = resolveUrl(url, capabilitiesUrl);
      if (!abs) return { ok: false, error: message('basemap.wmtsBadUrl', { ...where, layer: id, template: url }) };
      url = abs;
      return { ok: true, source: { ...base, url, format: resource.attrs.format ?? format, encoding: 'rest' } };
    }
    // KVP: the GetTile operation's address (or the capabilities' own) and the standard parameters.
    const getTile = descendants(kid(doc, 'OperationsMetadata') ?? doc, 'Operation').find((o) => o.attrs.name === 'GetTile');
    const href = getTile ? descendants(getTile, 'Get').map((g) => g.attrs.href).find(Boolean) : undefined;
    const endpoint = resolveUrl(href ?? capabilitiesUrl, capabilitiesUrl);
    if (!endpoint) return { ok: false, error: message('basemap.wmtsBadUrl', { ...where, layer: id, template: href ?? '' }) };
    const [path, query = ''] = endpoint.split('#')[0].split('?');
    // The endpoint's own parameters stay (a key, a map id); the GetTile ones are ours.
    const kept = query.split('&').filter((kv) => kv && !/^(service|request|version|layer|style|tilematrixset|tilematrix|tilerow|tilecol|format)=/i.test(kv));
    const params = { SERVICE: 'WMTS', REQUEST: 'GetTile', VERSION: '1.0.0', LAYER: id, STYLE: style, TILEMATRIXSET: chosen.setId, FORMAT: format, ...dims };
    const ours = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    const url = `${path}?${[...kept, ...ours].join('&')}&TILEMATRIX=${chosen.z}&TILEROW={y}&TILECOL={x}`;
    return { ok: true, source: { ...base, url, encoding: 'kvp' } };
  }
  return { ok: false, error: message('basemap.wmtsNoMercator', { ...where, layer: layerId ?? layers.map((l) => text(l, 'Identifier')).join(', '), sets: [...sets.keys()].join(', ') || '—' }) };
}

/** Whether an address given for an online source is a WMTS capabilities document rather than an XYZ template. */
export function isWmtsCapabilitiesUrl(url: string): boolean {
  return !/\{z\}/.test(url) && (/request=getcapabilities/i.test(url) || /service=wmts/i.test(url) || /WMTSCapabilities\.xml$/i.test(url.split('?')[0]) || /\/wmts\/?(\?.*)?$/i.test(url));
}
