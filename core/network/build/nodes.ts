/**
 * The graph's nodes while it is being built: growable typed arrays of their
 * positions (local metres and lon/lat) and a spatial hash for "the nearest
 * node within a tolerance", which both snapping and attaching ask.
 */
import { clamp } from '../../format/number';
import { Arena, plainArena } from './arena';

/**
 * Spatial hash of nodes for snapping: chained cells in an open-addressing
 * table keyed by integer cell coordinates (typed arrays, so a million nodes
 * cost no garbage). At a million nodes fresh memory is what costs (every new
 * page is a fault, dear on a virtual machine), so the table holds only each
 * cell's first node (its cell is read off that node's position, the node
 * arrays' own), and a node's next node in its cell is one Int32 beside them.
 */
class NodeGrid {
  /** Slot → first node of its cell + 1 (0: empty slot). */
  private table: Int32Array;
  private mask: number;
  private used = 0;
  /** Node n's next node in its cell (-1: none). */
  private next: Int32Array;
  /** The nodes' positions (NodeSet's arrays, handed over again when they grow). */
  xs: Float64Array;
  ys: Float64Array;
  /** Distance to the node the last `nearest` found (Infinity when none). */
  dist = Infinity;

  /** `capacity`: nodes `next` holds (it grows past it); `expected`: nodes the table is sized for (it grows too). */
  constructor(private cell: number, capacity: number, expected: number, arena: Arena, xs: Float64Array, ys: Float64Array) {
    // Cells ≤ nodes: the table doubles when half full, which keeps probe runs short.
    let size = 1024;
    while (size < expected) size *= 2;
    this.table = arena.i32(size);
    this.mask = size - 1;
    this.next = arena.i32(Math.max(16, capacity));
    this.xs = xs;
    this.ys = ys;
  }

  private static hash(ix: number, iy: number): number {
    // Mixed (murmur3's finaliser): pipe ends on a regular street grid give cell
    // coordinates with common factors, which a plain product hash piles into
    // long probe runs.
    let h = Math.imul(ix, 0x9e3779b1) ^ Math.imul(iy, 0x85ebca77);
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x846ca68b);
    h ^= h >>> 16;
    return h;
  }

  /** The slot of cell (ix, iy): where it is, or the empty slot where it would go. */
  private slot(ix: number, iy: number): number {
    const { mask, table, xs, ys, cell } = this;
    let h = NodeGrid.hash(ix, iy) & mask;
    for (;;) {
      const first = table[h] - 1;
      if (first < 0) return h;
      if (Math.floor(xs[first] / cell) === ix && Math.floor(ys[first] / cell) === iy) return h;
      h = (h + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.mask = old.length * 2 - 1;
    for (let h = 0; h < old.length; h++) {
      const first = old[h] - 1;
      if (first < 0) continue;
      // Cells are distinct, so the first empty slot along the probe is the place.
      let t = NodeGrid.hash(Math.floor(this.xs[first] / this.cell), Math.floor(this.ys[first] / this.cell)) & this.mask;
      while (this.table[t] !== 0) t = (t + 1) & this.mask;
      this.table[t] = first + 1;
    }
  }

  /** Node `node`, whose position is already in `xs` / `ys`, goes into its cell. */
  insert(node: number, x: number, y: number): void {
    if (node >= this.next.length) {
      const grown = new Int32Array(Math.max(node + 1, this.next.length * 2));
      grown.set(this.next);
      this.next = grown;
    }
    const ix = Math.floor(x / this.cell);
    const iy = Math.floor(y / this.cell);
    let h = this.slot(ix, iy);
    if (this.table[h] === 0) {
      if ((this.used + 1) * 2 > this.mask + 1) {
        this.grow();
        h = this.slot(ix, iy);
      }
      this.used++;
      this.next[node] = -1;
    } else this.next[node] = this.table[h] - 1;
    this.table[h] = node + 1;
  }

  /**
   * Nearest node within `tol` metres (lowest index on ties), or -1; its
   * distance is left in `dist` (no object per query: a million of them add up).
   */
  nearest(x: number, y: number, tol: number): number {
    const ix = Math.floor(x / this.cell);
    const iy = Math.floor(y / this.cell);
    const reach = Math.max(1, Math.ceil(tol / this.cell));
    const { xs, ys, next, table } = this;
    const tol2 = tol * tol * (1 + 1e-9);
    let best = -1;
    let bestD = tol;
    const cell = this.cell;
    for (let dx = -reach; dx <= reach; dx++) {
      // cells farther than the tolerance cannot hold a match: most queries look at one cell, not nine
      const x0 = (ix + dx) * cell;
      const gx = x < x0 ? x0 - x : x > x0 + cell ? x - x0 - cell : 0;
      if (gx > tol) continue;
      for (let dy = -reach; dy <= reach; dy++) {
        const y0 = (iy + dy) * cell;
        const gy = y < y0 ? y0 - y : y > y0 + cell ? y - y0 - cell : 0;
        if (gy > tol || gx * gx + gy * gy > tol * tol) continue;
        let n = table[this.slot(ix + dx, iy + dy)] - 1;
        while (n >= 0) {
          const ex = xs[n] - x;
          const ey = ys[n] - y;
          // Math.hypot (the distance reported) only for nodes not clearly beyond the tolerance.
          if (ex * ex + ey * ey <= tol2) {
            const d = Math.hypot(ex, ey);
            if (d <= bestD && (best < 0 || d < bestD || n < best)) {
              best = n;
              bestD = d;
            }
          }
          n = next[n];
        }
      }
    }
    this.dist = best < 0 ? Infinity : bestD;
    return best;
  }
}

export class NodeSet {
  count = 0;
  x: Float64Array;
  y: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  private grid: NodeGrid;

  /**
   * `cell`: the hash's cell size in metres; `capacity`: nodes the arrays hold
   * (they grow past it), taken from `kept` (the graph keeps them) while the
   * hash's memory comes from `scratch`; `expected`: nodes the hash is sized for.
   */
  constructor(cell: number, capacity: number, expected = capacity, kept: Arena = plainArena(), scratch: Arena = plainArena()) {
    const cap = Math.max(16, capacity);
    this.x = kept.f64(cap);
    this.y = kept.f64(cap);
    this.lon = kept.f64(cap);
    this.lat = kept.f64(cap);
    this.grid = new NodeGrid(cell, cap, clamp(expected, 16, cap), scratch, this.x, this.y);
  }

  add(lon: number, lat: number, x: number, y: number): number {
    if (this.count === this.x.length) {
      const cap = this.x.length * 2;
      const grow = (a: Float64Array) => {
        const b = new Float64Array(cap);
        b.set(a);
        return b;
      };
      this.x = grow(this.x);
      this.y = grow(this.y);
      this.lon = grow(this.lon);
      this.lat = grow(this.lat);
      this.grid.xs = this.x;
      this.grid.ys = this.y;
    }
    const n = this.count++;
    this.x[n] = x;
    this.y[n] = y;
    this.lon[n] = lon;
    this.lat[n] = lat;
    this.grid.insert(n, x, y);
    return n;
  }

  /** Nearest node within `tol` metres of (x, y) (lowest index on ties), or node -1 and Infinity. */
  nearest(x: number, y: number, tol: number): { node: number; dist: number } {
    const node = this.grid.nearest(x, y, tol);
    return { node, dist: this.grid.dist };
  }

  /** `nearest` without the object: the node (or -1); its distance is then `lastDist`. */
  nearestNode(x: number, y: number, tol: number): number {
    return this.grid.nearest(x, y, tol);
  }

  get lastDist(): number {
    return this.grid.dist;
  }
}
