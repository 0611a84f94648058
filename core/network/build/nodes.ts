/**
 * The graph's nodes while it is being built: growable typed arrays of their
 * positions (local metres and lon/lat) and a spatial hash for "the nearest
 * node within a tolerance", which both snapping and attaching ask.
 */

/**
 * Spatial hash of nodes for snapping: chained cells in an open-addressing
 * table keyed by integer cell coordinates (typed arrays, so a million nodes
 * cost no garbage).
 */
class NodeGrid {
  private keyX: Int32Array;
  private keyY: Int32Array;
  private head: Int32Array;
  private used = 0;
  private next: Int32Array;
  constructor(private cell: number, capacity: number, private xs: () => Float64Array, private ys: () => Float64Array) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.keyX = new Int32Array(size);
    this.keyY = new Int32Array(size);
    this.head = new Int32Array(size).fill(-1);
    this.next = new Int32Array(capacity).fill(-1);
  }
  private slot(ix: number, iy: number): number {
    const mask = this.head.length - 1;
    // Mixed (murmur3's finaliser): pipe ends on a regular street grid give cell
    // coordinates with common factors, which a plain product hash piles into
    // long probe runs.
    let h = Math.imul(ix, 0x9e3779b1) ^ Math.imul(iy, 0x85ebca77);
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x846ca68b);
    h ^= h >>> 16;
    h &= mask;
    while (this.head[h] !== -1 && (this.keyX[h] !== ix || this.keyY[h] !== iy)) h = (h + 1) & mask;
    return h;
  }
  private grow(): void {
    const { keyX, keyY, head } = this;
    this.keyX = new Int32Array(keyX.length * 2);
    this.keyY = new Int32Array(keyY.length * 2);
    this.head = new Int32Array(head.length * 2).fill(-1);
    for (let h = 0; h < head.length; h++) {
      if (head[h] === -1) continue;
      const t = this.slot(keyX[h], keyY[h]);
      this.keyX[t] = keyX[h];
      this.keyY[t] = keyY[h];
      this.head[t] = head[h];
    }
  }
  insert(node: number, x: number, y: number): void {
    if (node >= this.next.length) {
      const grown = new Int32Array(Math.max(node + 1, this.next.length * 2)).fill(-1);
      grown.set(this.next);
      this.next = grown;
    }
    const ix = Math.floor(x / this.cell);
    const iy = Math.floor(y / this.cell);
    let h = this.slot(ix, iy);
    if (this.head[h] === -1) {
      if ((this.used + 1) * 2 > this.head.length) {
        this.grow();
        h = this.slot(ix, iy);
      }
      this.used++;
      this.keyX[h] = ix;
      this.keyY[h] = iy;
      this.next[node] = -1;
    } else this.next[node] = this.head[h];
    this.head[h] = node;
  }
  /** Nearest node within `tol` metres (lowest index on ties), or -1. */
  nearest(x: number, y: number, tol: number): { node: number; dist: number } {
    const ix = Math.floor(x / this.cell);
    const iy = Math.floor(y / this.cell);
    const reach = Math.max(1, Math.ceil(tol / this.cell));
    const xs = this.xs();
    const ys = this.ys();
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
        let n = this.head[this.slot(ix + dx, iy + dy)];
        while (n >= 0) {
          const d = Math.hypot(xs[n] - x, ys[n] - y);
          if (d <= bestD && (best < 0 || d < bestD || n < best)) {
            best = n;
            bestD = d;
          }
          n = this.next[n];
        }
      }
    }
    return { node: best, dist: best < 0 ? Infinity : bestD };
  }
}

export class NodeSet {
  count = 0;
  x: Float64Array;
  y: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  private grid: NodeGrid;

  /** `cell`: the hash's cell size in metres; `capacity`: nodes expected (the arrays grow past it). */
  constructor(cell: number, capacity: number) {
    const cap = Math.max(16, capacity);
    this.x = new Float64Array(cap);
    this.y = new Float64Array(cap);
    this.lon = new Float64Array(cap);
    this.lat = new Float64Array(cap);
    this.grid = new NodeGrid(cell, cap, () => this.x, () => this.y);
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
    return this.grid.nearest(x, y, tol);
  }
}
