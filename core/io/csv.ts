/**
 * CSV tables of coordinates (survey spreadsheets saved as CSV): one point per
 * row from lon/lat or x/y columns, or any geometry from a WKT column. Rows
 * are numbered as a spreadsheet shows them (the header is row 1).
 */
import type { Geometry, Position } from '../model/geojson';
import { ImportRefused, type SourceData, type SourceFeature } from './source';
import { decodeTextFile, normaliseEncoding } from './text';

export interface CsvOptions {
  encoding?: string;
  /** Column names holding x (easting / longitude) and y; guessed when absent. */
  xField?: string;
  yField?: string;
}

/** Split CSV text into records with the line each starts on. */
export function parseCsvRecords(text: string, delimiter: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === '') {
      quoted = true;
      any = true;
    } else if (c === delimiter) {
      cells.push(cell);
      cell = '';
      any = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      if (any || cell !== '') out.push({ line: start, cells });
      cells = [];
      cell = '';
      any = false;
      line++;
      start = line;
    } else {
      cell += c;
      any = true;
    }
  }
  if (any || cell !== '') {
    cells.push(cell);
    out.push({ line: start, cells });
  }
  return out;
}

const X_NAMES = /^(lon|lng|long|longitude|x|x坐标|坐标x|x_coord|easting|east|e|经度|东坐标|横坐标)$/i;
const Y_NAMES = /^(lat|latitude|y|y坐标|坐标y|y_coord|northing|north|n|纬度|北坐标|纵坐标)$/i;
const WKT_NAMES = /^(wkt|geometry|geom|the_geom|shape|几何)$/i;

function pickColumn(header: string[], re: RegExp): number {
  return header.findIndex((h) => re.test(h.trim()));
}

function parseNumber(t: string): number {
  const s = t.trim().replace(/^\+/, '');
  if (s === '' || !/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return NaN;
  return Number(s);
}

export function readCsv(bytes: Uint8Array, fileName: string, opts: CsvOptions = {}): SourceData {
  const refuse = (where: string | undefined, reason: string): never => {
    throw new ImportRefused(fileName, where, reason);
  };
  const forced = opts.encoding ? normaliseEncoding(opts.encoding) : undefined;
  if (opts.encoding && !forced) refuse(undefined, `unknown encoding "${opts.encoding}"`);
  const { text, encoding } = decodeTextFile(bytes, forced);
  if (text.includes('\0')) refuse(undefined, 'not a text file (contains NUL bytes)');
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const delimiter = [',', ';', '\t', '|'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const records = parseCsvRecords(text, delimiter);
  if (records.length === 0) refuse(undefined, 'the file is empty');
  const header = records[0].cells.map((h) => h.trim());
  const notes: string[] = [];
  const find = (name: string | undefined, re: RegExp, what: string) => {
    if (name === undefined) return pickColumn(header, re);
    const i = header.indexOf(name);
    if (i < 0) refuse('row 1', `no column named "${name}" for ${what}`);
    return i;
  };
  let xi = find(opts.xField, X_NAMES, 'x');
  let yi = find(opts.yField, Y_NAMES, 'y');
  const wi = opts.xField || opts.yField ? -1 : pickColumn(header, WKT_NAMES);
  if ((xi < 0 || yi < 0) && wi < 0) {
    refuse('row 1', `no coordinate columns found (looked for lon/lat, x/y, 经度/纬度, X坐标/Y坐标 or WKT) among: ${header.join(', ')}`);
  }
  const rows = records.slice(1);
  const useWkt = xi < 0 || yi < 0;
  // Chinese survey tables follow the surveyor's convention: X is the
  // northing and Y the easting (with the zone prefix). Swap when the numbers
  // say so, and tell the user.
  if (!useWkt && /x/i.test(header[xi]) && /y/i.test(header[yi]) && rows.length > 0) {
    const xs = rows.map((r) => parseNumber(r.cells[xi] ?? '')).filter(Number.isFinite);
    const ys = rows.map((r) => parseNumber(r.cells[yi] ?? '')).filter(Number.isFinite);
    const med = (a: number[]) => a.slice().sort((p, q) => p - q)[Math.floor(a.length / 2)];
    if (xs.length && ys.length) {
      const mx = med(xs);
      const my = med(ys);
      const xLooksNorthing = mx > 1e6 && mx < 7e6;
      const yLooksEasting = (my > 1e5 && my < 1e6) || (my >= 13e6 && my < 46e6);
      if (xLooksNorthing && yLooksEasting) {
        [xi, yi] = [yi, xi];
        notes.push(`column "${header[yi]}" holds northings and "${header[xi]}" eastings (survey convention X = north); swapped`);
      }
    }
  }
  const coordCols = new Set(useWkt ? [wi] : [xi, yi]);
  const fields = header.filter((_, i) => !coordCols.has(i));
  const features: SourceFeature[] = [];
  for (const r of rows) {
    const where = `row ${r.line}`;
    if (r.cells.length === 1 && r.cells[0].trim() === '') continue;
    let geometry: Geometry;
    if (useWkt) {
      const g = parseWkt(r.cells[wi] ?? '');
      if (typeof g === 'string') return refuse(`${where}, column "${header[wi]}"`, g);
      geometry = g;
    } else {
      const x = parseNumber(r.cells[xi] ?? '');
      const y = parseNumber(r.cells[yi] ?? '');
      if (!Number.isFinite(x)) refuse(`${where}, column "${header[xi]}"`, `"${(r.cells[xi] ?? '').trim()}" is not a number`);
      if (!Number.isFinite(y)) refuse(`${where}, column "${header[yi]}"`, `"${(r.cells[yi] ?? '').trim()}" is not a number`);
      geometry = { type: 'Point', coordinates: [x, y] };
    }
    const properties: Record<string, unknown> = {};
    header.forEach((h, i) => {
      if (coordCols.has(i)) return;
      const v = (r.cells[i] ?? '').trim();
      properties[h] = v === '' ? null : v;
    });
    features.push({ geometry, properties, where });
  }
  if (features.length === 0) refuse(undefined, 'no data rows after the header');
  return { format: 'csv', fileName, fields, features, encoding, notes };
}

/** WKT for POINT, LINESTRING, POLYGON and their MULTI forms; a string is the reason it failed. */
export function parseWkt(text: string): Geometry | string {
  const m = /^\s*(MULTI)?(POINT|LINESTRING|POLYGON)\s*(?:Z|M|ZM)?\s*(\(.*\))\s*$/is.exec(text);
  if (!m) return `"${text.trim().slice(0, 40)}" is not WKT (POINT, LINESTRING or POLYGON)`;
  let nested: unknown;
  try {
    const json = m[3]
      .replace(/\(/g, '[')
      .replace(/\)/g, ']')
      .replace(/(-?[\d.]+(?:[eE][-+]?\d+)?)(?:\s+(-?[\d.]+(?:[eE][-+]?\d+)?))+/g, (s) => `[${s.trim().split(/\s+/).join(',')}]`);
    nested = JSON.parse(json);
  } catch {
    return 'damaged WKT';
  }
  const depth = (v: unknown): number => (Array.isArray(v) ? 1 + depth(v[0]) : 0);
  const kind = m[2].toUpperCase();
  const multi = !!m[1];
  const want = { POINT: 2, LINESTRING: 2, POLYGON: 3 }[kind as 'POINT']! + (multi ? 1 : 0);
  const d = depth(nested);
  const okPos = (p: unknown) => Array.isArray(p) && p.length >= 2 && p.every((n) => typeof n === 'number' && Number.isFinite(n));
  const strip = (v: unknown, levels: number): unknown => (levels === 0 ? v : (v as unknown[]).map((x) => strip(x, levels - 1)));
  if (d !== want) return `damaged ${m[0].split('(')[0].trim()} WKT`;
  let coords = strip(nested, 0) as unknown[];
  if (kind === 'POINT' && !multi) coords = (coords as unknown[])[0] as unknown[];
  const positions: unknown[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v) && typeof v[0] === 'number') positions.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
  };
  walk(coords);
  if (positions.length === 0 || !positions.every(okPos)) return 'WKT has invalid coordinates';
  const type = ((multi ? 'Multi' : '') + { POINT: 'Point', LINESTRING: 'LineString', POLYGON: 'Polygon' }[kind as 'POINT']) as Geometry['type'];
  if (type === 'MultiPoint') coords = (coords as unknown[]).map((p) => (Array.isArray((p as unknown[])[0]) ? (p as unknown[])[0] : p));
  return { type, coordinates: coords as Position[] } as Geometry;
}
