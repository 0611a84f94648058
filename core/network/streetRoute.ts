/**
 * Routes for new pipes along the street layer (DOMAIN.md §3 item 5: a loop
 * option's length is measured along roads where a road layer exists): the
 * streets become a graph (split where they cross or touch, ends within the
 * snap tolerance joined), each end of a new link is connected by a straight
 * stub to the nearest point of a street, and the route is the shortest path
 * between the two stubs. What a planner would draw: stub, street, stub.
 */
import Flatbush from 'flatbush';
import type { Position } from '../model/geojson';
import type { Feature } from '../model/types';
import { lineLengthM } from '../geo/length';
import type { LocalProjection } from './graph';
import { clamp } from '../format/number';

export interface StreetRoute {
  /** lon/lat from the first end to the second. */
  coordinates: Position[];
  /** Geodesic length of the route, m. */
  lengthM: number;
}

export interface StreetRouter {
  /**
   * The route between two points; 'no-street' when an end has no street within the stub limit,
   * 'too-long' when the streets join the ends only by more than the maximum length.
   */
  route(a: Position, b: Position, maxLengthM: number): StreetRoute | 'no-street' | 'too-long';
}

interface Seg {
  ax: number;
  ay: number;
  bx: number;
  by: number;
  /** Split parameters along the segment (0 and 1 included), sorted, with their node. */
  ts: number[];
  nodes: number[];
}

/** A router over the streets, or null when there are none. */
export function streetRouter(streets: readonly Feature[] | undefined, proj: LocalProjection, snapTolM: number, maxStubM: number): StreetRouter | null {
  const toXY = (p: Position): [number, number] => [(p[0] - proj.lon0) * proj.kx, (p[1] - proj.lat0) * proj.ky];
  const toLonLat = (x: number, y: number): Position => [proj.lon0 + x / proj.kx, proj.lat0 + y / proj.ky];
  const segs: Seg[] = [];
  for (const s of streets ?? []) {
    const g = s.geometry as { type?: string; coordinates?: unknown } | null;
    const lines = (g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' ? (g.coordinates as unknown[]) : []) as Position[][];
    for (const line of lines)
      for (let i = 1; i < (line?.length ?? 0); i++) {
        const [ax, ay] = toXY(line[i - 1]);
        const [bx, by] = toXY(line[i]);
        if (!Number.isFinite(ax + ay + bx + by) || (ax === bx && ay === by)) continue;
        segs.push({ ax, ay, bx, by, ts: [0, 1], nodes: [] });
      }
  }
  if (!segs.length) return null;
  const index = new Flatbush(segs.length);
  for (const s of segs) index.add(Math.min(s.ax, s.bx) - snapTolM, Math.min(s.ay, s.by) - snapTolM, Math.max(s.ax, s.bx) + snapTolM, Math.max(s.ay, s.by) + snapTolM);
  index.finish();
  // Split at crossings and where an end touches another segment.
  segs.forEach((s, i) => {
    for (const j of index.search(Math.min(s.ax, s.bx), Math.min(s.ay, s.by), Math.max(s.ax, s.bx), Math.max(s.ay, s.by))) {
      if (j <= i) continue;
      const o = segs[j];
      const rx = s.bx - s.ax, ry = s.by - s.ay;
      const qx = o.bx - o.ax, qy = o.by - o.ay;
      const den = rx * qy - ry * qx;
      if (Math.abs(den) > 1e-12) {
        const t = ((o.ax - s.ax) * qy - (o.ay - s.ay) * qx) / den;
        const u = ((o.ax - s.ax) * ry - (o.ay - s.ay) * rx) / den;
        const lt = snapTolM / Math.hypot(rx, ry), lu = snapTolM / Math.hypot(qx, qy);
        if (t >= -lt && t <= 1 + lt && u >= -lu && u <= 1 + lu) {
          s.ts.push(clamp(t, 0, 1));
          o.ts.push(clamp(u, 0, 1));
        }
      }
    }
  });
  // Nodes: split points joined within the snap tolerance (a grid of cells).
  const cell = Math.max(snapTolM, 1e-3);
  const grid = new Map<string, number[]>();
  const nx: number[] = [];
  const ny: number[] = [];
  const nodeAt = (x: number, y: number): number => {
    const cx = Math.floor(x / cell), cy = Math.floor(y / cell);
    for (let i = -1; i <= 1; i++)
      for (let j = -1; j <= 1; j++)
        for (const n of grid.get(`${cx + i},${cy + j}`) ?? []) if (Math.hypot(nx[n] - x, ny[n] - y) <= snapTolM) return n;
    const n = nx.length;
    nx.push(x);
    ny.push(y);
    const k = `${cx},${cy}`;
    const list = grid.get(k);
    if (list) list.push(n);
    else grid.set(k, [n]);
    return n;
  };
  const adj: { to: number; w: number }[][] = [];
  const link = (a: number, b: number) => {
    if (a === b) return;
    const w = Math.hypot(nx[a] - nx[b], ny[a] - ny[b]);
    (adj[a] ??= []).push({ to: b, w });
    (adj[b] ??= []).push({ to: a, w });
  };
  for (const s of segs) {
    s.ts.sort((a, b) => a - b);
    s.nodes = s.ts.map((t) => nodeAt(s.ax + t * (s.bx - s.ax), s.ay + t * (s.by - s.ay)));
    for (let k = 1; k < s.nodes.length; k++) link(s.nodes[k - 1], s.nodes[k]);
  }

  /** The nearest point of a street to (x, y): segment, parameter, distance. */
  const nearest = (x: number, y: number) => {
    let best = -1, bestT = 0, bestD = maxStubM;
    for (const i of index.search(x - maxStubM, y - maxStubM, x + maxStubM, y + maxStubM)) {
      const s = segs[i];
      const dx = s.bx - s.ax, dy = s.by - s.ay;
      const t = clamp(((x - s.ax) * dx + (y - s.ay) * dy) / (dx * dx + dy * dy), 0, 1);
      const d = Math.hypot(s.ax + t * dx - x, s.ay + t * dy - y);
      if (d < bestD || (d === bestD && i < best)) [best, bestT, bestD] = [i, t, d];
    }
    return best < 0 ? null : { seg: best, t: bestT };
  };

  return {
    route(a, b, maxLengthM) {
      const [ax, ay] = toXY(a);
      const [bx, by] = toXY(b);
      const na = nearest(ax, ay);
      const nb = nearest(bx, by);
      if (!na || !nb) return 'no-street';
      const at = (n: { seg: number; t: number }): [number, number] => {
        const s = segs[n.seg];
        return [s.ax + n.t * (s.bx - s.ax), s.ay + n.t * (s.by - s.ay)];
      };
      const pa = at(na), pb = at(nb);
      let mid: [number, number][];
      if (na.seg === nb.seg) mid = [];
      else {
        // Dijkstra from the nodes around a's foot point to those around b's, bounded by the maximum length.
        const start = new Map<number, number>();
        const sA = segs[na.seg];
        for (let k = 0; k < sA.ts.length; k++) {
          const d = Math.abs(sA.ts[k] - na.t) * Math.hypot(sA.bx - sA.ax, sA.by - sA.ay);
          // Only the split points next to the foot are reachable along the street without passing others.
          const before = sA.ts[k] <= na.t && (k + 1 >= sA.ts.length || sA.ts[k + 1] >= na.t);
          const after = sA.ts[k] >= na.t && (k === 0 || sA.ts[k - 1] <= na.t);
          if (before || after) start.set(sA.nodes[k], Math.min(start.get(sA.nodes[k]) ?? Infinity, d));
        }
        const goal = new Map<number, number>();
        const sB = segs[nb.seg];
        for (let k = 0; k < sB.ts.length; k++) {
          const d = Math.abs(sB.ts[k] - nb.t) * Math.hypot(sB.bx - sB.ax, sB.by - sB.ay);
          const before = sB.ts[k] <= nb.t && (k + 1 >= sB.ts.length || sB.ts[k + 1] >= nb.t);
          const after = sB.ts[k] >= nb.t && (k === 0 || sB.ts[k - 1] <= nb.t);
          if (before || after) goal.set(sB.nodes[k], Math.min(goal.get(sB.nodes[k]) ?? Infinity, d));
        }
        const dist = new Map<number, number>();
        const prev = new Map<number, number>();
        const heap: [number, number][] = [];
        const push = (d: number, n: number) => {
          heap.push([d, n]);
          let i = heap.length - 1;
          while (i > 0) {
            const p = (i - 1) >> 1;
            if (heap[p][0] < heap[i][0] || (heap[p][0] === heap[i][0] && heap[p][1] <= heap[i][1])) break;
            [heap[p], heap[i]] = [heap[i], heap[p]];
            i = p;
          }
        };
        const pop = () => {
          const top = heap[0];
          const last = heap.pop()!;
          if (heap.length) {
            heap[0] = last;
            let i = 0;
            for (;;) {
              const l = 2 * i + 1;
              if (l >= heap.length) break;
              const c = l + 1 < heap.length && (heap[l + 1][0] < heap[l][0] || (heap[l + 1][0] === heap[l][0] && heap[l + 1][1] < heap[l][1])) ? l + 1 : l;
              if (heap[c][0] > heap[i][0] || (heap[c][0] === heap[i][0] && heap[c][1] >= heap[i][1])) break;
              [heap[c], heap[i]] = [heap[i], heap[c]];
              i = c;
            }
          }
          return top;
        };
        for (const [n, d] of start) {
          dist.set(n, d);
          push(d, n);
        }
        let best = Infinity, bestNode = -1;
        while (heap.length) {
          const [d, u] = pop();
          if (d > (dist.get(u) ?? Infinity) || d >= best || d > maxLengthM) continue;
          const g = goal.get(u);
          if (g !== undefined && d + g < best) [best, bestNode] = [d + g, u];
          for (const { to, w } of adj[u] ?? []) {
            const nd = d + w;
            if (nd < (dist.get(to) ?? Infinity)) {
              dist.set(to, nd);
              prev.set(to, u);
              push(nd, to);
            }
          }
        }
        if (bestNode < 0) return 'too-long';
        const path: number[] = [];
        for (let n: number | undefined = bestNode; n !== undefined; n = prev.get(n)) path.push(n);
        mid = path.reverse().map((n) => [nx[n], ny[n]]);
      }
      const pts: [number, number][] = [[ax, ay], pa, ...mid, pb, [bx, by]];
      const coords: Position[] = [];
      for (const [x, y] of pts) {
        const last = coords[coords.length - 1];
        const p = toLonLat(x, y);
        if (last && Math.hypot((p[0] - last[0]) * proj.kx, (p[1] - last[1]) * proj.ky) < 1e-6) continue;
        coords.push(p);
      }
      // The ends are exactly the given points.
      coords[0] = a;
      coords[coords.length - 1] = b;
      const lengthM = lineLengthM(coords);
      return lengthM <= maxLengthM ? { coordinates: coords, lengthM } : 'too-long';
    },
  };
}
