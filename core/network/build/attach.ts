/**
 * Phase 2 of the graph build, attach: each valve, station and heat source
 * goes to the nearest node within the attach tolerance, else to the nearest
 * point inside a pipe within it, where a new node is made and the pipe is
 * marked to be split (phase 3); farther away it stays off the network.
 */
import Flatbush from 'flatbush';
import { segmentT } from '../../geo/clamp';
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

/** Attaches features one layer after another, adding nodes to `snapped.nodes`. */
export class Attacher {
  readonly splits = new Map<number, Split[]>();
  private segIndex: Flatbush | null = null;
  private segPipe = new Int32Array(0);
  private segVertex = new Int32Array(0);

  constructor(
    private v: PipeVertices,
    private snapped: Snapped,
    private tol: number,
  ) {}

  /** Pipe-interior index, built only when a feature misses every node. */
  private buildSegIndex(): Flatbush {
    const { start, x, y } = this.v;
    const pipes = start.length - 1;
    let n = 0;
    for (let i = 0; i < pipes; i++) n += Math.max(0, start[i + 1] - start[i] - 1);
    this.segPipe = new Int32Array(n);
    this.segVertex = new Int32Array(n);
    const fb = new Flatbush(Math.max(1, n));
    let s = 0;
    for (let i = 0; i < pipes; i++) {
      for (let k = start[i]; k < start[i + 1] - 1; k++) {
        fb.add(Math.min(x[k], x[k + 1]), Math.min(y[k], y[k + 1]), Math.max(x[k], x[k + 1]), Math.max(y[k], y[k + 1]));
        this.segPipe[s] = i;
        this.segVertex[s] = k;
        s++;
      }
    }
    if (n === 0) fb.add(0, 0, 0, 0);
    fb.finish();
    return fb;
  }

  one(f: Feature): { node: number; dist: number } {
    const c = (f.geometry as PointGeom)?.coordinates;
    if (!c || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) return { node: -1, dist: Infinity };
    const { proj, lon, lat, x: vx, y: vy, start } = this.v;
    const nodes = this.snapped.nodes;
    const tol = this.tol;
    const x = (c[0] - proj.lon0) * proj.kx;
    const y = (c[1] - proj.lat0) * proj.ky;
    const hit = nodes.nearest(x, y, tol);
    if (hit.node >= 0) return hit;
    this.segIndex ??= this.buildSegIndex();
    const { segPipe, segVertex } = this;
    let best = -1;
    let bestD = tol;
    let bestT = 0;
    for (const s of this.segIndex.search(x - tol, y - tol, x + tol, y + tol)) {
      if (s >= segPipe.length) continue;
      const k = segVertex[s];
      const ax = vx[k], ay = vy[k];
      const dx = vx[k + 1] - ax, dy = vy[k + 1] - ay;
      const t = segmentT(x, y, ax, ay, dx, dy);
      const d = Math.hypot(ax + t * dx - x, ay + t * dy - y);
      if (d <= bestD && (best < 0 || d < bestD || s < best)) {
        best = s;
        bestD = d;
        bestT = t;
      }
    }
    if (best < 0) return { node: -1, dist: Infinity };
    const pipe = segPipe[best];
    const k = segVertex[best];
    const node = nodes.add(lon[k] + bestT * (lon[k + 1] - lon[k]), lat[k] + bestT * (lat[k + 1] - lat[k]), vx[k] + bestT * (vx[k + 1] - vx[k]), vy[k] + bestT * (vy[k + 1] - vy[k]));
    let list = this.splits.get(pipe);
    if (!list) this.splits.set(pipe, (list = []));
    list.push({ seg: k - start[pipe], t: bestT, node });
    return { node, dist: bestD };
  }

  all(features: readonly Feature[]): Attached {
    const node = new Int32Array(features.length);
    const dist = new Float64Array(features.length);
    for (let i = 0; i < features.length; i++) {
      const hit = this.one(features[i]);
      node[i] = hit.node;
      dist[i] = hit.dist;
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
