/**
 * Well-known text geometries as GDAL reads them from a CSV or a text field:
 * POINT, LINESTRING, POLYGON, their MULTI forms, GEOMETRYCOLLECTION, and the
 * curves (CIRCULARSTRING, COMPOUNDCURVE, CURVEPOLYGON, MULTICURVE,
 * MULTISURFACE), which come back as chords within the curve tolerance. Z, M
 * and ZM values are dropped; an EWKT `SRID=…;` prefix is read and returned.
 */
import { threePointArc, type CurveTolerance, type XY } from '../geo/curves';
import type { Position } from '../model/geojson';
import type { SourceGeometry } from './source';
import { pushAll } from '../arrays';
import { message, SaidError, type Message } from '../i18n';

export interface ParsedWkt {
  /** Null for an EMPTY geometry. */
  geometry: SourceGeometry | null;
  /** Whether curves were turned into chords. */
  approximated: boolean;
  /** EPSG code of an EWKT 'SRID=4547;' prefix. */
  srid?: number;
}

class WktError extends Error {
  constructor(readonly said: Message) {
    super(said.code);
  }
}

const TYPES = /^(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION|CIRCULARSTRING|COMPOUNDCURVE|CURVEPOLYGON|MULTICURVE|MULTISURFACE|TRIANGLE)$/;

/** Parse WKT; throws a SaidError whose message is the reason (for the row's problem). */
export function parseWktGeometry(text: string, tol: CurveTolerance): ParsedWkt {
  let s = text.trim();
  let srid: number | undefined;
  const ewkt = /^SRID=(\d+);/i.exec(s);
  if (ewkt) {
    srid = Number(ewkt[1]);
    s = s.slice(ewkt[0].length);
  }
  let i = 0;
  let approximated = false;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };
  const word = (): string => {
    ws();
    const m = /^[A-Za-z]+/.exec(s.slice(i, i + 32));
    if (!m) throw new WktError(message('io.wkt.expectedName', { at: i + 1 }));
    i += m[0].length;
    return m[0].toUpperCase();
  };
  const peek = (c: string) => {
    ws();
    return s[i] === c;
  };
  const expect = (c: string) => {
    ws();
    if (s[i] !== c) throw new WktError(message('io.wkt.expected', { c, at: i + 1 }));
    i++;
  };
  const number = (): number => {
    ws();
    const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(s.slice(i, i + 64));
    if (!m) throw new WktError(message('io.wkt.expectedNumber', { at: i + 1 }));
    i += m[0].length;
    return Number(m[0]);
  };
  /** Z / M / ZM after the type name, and EMPTY. */
  const dims = (): { empty: boolean } => {
    ws();
    const m = /^(ZM|Z|M)\b/i.exec(s.slice(i, i + 3));
    if (m) i += m[0].length;
    ws();
    if (/^EMPTY\b/i.test(s.slice(i, i + 5))) {
      i += 5;
      return { empty: true };
    }
    return { empty: false };
  };
  const position = (): Position => {
    const x = number();
    const y = number();
    // Further ordinates (Z, M) are read and dropped.
    ws();
    while (i < s.length && /[-+\d.]/.test(s[i])) {
      number();
      ws();
    }
    return [x, y];
  };
  const list = <T>(item: () => T): T[] => {
    expect('(');
    const out = [item()];
    while (peek(',')) {
      i++;
      out.push(item());
    }
    expect(')');
    return out;
  };
  const points = () => list(position);
  const arcString = (pts: Position[]): Position[] => {
    if (pts.length < 3 || pts.length % 2 === 0) throw new WktError(message('io.wkt.arcPoints', { n: pts.length }));
    approximated = true;
    const out: Position[] = [pts[0]];
    for (let k = 0; k + 2 < pts.length; k += 2) pushAll(out, threePointArc(pts[k] as XY, pts[k + 1] as XY, pts[k + 2] as XY, tol));
    return out;
  };
  /** A curve inside a COMPOUNDCURVE / CURVEPOLYGON / MULTICURVE: bare (…) is a line string. */
  const curve = (): Position[] => {
    ws();
    if (s[i] === '(') return points();
    const t = word();
    if (dims().empty) return [];
    if (t === 'LINESTRING') return points();
    if (t === 'CIRCULARSTRING') return arcString(points());
    if (t === 'COMPOUNDCURVE') return compound();
    throw new WktError(message('io.wkt.notInCurve', { type: t }));
  };
  const compound = (): Position[] => {
    const parts = list(curve);
    const out: Position[] = [];
    for (const p of parts) {
      const last = out[out.length - 1];
      pushAll(out, (last && p.length && last[0] === p[0][0] && last[1] === p[0][1] ? p.slice(1) : p));
    }
    return out;
  };
  const ring = (pts: Position[]): Position[] => {
    if (pts.length < 4) throw new WktError(message('io.wkt.ringPoints', { n: pts.length }));
    const a = pts[0];
    const b = pts[pts.length - 1];
    if (a[0] !== b[0] || a[1] !== b[1]) throw new WktError(message('io.wkt.ringOpen'));
    return pts;
  };
  const geometry = (): SourceGeometry | null => {
    const t = word();
    if (!TYPES.test(t)) throw new WktError(message('io.wkt.notGeometry', { type: t }));
    if (dims().empty) return null;
    switch (t) {
      case 'POINT':
        return { type: 'Point', coordinates: list(position)[0] };
      case 'LINESTRING':
        return { type: 'LineString', coordinates: lineOf(points()) };
      case 'CIRCULARSTRING':
        return { type: 'LineString', coordinates: arcString(points()) };
      case 'COMPOUNDCURVE':
        return { type: 'LineString', coordinates: lineOf(compound()) };
      case 'POLYGON':
      case 'TRIANGLE':
        return { type: 'Polygon', coordinates: list(() => ring(points())) };
      case 'CURVEPOLYGON':
        return { type: 'Polygon', coordinates: list(() => ring(curve())) };
      case 'MULTIPOINT':
        // Both MULTIPOINT (1 2, 3 4) and MULTIPOINT ((1 2), (3 4)).
        return { type: 'MultiPoint', coordinates: list(() => (peek('(') ? list(position)[0] : position())) };
      case 'MULTILINESTRING':
        return { type: 'MultiLineString', coordinates: list(() => lineOf(points())) };
      case 'MULTICURVE':
        return { type: 'MultiLineString', coordinates: list(() => lineOf(curve())) };
      case 'MULTIPOLYGON':
        return { type: 'MultiPolygon', coordinates: list(() => list(() => ring(points()))) };
      case 'MULTISURFACE':
        return {
          type: 'MultiPolygon',
          coordinates: list(() => {
            ws();
            if (s[i] === '(') return list(() => ring(points()));
            const k = word();
            dims();
            if (k === 'POLYGON') return list(() => ring(points()));
            if (k === 'CURVEPOLYGON') return list(() => ring(curve()));
            throw new WktError(message('io.wkt.notInMultiSurface', { type: k }));
          }),
        };
      case 'GEOMETRYCOLLECTION': {
        const parts = list(geometry).filter((g): g is SourceGeometry => g !== null);
        return { type: 'GeometryCollection', geometries: parts };
      }
    }
    throw new WktError(message('io.wkt.unsupported', { type: t }));
  };
  const lineOf = (pts: Position[]): Position[] => {
    if (pts.length < 2) throw new WktError(message('io.wkt.linePoints', { n: pts.length }));
    return pts;
  };
  try {
    const g = geometry();
    ws();
    if (i < s.length) throw new WktError(message('io.wkt.trailing', { text: s.slice(i, i + 10) }));
    return { geometry: g, approximated, ...(srid ? { srid } : {}) };
  } catch (err) {
    if (err instanceof WktError) throw new SaidError(message('io.wkt.invalid', { text: `${text.trim().slice(0, 40)}${text.trim().length > 40 ? '…' : ''}`, reason: err.said }), { cause: err });
    throw err;
  }
}
