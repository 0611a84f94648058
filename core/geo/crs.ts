/**
 * The coordinate systems Chinese utilities hand over, and their transform to
 * the project's EPSG:4490 (CGCS2000 lon/lat).
 *
 * - CGCS2000: geographic EPSG:4490 and Gauss–Krüger EPSG:4491–4554; WGS84
 *   EPSG:4326 (the two frames differ by centimetres, DOMAIN.md §2), WGS84 /
 *   UTM (EPSG:32601–32660, 32701–32760) and Web Mercator (EPSG:3857).
 * - Beijing 1954 (Krassowsky ellipsoid): geographic EPSG:4214; Gauss–Krüger
 *   6° zones 13–23 with the zone in the easting (21413–21423) and by central
 *   meridian (21453–21463, and the deprecated 21473–21483); 3° zones 25–45
 *   (2401–2421) and by central meridian (2422–2442).
 * - Xi'an 1980 (IAG 1975 ellipsoid): geographic EPSG:4610; 6° zones
 *   (2327–2337) and by central meridian (2338–2348); 3° zones (2349–2369) and
 *   by central meridian (2370–2390).
 * - GCJ-02 offset coordinates (core/geo/gcj02.ts).
 * - Any other WKT or PROJ definition whose datum is one of these, carries its
 *   own TOWGS84, or for which the user gives datum shift parameters.
 *
 * Beijing 1954 and Xi'an 1980 need a datum shift to reach CGCS2000. The
 * shift is the user's (`--towgs84`, or the project settings), else the
 * file's own TOWGS84, else the published default of the settings; every
 * detection says which, and that without local parameters the result is
 * good to metres, not centimetres.
 *
 * Coordinates are always [easting, northing] / [lon, lat] (GIS order), which
 * is what shapefiles, DXF, GeoPackages and GeoJSON from GDAL and QGIS hold.
 */
import proj4 from 'proj4';
import type { Position } from '../model/geojson';
import { gcj02ToWgs84, wgs84ToGcj02 } from './gcj02';
import { message, type Message } from '../i18n';

export type CrsKind = 'geographic' | 'gauss-kruger' | 'projected' | 'gcj02';

/**
 * The geodetic datum of a CRS, as far as the transform to CGCS2000 cares:
 * the CGCS2000 / WGS84 frame itself, a frame within about 2 m of it (NAD83,
 * ETRS89, GDA, JGD, SIRGAS: taken as it is, and said), the two old Chinese
 * datums that need a shift, GCJ-02, or another one that needs parameters.
 */
export type DatumId = 'cgcs2000' | 'wgs84' | 'near-wgs84' | 'beijing1954' | 'xian1980' | 'gcj02' | 'other';

export interface CrsDef {
  /** 'EPSG:4547', 'EPSG:4490', 'GCJ-02'; a definition without a code gets 'WKT' or 'PROJ'. */
  code: string;
  name: string;
  kind: CrsKind;
  datum: DatumId;
  /** The datum's name for messages ('Beijing 1954', 'North American Datum 1983'). */
  datumName: string;
  /** Gauss–Krüger only. */
  centralMeridian?: number;
  zoneWidth?: 3 | 6;
  /** Zone number carried in the easting's millions (38 in 38 500 000), if any. */
  zonePrefix?: number;
  /** PROJ.4 definition of the coordinates themselves (projection and ellipsoid, no datum shift). */
  proj4?: string;
  /** Datum shift to WGS84 the definition itself carries (WKT TOWGS84, PROJ +towgs84): 3 or 7 values. */
  towgs84?: number[];
}

export const GCJ02 = 'GCJ-02';

interface Family {
  datum: 'cgcs2000' | 'beijing1954' | 'xian1980';
  label: string;
  ellps: string;
  geographic: number;
  /** First codes of: 6° zones 13–23 with prefix, 6° by CM, 3° zones 25–45 with prefix, 3° by CM. */
  six: number;
  sixCm: number;
  three: number;
  threeCm: number;
  /** Older duplicate codes of the 6° by-CM series. */
  sixCmAlias?: number;
}

const FAMILIES: Family[] = [
  { datum: 'cgcs2000', label: 'CGCS2000', ellps: 'GRS80', geographic: 4490, six: 4491, sixCm: 4502, three: 4513, threeCm: 4534 },
  { datum: 'beijing1954', label: 'Beijing 1954', ellps: 'krass', geographic: 4214, six: 21413, sixCm: 21453, three: 2401, threeCm: 2422, sixCmAlias: 21473 },
  { datum: 'xian1980', label: 'Xian 1980', ellps: 'IAU76', geographic: 4610, six: 2327, sixCm: 2338, three: 2349, threeCm: 2370 },
];

const DATUM_NAMES: Record<DatumId, string> = {
  cgcs2000: 'CGCS2000',
  wgs84: 'WGS 84',
  'near-wgs84': 'WGS 84',
  beijing1954: 'Beijing 1954',
  xian1980: "Xi'an 1980",
  gcj02: 'GCJ-02',
  other: 'unknown datum',
};

function gkDef(f: Family, epsg: number, width: 3 | 6, cm: number, prefix: number | undefined): CrsDef {
  const x0 = (prefix ?? 0) * 1e6 + 500000;
  const deg = width === 3 ? '3-degree ' : '';
  const name = prefix ? `${f.label} / ${deg}Gauss-Kruger zone ${prefix}` : `${f.label} / ${deg}Gauss-Kruger CM ${cm}E`;
  return {
    code: `EPSG:${epsg}`,
    name,
    kind: 'gauss-kruger',
    datum: f.datum,
    datumName: DATUM_NAMES[f.datum],
    centralMeridian: cm,
    zoneWidth: width,
    ...(prefix ? { zonePrefix: prefix } : {}),
    proj4: `+proj=tmerc +lat_0=0 +lon_0=${cm} +k=1 +x_0=${x0} +y_0=0 +ellps=${f.ellps} +units=m +no_defs`,
  };
}

function buildDefs(): Map<string, CrsDef> {
  const defs = new Map<string, CrsDef>();
  const add = (d: CrsDef) => defs.set(d.code, d);
  for (const f of FAMILIES) {
    add({
      code: `EPSG:${f.geographic}`,
      name: f.label,
      kind: 'geographic',
      datum: f.datum,
      datumName: DATUM_NAMES[f.datum],
      ...(f.datum === 'cgcs2000' ? {} : { proj4: `+proj=longlat +ellps=${f.ellps} +no_defs` }),
    });
    for (let zone = 13; zone <= 23; zone++) {
      const cm = zone * 6 - 3;
      add(gkDef(f, f.six + zone - 13, 6, cm, zone));
      add(gkDef(f, f.sixCm + zone - 13, 6, cm, undefined));
    }
    for (let zone = 25; zone <= 45; zone++) {
      const cm = zone * 3;
      add(gkDef(f, f.three + zone - 25, 3, cm, zone));
      add(gkDef(f, f.threeCm + zone - 25, 3, cm, undefined));
    }
  }
  add({ code: 'EPSG:4326', name: 'WGS 84', kind: 'geographic', datum: 'wgs84', datumName: DATUM_NAMES.wgs84 });
  add({ code: GCJ02, name: 'GCJ-02 (offset web-map coordinates)', kind: 'gcj02', datum: 'gcj02', datumName: DATUM_NAMES.gcj02 });
  add({
    code: 'EPSG:3857',
    name: 'WGS 84 / Pseudo-Mercator',
    kind: 'projected',
    datum: 'wgs84',
    datumName: DATUM_NAMES.wgs84,
    proj4: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +no_defs',
  });
  for (let zone = 1; zone <= 60; zone++) {
    for (const south of [false, true]) {
      add({
        code: `EPSG:${(south ? 32700 : 32600) + zone}`,
        name: `WGS 84 / UTM zone ${zone}${south ? 'S' : 'N'}`,
        kind: 'projected',
        datum: 'wgs84',
        datumName: DATUM_NAMES.wgs84,
        proj4: `+proj=utm +zone=${zone}${south ? ' +south' : ''} +ellps=WGS84 +units=m +no_defs`,
      });
    }
  }
  // Geographic CRSs whose frame is within about 2 m of WGS 84: taken as they are, and said.
  const near: [number, string][] = [
    [4269, 'NAD83'],
    [4258, 'ETRS89'],
    [4283, 'GDA94'],
    [7844, 'GDA2020'],
    [4674, 'SIRGAS 2000'],
    [4612, 'JGD2000'],
    [6668, 'JGD2011'],
    [4737, 'Korea 2000'],
  ];
  for (const [code, name] of near) add({ code: `EPSG:${code}`, name, kind: 'geographic', datum: 'near-wgs84', datumName: name });
  return defs;
}

const DEFS = buildDefs();
/** Beijing 1954's 6° by-CM series also has older codes (21473–21483) that PROJ still reads. */
const ALIASES = new Map<string, string>(
  Array.from({ length: 11 }, (_, i) => [`EPSG:${21473 + i}`, `EPSG:${21453 + i}`] as [string, string]),
);

/** Every coordinate system the importer knows by code, for the wizard's list. */
export function knownCrs(): CrsDef[] {
  return [...DEFS.values()];
}

/**
 * Look up a user's choice or a file's code: 'EPSG:4547', '4547',
 * 'urn:ogc:def:crs:EPSG::4547', 'wgs84', 'cgcs2000', 'beijing1954', 'xian80',
 * 'gcj02' / 'mars', or a PROJ string ('+proj=tmerc … +ellps=krass'). Undefined when unknown.
 */
export function lookupCrs(text: string): CrsDef | undefined {
  if (/^\s*\+proj=/.test(text)) return crsFromProj4(text);
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (/^(gcj-?02|gcj|mars|amap|gaode)$/.test(t)) return DEFS.get(GCJ02);
  if (/^(wgs-?84|crs84|ogc:crs84|urn:ogc:def:crs:ogc:1\.3:crs84)$/.test(t)) return DEFS.get('EPSG:4326');
  if (/^(cgcs-?2000|china-?2000)$/.test(t)) return DEFS.get('EPSG:4490');
  if (/^(beijing-?1954|beijing-?54|bj54|北京54|北京1954)$/.test(t)) return DEFS.get('EPSG:4214');
  if (/^(xi'?an-?1980|xi'?an-?80|xa80|西安80|西安1980)$/.test(t)) return DEFS.get('EPSG:4610');
  const m = /^(?:urn:ogc:def:crs:)?(?:epsg:+(?:[\d.]*:)?)?(\d{4,5})$/.exec(t);
  if (m) {
    const code = `EPSG:${Number(m[1])}`;
    const alias = ALIASES.get(code);
    const d = DEFS.get(alias ?? code);
    return d && alias ? { ...d, code } : d;
  }
  return undefined;
}

/** Where a detected CRS came from, so the preview can say how sure it is. */
export type CrsSource = 'user' | 'file' | 'coordinates';

/** The datum shift chosen for a transform, and why. */
export interface DatumShift {
  /** Helmert parameters to WGS84 / CGCS2000 (PROJ's +towgs84, position-vector rotations in arc seconds, scale in ppm); none for a ballpark (ellipsoid change only). */
  towgs84?: number[];
  /** 'none': the frame is CGCS2000 or close to it; 'user': --towgs84 or the project setting; 'file': the definition's own; 'default': the published default. */
  from: 'none' | 'user' | 'file' | 'default';
  /** What was done, for the preview and the import log (a typed message, `import.shift.*`). */
  note: Message;
}

export interface CrsDetection {
  crs?: CrsDef;
  source?: CrsSource;
  /** Why, as typed messages (`import.crs.*`): "from p.prj: CGCS2000 …", "eastings carry zone prefix 38". */
  reason: Message[];
  /** How the datum reaches CGCS2000 (set once the CRS is decided). */
  shift?: DatumShift;
  /** When undecided: codes worth offering first (the zones covering the project). */
  suggestions?: string[];
}

/** The prefix-less 3° and 6° CGCS2000 zones whose central meridian is nearest a longitude (EPSG:4547, CM 114°, and 4509, CM 117°, for Mingantu at 115° E). */
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
  function node(depth: number): WktNode | null {
    if (depth > 32) return null;
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i, i + 64));
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
        const n = /^[-+]?[\d.]+(?:[eE][-+]?\d+)?/.exec(s.slice(i, i + 64));
        if (!n) return null;
        args.push(Number(n[0]));
        i += n[0].length;
      } else {
        const child = node(depth + 1);
        if (!child) return null;
        args.push(child);
      }
    }
    return { key: m[0].toUpperCase(), args };
  }
  return node(0);
}

const children = (n: WktNode, key: string) => n.args.filter((a): a is WktNode => typeof a === 'object' && a.key === key);
const child = (n: WktNode | undefined, key: string) => (n ? children(n, key)[0] : undefined);

function authorityCode(n: WktNode): number | undefined {
  const auth = child(n, 'AUTHORITY') ?? child(n, 'ID');
  if (!auth || String(auth.args[0]).toUpperCase() !== 'EPSG') return undefined;
  const code = Number(auth.args[1]);
  return Number.isInteger(code) ? code : undefined;
}

/** Datum by its name in WKT (ESRI 'D_Beijing_1954', OGC 'Beijing_1954', WKT2 'Beijing 1954'). */
function datumOfName(name: string): { datum: DatumId; name: string } {
  const t = name.toLowerCase().replace(/^d_/, '').replace(/[\s_'-]+/g, ' ').trim();
  if (/china 2000|cgcs ?2000|china geodetic coordinate system 2000/.test(t)) return { datum: 'cgcs2000', name: 'CGCS2000' };
  if (/^new beijing/.test(t)) return { datum: 'other', name };
  if (/beijing 1954|beijing 54/.test(t)) return { datum: 'beijing1954', name: DATUM_NAMES.beijing1954 };
  if (/xi ?an 1980|xian 80/.test(t)) return { datum: 'xian1980', name: DATUM_NAMES.xian1980 };
  if (/^(wgs ?(19)?84|world geodetic system 1984)/.test(t)) return { datum: 'wgs84', name: DATUM_NAMES.wgs84 };
  if (/north american (datum )?1983|^nad ?83|european terrestrial reference system 1989|^etrs ?(19)?89|geocentric datum of australia|^gda ?(94|2020)|sirgas|japanese geodetic datum 20|^jgd ?20|geocentric datum of korea|^itrf/.test(t)) {
    return { datum: 'near-wgs84', name };
  }
  return { datum: 'other', name };
}

/** PROJ ellipsoid parameters from a WKT SPHEROID / ELLIPSOID node. */
function ellipsoidOf(geog: WktNode | undefined): string | undefined {
  const datum = child(geog, 'DATUM');
  const sph = child(datum, 'SPHEROID') ?? child(datum, 'ELLIPSOID');
  const a = Number(sph?.args[1]);
  const rf = Number(sph?.args[2]);
  if (!Number.isFinite(a) || a <= 0) return undefined;
  return rf > 0 ? `+a=${a} +rf=${rf}` : `+a=${a} +b=${a}`;
}

function towgs84Of(geog: WktNode | undefined): number[] | undefined {
  const t = child(child(geog, 'DATUM'), 'TOWGS84');
  if (!t) return undefined;
  const v = t.args.map(Number);
  if (!(v.length === 3 || v.length === 7) || !v.every(Number.isFinite)) return undefined;
  // All zeros on a frame near WGS 84 carries no information.
  return v;
}

const PROJECTIONS: Record<string, (p: (n: string[]) => number | undefined) => string | undefined> = {
  tmerc: (p) => `+proj=tmerc +lat_0=${p(['latitude_of_origin', 'latitude_of_natural_origin']) ?? 0} +lon_0=${p(['central_meridian', 'longitude_of_natural_origin', 'longitude_of_origin'])} +k=${p(['scale_factor', 'scale_factor_at_natural_origin']) ?? 1} +x_0=${p(['false_easting']) ?? 0} +y_0=${p(['false_northing']) ?? 0}`,
  merc: (p) => `+proj=merc +lon_0=${p(['central_meridian', 'longitude_of_natural_origin']) ?? 0} +lat_ts=${p(['standard_parallel_1', 'latitude_of_1st_standard_parallel']) ?? 0} +k=${p(['scale_factor', 'scale_factor_at_natural_origin']) ?? 1} +x_0=${p(['false_easting']) ?? 0} +y_0=${p(['false_northing']) ?? 0}`,
  lcc: (p) => `+proj=lcc +lat_1=${p(['standard_parallel_1', 'latitude_of_1st_standard_parallel'])} +lat_2=${p(['standard_parallel_2', 'latitude_of_2nd_standard_parallel']) ?? p(['standard_parallel_1', 'latitude_of_1st_standard_parallel'])} +lat_0=${p(['latitude_of_origin', 'latitude_of_false_origin']) ?? 0} +lon_0=${p(['central_meridian', 'longitude_of_false_origin']) ?? 0} +x_0=${p(['false_easting', 'easting_at_false_origin']) ?? 0} +y_0=${p(['false_northing', 'northing_at_false_origin']) ?? 0}`,
  aea: (p) => `+proj=aea +lat_1=${p(['standard_parallel_1', 'latitude_of_1st_standard_parallel'])} +lat_2=${p(['standard_parallel_2', 'latitude_of_2nd_standard_parallel'])} +lat_0=${p(['latitude_of_origin', 'latitude_of_center', 'latitude_of_false_origin']) ?? 0} +lon_0=${p(['central_meridian', 'longitude_of_center', 'longitude_of_false_origin']) ?? 0} +x_0=${p(['false_easting', 'easting_at_false_origin']) ?? 0} +y_0=${p(['false_northing', 'northing_at_false_origin']) ?? 0}`,
};

function projectionKey(method: string): keyof typeof PROJECTIONS | undefined {
  const m = method.toLowerCase().replace(/[\s_()-]+/g, '');
  if (/gauss|transversemercator/.test(m)) return 'tmerc';
  if (/lambertconformalconic/.test(m)) return 'lcc';
  if (/albers/.test(m)) return 'aea';
  if (/^mercator/.test(m)) return 'merc';
  return undefined;
}

/**
 * Identify a CRS from WKT (a shapefile's .prj, ESRI or OGC WKT1, WKT2, or a
 * GeoPackage's srs definition): by its EPSG authority when it is one of the
 * known codes, else by its datum and projection parameters. A datum that is
 * not known comes back with datum 'other' (and its TOWGS84 if the WKT has
 * one), so the caller can ask for shift parameters instead of guessing.
 */
export function crsFromWkt(wkt: string): CrsDef | undefined {
  const root = parseWkt(wkt);
  if (!root) return undefined;
  const code = authorityCode(root);
  if (code !== undefined) {
    const d = lookupCrs(`EPSG:${code}`);
    if (d) return d;
  }
  const name = String(root.args[0] ?? '');
  if (root.key === 'GEOGCS' || root.key === 'GEOGCRS' || root.key === 'GEODCRS') {
    const dn = String(child(root, 'DATUM')?.args[0] ?? name);
    const { datum, name: datumName } = datumOfName(dn);
    const family = FAMILIES.find((f) => f.datum === datum);
    if (family) return DEFS.get(`EPSG:${family.geographic}`);
    if (datum === 'wgs84') return DEFS.get('EPSG:4326');
    const ellps = ellipsoidOf(root);
    const towgs84 = towgs84Of(root);
    return {
      code: 'WKT',
      name,
      kind: 'geographic',
      datum,
      datumName,
      ...(ellps ? { proj4: `+proj=longlat ${ellps} +no_defs` } : {}),
      ...(towgs84 ? { towgs84 } : {}),
    };
  }
  if (root.key !== 'PROJCS' && root.key !== 'PROJCRS') return undefined;
  const geog = child(root, 'GEOGCS') ?? child(root, 'BASEGEOGCRS') ?? child(root, 'BASEGEODCRS');
  const { datum, name: datumName } = datumOfName(String(child(geog, 'DATUM')?.args[0] ?? geog?.args[0] ?? ''));
  const method = child(root, 'PROJECTION') ?? child(child(root, 'CONVERSION'), 'METHOD');
  const key = projectionKey(String(method?.args[0] ?? ''));
  if (!key) return undefined;
  const params = new Map<string, number>();
  const holder = child(root, 'CONVERSION') ?? root;
  for (const p of children(holder, 'PARAMETER')) params.set(String(p.args[0]).toLowerCase().replace(/[\s_]+/g, '_'), Number(p.args[1]));
  const get = (names: string[]) => names.map((n) => params.get(n)).find((v) => v !== undefined);
  const unit = children(root, 'UNIT').at(-1) ?? child(child(root, 'CS') ?? root, 'LENGTHUNIT');
  const toMetre = unit === undefined ? 1 : Number(unit.args[1]);
  const metres = Math.abs(toMetre - 1) < 1e-12;
  if (key === 'tmerc') {
    const cm = get(['central_meridian', 'longitude_of_natural_origin']);
    const fe = get(['false_easting']);
    const fn = get(['false_northing']) ?? 0;
    const k = get(['scale_factor', 'scale_factor_at_natural_origin']) ?? 1;
    const lat0 = get(['latitude_of_origin', 'latitude_of_natural_origin']) ?? 0;
    const family = FAMILIES.find((f) => f.datum === datum);
    if (family && cm !== undefined && fe !== undefined && fn === 0 && k === 1 && lat0 === 0 && metres) {
      const d = gkByParameters(cm, fe, /3.?deg/i.test(name), family.datum);
      if (d) return d;
    }
  }
  const proj = PROJECTIONS[key](get);
  if (!proj || /undefined|NaN/.test(proj) || !Number.isFinite(toMetre) || toMetre <= 0) return undefined;
  const family = FAMILIES.find((f) => f.datum === datum);
  const ellps = family ? `+ellps=${family.ellps}` : (ellipsoidOf(geog) ?? '+ellps=WGS84');
  const towgs84 = towgs84Of(geog);
  return {
    code: 'WKT',
    name,
    kind: 'projected',
    datum,
    datumName,
    proj4: `${proj} ${ellps} ${metres ? '+units=m' : `+to_meter=${toMetre}`} +no_defs`,
    ...(towgs84 ? { towgs84 } : {}),
  };
}

/** A user's PROJ string: the ellipsoid or +towgs84 tells the datum. */
function crsFromProj4(text: string): CrsDef | undefined {
  const t = text.trim().replace(/\s+/g, ' ');
  try {
    proj4(t, '+proj=longlat +ellps=GRS80 +no_defs');
  } catch {
    return undefined;
  }
  const param = (k: string) => new RegExp(`\\+${k}=([^ ]+)`).exec(t)?.[1];
  const towgs84 = param('towgs84')?.split(',').map(Number);
  const ellps = param('ellps') ?? (param('datum') === 'WGS84' ? 'WGS84' : undefined);
  const datum: DatumId =
    ellps === 'krass' ? 'beijing1954' : ellps === 'IAU76' ? 'xian1980' : ellps === 'GRS80' || ellps === 'WGS84' || param('datum') === 'WGS84' ? 'cgcs2000' : 'other';
  const geographic = /\+proj=(longlat|latlong|lonlat|latlon)\b/.test(t);
  return {
    code: 'PROJ',
    name: t,
    kind: geographic ? 'geographic' : 'projected',
    datum,
    datumName: datum === 'other' ? (ellps ? `ellipsoid ${ellps}` : 'unknown datum') : DATUM_NAMES[datum],
    proj4: t.replace(/\s*\+towgs84=[^ ]+/, ''),
    ...(towgs84 && (towgs84.length === 3 || towgs84.length === 7) && towgs84.every(Number.isFinite) ? { towgs84 } : {}),
  };
}

/** The Gauss–Krüger family member with this central meridian and false easting, if any. */
export function gkByParameters(cm: number, falseEasting: number, preferThreeDegree = true, datum: Family['datum'] = 'cgcs2000'): CrsDef | undefined {
  const prefix = Math.round((falseEasting - 500000) / 1e6);
  if (Math.abs(falseEasting - (prefix * 1e6 + 500000)) > 1e-6) return undefined;
  const candidates = [...DEFS.values()].filter(
    (d) => d.kind === 'gauss-kruger' && d.datum === datum && d.centralMeridian === cm && (d.zonePrefix ?? 0) === prefix,
  );
  if (candidates.length === 0) return undefined;
  return candidates.find((d) => (d.zoneWidth === 3) === preferThreeDegree) ?? candidates[0];
}

// ------------------------------------------------------------ datum shifts

/** Published defaults of the shifts to CGCS2000, from the project settings. */
export interface DatumShiftDefaults {
  beijing1954: number[];
  xian1980: number[];
}

const fmtShift = (v: number[]) => v.map((n) => String(n)).join(',');

/**
 * How a CRS reaches CGCS2000: the user's parameters over the file's over the
 * published default. Returns the reason it cannot (a datum with no known
 * shift and no parameters given) as a string.
 */
export function resolveDatumShift(crs: CrsDef, defaults: DatumShiftDefaults, userTowgs84?: number[]): DatumShift | Message {
  const datum = crs.datumName;
  switch (crs.datum) {
    case 'cgcs2000':
    case 'wgs84':
    case 'gcj02':
      if (userTowgs84) return { towgs84: userTowgs84, from: 'user', note: message('import.shift.byUser', { shift: fmtShift(userTowgs84) }) };
      return { from: 'none', note: message(crs.datum === 'wgs84' ? 'import.shift.wgs84' : 'import.shift.none') };
    case 'near-wgs84':
      if (userTowgs84) return { towgs84: userTowgs84, from: 'user', note: message('import.shift.byUser', { shift: fmtShift(userTowgs84) }) };
      return { from: 'none', note: message('import.shift.nearWgs84', { datum }) };
    case 'beijing1954':
    case 'xian1980': {
      if (userTowgs84) return { towgs84: userTowgs84, from: 'user', note: message('import.shift.given', { datum, shift: fmtShift(userTowgs84) }) };
      if (crs.towgs84) return { towgs84: crs.towgs84, from: 'file', note: message('import.shift.fileOwn', { datum, shift: fmtShift(crs.towgs84) }) };
      const d = defaults[crs.datum];
      if (d.length === 3 || d.length === 7) return { towgs84: d, from: 'default', note: message('import.shift.default', { datum, shift: fmtShift(d) }) };
      return { from: 'default', note: message('import.shift.ballpark', { datum }) };
    }
    case 'other':
      if (userTowgs84) return { towgs84: userTowgs84, from: 'user', note: message('import.shift.given', { datum, shift: fmtShift(userTowgs84) }) };
      if (crs.towgs84) return { towgs84: crs.towgs84, from: 'file', note: message('import.shift.definition', { datum, shift: fmtShift(crs.towgs84) }) };
      return message('import.shift.unknownDatum', { datum });
  }
}

/** Parse '--towgs84 dx,dy,dz[,rx,ry,rz,ds]'; a string is the reason it is wrong. */
export function parseTowgs84(text: string): number[] | string {
  const v = text.split(/[,\s]+/).filter(Boolean).map(Number);
  if (!(v.length === 3 || v.length === 7) || !v.every(Number.isFinite)) {
    return `"${text}" is not 3 or 7 numbers (dx,dy,dz in metres[,rx,ry,rz in arc seconds,ds in ppm])`;
  }
  return v;
}

// ------------------------------------------------------ guessing from numbers

interface Range {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

function rangeOf(pts: readonly Position[]): Range {
  // A loop: samples can be large.
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const p of pts) {
    if (p[0] < minX) minX = p[0];
    if (p[0] > maxX) maxX = p[0];
    if (p[1] < minY) minY = p[1];
    if (p[1] > maxY) maxY = p[1];
  }
  return { minX, maxX, minY, maxY };
}

/** 'x 582 000…583 500, y 4 684 000…4 685 200' as the user would read the numbers. */
export function describeRange(sample: readonly Position[]): string {
  const pts = sample.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (!pts.length) return 'no coordinates';
  const r = rangeOf(pts);
  return `x ${fmt(r.minX)}…${fmt(r.maxX)}, y ${fmt(r.minY)}…${fmt(r.maxY)}`;
}

/**
 * Guess from the coordinates themselves (a DXF or CSV has no .prj): lon/lat
 * inside China, or Gauss–Krüger eastings whose millions carry the zone
 * (13–23: 6° zones, 25–45: 3° zones — the two ranges do not overlap).
 * Eastings without a prefix (~500 000) are refused: the central meridian
 * cannot be read from them, and a wrong guess moves the network by hundreds
 * of kilometres. The datum cannot be read from numbers either: CGCS2000 is
 * assumed and said.
 */
export function guessCrsFromCoordinates(sample: readonly Position[]): CrsDetection {
  const pts = sample.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (pts.length === 0) return { reason: [message('import.crs.noCoordinates')] };
  const { minX, maxX, minY, maxY } = rangeOf(pts);
  const range = `x ${fmt(minX)}…${fmt(maxX)}, y ${fmt(minY)}…${fmt(maxY)}`;
  if (minX >= 73 && maxX <= 136 && minY >= 3 && maxY <= 54) {
    return {
      crs: DEFS.get('EPSG:4490'),
      source: 'coordinates',
      reason: [message('import.crs.lonLatChina')],
    };
  }
  if (minY > 0 && maxY < 6.5e6) {
    const zoneMin = Math.floor(minX / 1e6);
    const zoneMax = Math.floor(maxX / 1e6);
    if (zoneMin === zoneMax && zoneMin >= 13 && zoneMin <= 45 && zoneMin !== 24) {
      const zone = zoneMin;
      const def = zone <= 23 ? DEFS.get(`EPSG:${4491 + zone - 13}`) : DEFS.get(`EPSG:${4513 + zone - 25}`);
      if (def) {
        return {
          crs: def,
          source: 'coordinates',
          reason: [message('import.crs.zonePrefix', { zone, name: def.name })],
        };
      }
    }
    if (minX > 1e5 && maxX < 9e5 && minY > 1e6) {
      return {
        reason: [message('import.crs.noZonePrefix', { range })],
      };
    }
  }
  if (minX >= -180 && maxX <= 180 && minY >= -90 && maxY <= 90) {
    return { reason: [message('import.crs.lonLatOutside', { range })] };
  }
  return { reason: [message('import.crs.unknownRange', { range })] };
}

const fmt = (n: number) => (Math.abs(n) >= 1000 ? n.toFixed(0) : n.toFixed(4));

// ----------------------------------------------------------------- transform

/** A source position to [lon, lat] in EPSG:4490; `into` writes the result into an array instead (no allocation). */
export interface ToProject {
  (p: Position): [number, number];
  into(p: Position, out: number[]): void;
}

/** A transform from one that may write into `out` when given it. */
function transformer(f: (p: Position, out?: number[]) => [number, number]): ToProject {
  const t = ((p: Position) => f(p)) as ToProject;
  t.into = (p, out) => void f(p, out);
  return t;
}

const converters = new Map<string, proj4.Converter>();

function converter(from: string, to: string): proj4.Converter {
  const key = `${from}|${to}`;
  let c = converters.get(key);
  if (!c) {
    c = proj4(from, to);
    converters.set(key, c);
  }
  return c;
}

/** Semi-major axis and flattening of the ellipsoids the Gauss–Krüger families use. */
const ELLIPSOIDS: Record<string, [number, number]> = {
  GRS80: [6378137, 1 / 298.257222101],
  krass: [6378245, 1 / 298.3],
  IAU76: [6378140, 1 / 298.257],
};

/**
 * Inverse transverse Mercator by Krüger's series in n to the sixth order
 * (Karney 2011, "Transverse Mercator with an accuracy of a few
 * nanometers"): exact to well under a millimetre across a Gauss–Krüger zone,
 * with no allocation per point (imports transform every vertex). Origin on
 * the equator, as every Gauss–Krüger zone has it.
 */
function krugerInverse(a: number, f: number, lon0: number, k0: number, x0: number, y0: number): ToProject {
  const n = f / (2 - f);
  const n2 = n * n, n3 = n2 * n, n4 = n3 * n, n5 = n4 * n, n6 = n5 * n;
  const A = (a / (1 + n)) * (1 + n2 / 4 + n4 / 64 + n6 / 256);
  const beta = [
    n / 2 - (2 * n2) / 3 + (37 * n3) / 96 - n4 / 360 - (81 * n5) / 512 + (96199 * n6) / 604800,
    n2 / 48 + n3 / 15 - (437 * n4) / 1440 + (46 * n5) / 105 - (1118711 * n6) / 3870720,
    (17 * n3) / 480 - (37 * n4) / 840 - (209 * n5) / 4480 + (5569 * n6) / 90720,
    (4397 * n4) / 161280 - (11 * n5) / 504 - (830251 * n6) / 7257600,
    (4583 * n5) / 161280 - (108847 * n6) / 3991680,
    (20648693 * n6) / 638668800,
  ];
  const delta = [
    2 * n - (2 * n2) / 3 - 2 * n3 + (116 * n4) / 45 + (26 * n5) / 45 - (2854 * n6) / 675,
    (7 * n2) / 3 - (8 * n3) / 5 - (227 * n4) / 45 + (2704 * n5) / 315 + (2323 * n6) / 945,
    (56 * n3) / 15 - (136 * n4) / 35 - (1262 * n5) / 105 + (73814 * n6) / 2835,
    (4279 * n4) / 630 - (332 * n5) / 35 - (399572 * n6) / 14175,
    (4174 * n5) / 315 - (144838 * n6) / 6237,
    (601676 * n6) / 22275,
  ];
  const scale = 1 / (k0 * A);
  const deg = 180 / Math.PI;
  const [b1, b2, b3, b4, b5, b6] = beta;
  const [d1, d2, d3, d4, d5, d6] = delta;
  return transformer((p, out) => {
    const xi = (p[1] - y0) * scale;
    const eta = (p[0] - x0) * scale;
    // Σ βj sin(2jζ), ζ = ξ + iη, by the Chebyshev recurrence in complex numbers: one sin, cos and exp per point.
    const s2 = Math.sin(2 * xi), c2 = Math.cos(2 * xi);
    const e2 = Math.exp(2 * eta), sh2 = (e2 - 1 / e2) / 2, ch2 = (e2 + 1 / e2) / 2;
    // sin 2ζ and cos 2ζ.
    const sr = s2 * ch2, si = c2 * sh2;
    const cr = c2 * ch2, ci = -s2 * sh2;
    // sin 2jζ for j = 1…6: S(j+1) = 2 cos2ζ · S(j) − S(j−1).
    let pr = 0, pi = 0; // S(0)
    let qr = sr, qi = si; // S(1)
    let sumR = b1 * qr, sumI = b1 * qi;
    const coef = [b2, b3, b4, b5, b6];
    for (let j = 0; j < 5; j++) {
      const nr = 2 * (cr * qr - ci * qi) - pr;
      const ni = 2 * (cr * qi + ci * qr) - pi;
      pr = qr;
      pi = qi;
      qr = nr;
      qi = ni;
      sumR += coef[j] * nr;
      sumI += coef[j] * ni;
    }
    const xi1 = xi - sumR;
    const eta1 = eta - sumI;
    const e1 = Math.exp(eta1);
    const sh1 = (e1 - 1 / e1) / 2, ch1 = (e1 + 1 / e1) / 2;
    const chi = Math.asin(Math.sin(xi1) / ch1);
    // Σ δj sin(2jχ), real recurrence.
    const sx = Math.sin(2 * chi), cx = Math.cos(2 * chi);
    let u0 = 0, u1 = sx;
    let phi = chi + d1 * u1;
    const dc = [d2, d3, d4, d5, d6];
    for (let j = 0; j < 5; j++) {
      const u2 = 2 * cx * u1 - u0;
      u0 = u1;
      u1 = u2;
      phi += dc[j] * u2;
    }
    const lam = Math.atan2(sh1, Math.cos(xi1));
    if (out) {
      out[0] = lon0 + lam * deg;
      out[1] = phi * deg;
      if (out.length > 2) out.length = 2;
      return out as [number, number];
    }
    return [lon0 + lam * deg, phi * deg];
  });
}

/**
 * The transform from a CRS to the project's CGCS2000 lon/lat, with the datum
 * shift decided by resolveDatumShift (none: the frames are taken as equal).
 */
const into = (r: readonly number[], out?: number[]): [number, number] => {
  if (!out) return r.length === 2 ? (r as [number, number]) : [r[0], r[1]];
  out[0] = r[0];
  out[1] = r[1];
  if (out.length > 2) out.length = 2;
  return out as [number, number];
};

export function toProjectTransform(crs: CrsDef, shift?: DatumShift): ToProject {
  if (crs.kind === 'gcj02') return transformer((p, out) => into(gcj02ToWgs84(p[0], p[1]), out));
  const towgs84 = shift?.towgs84;
  if (crs.kind === 'gauss-kruger' && !towgs84) {
    const ellps = /\+ellps=(\S+)/.exec(crs.proj4 ?? '')?.[1] ?? 'GRS80';
    const [a, f] = ELLIPSOIDS[ellps] ?? ELLIPSOIDS.GRS80;
    return krugerInverse(a, f, crs.centralMeridian!, 1, (crs.zonePrefix ?? 0) * 1e6 + 500000, 0);
  }
  if (crs.kind === 'geographic' && !towgs84) return transformer((p, out) => (out ? into(p, out) : [p[0], p[1]]));
  const src = `${crs.proj4 ?? '+proj=longlat +ellps=GRS80 +no_defs'}${towgs84 ? ` +towgs84=${towgs84.join(',')}` : ''}`;
  // With a shift both ends need datum parameters; without, proj4 keeps latitude and longitude (PROJ's ballpark).
  const c = converter(src, towgs84 ? '+proj=longlat +ellps=GRS80 +towgs84=0,0,0 +no_defs' : '+proj=longlat +ellps=GRS80 +no_defs');
  return transformer((p, out) => into(c.forward(p.length === 2 ? (p as number[]) : [p[0], p[1]]) as number[], out));
}

/**
 * The inverse of toProjectTransform: CGCS2000 lon/lat to a CRS's own
 * coordinates (a basemap raster's pixels are found by running each output
 * position back into the raster's CRS). Same datum shift rules.
 */
export function fromProjectTransform(crs: CrsDef, shift?: DatumShift): ToProject {
  if (crs.kind === 'gcj02') return transformer((p, out) => into(wgs84ToGcj02(p[0], p[1]), out));
  const towgs84 = shift?.towgs84;
  if (crs.kind === 'geographic' && !towgs84) return transformer((p, out) => (out ? into(p, out) : [p[0], p[1]]));
  const src = `${crs.proj4 ?? '+proj=longlat +ellps=GRS80 +no_defs'}${towgs84 ? ` +towgs84=${towgs84.join(',')}` : ''}`;
  const c = converter(src, towgs84 ? '+proj=longlat +ellps=GRS80 +towgs84=0,0,0 +no_defs' : '+proj=longlat +ellps=GRS80 +no_defs');
  return transformer((p, out) => into(c.inverse(p.length === 2 ? (p as number[]) : [p[0], p[1]]) as number[], out));
}
