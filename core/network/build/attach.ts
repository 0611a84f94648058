/**
 * Phase 2 of the graph build, attach: each valve, station and heat source
 * goes to the nearest node within the attach tolerance, else to the nearest
 * point inside a pipe within it, where a new node is made and the pipe is
 * marked to be split (phase 3); farther away it stays off the network.
 */
import { segmentT } from '../../geo/clamp';
import { clamp } from '../../format/number';
import type { Feature, PointGeom } from '../../model/types';
import type { PipeVertices, Snapped } from './snap';

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

  constructor(private v: PipeVertices, tol: number) {
    const { start, x, y } = v;
    const pipes = start.length - 1;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    let extent = 0;
    let n = 0;
    for (let i = 0; i < pipes; i++) {
      for (let k = start[i]; k < start[i + 1] - 1; k++) {
        const ax = x[k], ay = y[k], bx = x[k + 1], by = y[k + 1];
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
    const at = new Int32Array(cells + 1);
    const MAX_SPAN = 64;
    // Two passes: count each cell's pieces, then place them from each cell's end down.
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < pipes; i++) {
        for (let k = start[i]; k < start[i + 1] - 1; k++) {
          const ax = x[k], ay = y[k], bx = x[k + 1], by = y[k + 1];
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
        this.cellPiece = new Int32Array(at[cells]);
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

  /**
   * Calls `visit` for every piece whose box meets [qx0, qx1] × [qy0, qy1]
   * (the same test a box index makes), some of them more than once.
   */
  search(qx0: number, qy0: number, qx1: number, qy1: number, visit: (vertex: number) => void): void {
    const { x, y } = this.v;
    const meets = (k: number) => Math.min(x[k], x[k + 1]) <= qx1 && Math.min(y[k], y[k + 1]) <= qy1 && Math.max(x[k], x[k + 1]) >= qx0 && Math.max(y[k], y[k + 1]) >= qy0;
    for (const k of this.wide) if (meets(k)) visit(k);
    if (this.cellPiece.length === 0) return;
    const i0 = this.cx(qx0), i1 = this.cx(qx1), j0 = this.cy(qy0), j1 = this.cy(qy1);
    const { cellStart, cellPiece, nx } = this;
    for (let j = j0; j <= j1; j++)
      for (let c = j * nx + i0, e = j * nx + i1; c <= e; c++)
        for (let q = cellStart[c]; q < cellStart[c + 1]; q++) if (meets(cellPiece[q])) visit(cellPiece[q]);
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
    private v: PipeVertices,
    private snapped: Snapped,
    private tol: number,
  ) {}

  /** Node, or -1; its distance is then in `dist`. */
  dist = Infinity;

  oneNode(f: Feature): number {
    const c = (f.geometry as PointGeom)?.coordinates;
    this.dist = Infinity;
    if (!c || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) return -1;
    const { proj, lon, lat, x: vx, y: vy, start } = this.v;
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
    const grid = (this.pieces ??= new PieceGrid(this.v, tol));
    let best = -1;
    let bestD = tol;
    let bestT = 0;
    // The nearest piece, the first along the pipes on ties: the answer whatever order pieces come in.
    grid.search(x - tol, y - tol, x + tol, y + tol, (k) => {
      const ax = vx[k], ay = vy[k];
      const dx = vx[k + 1] - ax, dy = vy[k + 1] - ay;
      const t = segmentT(x, y, ax, ay, dx, dy);
      const d = Math.hypot(ax + t * dx - x, ay + t * dy - y);
      if (d <= bestD && (best < 0 || d < bestD || k < best)) {
        best = k;
        bestD = d;
        bestT = t;
      }
    });
    if (best < 0) return -1;
    const k = best;
    const pipe = pipeOfVertex(start, k);
    const node = nodes.add(lon[k] + bestT * (lon[k + 1] - lon[k]), lat[k] + bestT * (lat[k + 1] - lat[k]), vx[k] + bestT * (vx[k + 1] - vx[k]), vy[k] + bestT * (vy[k + 1] - vy[k]));
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
    const node = new Int32Array(features.length);
    const dist = new Float64Array(features.length);
    for (let i = 0; i < features.length; i++) {
      node[i] = this.oneNode(features[i]);
      dist[i] = this.dist;
    }
    return { node, dist };
  }
}

/** Attach valves, then stations, then heat sources (a later feature may take a node an earlier one made). */
export function attachFeatures(
  v: PipeVertices,
  snapped: Snapped,
  layers: { valves: readonly Feature[]; stations: readonly Feature[]; heat_sources: readonly Feature[] },
  attachToleranceM: number,
): Attachment {
  const a = new Attacher(v, snapped, attachToleranceM);
  const valves = a.all(layers.valves);
  const stations = a.all(layers.stations);
  const sources = a.all(layers.heat_sources);
  return { valves, stations, sources, splits: a.splits };
}
