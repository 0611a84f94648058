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
import { runningSums, Vertices } from './base';
import type { NodeSet } from './nodes';
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
 * The box of the pieces whose coordinates are numbers, their count and the
 * sum of their extents (the larger side of each one's box), one pipe at a time.
 */
class PieceBounds {
  minX = Infinity;
  minY = Infinity;
  maxX = -Infinity;
  maxY = -Infinity;
  extent = 0;
  n = 0;

  constructor(private v: Vertices) {}

  /** Pipe i's pieces added. */
  pipe(i: number): void {
    const v = this.v;
    const start = v.start;
    for (let k = start[i]; k < start[i + 1] - 1; k++) {
      const ax = v.x(k), ay = v.y(k), bx = v.x(k + 1), by = v.y(k + 1);
      // Pieces with a coordinate that is not a number are never within any distance.
      if (!(Number.isFinite(ax) && Number.isFinite(ay) && Number.isFinite(bx) && Number.isFinite(by))) continue;
      this.n++;
      if (ax < this.minX) this.minX = ax;
      if (bx < this.minX) this.minX = bx;
      if (ax > this.maxX) this.maxX = ax;
      if (bx > this.maxX) this.maxX = bx;
      if (ay < this.minY) this.minY = ay;
      if (by < this.minY) this.minY = by;
      if (ay > this.maxY) this.maxY = ay;
      if (by > this.maxY) this.maxY = by;
      this.extent += Math.max(Math.abs(bx - ax), Math.abs(by - ay));
    }
  }
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
  // Fields that hold fractions start as NaN (set before use), not 0: a field
  // that starts as a small integer changes the object's shape when it first
  // gets a fraction, and code compiled for the first shape then misses on
  // every grid made after it.
  private x0 = NaN;
  private y0 = NaN;
  private cell = NaN;
  private nx = 1;
  private ny = 1;
  /** Cell c holds pieces cellPiece[cellStart[c] .. cellStart[c + 1]). */
  private cellStart = new Int32Array(1);
  private cellPiece = new Int32Array(0);
  private wide: number[] = [];

  /** Pieces spanning more cells than this are kept aside (`wide`). */
  private static readonly MAX_SPAN = 64;

  /**
   * Each pass over the pieces is a loop over a function called per pipe:
   * built once per graph, long loops inside the constructor would run part of
   * every build unoptimised.
   */
  constructor(private v: Vertices, tol: number, private arena: Arena) {
    const pipes = v.start.length - 1;
    const b = new PieceBounds(v);
    for (let i = 0; i < pipes; i++) b.pipe(i);
    if (b.n === 0) return;
    // Cell ≈ a piece's mean extent (a piece then meets a few cells), at least the tolerance,
    // and no more cells than about four per piece.
    let cell = Math.max(tol, b.extent / b.n, 1e-3);
    const w = b.maxX - b.minX, h = b.maxY - b.minY;
    const maxCells = Math.max(1024, 4 * b.n);
    if ((w / cell + 1) * (h / cell + 1) > maxCells) cell = Math.max(cell, Math.sqrt((w * h) / maxCells), w / maxCells, h / maxCells);
    this.cell = cell;
    this.x0 = b.minX;
    this.y0 = b.minY;
    this.nx = Math.floor(w / cell) + 1;
    this.ny = Math.floor(h / cell) + 1;
    const cells = this.nx * this.ny;
    const at = this.arena.i32(cells + 1);
    // Two passes: count each cell's pieces, then place them from each cell's end down.
    for (let i = 0; i < pipes; i++) this.countPipe(i, at);
    runningSums(at, cells);
    this.cellPiece = this.arena.i32(at[cells]);
    for (let i = 0; i < pipes; i++) this.placePipe(i, at);
    this.cellStart = at;
  }

  /** Cells of the piece's box (set by `pieceCells`). */
  private ci0 = 0;
  private ci1 = 0;
  private cj0 = 0;
  private cj1 = 0;

  /** The cells piece k's box spans into ci0…cj1; false when one of its coordinates is not a number. */
  private pieceCells(k: number): boolean {
    const v = this.v;
    const ax = v.x(k), ay = v.y(k), bx = v.x(k + 1), by = v.y(k + 1);
    if (!(Number.isFinite(ax) && Number.isFinite(ay) && Number.isFinite(bx) && Number.isFinite(by))) return false;
    this.ci0 = this.cx(Math.min(ax, bx));
    this.ci1 = this.cx(Math.max(ax, bx));
    this.cj0 = this.cy(Math.min(ay, by));
    this.cj1 = this.cy(Math.max(ay, by));
    return true;
  }

  /** Whether the cells pieceCells found are too many to list the piece in (it is then `wide`). */
  private spansTooMany(): boolean {
    return (this.ci1 - this.ci0 + 1) * (this.cj1 - this.cj0 + 1) > PieceGrid.MAX_SPAN;
  }

  /** Pipe i's pieces counted in their cells (at[c]), or kept aside as wide. */
  private countPipe(i: number, at: Int32Array): void {
    const { start } = this.v;
    for (let k = start[i]; k < start[i + 1] - 1; k++) {
      if (!this.pieceCells(k)) continue;
      if (this.spansTooMany()) {
        this.wide.push(k);
        continue;
      }
      const { ci0, ci1, cj0, cj1, nx } = this;
      for (let j = cj0; j <= cj1; j++) for (let c = j * nx + ci0, e = j * nx + ci1; c <= e; c++) at[c]++;
    }
  }

  /** Pipe i's pieces placed in their cells, each cell filled from its end (at[c]) down. */
  private placePipe(i: number, at: Int32Array): void {
    const { start } = this.v;
    const cellPiece = this.cellPiece;
    for (let k = start[i]; k < start[i + 1] - 1; k++) {
      if (!this.pieceCells(k) || this.spansTooMany()) continue;
      const { ci0, ci1, cj0, cj1, nx } = this;
      for (let j = cj0; j <= cj1; j++) for (let c = j * nx + ci0, e = j * nx + ci1; c <= e; c++) cellPiece[--at[c]] = k;
    }
  }

  private cx(x: number): number {
    return clamp(Math.floor((x - this.x0) / this.cell), 0, this.nx - 1);
  }

  private cy(y: number): number {
    return clamp(Math.floor((y - this.y0) / this.cell), 0, this.ny - 1);
  }

  /** The query `nearest` is answering and its best piece so far (fields, not a closure per query). */
  private qx = NaN;
  private qy = NaN;
  private qx0 = NaN;
  private qy0 = NaN;
  private qx1 = NaN;
  private qy1 = NaN;
  private best = -1;
  /** Where the nearest piece's nearest point lies along it (0…1), and its distance; set by `nearest`. */
  t = NaN;
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
    const v = this.v;
    const ax = v.x(k), ay = v.y(k), bx = v.x(k + 1), by = v.y(k + 1);
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
  private readonly v: Vertices;
  private readonly nodes: NodeSet;
  private readonly kept: Arena;
  private readonly scratch: Arena;

  constructor(
    v: PipeLonLat,
    snapped: Snapped,
    private readonly tol: number,
    arenas: { kept: Arena; scratch: Arena } = { kept: plainArena(), scratch: plainArena() },
  ) {
    this.v = new Vertices(v);
    this.nodes = snapped.nodes;
    this.kept = arenas.kept;
    this.scratch = arenas.scratch;
  }

  /** Node, or -1; its distance is then in `dist`. */
  dist = Infinity;

  oneNode(f: Feature): number {
    const c = (f.geometry as PointGeom)?.coordinates;
    this.dist = Infinity;
    if (!c || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) return -1;
    const v = this.v;
    const nodes = this.nodes;
    const tol = this.tol;
    const x = (c[0] - v.lon0) * v.kx;
    const y = (c[1] - v.lat0) * v.ky;
    const hit = nodes.nearestNode(x, y, tol);
    if (hit >= 0) {
      this.dist = nodes.lastDist;
      return hit;
    }
    return this.insidePipe(x, y);
  }

  /**
   * A new node at the nearest point inside a pipe within the tolerance of
   * (x, y), or -1; its distance is then in `dist`. A function of its own:
   * only features that miss every node come here.
   */
  private insidePipe(x: number, y: number): number {
    const tol = this.tol;
    const v = this.v;
    // Pipe interiors, indexed only when a feature first misses every node.
    const grid = (this.pieces ??= new PieceGrid(v, tol, this.scratch));
    const k = grid.nearest(x, y, tol);
    if (k < 0) return -1;
    const bestT = grid.t;
    const bestD = grid.dist;
    const { lon, lat, start } = v;
    const pipe = pipeOfVertex(start, k);
    const ax = v.x(k), ay = v.y(k);
    const bx = v.x(k + 1), by = v.y(k + 1);
    const node = this.nodes.add(lon[k] + bestT * (lon[k + 1] - lon[k]), lat[k] + bestT * (lat[k + 1] - lat[k]), ax + bestT * (bx - ax), ay + bestT * (by - ay));
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
    const node = this.kept.i32(features.length);
    const dist = this.kept.f64(features.length);
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
