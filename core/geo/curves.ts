/**
 * Curves as chords, the way GDAL turns CAD arcs and splines into lines: each
 * arc is cut into steps no wider than `maxStepDeg` (GDAL's OGR_ARC_STEPSIZE,
 * 4°) and no further than `chordTolerance` from the true curve (the sagitta),
 * whichever gives more vertices. Splines and ellipses are subdivided until
 * the chord's midpoint lies within the tolerance. Coordinates are plain
 * numbers in the drawing's units; the end points given are kept exactly.
 */
import { clamp } from '../format/number';

export interface CurveTolerance {
  /** Largest distance between a chord and its curve, in drawing units (metres for survey drawings). */
  chordTolerance: number;
  /** Largest angle one chord of an arc may span, degrees. */
  maxStepDeg: number;
}

export type XY = [number, number];

/** Angular step (radians) for an arc of radius r under a tolerance. */
export function arcStep(r: number, tol: CurveTolerance): number {
  const maxStep = (Math.max(0.1, tol.maxStepDeg) * Math.PI) / 180;
  if (!(r > 0) || !(tol.chordTolerance > 0) || tol.chordTolerance >= r) return maxStep;
  return Math.min(maxStep, 2 * Math.acos(1 - tol.chordTolerance / r));
}

/**
 * Points of an arc around (cx, cy) from angle a0 sweeping `sweep` radians
 * (positive counter-clockwise), both ends included.
 */
export function arcPoints(cx: number, cy: number, r: number, a0: number, sweep: number, tol: CurveTolerance): XY[] {
  const n = Math.max(1, Math.ceil(Math.abs(sweep) / arcStep(r, tol) - 1e-9));
  const out: XY[] = new Array(n + 1);
  for (let k = 0; k <= n; k++) {
    const a = a0 + (sweep * k) / n;
    out[k] = [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  }
  return out;
}

/**
 * The arc a DXF bulge describes between two vertices (bulge = tan of a
 * quarter of the included angle, positive counter-clockwise), without its
 * first point; the last point is exactly `b`.
 */
export function bulgePoints(a: XY, b: XY, bulge: number, tol: CurveTolerance): XY[] {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const c = Math.hypot(dx, dy);
  if (c === 0 || !Number.isFinite(bulge) || bulge === 0) return [b];
  const theta = 4 * Math.atan(bulge);
  const r = c / (2 * Math.abs(Math.sin(theta / 2)));
  // The centre lies on the chord's left normal at (c/2)/tan(θ/2) (right of it for clockwise arcs).
  const h = c / 2 / Math.tan(theta / 2);
  const cx = (a[0] + b[0]) / 2 - (dy / c) * h;
  const cy = (a[1] + b[1]) / 2 + (dx / c) * h;
  const a0 = Math.atan2(a[1] - cy, a[0] - cx);
  const pts = arcPoints(cx, cy, r, a0, theta, tol);
  pts[pts.length - 1] = b;
  return pts.slice(1);
}

/** The circle through three points, or null when they are collinear. */
export function circleThrough(p: XY, q: XY, s: XY): { cx: number; cy: number; r: number } | null {
  const d = 2 * (p[0] * (q[1] - s[1]) + q[0] * (s[1] - p[1]) + s[0] * (p[1] - q[1]));
  if (Math.abs(d) < 1e-300) return null;
  const p2 = p[0] * p[0] + p[1] * p[1];
  const q2 = q[0] * q[0] + q[1] * q[1];
  const s2 = s[0] * s[0] + s[1] * s[1];
  const cx = (p2 * (q[1] - s[1]) + q2 * (s[1] - p[1]) + s2 * (p[1] - q[1])) / d;
  const cy = (p2 * (s[0] - q[0]) + q2 * (p[0] - s[0]) + s2 * (q[0] - p[0])) / d;
  return { cx, cy, r: Math.hypot(p[0] - cx, p[1] - cy) };
}

/**
 * A WKT CIRCULARSTRING arc p → q → s (through q), without its first point;
 * collinear points give the straight segment. p = s is a full circle.
 */
export function threePointArc(p: XY, q: XY, s: XY, tol: CurveTolerance): XY[] {
  if (p[0] === s[0] && p[1] === s[1]) {
    // A full circle: q is diametrically opposite p.
    const cx = (p[0] + q[0]) / 2;
    const cy = (p[1] + q[1]) / 2;
    const r = Math.hypot(p[0] - cx, p[1] - cy);
    const pts = arcPoints(cx, cy, r, Math.atan2(p[1] - cy, p[0] - cx), 2 * Math.PI, tol);
    pts[pts.length - 1] = s;
    return pts.slice(1);
  }
  const c = circleThrough(p, q, s);
  if (!c) return [q, s];
  const ang = (x: XY) => Math.atan2(x[1] - c.cy, x[0] - c.cx);
  const a0 = ang(p);
  const norm = (a: number) => ((a % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
  // Counter-clockwise when q lies on the counter-clockwise way from p to s.
  const ccw = norm(ang(q) - a0) < norm(ang(s) - a0);
  const sweep = ccw ? norm(ang(s) - a0) : -norm(a0 - ang(s));
  const pts = arcPoints(c.cx, c.cy, c.r, a0, sweep, tol);
  pts[pts.length - 1] = s;
  return pts.slice(1);
}

type Point3 = [number, number, number];

/**
 * Sample a parametric curve on [t0, t1]: `spans` equal pieces first, each
 * halved until its midpoint is within the tolerance of the chord (at most
 * `depth` times).
 */
export function sampleCurve(f: (t: number) => Point3, t0: number, t1: number, spans: number, tol: CurveTolerance, depth = 12): Point3[] {
  const out: Point3[] = [f(t0)];
  const rec = (a: number, pa: Point3, b: number, pb: Point3, d: number) => {
    const m = (a + b) / 2;
    const pm = f(m);
    if (d > 0 && distToSegment(pm, pa, pb) > tol.chordTolerance) {
      rec(a, pa, m, pm, d - 1);
      rec(m, pm, b, pb, d - 1);
    } else out.push(pb);
  };
  const n = Math.max(1, spans);
  let prev = out[0];
  for (let k = 1; k <= n; k++) {
    const a = t0 + ((t1 - t0) * (k - 1)) / n;
    const b = t0 + ((t1 - t0) * k) / n;
    const pb = f(b);
    rec(a, prev, b, pb, depth);
    prev = pb;
  }
  return out;
}

function distToSegment(p: Point3, a: Point3, b: Point3): number {
  const abx = b[0] - a[0], aby = b[1] - a[1], abz = b[2] - a[2];
  const apx = p[0] - a[0], apy = p[1] - a[1], apz = p[2] - a[2];
  const l2 = abx * abx + aby * aby + abz * abz;
  const t = l2 > 0 ? clamp((apx * abx + apy * aby + apz * abz) / l2, 0, 1) : 0;
  return Math.hypot(apx - t * abx, apy - t * aby, apz - t * abz);
}

/**
 * A NURBS curve (DXF SPLINE): degree, knots, control points and weights, as
 * chords. Knots that do not fit (missing, wrong count) are replaced by a
 * uniform clamped vector, as CAD programs do.
 */
export function nurbsPoints(degree: number, knotsIn: readonly number[], ctrl: readonly Point3[], weightsIn: readonly number[], tol: CurveTolerance): Point3[] {
  const n = ctrl.length;
  const p = clamp(degree, 1, n - 1);
  let knots = knotsIn.slice();
  if (knots.length !== n + p + 1 || knots.some((k, i) => i > 0 && k < knots[i - 1])) {
    knots = [];
    for (let i = 0; i < n + p + 1; i++) knots.push(i <= p ? 0 : i >= n ? n - p : i - p);
  }
  const w = weightsIn.length === n && weightsIn.every((x) => x > 0) ? weightsIn : ctrl.map(() => 1);
  const t0 = knots[p];
  const t1 = knots[n];
  const at = (t: number): Point3 => {
    // de Boor in homogeneous coordinates.
    let k = p;
    while (k < n - 1 && t >= knots[k + 1]) k++;
    const d: [number, number, number, number][] = [];
    for (let j = 0; j <= p; j++) {
      const c = ctrl[k - p + j];
      const wj = w[k - p + j];
      d.push([c[0] * wj, c[1] * wj, c[2] * wj, wj]);
    }
    for (let r = 1; r <= p; r++) {
      for (let j = p; j >= r; j--) {
        const i = k - p + j;
        const den = knots[i + p - r + 1] - knots[i];
        const a = den === 0 ? 0 : (t - knots[i]) / den;
        for (let q = 0; q < 4; q++) d[j][q] = (1 - a) * d[j - 1][q] + a * d[j][q];
      }
    }
    const h = d[p];
    return [h[0] / h[3], h[1] / h[3], h[2] / h[3]];
  };
  const spans = new Set(knots.slice(p, n + 1)).size - 1;
  const pts = sampleCurve(at, t0, t1, Math.max(1, spans) * 4, tol);
  // The clamped ends are the first and last control points exactly.
  return pts;
}
