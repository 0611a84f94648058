/**
 * CSV tables of coordinates (survey spreadsheets saved as CSV): one point per
 * row from lon/lat or x/y columns, or any geometry from a WKT column. Rows
 * are numbered as a spreadsheet shows them (the header is row 1); a row
 * whose coordinates cannot be read is kept with its problem, so every bad
 * row is listed, not only the first. The encoding is decided from evidence
 * (core/io/text.ts).
 */
import type { CurveTolerance } from '../geo/curves';
import type { Geometry } from '../model/geojson';
import { ImportRefused, type SourceData, type SourceFeature, type SourceGeometry } from './source';
import { message, SaidError, type Message } from '../i18n';
import { decodeTextFile, EncodingUndecided, normaliseEncoding } from './text';
import { parseWktGeometry } from './wkt';
import type { ReadGuard } from './limits';

export interface CsvOptions {
  encoding?: string;
  /** Column names holding x (easting / longitude) and y; guessed when absent. */
  xField?: string;
  yField?: string;
  /** Chord tolerance for curved WKT (CIRCULARSTRING…). */
  tolerance?: CurveTolerance;
  /** Row count and time limits, checked as the rows are split. */
  guard?: ReadGuard;
}

/** Split CSV text into records with the line each starts on. */
export function parseCsvRecords(text: string, delimiter: string, guard?: ReadGuard): { line: number; cells: string[] }[] {
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
      if (any || cell !== '') {
        guard?.row(message('io.where.row', { n: start }));
        out.push({ line: start, cells });
      }
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

/** The coordinate column names the reader knows, as the refusal lists them (synonyms, data). */
const COORDINATE_NAMES = 'lon/lat, x/y, 经度/纬度, X坐标/Y坐标';
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
  const refuse = (where: Message | undefined, reason: Message): never => {
    throw new ImportRefused(fileName, where, reason);
  };
  const forced = opts.encoding ? normaliseEncoding(opts.encoding) : undefined;
  if (opts.encoding && !forced) refuse(undefined, message('io.enc.unknown', { enc: opts.encoding }));
  let decoded: ReturnType<typeof decodeTextFile>;
  try {
    decoded = decodeTextFile(bytes, forced);
  } catch (err) {
    if (err instanceof EncodingUndecided) return refuse(undefined, err.said);
    throw err;
  }
  const { text, encoding } = decoded;
  if (text.includes('\0')) refuse(undefined, message('io.csv.nul'));
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const delimiter = [',', ';', '\t', '|'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const records = parseCsvRecords(text, delimiter, opts.guard);
  if (records.length === 0) refuse(undefined, message('io.csv.empty'));
  const header = records[0].cells.map((h) => h.trim());
  const notes: Message[] = [];
  const row1 = message('io.where.row', { n: 1 });
  const find = (name: string | undefined, re: RegExp, what: string) => {
    if (name === undefined) return pickColumn(header, re);
    const i = header.indexOf(name);
    if (i < 0) refuse(row1, message('io.csv.noColumn', { name, what }));
    return i;
  };
  let xi = find(opts.xField, X_NAMES, 'x');
  let yi = find(opts.yField, Y_NAMES, 'y');
  const wi = opts.xField || opts.yField ? -1 : pickColumn(header, WKT_NAMES);
  if ((xi < 0 || yi < 0) && wi < 0) {
    refuse(row1, message('io.csv.noCoords', { names: COORDINATE_NAMES, columns: header.join(', ') }));
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
        notes.push(message('io.csv.note.swapped', { north: header[yi], east: header[xi] }));
      }
    }
  }
  const coordCols = new Set(useWkt ? [wi] : [xi, yi]);
  const fields = header.filter((_, i) => !coordCols.has(i));
  const tol = opts.tolerance ?? { chordTolerance: 0.1, maxStepDeg: 4 };
  const features: SourceFeature[] = [];
  let approximated = 0;
  let fid = 0;
  for (const r of rows) {
    if (r.cells.length === 1 && r.cells[0].trim() === '') continue;
    fid++;
    const where = message('io.where.row', { n: r.line });
    const at = (column: number) => message('io.where.column', { where, column: header[column] });
    let geometry: SourceGeometry | null = null;
    let problem: { where: Message; reason: Message } | undefined;
    if (useWkt) {
      const cell = (r.cells[wi] ?? '').trim();
      if (cell === '') problem = { where: at(wi), reason: message('io.csv.wktEmptyCell') };
      else {
        try {
          const w = parseWktGeometry(cell, tol);
          geometry = w.geometry;
          if (w.approximated) approximated++;
          if (!geometry) problem = { where: at(wi), reason: message('io.csv.wktEmpty') };
        } catch (err) {
          problem = { where: at(wi), reason: err instanceof SaidError ? err.said : message('io.detail', { detail: (err as Error).message }) };
        }
      }
    } else {
      const x = parseNumber(r.cells[xi] ?? '');
      const y = parseNumber(r.cells[yi] ?? '');
      if (!Number.isFinite(x)) problem = { where: at(xi), reason: message('io.problem.notNumber', { value: (r.cells[xi] ?? '').trim() }) };
      else if (!Number.isFinite(y)) problem = { where: at(yi), reason: message('io.problem.notNumber', { value: (r.cells[yi] ?? '').trim() }) };
      else geometry = { type: 'Point', coordinates: [x, y] };
    }
    const properties: Record<string, unknown> = {};
    header.forEach((h, i) => {
      if (coordCols.has(i)) return;
      const v = (r.cells[i] ?? '').trim();
      properties[h] = v === '' ? null : v;
    });
    features.push({ geometry, properties, fid, where: problem?.where ?? where, ...(problem ? { problem: problem.reason } : {}) });
  }
  if (features.length === 0) refuse(undefined, message('io.csv.noRows'));
  if (approximated) notes.push(message('io.csv.note.curves', { n: approximated, tol: tol.chordTolerance, step: tol.maxStepDeg }));
  return { format: 'csv', fileName, fields, features, encoding, encodingReason: decoded.reason, notes };
}

/** WKT geometry, or the reason it is not one (kept for callers that want a plain check). */
export function parseWkt(text: string): Geometry | string {
  try {
    const g = parseWktGeometry(text, { chordTolerance: 0.1, maxStepDeg: 4 }).geometry;
    if (!g) return 'the geometry is EMPTY';
    if (g.type === 'GeometryCollection') return 'a GEOMETRYCOLLECTION is not one geometry';
    return g;
  } catch (err) {
    return (err as Error).message;
  }
}
