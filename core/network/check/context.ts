/**
 * What the check's rules share: the graph, the pipes' coordinates in local
 * metres, and indexes built once on first use (the pipes' straight pieces in
 * a Flatbush, the loose pipe ends and the pipe they lie on, pipe lengths).
 */
import Flatbush from 'flatbush';
import { segmentT } from '../../geo/clamp';
import { lineLengthM } from '../../geo/length';
import type { Feature, LineStringGeom } from '../../model/types';
import { NODE_SOURCE, NODE_STATION, NODE_VALVE, checkAborted, type AnalysisOptions, type NetworkGraph } from '../graph';

/** Every straight piece of every pipe, in local metres, in a spatial index. */
export interface PipeSegments {
  count: number;
  /** Pipe of each piece. */
  pipe: Int32Array;
  /** ax, ay, bx, by of each piece (4 numbers a piece). */
  xy: Float64Array;
  /** Boxes of the pieces (search results ≥ count are the placeholder of an empty index). */
  index: Flatbush;
}

/** `looseEnds()[n]`: not a loose end. */
export const NOT_LOOSE = -2;
/** `looseEnds()[n]`: a loose end lying on no other pipe. */
export const ON_NOTHING = -1;

export class CheckContext {
  readonly pipes: Feature[];
  readonly snapTol: number;
  private segs: PipeSegments | null = null;
  private ends: Int32Array | null = null;
  private lengths: Float64Array | null = null;

  constructor(
    readonly g: NetworkGraph,
    readonly opts?: AnalysisOptions,
  ) {
    this.pipes = g.input.layers.pipes;
    this.snapTol = g.input.settings.snapToleranceM;
  }

  /** Throws AnalysisCancelled when asked to stop (looked at every 4096 steps). */
  tick(i: number): void {
    if ((i & 4095) === 0) checkAborted(this.opts);
  }

  pid(p: number): string {
    return String(this.pipes[p].id);
  }

  coordsOf(p: number): number[][] {
    return (this.pipes[p].geometry as LineStringGeom)?.coordinates ?? [];
  }

  toXY(c: number[]): [number, number] {
    const { proj } = this.g;
    return [(c[0] - proj.lon0) * proj.kx, (c[1] - proj.lat0) * proj.ky];
  }

  lonLatOfXY(x: number, y: number): [number, number] {
    const { proj } = this.g;
    return [proj.lon0 + x / proj.kx, proj.lat0 + y / proj.ky];
  }

  pipeEnds(p: number): [number, number] {
    return [this.g.pipeStartNode[p], this.g.pipeEndNode[p]];
  }

  /** The pipes meeting at node `n`, each once. */
  pipesAt(n: number): number[] {
    const g = this.g;
    const out: number[] = [];
    for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
      const p = g.edgePipe[g.adjEdge[k]];
      if (!out.includes(p)) out.push(p);
    }
    return out;
  }

  segments(): PipeSegments {
    if (this.segs) return this.segs;
    let count = 0;
    for (let p = 0; p < this.pipes.length; p++) count += Math.max(0, this.coordsOf(p).length - 1);
    const pipe = new Int32Array(count);
    const xy = new Float64Array(count * 4);
    const index = new Flatbush(Math.max(1, count));
    let s = 0;
    for (let p = 0; p < this.pipes.length; p++) {
      const c = this.coordsOf(p);
      for (let i = 1; i < c.length; i++) {
        const [ax, ay] = this.toXY(c[i - 1]);
        const [bx, by] = this.toXY(c[i]);
        xy.set([ax, ay, bx, by], s * 4);
        pipe[s] = p;
        index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
        s++;
      }
    }
    if (count === 0) index.add(0, 0, 0, 0);
    index.finish();
    return (this.segs = { count, pipe, xy, index });
  }

  /**
   * Per node: NOT_LOOSE, unless one pipe ends there with no valve, station or
   * source on it; then the pipe whose interior the end lies on (within the
   * snap tolerance, not at one of that pipe's nodes), or ON_NOTHING.
   */
  looseEnds(): Int32Array {
    if (this.ends) return this.ends;
    const g = this.g;
    const out = new Int32Array(g.nodeCount).fill(NOT_LOOSE);
    for (let n = 0; n < g.nodeCount; n++) {
      this.tick(n);
      if (g.adjStart[n + 1] - g.adjStart[n] !== 1 || g.nodeFlags[n] & (NODE_VALVE | NODE_STATION | NODE_SOURCE)) continue;
      out[n] = this.pipeUnder(n);
    }
    return (this.ends = out);
  }

  /** The pipe whose interior node `n` lies on, or ON_NOTHING. */
  private pipeUnder(n: number): number {
    const { count, pipe, xy, index } = this.segments();
    const x = this.g.nodeX[n];
    const y = this.g.nodeY[n];
    const tol = this.snapTol;
    for (const s of index.search(x - tol, y - tol, x + tol, y + tol)) {
      if (s >= count) continue;
      const p = pipe[s];
      if (this.pipeEnds(p).includes(n)) continue;
      const ax = xy[s * 4], ay = xy[s * 4 + 1];
      const dx = xy[s * 4 + 2] - ax, dy = xy[s * 4 + 3] - ay;
      const t = segmentT(x, y, ax, ay, dx, dy);
      if (Math.hypot(ax + t * dx - x, ay + t * dy - y) <= tol) return p;
    }
    return ON_NOTHING;
  }

  /** Geodesic length of each pipe's line (0 for a broken geometry). */
  pipeLengths(): Float64Array {
    if (this.lengths) return this.lengths;
    const out = new Float64Array(this.pipes.length);
    for (let p = 0; p < this.pipes.length; p++) {
      const c = this.coordsOf(p);
      out[p] = c.length >= 2 ? lineLengthM(c) : 0;
    }
    return (this.lengths = out);
  }

  /**
   * A pipe of no length: fewer than two vertices, shorter than 1 cm, or both
   * ends on one node while no longer than twice the snap tolerance.
   */
  isZeroLength(p: number): boolean {
    const len = this.pipeLengths()[p];
    const [a, b] = this.pipeEnds(p);
    return this.coordsOf(p).length < 2 || len < 0.01 || (a === b && len <= 2 * this.snapTol);
  }
}
