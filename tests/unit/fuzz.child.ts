/**
 * Child of fuzz-import.test.ts: imports seeded mutations of one format's
 * sample file into a real project, one case after another, and prints one
 * JSON line per case as it ends: the outcome (imported, refused, crash,
 * partial), the time, and for a refusal its message. A case that never
 * ends is seen by the parent (no line within the time bound) and the child
 * killed; the process's peak memory comes last.
 * Usage: fuzz.child.ts <format> <base dir> <first case> <cases> <seed>
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { seededRandom } from '../../core/random';
import { ImportRefused } from '../../core/io/source';
import type { LayerName } from '../../core/model/schema';
import { importFile } from '../../electron/backend/importer';
import { ImportError, ProjectStore } from '../../electron/backend/store/index';
import { zipOf } from '../fixtures/import/zip';

const [format, baseDir, firstText, countText, seedText] = process.argv.slice(2);
const first = Number(firstText);
const count = Number(countText);

// ------------------------------------------------------------ the samples

/** The sample of each format (written by the parent with GDAL): file name → bytes, the first opened. */
const FILES: Record<string, string[]> = {
  geojson: ['net.geojson'],
  shapefile: ['net.shp', 'net.shx', 'net.dbf', 'net.prj', 'net.cpg'],
  dxf: ['net.dxf'],
  csv: ['valves.csv'],
  gpkg: ['net.gpkg'],
};
const LAYER: Record<string, LayerName> = { geojson: 'pipes', shapefile: 'pipes', dxf: 'pipes', csv: 'valves', gpkg: 'pipes' };
const OPTS: Record<string, object> = { dxf: { mapping: { level: '=primary', dn: '=200' } } };
const sample = new Map(FILES[format].map((n) => [n, new Uint8Array(readFileSync(join(baseDir, n)))]));

// ------------------------------------------------------------ mutations

type Rnd = () => number;
const intOf = (rnd: Rnd, n: number) => Math.floor(rnd() * n);
const copy = (b: Uint8Array) => new Uint8Array(b);

/** Byte-level damage any file can suffer. */
const GENERIC: Record<string, (b: Uint8Array, rnd: Rnd) => Uint8Array> = {
  flip: (b, rnd) => {
    const c = copy(b);
    for (let k = 1 + intOf(rnd, 8); k > 0; k--) c[intOf(rnd, c.length)] ^= 1 << intOf(rnd, 8);
    return c;
  },
  truncate: (b, rnd) => b.slice(0, intOf(rnd, b.length)),
  randomise: (b, rnd) => {
    const c = copy(b);
    for (let k = 1 + intOf(rnd, 16); k > 0; k--) c[intOf(rnd, c.length)] = intOf(rnd, 256);
    return c;
  },
  zeroRange: (b, rnd) => {
    const c = copy(b);
    const s = intOf(rnd, c.length);
    c.fill(0, s, Math.min(c.length, s + 1 + intOf(rnd, 512)));
    return c;
  },
  duplicate: (b, rnd) => {
    const s = intOf(rnd, b.length);
    const e = Math.min(b.length, s + 1 + intOf(rnd, 400));
    const at = intOf(rnd, b.length);
    const out = new Uint8Array(b.length + (e - s));
    out.set(b.subarray(0, at), 0);
    out.set(b.subarray(s, e), at);
    out.set(b.subarray(at), at + (e - s));
    return out;
  },
};

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A random run of digits in the text replaced by a huge number (counts, sizes, coordinates). */
function hugeNumber(b: Uint8Array, rnd: Rnd): Uint8Array {
  const t = dec.decode(b);
  const runs = [...t.matchAll(/\d+/g)];
  if (!runs.length) return b;
  const m = runs[intOf(rnd, runs.length)];
  const huge = ['2147483647', '4294967295', '99999999999999999999', '1e308', '-2147483648', '0'][intOf(rnd, 6)];
  return enc.encode(t.slice(0, m.index) + huge + t.slice(m.index! + m[0].length));
}

/** Write a 32-bit integer (big or little endian) at an offset of a copy. */
function poke(b: Uint8Array, at: number, value: number, little: boolean): Uint8Array {
  const c = copy(b);
  if (at + 4 <= c.length) new DataView(c.buffer).setInt32(at, value, little);
  return c;
}
const HUGE = [0x7fffffff, -1, 0x40000000, 1_000_000, 0];
const hugeOf = (rnd: Rnd) => HUGE[intOf(rnd, HUGE.length)];

/** Structural damage by format: huge counts in headers, wrong offsets, deep nesting. */
const STRUCTURAL: Record<string, ((files: Map<string, Uint8Array>, rnd: Rnd) => string)[]> = {
  geojson: [
    (f, rnd) => {
      // Coordinates nested thousands of arrays deep.
      const depth = [100, 10_000, 200_000][intOf(rnd, 3)];
      f.set('net.geojson', enc.encode(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"P-1"},"geometry":{"type":"LineString","coordinates":${'['.repeat(depth)}115,42${']'.repeat(depth)}}}]}`));
      return `deep coordinates ${depth}`;
    },
    (f, rnd) => {
      const depth = [50, 5000][intOf(rnd, 2)];
      const g = `${'{"type":"GeometryCollection","geometries":['.repeat(depth)}{"type":"Point","coordinates":[115,42]}${']}'.repeat(depth)}`;
      f.set('net.geojson', enc.encode(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"P-1"},"geometry":${g}}]}`));
      return `deep collections ${depth}`;
    },
    (f, rnd) => (f.set('net.geojson', hugeNumber(f.get('net.geojson')!, rnd)), 'huge number'),
    (f) => {
      // A property that is an object nested deep, and a huge string.
      f.set('net.geojson', enc.encode(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"P-1","x":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)},"s":"${'x'.repeat(100_000)}"},"geometry":{"type":"LineString","coordinates":[[115,42.28],[115.001,42.281]]}}]}`));
      return 'deep properties';
    },
  ],
  shapefile: [
    (f, rnd) => (f.set('net.shp', poke(f.get('net.shp')!, 24, hugeOf(rnd), false)), 'shp file length'),
    (f, rnd) => (f.set('net.shx', poke(f.get('net.shx')!, 24, hugeOf(rnd), false)), 'shx file length'),
    (f, rnd) => (f.set('net.dbf', poke(f.get('net.dbf')!, 4, hugeOf(rnd), true)), 'dbf record count'),
    (f, rnd) => {
      const shx = f.get('net.shx')!;
      const n = Math.max(1, Math.floor((shx.length - 100) / 8));
      f.set('net.shx', poke(shx, 100 + intOf(rnd, n) * 8, intOf(rnd, 2) ? hugeOf(rnd) : intOf(rnd, 1000), false));
      return 'shx offset';
    },
    (f, rnd) => {
      // numParts / numPoints of the first record.
      f.set('net.shp', poke(f.get('net.shp')!, 100 + 8 + 36 + (intOf(rnd, 2) ? 4 : 0), hugeOf(rnd), true));
      return 'shp part/point count';
    },
    (f, rnd) => {
      const dbf = copy(f.get('net.dbf')!);
      new DataView(dbf.buffer).setUint16(8 + 2 * intOf(rnd, 2), intOf(rnd, 65536), true);
      f.set('net.dbf', dbf);
      return 'dbf header/record length';
    },
  ],
  dxf: [
    (f, rnd) => (f.set('net.dxf', hugeNumber(f.get('net.dxf')!, rnd)), 'huge number'),
    (f) => {
      // A block that inserts itself, and a MINSERT of a million copies.
      const t = dec.decode(f.get('net.dxf')!);
      const block = '0\nBLOCK\n8\n0\n2\nLOOP\n70\n0\n10\n0\n20\n0\n30\n0\n3\nLOOP\n0\nINSERT\n8\n0\n2\nLOOP\n10\n1\n20\n1\n0\nLINE\n8\n0\n10\n0\n20\n0\n11\n1\n21\n1\n0\nENDBLK\n8\n0\n';
      const insert = '0\nINSERT\n8\n0\n2\nLOOP\n10\n500000\n20\n4680000\n70\n1000\n71\n1000\n44\n1\n45\n1\n';
      const withBlock = t.includes('0\nENDSEC\n0\nSECTION\n2\nENTITIES') ? t : t;
      const b = withBlock.replace(/(\n\s*2\s*\nBLOCKS\s*\n)/, `$1${block}`);
      f.set('net.dxf', enc.encode(b.replace(/(\n\s*2\s*\nENTITIES\s*\n)/, `$1${insert}`)));
      return 'recursive block, MINSERT 1000×1000';
    },
    (f, rnd) => {
      const t = dec.decode(f.get('net.dxf')!);
      f.set('net.dxf', enc.encode(t.replace(/\n\s*90\s*\n\s*\d+/, `\n 90\n${hugeOf(rnd)}`)));
      return 'vertex count';
    },
  ],
  csv: [
    (f, rnd) => (f.set('valves.csv', hugeNumber(f.get('valves.csv')!, rnd)), 'huge number'),
    (f, rnd) => {
      const depth = [100, 20_000][intOf(rnd, 2)];
      f.set('valves.csv', enc.encode(`id,wkt\nV-1,"${'GEOMETRYCOLLECTION('.repeat(depth)}POINT(115 42)${')'.repeat(depth)}"\n`));
      return `deep WKT ${depth}`;
    },
    (f) => (f.set('valves.csv', enc.encode(`id,lon,lat${',c'.repeat(50_000)}\nV-1,115.03,42.28\n`)), 'many columns'),
    (f) => (f.set('valves.csv', enc.encode(`id,lon,lat\n"${'x'.repeat(2_000_000)}`)), 'unterminated quote'),
  ],
  gpkg: [
    (f, rnd) => {
      // The SQLite header: page size, page count, schema cookie.
      const at = [16, 28, 40, 44, 48, 52, 56][intOf(rnd, 7)];
      f.set('net.gpkg', poke(f.get('net.gpkg')!, at, hugeOf(rnd), false));
      return `sqlite header ${at}`;
    },
    () => 'wkb point count',
    () => 'wkb deep collection',
  ],
};

/** For GeoPackage mutations made through SQL: applied to the written file. */
async function sqlMutation(path: string, kind: string, rnd: Rnd): Promise<void> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path);
  try {
    const table = db.prepare(`SELECT table_name FROM gpkg_contents WHERE data_type = 'features'`).pluck().get() as string;
    const blob = db.prepare(`SELECT geom FROM "${table}" LIMIT 1`).pluck().get() as Buffer;
    let g: Buffer;
    if (kind === 'wkb point count') {
      g = Buffer.from(blob);
      const env = [0, 32, 48, 48, 64][(g[3] >> 1) & 7] ?? 0;
      g.writeUInt32LE([0x7fffffff, 0xffffffff, 1_000_000][intOf(rnd, 3)], 8 + env + 5);
    } else {
      const depth = [20, 10_000][intOf(rnd, 2)];
      const parts: Buffer[] = [Buffer.from([0x47, 0x50, 0, 0x01, 0, 0, 0, 0])];
      for (let d = 0; d < depth; d++) parts.push(Buffer.from([1, 7, 0, 0, 0, 1, 0, 0, 0]));
      const pt = Buffer.alloc(21);
      pt[0] = 1;
      pt.writeUInt32LE(1, 1);
      pt.writeDoubleLE(115, 5);
      pt.writeDoubleLE(42, 13);
      parts.push(pt);
      g = Buffer.concat(parts);
    }
    // GDAL's spatial-index triggers call ST_* functions this connection does not have: the damage skips them.
    for (const t of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger'`).pluck().all() as string[]) db.exec(`DROP TRIGGER "${t}"`);
    db.prepare(`UPDATE "${table}" SET geom = ? WHERE rowid = (SELECT min(rowid) FROM "${table}")`).run(g);
  } finally {
    db.close();
  }
}

// ------------------------------------------------------------ shapefile zip

/** The parts zipped (deflated, checksums right), as a user sends a shapefile. */
function zipParts(files: Map<string, Uint8Array>): Uint8Array {
  return zipOf([...files].map(([name, bytes]) => ({ name, data: deflateRawSync(bytes), method: 8 as const, size: bytes.length, crc: crc32(bytes) })));
}

/** Damage to the zip itself: entry count, sizes, offsets in its directory. */
function zipMutation(zip: Uint8Array, rnd: Rnd): { bytes: Uint8Array; what: string } {
  const c = copy(zip);
  const v = new DataView(c.buffer);
  const eocd = c.length - 22;
  const cd = v.getUint32(eocd + 16, true);
  const k = intOf(rnd, 5);
  if (k === 0) {
    v.setUint16(eocd + 10, [0xfffe, 0, 5000][intOf(rnd, 3)], true);
    return { bytes: c, what: 'zip entry count' };
  }
  const field = [20, 24, 42, 28][k - 1];
  v.setUint32(cd + field, [0xfffffff0, 0x7fffffff, intOf(rnd, c.length), 1][intOf(rnd, 4)], true);
  return { bytes: c, what: `zip directory field ${field}` };
}

// ------------------------------------------------------------ the run

const work = join(baseDir, `run-${format}-${first}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const projectPath = join(work, 'project.gpkg');
const store = ProjectStore.create(projectPath);
const fileState = () => {
  const h = createHash('sha256');
  for (const p of [projectPath, `${projectPath}-wal`]) if (existsSync(p)) h.update(readFileSync(p));
  return h.digest('hex');
};
const layer = LAYER[format];

for (let i = first; i < first + count; i++) {
  const rnd = seededRandom(Number(seedText) * 100_003 + i * 7919 + format.length);
  const files = new Map([...sample].map(([n, b]) => [n, b] as [string, Uint8Array]));
  const structural = STRUCTURAL[format];
  let what: string;
  const useStructural = i % 3 === 2;
  let sql: string | undefined;
  if (useStructural) {
    const m = structural[intOf(rnd, structural.length)];
    what = m(files, rnd);
    if (format === 'gpkg' && what.startsWith('wkb')) sql = what;
  } else {
    const names = [...files.keys()];
    const target = format === 'shapefile' ? names[intOf(rnd, 3)] : names[0];
    const kinds = Object.keys(GENERIC);
    const kind = kinds[intOf(rnd, kinds.length)];
    files.set(target, GENERIC[kind](files.get(target)!, rnd));
    what = `${kind} ${target}`;
  }
  const dir = join(work, `case-${i}`);
  mkdirSync(dir);
  let opened: string;
  if (format === 'shapefile') {
    let zip = zipParts(files);
    if (i % 5 === 4) {
      const z = zipMutation(zip, rnd);
      zip = z.bytes;
      what += `, ${z.what}`;
    }
    opened = join(dir, 'net.zip');
    writeFileSync(opened, zip);
  } else {
    for (const [n, b] of files) writeFileSync(join(dir, n), b);
    opened = join(dir, FILES[format][0]);
  }
  const t0 = Date.now();
  let outcome: 'imported' | 'refused' | 'crash' | 'partial';
  let message = '';
  const before = fileState();
  const beforeCount = store.featureIds(layer).length;
  try {
    if (sql) await sqlMutation(opened, sql, rnd);
    const { inserted, prepared } = await importFile(store, layer, opened, { ...OPTS[format], mode: 'replace', year: 2026 });
    // Whole: the layer holds exactly what was prepared.
    outcome = store.featureIds(layer).length === inserted && inserted === prepared.summary.features ? 'imported' : 'partial';
  } catch (err) {
    message = String((err as Error)?.message ?? err).slice(0, 300);
    const clean = (err instanceof ImportRefused || err instanceof ImportError) && message.includes(FILES[format][0].replace(/\.\w+$/, ''));
    if (!clean) {
      outcome = 'crash';
      message = String((err as Error)?.stack ?? err).slice(0, 600);
    } else outcome = fileState() === before && store.featureIds(layer).length === beforeCount ? 'refused' : 'partial';
  }
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ i, what, outcome, ms: Date.now() - t0, message }) + '\n');
}
store.close();
process.stdout.write(JSON.stringify({ end: true, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n');
