/**
 * DXF drawings from the design institute, read the way GDAL reads them:
 *
 * - LINE, POINT, LWPOLYLINE and POLYLINE (2D and 3D) with their bulges,
 *   ARC, CIRCLE, ELLIPSE and SPLINE: curves become chords within the chord
 *   tolerance (a setting, in drawing units) and GDAL's 4° step;
 * - the entity coordinate system (OCS, groups 210/220/230): a drawing
 *   mirrored in CAD has extrusion 0,0,−1 and lands where CAD shows it;
 * - INSERT and MINSERT (one per row × column cell): a point at the
 *   insertion for point layers (valve symbols), the block's own geometry
 *   (nested blocks with their scale, rotation and extrusion) for line and
 *   polygon layers, ATTRIB tag → value as fields;
 * - HATCH boundaries, SOLID, TRACE and 3DFACE as polygons.
 *
 * The CAD layer, entity type, handle, block name and whether a polyline is
 * closed are kept as fields. Entities of other kinds (TEXT, MTEXT,
 * DIMENSION, meshes…) are counted and skipped; the counts of what was read,
 * approximated and skipped come back with the features. A missing EOF or an
 * empty section is not a reason to refuse a drawing whose entities parse.
 *
 * A small reader of its own rather than dxf-parser: that library loops
 * forever on some damaged files, and an import must refuse such a file, not
 * hang. This one makes a single pass over the group-code pairs.
 */
import { arcPoints, arcStep, bulgePoints, nurbsPoints, type CurveTolerance } from '../geo/curves';
import type { Position } from '../model/geojson';
import { ImportRefused, type EntityCounts, type SourceData, type SourceFeature, type SourceGeometry } from './source';
import { decideEncoding, decodeText, EncodingUndecided, normaliseEncoding, rowOfOffset, type DeclaredEncoding } from './text';

import type { ReadGuard } from './limits';
import { pushAll } from '../arrays';
import { message, type Message } from '../i18n';

export const DXF_FIELDS = ['layer', 'entity', 'handle', 'block', 'closed'] as const;

export interface DxfOptions {
  encoding?: string;
  /** Chord tolerance and arc step for curves (defaults: the settings' 0.1 drawing units and 4°). */
  tolerance?: CurveTolerance;
  /** Largest number of block copies one drawing may expand to (MINSERT rows × columns, nested inserts). */
  maxBlockCopies?: number;
  /** Record count and time limits, checked as entities are read. */
  guard?: ReadGuard;
}

export const DEFAULT_CURVE_TOLERANCE: CurveTolerance = { chordTolerance: 0.1, maxStepDeg: 4 };

interface Group {
  code: number;
  value: string;
  line: number;
}

/** One entity: its type, the line it starts on, its group codes, and its VERTEX / ATTRIB children. */
interface RawEntity {
  type: string;
  line: number;
  groups: Group[];
  children: RawEntity[];
}

interface Block {
  name: string;
  base: [number, number, number];
  entities: RawEntity[];
}

// AutoCAD writes non-ASCII text in older DXF as \U+XXXX escapes.
const unescape = (s: string) => s.replace(/\\U\+([0-9A-Fa-f]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** DXF code pages ($DWGCODEPAGE) that are a declaration; ANSI_1252 is every writer's default, so the bytes decide. */
function declaredCodePage(head: string): DeclaredEncoding | undefined {
  const ver = /\$ACADVER\s*\r?\n\s*1\s*\r?\n\s*AC(\d{4})/.exec(head);
  if (ver && Number(ver[1]) >= 1021) return { encoding: 'utf-8', from: message('io.dxf.acadver', { ver: ver[1] }) };
  const m = /\$DWGCODEPAGE\s*\r?\n\s*3\s*\r?\n\s*(\S+)/.exec(head);
  if (!m || /^ANSI_1252$/i.test(m[1])) return undefined;
  const enc = normaliseEncoding(m[1]);
  return enc ? { encoding: enc, from: message('io.dxf.codepage', { page: m[1] }) } : undefined;
}

function groupPairs(text: string, refuse: Refuse, notes: Message[]): Group[] {
  const lines = text.split(/\r\n|\n|\r/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const groups: Group[] = [];
  const pairs = Math.floor(lines.length / 2);
  for (let k = 0; k < pairs; k++) {
    const i = k * 2;
    const t = lines[i].trim();
    if (!/^-?\d{1,4}$/.test(t)) refuse(message('io.where.line', { n: i + 1 }), message('io.dxf.groupCode', { code: t.slice(0, 20) }));
    groups.push({ code: Number(t), value: lines[i + 1].trim(), line: i + 1 });
  }
  if (lines.length % 2 === 1) notes.push(message('io.dxf.note.lastCode', { n: lines.length }));
  return groups;
}

interface Parsed {
  header: Map<string, Group[]>;
  entities: RawEntity[];
  blocks: Map<string, Block>;
}

/** Sections, blocks and entities, with POLYLINE vertices and INSERT attributes folded into their owner. */
function parseSections(groups: Group[], refuse: Refuse, notes: Message[]): Parsed {
  const header = new Map<string, Group[]>();
  const blocks = new Map<string, Block>();
  const entities: RawEntity[] = [];
  let section = '';
  let sawEof = false;
  let block: Block | null = null;
  let owner: RawEntity | null = null;
  let i = 0;
  while (i < groups.length) {
    const g = groups[i];
    if (g.code !== 0) {
      if (section === 'HEADER' && g.code === 9) {
        const vars: Group[] = [];
        i++;
        while (i < groups.length && groups[i].code !== 9 && groups[i].code !== 0) vars.push(groups[i++]);
        header.set(g.value.toUpperCase(), vars);
        continue;
      }
      i++;
      continue;
    }
    const type = g.value.toUpperCase();
    if (type === 'EOF') {
      sawEof = true;
      break;
    }
    if (type === 'SECTION') {
      section = groups[i + 1]?.code === 2 ? groups[i + 1].value.toUpperCase() : '';
      owner = null;
      i += 2;
      continue;
    }
    if (type === 'ENDSEC') {
      section = '';
      owner = null;
      i++;
      continue;
    }
    const own: Group[] = [];
    i++;
    while (i < groups.length && groups[i].code !== 0) own.push(groups[i++]);
    if (section === 'BLOCKS') {
      if (type === 'BLOCK') {
        const name = own.find((x) => x.code === 2)?.value ?? '';
        const num = (c: number) => Number(own.find((x) => x.code === c)?.value ?? 0) || 0;
        block = { name, base: [num(10), num(20), num(30)], entities: [] };
        blocks.set(name, block);
        owner = null;
        continue;
      }
      if (type === 'ENDBLK') {
        block = null;
        owner = null;
        continue;
      }
    }
    const list = section === 'ENTITIES' ? entities : section === 'BLOCKS' && block ? block.entities : null;
    if (!list) continue;
    const e: RawEntity = { type, line: g.line, groups: own, children: [] };
    if (type === 'VERTEX' || type === 'ATTRIB') {
      if (!owner || (owner.type !== 'POLYLINE' && owner.type !== 'INSERT')) {
        refuse(message('io.where.line', { n: g.line }), message('io.dxf.orphan', { type }));
      }
      owner!.children.push(e);
      continue;
    }
    if (type === 'SEQEND') {
      owner = null;
      continue;
    }
    list.push(e);
    owner = type === 'POLYLINE' || type === 'INSERT' ? e : null;
  }
  if (!sawEof) notes.push(message('io.dxf.note.noEof'));
  return { header, entities, blocks };
}

// ------------------------------------------------------------ coordinates

type P3 = [number, number, number];
/** Row-major 3×4 affine transform. */
type Mat = number[];

const IDENTITY: Mat = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0];

function apply(m: Mat, p: P3): P3 {
  return [
    m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3],
    m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7],
    m[8] * p[0] + m[9] * p[1] + m[10] * p[2] + m[11],
  ];
}

function compose(a: Mat, b: Mat): Mat {
  const r = new Array<number>(12);
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 4; col++) {
      let v = a[row * 4] * b[col] + a[row * 4 + 1] * b[4 + col] + a[row * 4 + 2] * b[8 + col];
      if (col === 3) v += a[row * 4 + 3];
      r[row * 4 + col] = v;
    }
  }
  return r;
}

/** The arbitrary axis algorithm of the DXF reference: OCS → WCS for an extrusion direction. */
function ocsMatrix(n: P3): Mat {
  const len = Math.hypot(n[0], n[1], n[2]);
  if (!(len > 0) || (Math.abs(n[0]) < 1e-12 && Math.abs(n[1]) < 1e-12 && n[2] > 0)) return IDENTITY;
  const N: P3 = [n[0] / len, n[1] / len, n[2] / len];
  const cross = (a: P3, b: P3): P3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  const unit = (a: P3): P3 => {
    const l = Math.hypot(a[0], a[1], a[2]);
    return [a[0] / l, a[1] / l, a[2] / l];
  };
  const Ax = unit(Math.abs(N[0]) < 1 / 64 && Math.abs(N[1]) < 1 / 64 ? cross([0, 1, 0], N) : cross([0, 0, 1], N));
  const Ay = unit(cross(N, Ax));
  return [Ax[0], Ay[0], N[0], 0, Ax[1], Ay[1], N[1], 0, Ax[2], Ay[2], N[2], 0];
}

const isIdentity = (m: Mat) => m.every((v, i) => v === IDENTITY[i]);

// --------------------------------------------------------------- entities

/** Accessors over one entity's groups, with numbers checked. */
class Fields {
  constructor(
    readonly e: RawEntity,
    readonly where: Message,
  ) {}
  first(code: number): Group | undefined {
    for (const g of this.e.groups) if (g.code === code) return g;
    return undefined;
  }
  num(g: Group): number {
    const v = Number(g.value);
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(g.value) || !Number.isFinite(v)) throw new EntityProblem(message('io.dxf.notNumber', { code: g.code, line: g.line, value: g.value.slice(0, 20) }));
    return v;
  }
  n(code: number, fallback: number): number {
    const g = this.first(code);
    return g ? this.num(g) : fallback;
  }
  need(code: number): number {
    const g = this.first(code);
    if (!g) throw new EntityProblem(message('io.dxf.missingGroup', { code }));
    return this.num(g);
  }
  point(xCode: number): P3 {
    return [this.need(xCode), this.need(xCode + 10), this.n(xCode + 20, 0)];
  }
  extrusion(): P3 {
    return [this.n(210, 0), this.n(220, 0), this.n(230, 1)];
  }
}

class EntityProblem extends Error {
  constructor(readonly said: Message) {
    super(said.code);
  }
}

type Refuse = (where: Message | undefined, reason: Message) => never;

/** What one entity (or one block copy) gives: geometry parts in WCS, and whether curves were approximated. */
interface Shape {
  parts: SourceGeometry[];
  approximated: boolean;
}

interface Ctx {
  tol: CurveTolerance;
  blocks: Map<string, Block>;
  counts: EntityCounts;
  copies: number;
  maxCopies: number;
}

const toXY = (pts: P3[]): Position[] => pts.map((p) => [p[0], p[1]]);

function closeRing(pts: Position[]): Position[] {
  const a = pts[0];
  const b = pts[pts.length - 1];
  return a[0] === b[0] && a[1] === b[1] ? pts : [...pts, a];
}

/** The vertices of a 2D polyline with bulges, in OCS (z = elevation), closed when asked. */
function bulgedPolyline(verts: { x: number; y: number; bulge: number }[], closed: boolean, z: number, tol: CurveTolerance): { pts: P3[]; curved: boolean } {
  const out: P3[] = [];
  let curved = false;
  const n = verts.length;
  const segs = closed ? n : n - 1;
  if (n) out.push([verts[0].x, verts[0].y, z]);
  for (let i = 0; i < segs; i++) {
    const a = verts[i];
    const b = verts[(i + 1) % n];
    if (a.bulge !== 0) {
      curved = true;
      for (const q of bulgePoints([a.x, a.y], [b.x, b.y], a.bulge, tol)) out.push([q[0], q[1], z]);
    } else out.push([b.x, b.y, z]);
  }
  return { pts: out, curved };
}

function ellipsePoints(f: Fields, tol: CurveTolerance): P3[] {
  const c = f.point(10);
  const maj = f.point(11);
  const ratio = f.n(40, 1);
  const t0 = f.n(41, 0);
  let t1 = f.n(42, 2 * Math.PI);
  const N = f.extrusion();
  const len = Math.hypot(N[0], N[1], N[2]) || 1;
  const n: P3 = [N[0] / len, N[1] / len, N[2] / len];
  // The minor axis is N × major, scaled by the ratio (an extrusion 0,0,-1 mirrors the sweep).
  const mi: P3 = [(n[1] * maj[2] - n[2] * maj[1]) * ratio, (n[2] * maj[0] - n[0] * maj[2]) * ratio, (n[0] * maj[1] - n[1] * maj[0]) * ratio];
  while (t1 <= t0) t1 += 2 * Math.PI;
  if (t1 - t0 > 2 * Math.PI + 1e-9) t1 = t0 + 2 * Math.PI;
  const a = Math.hypot(maj[0], maj[1], maj[2]);
  const b = a * Math.abs(ratio);
  // The sharpest curvature (radius b²/a) sets the step.
  const step = arcStep(a > 0 ? Math.max(1e-9, (b * b) / a) : 1, tol);
  const k = Math.max(1, Math.ceil((t1 - t0) / step));
  const pts: P3[] = [];
  for (let i = 0; i <= k; i++) {
    const t = t0 + ((t1 - t0) * i) / k;
    pts.push([c[0] + Math.cos(t) * maj[0] + Math.sin(t) * mi[0], c[1] + Math.cos(t) * maj[1] + Math.sin(t) * mi[1], c[2] + Math.cos(t) * maj[2] + Math.sin(t) * mi[2]]);
  }
  return pts;
}

function splinePoints(f: Fields, tol: CurveTolerance): P3[] {
  const degree = f.n(71, 3);
  const knots: number[] = [];
  const weights: number[] = [];
  const ctrl: P3[] = [];
  const fit: P3[] = [];
  let cur: P3 | null = null;
  let fitCur: P3 | null = null;
  for (const g of f.e.groups) {
    if (g.code === 40) knots.push(f.num(g));
    else if (g.code === 41) weights.push(f.num(g));
    else if (g.code === 10) ctrl.push((cur = [f.num(g), 0, 0]));
    else if (g.code === 20 && cur) cur[1] = f.num(g);
    else if (g.code === 30 && cur) cur[2] = f.num(g);
    else if (g.code === 11) fit.push((fitCur = [f.num(g), 0, 0]));
    else if (g.code === 21 && fitCur) fitCur[1] = f.num(g);
    else if (g.code === 31 && fitCur) fitCur[2] = f.num(g);
  }
  if (ctrl.length >= 2) return nurbsPoints(degree, knots, ctrl, weights, tol);
  if (fit.length >= 2) return fit;
  throw new EntityProblem(message('io.dxf.splinePoints'));
}

/** HATCH boundary paths as rings (OCS, closed). */
function hatchRings(f: Fields, tol: CurveTolerance): { rings: Position[][]; curved: boolean } {
  const gs = f.e.groups;
  let i = 0;
  const next = (code: number): Group => {
    while (i < gs.length && gs[i].code !== code) i++;
    if (i >= gs.length) throw new EntityProblem(message('io.dxf.hatchGroup', { code }));
    return gs[i++];
  };
  const val = (code: number) => f.num(next(code));
  const rings: Position[][] = [];
  let curved = false;
  const paths = val(91);
  for (let p = 0; p < paths; p++) {
    const flags = val(92);
    const ring: Position[] = [];
    if (flags & 2) {
      const hasBulge = val(72) !== 0;
      const isClosed = val(73) !== 0;
      const nv = val(93);
      const verts: { x: number; y: number; bulge: number }[] = [];
      for (let k = 0; k < nv; k++) {
        const x = val(10);
        const y = val(20);
        let bulge = 0;
        if (hasBulge && gs[i]?.code === 42) bulge = f.num(gs[i++]);
        verts.push({ x, y, bulge });
      }
      const r = bulgedPolyline(verts, isClosed || true, 0, tol);
      curved ||= r.curved;
      for (const q of r.pts) ring.push([q[0], q[1]]);
    } else {
      const edges = val(93);
      for (let k = 0; k < edges; k++) {
        const type = val(72);
        let pts: Position[] = [];
        if (type === 1) {
          pts = [
            [val(10), val(20)],
            [val(11), val(21)],
          ];
        } else if (type === 2) {
          const cx = val(10), cy = val(20), r = val(40), s = val(50), e = val(51);
          const ccw = val(73) !== 0;
          // A clockwise edge stores its angles mirrored.
          const a0 = ((ccw ? s : -s) * Math.PI) / 180;
          let sweep = (((ccw ? e - s : s - e) % 360) + 360) % 360;
          if (sweep === 0 && e !== s) sweep = 360;
          pts = arcPoints(cx, cy, r, a0, ((ccw ? 1 : -1) * sweep * Math.PI) / 180, tol);
          curved = true;
        } else if (type === 3) {
          const cx = val(10), cy = val(20), mx = val(11), my = val(21), ratio = val(40), s = val(50), e = val(51);
          const ccw = val(73) !== 0;
          const t0 = ((ccw ? s : -s) * Math.PI) / 180;
          let sweep = (((ccw ? e - s : s - e) % 360) + 360) % 360;
          if (sweep === 0 && e !== s) sweep = 360;
          const dir = ccw ? 1 : -1;
          const a = Math.hypot(mx, my);
          const b = a * ratio;
          const step = arcStep(a > 0 ? Math.max(1e-9, (b * b) / a) : 1, tol);
          const kk = Math.max(1, Math.ceil(((sweep * Math.PI) / 180) / step));
          for (let j = 0; j <= kk; j++) {
            const t = t0 + (dir * ((sweep * Math.PI) / 180) * j) / kk;
            pts.push([cx + Math.cos(t) * mx - Math.sin(t) * my * ratio, cy + Math.cos(t) * my + Math.sin(t) * mx * ratio]);
          }
          curved = true;
        } else if (type === 4) {
          const degree = val(94);
          const rational = val(73) !== 0;
          val(74);
          const nk = val(95);
          const nc = val(96);
          const knots: number[] = [];
          for (let j = 0; j < nk; j++) knots.push(val(40));
          const ctrl: P3[] = [];
          const weights: number[] = [];
          for (let j = 0; j < nc; j++) {
            ctrl.push([val(10), val(20), 0]);
            if (rational) weights.push(val(42));
          }
          pts = nurbsPoints(degree, knots, ctrl, weights, tol).map((q) => [q[0], q[1]]);
          curved = true;
        } else throw new EntityProblem(message('io.dxf.hatchEdge', { type }));
        for (const q of pts) {
          const last = ring[ring.length - 1];
          if (!last || last[0] !== q[0] || last[1] !== q[1]) ring.push(q);
        }
      }
    }
    if (ring.length >= 3) rings.push(closeRing(ring));
  }
  return { rings, curved };
}

const ringArea = (r: Position[]) => {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] + r[i][0]) * (r[j][1] - r[i][1]);
  return a / 2;
};

function inRing(x: number, y: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Rings by nesting depth: even depth is an outer ring, odd a hole of the ring around it (hatch islands). */
function ringsToPolygons(rings: Position[][]): SourceGeometry | null {
  if (!rings.length) return null;
  const order = rings.map((r, i) => ({ r, i, a: Math.abs(ringArea(r)) })).sort((p, q) => q.a - p.a);
  const polys: { outer: Position[]; holes: Position[][] }[] = [];
  const parentOf = new Map<number, { depth: number; poly: number }>();
  for (const cur of order) {
    let best: { depth: number; poly: number; area: number } | undefined;
    for (const prev of order) {
      if (prev === cur || prev.a <= cur.a || !parentOf.has(prev.i)) continue;
      if (inRing(cur.r[0][0], cur.r[0][1], prev.r) && (!best || prev.a < best.area)) best = { ...parentOf.get(prev.i)!, area: prev.a };
    }
    const depth = best ? best.depth + 1 : 0;
    const ccw = (r: Position[], want: boolean) => ((ringArea(r) > 0) === want ? r : r.slice().reverse());
    if (depth % 2 === 0) {
      polys.push({ outer: ccw(cur.r, true), holes: [] });
      parentOf.set(cur.i, { depth, poly: polys.length - 1 });
    } else {
      polys[best!.poly].holes.push(ccw(cur.r, false));
      parentOf.set(cur.i, { depth, poly: best!.poly });
    }
  }
  const coords = polys.map((p) => [p.outer, ...p.holes]);
  return coords.length === 1 ? { type: 'Polygon', coordinates: coords[0] } : { type: 'MultiPolygon', coordinates: coords };
}

/**
 * One entity's geometry in WCS (after `m`, the transform of the blocks it
 * sits in). Returns null for kinds that are not read.
 */
function shapeOf(e: RawEntity, f: Fields, m: Mat, ctx: Ctx, depth: number, stack: string[]): Shape | null {
  const tol = ctx.tol;
  const withOcs = (pts: P3[]) => {
    const o = ocsMatrix(f.extrusion());
    const t = isIdentity(o) ? m : compose(m, o);
    return isIdentity(t) ? pts : pts.map((p) => apply(t, p));
  };
  const wcs = (pts: P3[]) => (isIdentity(m) ? pts : pts.map((p) => apply(m, p)));
  const line = (pts: P3[]): SourceGeometry => ({ type: 'LineString', coordinates: toXY(pts) });
  switch (e.type) {
    case 'POINT':
      return { parts: [{ type: 'Point', coordinates: toXY(wcs([f.point(10)]))[0] }], approximated: false };
    case 'LINE':
      return { parts: [line(wcs([f.point(10), f.point(11)]))], approximated: false };
    case 'LWPOLYLINE': {
      const verts: { x: number; y: number; bulge: number }[] = [];
      for (const g of e.groups) {
        if (g.code === 10) verts.push({ x: f.num(g), y: NaN, bulge: 0 });
        else if (g.code === 20 && verts.length) verts[verts.length - 1].y = f.num(g);
        else if (g.code === 42 && verts.length) verts[verts.length - 1].bulge = f.num(g);
      }
      if (verts.some((v) => Number.isNaN(v.y))) throw new EntityProblem(message('io.dxf.vertexNoY'));
      const declared = f.first(90);
      if (declared && f.num(declared) !== verts.length) throw new EntityProblem(message('io.dxf.vertexCount', { declared: declared.value, n: verts.length }));
      if (verts.length < 2) throw new EntityProblem(message('io.dxf.lineVertices', { n: verts.length }));
      const closed = (f.n(70, 0) & 1) === 1;
      const r = bulgedPolyline(verts, closed, f.n(38, 0), tol);
      return { parts: [line(withOcs(r.pts))], approximated: r.curved };
    }
    case 'POLYLINE': {
      const flags = f.n(70, 0);
      if (flags & (16 | 64)) return null; // polygon and polyface meshes
      const threeD = (flags & 8) === 8;
      const verts: { x: number; y: number; z: number; bulge: number }[] = [];
      for (const v of e.children) {
        if (v.type !== 'VERTEX') continue;
        const vf = new Fields(v, f.where);
        if (vf.n(70, 0) & 16) continue; // spline frame control point, not on the curve
        const p = vf.point(10);
        verts.push({ x: p[0], y: p[1], z: p[2], bulge: vf.n(42, 0) });
      }
      if (verts.length < 2) throw new EntityProblem(message('io.dxf.lineVertices', { n: verts.length }));
      const closed = (flags & 1) === 1;
      if (threeD) {
        const pts: P3[] = verts.map((v) => [v.x, v.y, v.z]);
        if (closed) pts.push(pts[0]);
        return { parts: [line(wcs(pts))], approximated: false };
      }
      const elevation = f.first(30) ? f.n(30, 0) : 0;
      const r = bulgedPolyline(verts, closed, elevation, tol);
      return { parts: [line(withOcs(r.pts))], approximated: r.curved };
    }
    case 'CIRCLE':
    case 'ARC': {
      const c = f.point(10);
      const r = f.need(40);
      if (!(r > 0)) throw new EntityProblem(message('io.dxf.radius', { r }));
      let a0 = 0;
      let sweep = 2 * Math.PI;
      if (e.type === 'ARC') {
        const s = f.need(50);
        const en = f.need(51);
        a0 = (s * Math.PI) / 180;
        let d = (((en - s) % 360) + 360) % 360;
        if (d === 0) d = 360;
        sweep = (d * Math.PI) / 180;
      }
      const pts = arcPoints(c[0], c[1], r, a0, sweep, tol).map((q): P3 => [q[0], q[1], c[2]]);
      if (e.type === 'CIRCLE') pts[pts.length - 1] = pts[0];
      return { parts: [line(withOcs(pts))], approximated: true };
    }
    case 'ELLIPSE':
      return { parts: [line(wcs(ellipsePoints(f, tol)))], approximated: true };
    case 'SPLINE': {
      const pts = splinePoints(f, tol);
      if ((f.n(70, 0) & 1) === 1 && (pts[0][0] !== pts[pts.length - 1][0] || pts[0][1] !== pts[pts.length - 1][1])) pts.push(pts[0]);
      return { parts: [line(wcs(pts))], approximated: true };
    }
    case 'SOLID':
    case 'TRACE':
    case '3DFACE': {
      const a = f.point(10), b = f.point(11), c = f.point(12);
      const d = f.first(13) ? f.point(13) : c;
      // SOLID and TRACE list their corners in a Z order; 3DFACE goes round.
      const corners = e.type === '3DFACE' ? [a, b, c, d] : [a, b, d, c];
      const pts = e.type === '3DFACE' ? wcs(corners) : withOcs(corners);
      const xy = toXY(pts).filter((p, k, all) => k === 0 || p[0] !== all[k - 1][0] || p[1] !== all[k - 1][1]);
      const ring = closeRing(xy);
      if (ring.length < 4) throw new EntityProblem(message('io.dxf.corners'));
      return { parts: [{ type: 'Polygon', coordinates: [ringArea(ring) >= 0 ? ring : ring.slice().reverse()] }], approximated: false };
    }
    case 'HATCH': {
      const { rings, curved } = hatchRings(f, tol);
      const o = ocsMatrix(f.extrusion());
      const t = isIdentity(o) ? m : compose(m, o);
      const z = f.n(30, 0);
      const moved = isIdentity(t) ? rings : rings.map((r) => r.map((p) => {
        const q = apply(t, [p[0], p[1], z]);
        return [q[0], q[1]] as Position;
      }));
      const g = ringsToPolygons(moved);
      return g ? { parts: [g], approximated: curved } : null;
    }
    case 'INSERT':
      return blockShape(f, m, ctx, depth, stack);
    default:
      return null;
  }
}

/** Transforms of the copies an INSERT / MINSERT places: one per row × column cell. */
function insertTransforms(f: Fields, block: Block, ctx: Ctx): { m: Mat; at: P3 }[] {
  const ins = f.point(10);
  const sx = f.n(41, 1), sy = f.n(42, 1), sz = f.n(43, 1);
  const rot = (f.n(50, 0) * Math.PI) / 180;
  const cols = Math.max(1, Math.trunc(f.n(70, 1)));
  const rows = Math.max(1, Math.trunc(f.n(71, 1)));
  const dc = f.n(44, 0), dr = f.n(45, 0);
  if (cols * rows > ctx.maxCopies) throw new EntityProblem(message('io.dxf.gridCopies', { rows, cols, max: ctx.maxCopies }));
  const ocs = ocsMatrix(f.extrusion());
  const cos = Math.cos(rot), sin = Math.sin(rot);
  const out: { m: Mat; at: P3 }[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // Cells are spaced in the block's rotated frame, spacing unscaled.
      const ox = c * dc, oy = r * dr;
      const tx = ins[0] + cos * ox - sin * oy;
      const ty = ins[1] + sin * ox + cos * oy;
      const local: Mat = [
        cos * sx, -sin * sy, 0, tx - (cos * sx * block.base[0] - sin * sy * block.base[1]),
        sin * sx, cos * sy, 0, ty - (sin * sx * block.base[0] + cos * sy * block.base[1]),
        0, 0, sz, ins[2] - sz * block.base[2],
      ];
      out.push({ m: compose(ocs, local), at: apply(ocs, [tx, ty, ins[2]]) });
    }
  }
  return out;
}

/** The geometry of every copy of a block, nested blocks expanded with their transforms. */
function blockShape(f: Fields, m: Mat, ctx: Ctx, depth: number, stack: string[]): Shape | null {
  const name = f.first(2)?.value ?? '';
  const block = ctx.blocks.get(name);
  if (!block) throw new EntityProblem(message('io.dxf.noBlock', { name: unescape(name) }));
  if (stack.includes(name) || depth > 16) throw new EntityProblem(message('io.dxf.selfBlock', { name: unescape(name) }));
  const parts: SourceGeometry[] = [];
  let approximated = false;
  for (const copy of insertTransforms(f, block, ctx)) {
    if (++ctx.copies > ctx.maxCopies) throw new EntityProblem(message('io.dxf.tooManyCopies', { max: ctx.maxCopies }));
    const t = compose(m, copy.m);
    for (const inner of block.entities) {
      const s = shapeOf(inner, new Fields(inner, f.where), t, ctx, depth + 1, [...stack, name]);
      if (!s) continue;
      pushAll(parts, s.parts);
      approximated ||= s.approximated;
    }
  }
  return { parts, approximated };
}

/** Entity kinds that are annotation or solids: counted, never read. */
const NOT_READ = 'TEXT, MTEXT, ATTDEF, DIMENSION, LEADER, meshes';

export function readDxf(bytes: Uint8Array, fileName: string, opts: DxfOptions = {}): SourceData {
  const refuse: Refuse = (where, reason) => {
    throw new ImportRefused(fileName, where, reason);
  };
  const forced = opts.encoding ? normaliseEncoding(opts.encoding) : undefined;
  if (opts.encoding && !forced) refuse(undefined, message('io.enc.unknown', { enc: opts.encoding }));
  if (decodeText(bytes.subarray(0, 22), 'latin1').startsWith('AutoCAD Binary DXF')) {
    refuse(undefined, message('io.dxf.binary'));
  }
  if (bytes.includes(0)) refuse(undefined, message('io.dxf.nul'));
  let decision;
  try {
    decision = decideEncoding(bytes, {
      forced,
      declared: declaredCodePage(decodeText(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)), 'latin1')),
      where: (offset) => message('io.where.lineByte', { line: rowOfOffset(bytes, offset), byte: offset + 1 }),
    });
  } catch (err) {
    if (err instanceof EncodingUndecided) return refuse(undefined, err.said);
    throw err;
  }
  const text = decodeText(bytes, decision.encoding);
  const notes: Message[] = [];
  const { entities, blocks } = parseSections(groupPairs(text, refuse, notes), refuse, notes);
  opts.guard?.declared(entities.length, message('io.what.entities'));
  const tol = opts.tolerance ?? DEFAULT_CURVE_TOLERANCE;
  const counts: EntityCounts = { read: {}, approximated: {}, skipped: {} };
  const bump = (r: Record<string, number>, k: string) => (r[k] = (r[k] ?? 0) + 1);
  const ctx: Ctx = { tol, blocks, counts, copies: 0, maxCopies: opts.maxBlockCopies ?? 100_000 };

  const features: SourceFeature[] = [];
  const fields = new Set<string>(DXF_FIELDS);
  // Features are numbered as GDAL numbers them: one after another, each MINSERT copy its own.
  let fid = 0;
  const missingBlocks = new Set<string>();
  entities.forEach((e, n) => {
    const handle = e.groups.find((g) => g.code === 5)?.value;
    const where = handle ? message('io.where.entityHandle', { type: e.type, n: n + 1, handle, line: e.line }) : message('io.where.entity', { type: e.type, n: n + 1, line: e.line });
    opts.guard?.row(where);
    const f = new Fields(e, where);
    const layer = unescape(f.first(8)?.value ?? '0');
    const isInsert = e.type === 'INSERT';
    const kindName = isInsert && (f.n(70, 1) > 1 || f.n(71, 1) > 1) ? 'MINSERT' : e.type === 'POLYLINE' && (f.n(70, 0) & 8) ? 'POLYLINE (3D)' : e.type;
    const base = { layer, entity: e.type, handle: handle ?? null, block: null as string | null, closed: false };
    try {
      if (isInsert) {
        // One feature per copy: the insertion point, the block's geometry beside it, the ATTRIB values as fields.
        const blockName = f.first(2)?.value ?? '';
        const block = blocks.get(blockName);
        const attribs: Record<string, unknown> = {};
        for (const a of e.children) {
          const tag = a.groups.find((g) => g.code === 2)?.value;
          const value = a.groups.find((g) => g.code === 1)?.value;
          if (tag !== undefined) attribs[unescape(tag)] = value !== undefined ? unescape(value) : null;
          bump(counts.read, 'ATTRIB');
        }
        for (const t of Object.keys(attribs)) fields.add(t);
        const props = { ...attribs, ...base, block: unescape(blockName) };
        // A block the drawing does not define still marks a place (a symbol from a missing library): its point is read.
        if (!block) missingBlocks.add(unescape(blockName));
        const copies = insertTransforms(f, block ?? { name: blockName, base: [0, 0, 0], entities: [] }, ctx);
        bump(counts.read, kindName);
        copies.forEach((copy, k) => {
          if (++ctx.copies > ctx.maxCopies) throw new EntityProblem(message('io.dxf.tooManyCopies', { max: ctx.maxCopies }));
          const parts: SourceGeometry[] = [];
          let approximated = false;
          for (const inner of block?.entities ?? []) {
            const s = shapeOf(inner, new Fields(inner, where), copy.m, ctx, 1, [blockName]);
            if (!s) continue;
            pushAll(parts, s.parts);
            approximated ||= s.approximated;
          }
          if (approximated && k === 0) bump(counts.approximated, kindName);
          const at = copies.length > 1 ? message('io.where.copy', { where, k: k + 1, n: copies.length }) : where;
          features.push({
            geometry: { type: 'Point', coordinates: [copy.at[0], copy.at[1]] },
            block: parts.length === 0 ? null : parts.length === 1 ? parts[0] : { type: 'GeometryCollection', geometries: parts },
            properties: { ...props },
            fid: ++fid,
            where: at,
          });
        });
        return;
      }
      const shape = shapeOf(e, f, IDENTITY, ctx, 0, []);
      if (!shape) {
        bump(counts.skipped, kindName);
        return;
      }
      bump(counts.read, kindName);
      if (shape.approximated) bump(counts.approximated, kindName);
      const geometry = shape.parts.length === 1 ? shape.parts[0] : { type: 'GeometryCollection' as const, geometries: shape.parts };
      const closed =
        (e.type === 'LWPOLYLINE' || e.type === 'POLYLINE' || e.type === 'SPLINE') ? (f.n(70, 0) & 1) === 1 : e.type === 'CIRCLE' || (e.type === 'ELLIPSE' && Math.abs(f.n(42, 2 * Math.PI) - f.n(41, 0) - 2 * Math.PI) < 1e-9);
      features.push({ geometry, properties: { ...base, closed }, fid: ++fid, where });
    } catch (err) {
      if (!(err instanceof EntityProblem)) throw err;
      bump(counts.read, kindName);
      features.push({ geometry: null, properties: base, fid: ++fid, where, problem: err.said });
    }
  });
  const skippedText = Object.entries(counts.skipped).map(([t, k]) => `${k} ${t}`).join(', ');
  if (features.length === 0) {
    refuse(undefined, skippedText ? message('io.dxf.nothingButSkipped', { skipped: skippedText }) : message('io.dxf.empty'));
  }
  if (missingBlocks.size) notes.push(message('io.dxf.note.missingBlocks', { n: missingBlocks.size, names: [...missingBlocks].join(', ') }));
  if (skippedText) notes.push(message('io.dxf.note.notRead', { kinds: NOT_READ, skipped: skippedText }));
  const approx = Object.entries(counts.approximated).map(([t, k]) => `${k} ${t}`).join(', ');
  if (approx) notes.push(message('io.dxf.note.curves', { tol: tol.chordTolerance, step: tol.maxStepDeg, approx }));
  return { format: 'dxf', fileName, fields: [...fields], features, encoding: decision.encoding, encodingReason: decision.reason, entities: counts, notes };
}
