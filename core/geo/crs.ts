/**
 * The coordinate systems Chinese utilities hand over, and their transform to
 * the project's EPSG:4490 (CGCS2000 lon/lat).
 *
 * - EPSG:4326 WGS84 and EPSG:4490 CGCS2000 geographic: kept as they are (the
 *   two frames differ by centimetres, DOMAIN.md §2).
 * - CGCS2000 Gauss–Krüger, EPSG:4491–4554: defined here from their
 *   parameters (GRS80-sized CGCS2000 ellipsoid, k = 1, no false northing):
 *   6° zones 13–23 with the zone in the easting (4491–4501), 6° by central
 *   meridian without it (4502–4512), 3° zones 25–45 with prefix (4513–4533)
 *   and 3° without (4534–4554); central meridians 75°…135° E.
 * - GCJ-02 offset coordinates (core/geo/gcj02.ts).
 *
 * Coordinates are always [easting, northing] / [lon, lat] (GIS order), which
 * is what shapefiles, DXF, GeoPackages and GeoJSON from GDAL and QGIS hold.
 */
import proj4 from 'proj4';
import type { Position } from '../model/geojson';
import { gcj02ToWgs84 } from './gcj02';

export type CrsKind = 'geographic' | 'gauss-kruger' | 'gcj02';

export interface CrsDef {
  /** 'EPSG:4547', 'EPSG:4490', 'GCJ-02'. */
  code: string;
  name: string;
  kind: CrsKind;
  /** Gauss–Krüger only. */
  centralMeridian?: number;
  zoneWidth?: 3 | 6;
  /** Zone number carried in the easting's millions (38 in 38 500 000), if any. */
  zonePrefix?: number;
  proj4?: string;
}

export const GCJ02 = 'GCJ-02';

function gkDef(epsg: number, width: 3 | 6, cm: number, prefix: number | undefined): CrsDef {
  const x0 = (prefix ?? 0) * 1e6 + 500000;
  const name =
    width === 6
      ? prefix
        ? `CGCS2000 / Gauss-Kruger zone ${prefix}`
        : `CGCS2000 / Gauss-Kruger CM ${cm}E`
      : prefix
        ? `CGCS2000 / 3-degree Gauss-Kruger zone ${prefix}`
        : `CGCS2000 / 3-degree Gauss-Kruger CM ${cm}E`;
  return {
    code: `EPSG:${epsg}`,
    name,
    kind: 'gauss-kruger',
    centralMeridian: cm,
    zoneWidth: width,
    ...(prefix ? { zonePrefix: prefix } : {}),
    proj4: `+proj=tmerc +lat_0=0 +lon_0=${cm} +k=1 +x_0=${x0} +y_0=0 +ellps=GRS80 +units=m +no_defs`,
  };
}

function buildDefs(): Map<string, CrsDef> {
  const defs = new Map<string, CrsDef>();
  const add = (d: CrsDef) => defs.set(d.code, d);
  add({ code: 'EPSG:4490', name: 'CGCS2000', kind: 'geographic' });
  add({ code: 'EPSG:4326', name: 'WGS 84', kind: 'geographic' });
  add({ code: GCJ02, name: 'GCJ-02 (offset web-map coordinates)', kind: 'gcj02' });
  for (let zone = 13; zone <= 23; zone++) {
    const cm = zone * 6 - 3;
    add(gkDef(4491 + zone - 13, 6, cm, zone));
    add(gkDef(4502 + zone - 13, 6, cm, undefined));
  }
  for (let zone = 25; zone <= 45; zone++) {
    const cm = zone * 3;
    add(gkDef(4513 + zone - 25, 3, cm, zone));
    add(gkDef(4534 + zone - 25, 3, cm, undefined));
  }
  return defs;
}

const DEFS = buildDefs();

/** Every coordinate system the importer knows, for the wizard's list. */
export function knownCrs(): CrsDef[] {
  return [...DEFS.values()];
}

/**
 * Look up a user's choice: 'EPSG:4547', '4547', 'epsg:4547', 'wgs84', 'cgcs2000',
 * 'gcj02' / 'gcj-02' / 'mars'. Undefined when unknown.
 */
export function lookupCrs(text: string): CrsDef | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (/^(gcj-?02|gcj|mars|amap|gaode)$/.test(t)) return DEFS.get(GCJ02);
  if (/^(wgs-?84|crs84|ogc:crs84|urn:ogc:def:crs:ogc:1\.3:crs84)$/.test(t)) return DEFS.get('EPSG:4326');
  if (/^(cgcs-?2000)$/.test(t)) return DEFS.get('EPSG:4490');
  const m = /^(?:urn:ogc:def:crs:)?(?:epsg:+(?:[\d.]*:)?)?(\d{4,5})$/.exec(t);
  if (m) return DEFS.get(`EPSG:${Number(m[1])}`);
  return undefined;
}

/** Where a detected CRS came from, so the preview can say how sure it is. */
export type CrsSource = 'user' | 'file' | 'coordinates';

export interface CrsDetection {
  crs?: CrsDef;
  source?: CrsSource;
  /** Why: "from p.prj (CGCS2000_3_Degree_GK_CM_114E)", "eastings carry zone prefix 38". */
  reason: string;
  /** When undecided: codes worth offering first (the zones covering the project). */
  suggestions?: string[];
}

/** The prefix-less 3° and 6° zones whose central meridian is nearest a longitude (EPSG:4547, CM 114°, and 4509, CM 117°, for Mingantu at 115° E). */
export function zonesNear(lon: number): string[] {
  const cm3 = Math.round(lon / 3) * 3;
  const cm6 = Math.floor(lon / 6) * 6 + 3;
  return [gkByParameters(cm3, 500000, true), gkByParameters(cm6, 500000, false)]
    .filter((d): d is CrsDef => d !== undefined)
    .map((d) => d.code);
}

// ---------------------------------------------------------------- WKT (.prj)

interface WktNode {
  key: string;
  args: (string | number | WktNode)[];
}

function parseWkt(text: string): WktNode | null {
  let i = 0;
  const s = text.trim();
  const ws = () => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };
  function node(): WktNode | null {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (!m) return null;
    i += m[0].length;
    ws();
    const open = s[i];
    if (open !== '[' && open !== '(') return { key: m[0].toUpperCase(), args: [] };
    i++;
    const args: WktNode['args'] = [];
    for (;;) {
      ws();
      if (i >= s.length) return null;
      const c = s[i];
      if (c === ']' || c === ')') {
        i++;
        break;
      }
      if (c === ',') {
        i++;
        continue;
      }
      if (c === '"') {
        const end = s.indexOf('"', i + 1);
        if (end < 0) return null;
        args.push(s.slice(i + 1, end));
        i = end + 1;
      } else if (/[-+\d.]/.test(c)) {
        const n = /^[-+]?[\d.]+(?:[eE][-+]?\d+)?/.exec(s.slice(i));
        if (!n) return null;
        args.push(Number(n[0]));
        i += n[0].length;
      } else {
        const child = node();
        if (!child) return null;
        args.push(child);
      }
    }
    return { key: m[0].toUpperCase(), args };
  }
  return node();
}

const children = (n: WktNode, key: string) =>
  n.args.filter((a): a is WktNode => typeof a === 'object' && a.key === key);
const child = (n: WktNode, key: string) => children(n, key)[0];

function authorityCode(n: WktNode): number | undefined {
  const auth = child(n, 'AUTHORITY') ?? child(n, 'ID');
  if (!auth || String(auth.args[0]).toUpperCase() !== 'EPSG') return undefined;
  const code = Number(auth.args[1]);
  return Number.isInteger(code) ? code : undefined;
}

function isCgcs2000Geog(g: WktNode | undefined): boolean {
  if (!g) return false;
  const text = JSON.stringify(g).toLowerCase();
  if (/china_2000|cgcs.?2000|china geodetic coordinate system 2000/.test(text)) return true;
  return false;
}

function isWgs84Geog(g: WktNode | undefined): boolean {
  return !!g && /wgs.?(19)?84/i.test(JSON.stringify(g));
}

/**
 * Identify a CRS from WKT (a shapefile's .prj, ESRI or OGC flavour, or a
 * GeoPackage's srs definition): by its EPSG authority if it has one, else by
 * its datum and Gauss–Krüger parameters. Anything else is unknown: an
 * unmatched datum (Beijing 1954, Xian 1980, local grids) would need a
 * transformation we cannot guess.
 */
export function crsFromWkt(wkt: string): CrsDef | undefined {
  const root = parseWkt(wkt);
  if (!root) return undefined;
  const code = authorityCode(root);
  if (code !== undefined) {
    const d = DEFS.get(`EPSG:${code}`);
    if (d) return d;
  }
  if (root.key === 'GEOGCS' || root.key === 'GEOGCRS' || root.key === 'GEODCRS') {
    if (isCgcs2000Geog(root)) return DEFS.get('EPSG:4490');
    if (isWgs84Geog(root)) return DEFS.get('EPSG:4326');
    return undefined;
  }
  if (root.key !== 'PROJCS' && root.key !== 'PROJCRS') return undefined;
  const geog = child(root, 'GEOGCS') ?? child(root, 'BASEGEOGCRS') ?? child(root, 'BASEGEODCRS');
  if (!isCgcs2000Geog(geog)) return undefined;
  const method = child(root, 'PROJECTION') ?? child(child(root, 'CONVERSION') ?? root, 'METHOD');
  const methodName = String(method?.args[0] ?? '').toLowerCase();
  if (!/gauss|transverse.?mercator/.test(methodName)) return undefined;
  const params = new Map<string, number>();
  const holder = child(root, 'CONVERSION') ?? root;
  for (const p of children(holder, 'PARAMETER')) {
    params.set(String(p.args[0]).toLowerCase().replace(/[\s_]+/g, '_'), Number(p.args[1]));
  }
  const get = (...names: string[]) => names.map((n) => params.get(n)).find((v) => v !== undefined);
  const cm = get('central_meridian', 'longitude_of_natural_origin');
  const fe = get('false_easting');
  const fn = get('false_northing') ?? 0;
  const k = get('scale_factor', 'scale_factor_at_natural_origin') ?? 1;
  const lat0 = get('latitude_of_origin', 'latitude_of_natural_origin') ?? 0;
  const unit = children(root, 'UNIT').at(-1);
  const metres = unit === undefined || Math.abs(Number(unit.args[1]) - 1) < 1e-12;
  if (cm === undefined || fe === undefined || fn !== 0 || k !== 1 || lat0 !== 0 || !metres) return undefined;
  const name = String(root.args[0] ?? '');
  const threeDegree = /3.?deg/i.test(name);
  return gkByParameters(cm, fe, threeDegree);
}

/** The family member with this central meridian and false easting, if any. */
export function gkByParameters(cm: number, falseEasting: number, preferThreeDegree = true): CrsDef | undefined {
  const prefix = Math.round((falseEasting - 500000) / 1e6);
  if (Math.abs(falseEasting - (prefix * 1e6 + 500000)) > 1e-6) return undefined;
  const candidates = [...DEFS.values()].filter(
    (d) => d.kind === 'gauss-kruger' && d.centralMeridian === cm && (d.zonePrefix ?? 0) === prefix,
  );
  if (candidates.length === 0) return undefined;
  return candidates.find((d) => (d.zoneWidth === 3) === preferThreeDegree) ?? candidates[0];
}

// ------------------------------------------------------ guessing from numbers

/**
 * Guess from the coordinates themselves (a DXF or CSV has no .prj): lon/lat
 * inside China, or Gauss–Krüger eastings whose millions carry the zone
 * (13–23: 6° zones, 25–45: 3° zones — the two ranges do not overlap).
 * Eastings without a prefix (~500 000) are refused: the central meridian
 * cannot be read from them, and a wrong guess moves the network by hundreds
 * of kilometres.
 */
export function guessCrsFromCoordinates(sample: readonly Position[]): CrsDetection {
  const pts = sample.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (pts.length === 0) return { reason: 'no coordinates to guess the coordinate system from' };
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  if (minX >= 73 && maxX <= 136 && minY >= 3 && maxY <= 54) {
    return {
      crs: DEFS.get('EPSG:4490'),
      source: 'coordinates',
      reason: 'coordinates look like longitude/latitude in China (taken as CGCS2000; choose GCJ-02 if they come from a web map)',
    };
  }
  if (minY > 0 && maxY < 6.5e6) {
    const zoneMin = Math.floor(minX / 1e6);
    const zoneMax = Math.floor(maxX / 1e6);
    if (zoneMin === zoneMax && zoneMin >= 13 && zoneMin <= 45) {
      const zone = zoneMin;
      const def =
        zone <= 23 ? DEFS.get(`EPSG:${4491 + zone - 13}`) : zone >= 25 ? DEFS.get(`EPSG:${4513 + zone - 25}`) : undefined;
      if (def) {
        return {
          crs: def,
          source: 'coordinates',
          reason: `eastings carry zone prefix ${zone} (${def.name})`,
        };
      }
    }
    if (minX > 1e5 && maxX < 9e5 && minY > 1e6) {
      return {
        reason:
          'coordinates look like Gauss–Krüger metres without a zone prefix; the central meridian cannot be read from them — choose the coordinate system',
      };
    }
  }
  return {
    reason: `coordinates (x ${fmt(minX)}…${fmt(maxX)}, y ${fmt(minY)}…${fmt(maxY)}) match no known coordinate system`,
  };
}

const fmt = (n: number) => (Math.abs(n) >= 1000 ? n.toFixed(0) : n.toFixed(4));

// ----------------------------------------------------------------- transform

/** A function taking a source position to [lon, lat] in EPSG:4490. */
export type ToProject = (p: Position) => [number, number];

const converters = new Map<string, proj4.Converter>();

/** The transform from a CRS to the project's CGCS2000 lon/lat. */
export function toProjectTransform(crs: CrsDef): ToProject {
  if (crs.kind === 'geographic') return (p) => [p[0], p[1]];
  if (crs.kind === 'gcj02') return (p) => gcj02ToWgs84(p[0], p[1]);
  let conv = converters.get(crs.code);
  if (!conv) {
    conv = proj4(crs.proj4!, '+proj=longlat +ellps=GRS80 +no_defs');
    converters.set(crs.code, conv);
  }
  const c = conv;
  return (p) => {
    const r = c.forward([p[0], p[1]]);
    return [r[0], r[1]];
  };
}
