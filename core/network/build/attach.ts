/**
 * Phase 2 of the graph build, attach: each valve, station and heat source
 * goes to the nearest node within the attach tolerance, else to the nearest
 * point inside a pipe within it, where a new node is made and the pipe is
 * marked to be split (phase 3); farther away it stays off the network.
 */
import { segmentT } from '../../geo/clamp';
import { clamp } from '../../format/number';
import type { Feature, PointGeom } from '../../model/types';
import { Arena, plainArena } from './arena';
import type { PipeColumns, Snapped } from './snap';

/** What attaching reads of the pipes: their vertices in lon/lat and the projection (local metres are computed as needed). */
export type PipeLonLat = Pick<PipeColumns, 'proj' | 'start' | 'lon' | 'lat'>;

/** A node made inside a pipe: on its straight piece `seg` (0-based), a fraction `t` along it. */
export interface Split {
  seg: number;
  t: number;
  node: number;
}

/** Per feature: its node (-1 off the network) and its distance from it in metres (Infinity off the network). */
export interface Attached {
  node: Int32Array;
  dist: Float64Array;
}

export interface Attachment {
  valves: Attached;
  stations: Attached;
  sources: Attached;
  /** Pipe index → the nodes made inside it, in the order they were made. */
  splits: Map<number, Split[]>;
}

/**
 * Pipe pieces (the straight segments between a pipe's vertices) by grid
 * cell: each piece is listed in every cell its box overlaps (CSR), so a
 * query box finds every piece whose box meets it. A piece is known by its
 * first vertex. The cell is about the pieces' mean extent, widened where a
 * dense grid over the network's box would be too large; a piece spanning
 * very many cells is kept aside and looked at by every query. No per-piece
 * arrays: at a million pipes fresh memory is what costs.
 */
class PieceGrid {
  private x0 = 0;
  private y0 = 0;
  private cell = 1;
  private nx = 1;
  private ny = 1;
  /** Cell c holds pieces cellPiece[cellStart[c] .. cellStart[c + 1]). */
  private cellStart = new Int32Array(1);
  private cellPiece = new Int32Array(0);
  private wide: number[] = [];

  constructor(private v: PipeLonLat, tol: number, private arena: Arena) {
    const { start, lon, lat } = v;
    const { lon0, lat0, kx, ky } = v.proj;
    const pipes = start.length - 1;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    let extent = 0;
    let n = 0;
    for (let i = 0; i < pipes; i++) {
      for (let k = start[i]; k < start[i + 1] - 1; k++) {
        const ax = (lon[k] - lon0) * kx, ay = (lat[k] - lat0) * ky, bx = (lon[k + 1] - lon0) * kx, by = (lat[k + 1] - lat0) * ky;
        // Pieces with a coordinate that is not a number are never within any distance.
        if (!(Number.isFinite(ax) && Number.isFinite(ay) && Number.isFinite(bx) && Number.isFinite(by))) continue;
        n++;
        if (ax < minX) minX = ax;
        if (bx < minX) minX = bx;
        if (ax > maxX) maxX = ax;
        if (bx > maxX) maxX = bx;
        if (ay < minY) minY = ay;
        if (by < minY) minY = by;
        if (ay > maxY) maxY = ay;
        if (by > maxY) maxY = by;
        extent += Math.max(Math.abs(bx - ax), Math.abs(by - ay));
      }
    }
    if (n === 0) return;
    // Cell ≈ a piece's mean extent (a piece then meets a few cells), at least the tolerance,
    // and no more cells than about four per piece.
    let cell = Math.max(tol, extent / n, 1e-3);
    const w = maxX - minX, h = maxY - minY;
    const maxCells = Math.max(1024, 4 * n);
    if ((w / cell + 1) * (h / cell + 1) > maxCells) cell = Math.max(cell, Math.sqrt((w * h) / maxCells), w / maxCells, h / maxCells);
    this.cell = cell;
    this.x0 = minX;
    this.y0 = minY;
    this.nx = Math.floor(w / cell) + 1;
    this.ny = Math.floor(h / cell) + 1;
    const cells = this.nx * this.ny;
    const at = this.arena.i32(cells + 1);
    const MAX_SPAN = 64;
    // Two passes: count each cell's pieces, then place them from each cell's end down.
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < pipes; i++) {
        for (let k = start[i]; k < start[i + 1] - 1; k++) {
          const ax = (lon[k] - lon0) * kx, ay = (lat[k] - lat0) * ky, bx = (lon[k + 1] - lon0) * kx, by = (lat[k + 1] - lat0) * ky;
          if (!(Number.isFinite(ax) && Number.isFinite(ay) && Number.isFinite(bx) && Number.isFinite(by))) continue;
          const i0 = this.cx(Math.min(ax, bx)), i1 = this.cx(Math.max(ax, bx));
          const j0 = this.cy(Math.min(ay, by)), j1 = this.cy(Math.max(ay, by));
          if ((i1 - i0 + 1) * (j1 - j0 + 1) > MAX_SPAN) {
            if (pass === 0) this.wide.push(k);
            continue;
          }
          for (let j = j0; j <= j1; j++)
            for (let c = j * this.nx + i0, e = j * this.nx + i1; c <= e; c++) {
              if (pass === 0) at[c]++;
              else this.cellPiece[--at[c]] = k;
            }
        }
      }
      if (pass === 0) {
        for (let c = 0; c < cells; c++) at[c + 1] += at[c];
        this.cellPiece = this.arena.i32(at[cells]);
      }
    }
    this.cellStart = at;
  }

  private cx(x: number): number {
    return clamp(Math.floor((x - this.x0) / this.cell), 0, this.nx - 1);
  }

  private cy(y: number): number {
    return clamp(Math.floor((y - this.y0) / this.cell), 0, this.ny - 1);
  }

  /** The query `nearest` is answering and its best piece so far (fields, not a closure per query). */
  private qx = 0;
  private qy = 0;
  private qx0 = 0;
  private qy0 = 0;
  private qx1 = 0;
  private qy1 = 0;
  private best = -1;
  /** Where the nearest piece's nearest point lies along it (0…1), and its distance; set by `nearest`. */
  t = 0;
  dist = Infinity;

  /**
   * The piece nearest to (x, y) within `tol` (the first along the pipes on
   * ties: the answer whatever order pieces come in), or -1. Looks at every
   * piece whose box meets the query's box (the test a box index makes).
   */
  nearest(x: number, y: number, tol: number): number {
    this.qx = x;
    this.qy = y;
    this.qx0 = x - tol;
    this.qy0 = y - tol;
    this.qx1 = x + tol;
    this.qy1 = y + tol;
    this.best = -1;
    this.dist = tol;
    this.t = 0;
    const wide = this.wide;
    for (let w = 0; w < wide.length; w++) this.consider(wide[w]);
    if (this.cellPiece.length > 0) {
      const i0 = this.cx(this.qx0), i1 = this.cx(this.qx1), j0 = this.cy(this.qy0), j1 = this.cy(this.qy1);
      const { cellStart, cellPiece, nx } = this;
      for (let j = j0; j <= j1; j++)
        for (let c = j * nx + i0, e = j * nx + i1; c <= e; c++) for (let q = cellStart[c]; q < cellStart[c + 1]; q++) this.consider(cellPiece[q]);
    }
    if (this.best < 0) this.dist = Infinity;
    return this.best;
  }

  private consider(k: number): void {
    const { lon, lat, proj } = this.v;
    const ax = (lon[k] - proj.lon0) * proj.kx, ay = (lat[k] - proj.lat0) * proj.ky, bx = (lon[k + 1] - proj.lon0) * proj.kx, by = (lat[k + 1] - proj.lat0) * proj.ky;
    if (!(Math.min(ax, bx) <= this.qx1 && Math.min(ay, by) <= this.qy1 && Math.max(ax, bx) >= this.qx0 && Math.max(ay, by) >= this.qy0)) return;
    const dx = bx - ax, dy = by - ay;
    const t = segmentT(this.qx, this.qy, ax, ay, dx, dy);
    const d = Math.hypot(ax + t * dx - this.qx, ay + t * dy - this.qy);
    const best = this.best;
    if (d <= this.dist && (best < 0 || d < this.dist || k < best)) {
      this.best = k;
      this.dist = d;
      this.t = t;
    }
  }
}

/** The pipe holding vertex `k`: the last pipe starting at or before it. */
function pipeOfVertex(start: Int32Array, k: number): number {
  let lo = 0;
  let hi = start.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (start[mid] <= k) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Attaches features one layer after another, adding nodes to `snapped.nodes`. */
export class Attacher {
  readonly splits = new Map<number, Split[]>();
  private pieces: PieceGrid | null = null;

  constructor(
    private v: PipeLonLat,
    private snapped: Snapped,
    private tol: number,
    private arenas: { kept: Arena; scratch: Arena } = { kept: plainArena(), scratch: plainArena() },
  ) {}

  /** Node, or -1; its distance is then in `dist`. */
  dist = Infinity;

  oneNode(f: Feature): number {
    const c = (f.geometry as PointGeom)?.coordinates;
    this.dist = Infinity;
    if (!c || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) return -1;
    const { proj, lon, lat, start } = this.v;
    const nodes = this.snapped.nodes;
    const tol = this.tol;
    const x = (c[0] - proj.lon0) * proj.kx;
    const y = (c[1] - proj.lat0) * proj.ky;
    const hit = nodes.nearestNode(x, y, tol);
    if (hit >= 0) {
      this.dist = nodes.lastDist;
      return hit;
    }
    // Pipe interiors, indexed only when a feature first misses every node.
    const grid = (this.pieces ??= new PieceGrid(this.v, tol, this.arenas.scratch));
    const k = grid.nearest(x, y, tol);
    if (k < 0) return -1;
    const bestT = grid.t;
    const bestD = grid.dist;
    const pipe = pipeOfVertex(start, k);
    const ax = (lon[k] - proj.lon0) * proj.kx, ay = (lat[k] - proj.lat0) * proj.ky;
    const bx = (lon[k + 1] - proj.lon0) * proj.kx, by = (lat[k + 1] - proj.lat0) * proj.ky;
    const node = nodes.add(lon[k] + bestT * (lon[k + 1] - lon[k]), lat[k] + bestT * (lat[k + 1] - lat[k]), ax + bestT * (bx - ax), ay + bestT * (by - ay));
    let list = this.splits.get(pipe);
    if (!list) this.splits.set(pipe, (list = []));
    list.push({ seg: k - start[pipe], t: bestT, node });
    this.dist = bestD;
    return node;
  }

  one(f: Feature): { node: number; dist: number } {
    const node = this.oneNode(f);
    return { node, dist: this.dist };
  }

  all(features: readonly Feature[]): Attached {
    const node = this.arenas.kept.i32(features.length);
    const dist = this.arenas.kept.f64(features.length);
    for (let i = 0; i < features.length; i++) {
      node[i] = this.oneNode(features[i]);
      dist[i] = this.dist;
    }
    return { node, dist };
  }
}

/** Attach valves, then stations, then heat sources (a later feature may take a node an earlier one made). */
export function attachFeatures(
  v: PipeLonLat,
  snapped: Snapped,
  layers: { valves: readonly Feature[]; stations: readonly Feature[]; heat_sources: readonly Feature[] },
  attachToleranceM: number,
  arenas?: { kept: Arena; scratch: Arena },
): Attachment {
  const a = new Attacher(v, snapped, attachToleranceM, arenas);
  const valves = a.all(layers.valves);
  const stations = a.all(layers.stations);
  const sources = a.all(layers.heat_sources);
  return { valves, stations, sources, splits: a.splits };
}
