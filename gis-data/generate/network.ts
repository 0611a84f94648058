/**
 * Pipe runs of the sample and how they become pipes: a run is one line laid
 * along streets (a trunk, a main, a station spur, a lane, a courtyard stub);
 * it is cut into pipes wherever another run of its system starts or ends on
 * it, or a valve, station or source sits on it, so every join is a shared end
 * point and every valve sits on a node between two pipes.
 */
import type { PipeLevel } from '../../core/model/schema';
import type { XY } from './frame';

export type RunRole = 'trunk' | 'main' | 'connector' | 'spur' | 'street' | 'lane' | 'stub' | 'reserve';

export interface PipeRun {
  /** Hydraulic system: 'W' / 'E' primary networks, or the station id for its secondary side. */
  system: string;
  level: PipeLevel;
  role: RunRole;
  pts: XY[];
  name: string;
  year: number;
  /** A loop-closing pipe: left out of the supply tree when pipes are sized. */
  tie?: boolean;
  /** Courtyard stub: heat taken at its far end, MW. */
  sinkMW?: number;
  /** Secondary runs in blocks of the old core are never renewed before 2024. */
  blockEra: number;
}

/** One pipe before it gets its id. */
export interface PipePiece {
  run: PipeRun;
  pts: XY[];
  loadMW: number;
  dn: number;
  year: number;
}

/** Node key at millimetre resolution (all layout coordinates are exact multiples of it). */
export const nodeKey = (p: XY): string => `${Math.round(p[0] * 1000)},${Math.round(p[1] * 1000)}`;

function cutsInside(a: XY, b: XY, cuts: Iterable<XY>): XY[] {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const found: { t: number; p: XY }[] = [];
  for (const p of cuts) {
    const px = p[0] - a[0];
    const py = p[1] - a[1];
    const cross = dx * py - dy * px;
    if (Math.abs(cross) > 1e-6 * Math.sqrt(len2)) continue;
    const t = (px * dx + py * dy) / len2;
    if (t > 1e-9 && t < 1 - 1e-9) found.push({ t, p });
  }
  return found.sort((u, v) => u.t - v.t).map((f) => f.p);
}

/** Cut every run at the run ends of its own system and at the extra points (valves, stations, sources) of that system. */
export function cutRuns(runs: readonly PipeRun[], extraCuts: ReadonlyMap<string, readonly XY[]>): PipePiece[] {
  const cutsBySystem = new Map<string, Map<string, XY>>();
  const add = (system: string, p: XY) => {
    let m = cutsBySystem.get(system);
    if (!m) cutsBySystem.set(system, (m = new Map()));
    m.set(nodeKey(p), p);
  };
  for (const r of runs) {
    add(r.system, r.pts[0]);
    add(r.system, r.pts[r.pts.length - 1]);
  }
  for (const [system, pts] of extraCuts) for (const p of pts) add(system, p);

  const pieces: PipePiece[] = [];
  for (const run of runs) {
    const cuts = cutsBySystem.get(run.system)!;
    let cur: XY[] = [run.pts[0]];
    const flush = () => {
      pieces.push({ run, pts: cur, loadMW: 0, dn: 0, year: run.year });
    };
    for (let i = 1; i < run.pts.length; i++) {
      const a = run.pts[i - 1];
      const b = run.pts[i];
      for (const p of cutsInside(a, b, cuts.values())) {
        cur.push(p);
        flush();
        cur = [p];
      }
      cur.push(b);
      if (i < run.pts.length - 1 && cuts.has(nodeKey(b))) {
        flush();
        cur = [b];
      }
    }
    flush();
  }
  return pieces;
}

export interface SupplyTree {
  /** Pieces in breadth-first order from the root (ties and unreached pieces excluded). */
  order: PipePiece[];
}

/**
 * Heat carried by each pipe of one system: a breadth-first tree from the
 * root (source or station) over non-tie pieces, with the loads at sink nodes
 * summed towards the root. Sets `loadMW` on the tree's pieces.
 */
export function accumulateLoads(pieces: readonly PipePiece[], rootKey: string, sinkMW: ReadonlyMap<string, number>): SupplyTree {
  const adj = new Map<string, { piece: PipePiece; other: string }[]>();
  const link = (k: string, piece: PipePiece, other: string) => {
    let l = adj.get(k);
    if (!l) adj.set(k, (l = []));
    l.push({ piece, other });
  };
  for (const piece of pieces) {
    if (piece.run.tie) continue;
    const a = nodeKey(piece.pts[0]);
    const b = nodeKey(piece.pts[piece.pts.length - 1]);
    link(a, piece, b);
    link(b, piece, a);
  }
  const seen = new Set<string>([rootKey]);
  const nodes: string[] = [rootKey];
  const parentPiece = new Map<string, PipePiece>();
  const order: PipePiece[] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (const { piece, other } of adj.get(nodes[i]) ?? []) {
      if (seen.has(other)) continue;
      seen.add(other);
      nodes.push(other);
      parentPiece.set(other, piece);
      order.push(piece);
    }
  }
  const acc = new Map<string, number>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const k = nodes[i];
    const total = (acc.get(k) ?? 0) + (sinkMW.get(k) ?? 0);
    const piece = parentPiece.get(k);
    if (!piece) continue;
    piece.loadMW = total;
    const a = nodeKey(piece.pts[0]);
    const up = a === k ? nodeKey(piece.pts[piece.pts.length - 1]) : a;
    acc.set(up, (acc.get(up) ?? 0) + total);
  }
  return { order };
}

/** Length of a polyline in the metric frame, m. */
export function frameLength(pts: readonly XY[]): number {
  let s = 0;
  for (let i = 1; i < pts.length; i++) s += Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]);
  return s;
}

/** Split a piece `m` metres (frame) from its start; both halves share the cut point. */
export function splitPiece(piece: PipePiece, m: number): [PipePiece, PipePiece] {
  const first: XY[] = [piece.pts[0]];
  let walked = 0;
  for (let i = 1; i < piece.pts.length; i++) {
    const a = piece.pts[i - 1];
    const b = piece.pts[i];
    const seg = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (walked + seg > m) {
      const t = (m - walked) / seg;
      const cut: XY = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
      first.push(cut);
      const second: XY[] = [cut, ...piece.pts.slice(i)];
      return [
        { ...piece, pts: first },
        { ...piece, pts: second },
      ];
    }
    walked += seg;
    first.push(b);
  }
  throw new Error(`split at ${m} m is beyond the piece (${walked} m)`);
}
