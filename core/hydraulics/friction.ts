/**
 * Darcy–Weisbach friction for the hydraulic solver (DOMAIN.md §3 item 11).
 *
 * Head loss of a pipe carrying q (m³/s): h = f · (L/D) · v²/(2g) = f · r · q|q|
 * with r = L / (2 g D A²), L the length with minor losses folded in. The
 * friction factor f depends on the Reynolds number Re = 4|q| / (π D ν):
 * - Re ≤ 2000: laminar, f = 64 / Re (so h is linear in q);
 * - 2000 < Re < 4000: Dunlop's cubic between the laminar value at 2000 and
 *   the turbulent value and slope at 4000 (EPANET 2.2's transition);
 * - Re ≥ 4000: Colebrook–White (default) or Swamee–Jain (EPANET's formula).
 * The Re bounds are settings; with `swamee-jain` every constant is EPANET
 * 2.2's, so its results can be matched on an exported INP file.
 */

export type FrictionModel = 'colebrook' | 'swamee-jain';

/** What the friction law needs from the settings. */
export interface FrictionOptions {
  model: FrictionModel;
  /** Upper Reynolds number of laminar flow. */
  laminarRe: number;
  /** Lower Reynolds number of fully turbulent flow. */
  turbulentRe: number;
}

const LN10 = Math.log(10);

/** Swamee–Jain friction factor for Re and relative roughness e = ε/D. */
export function swameeJainFactor(re: number, e: number): number {
  const y = Math.log10(e / 3.7 + 5.74 / Math.pow(re, 0.9));
  return 0.25 / (y * y);
}

/** d f / d Re of Swamee–Jain. */
export function swameeJainSlope(re: number, e: number): number {
  const y1 = 5.74 / Math.pow(re, 0.9);
  const y2 = e / 3.7 + y1;
  const y3 = (-2 / LN10) * Math.log(y2);
  // f = 1/y3², dy3/dRe = (-2/ln10)(1/y2)(-0.9 y1/Re)
  const dy3 = (-2 / LN10) * (1 / y2) * ((-0.9 * y1) / re);
  return (-2 / (y3 * y3 * y3)) * dy3;
}

/**
 * Colebrook–White 1/√f = −2 log10(e/3.7 + 2.51/(Re √f)) solved by Newton's
 * method on x = 1/√f, from `x0` (the last value, or Swamee–Jain's). Returns x.
 */
export function colebrookX(re: number, e: number, x0: number): number {
  let x = x0 > 0 && Number.isFinite(x0) ? x0 : 1 / Math.sqrt(swameeJainFactor(re, e));
  const a = e / 3.7;
  const b = 2.51 / re;
  for (let i = 0; i < 30; i++) {
    const inner = a + b * x;
    const F = x + (2 / LN10) * Math.log(inner);
    const dF = 1 + (2 / LN10) * (b / inner);
    const step = F / dF;
    x -= step;
    if (Math.abs(step) <= 1e-14 * x) break;
  }
  return x;
}

/** Colebrook factor and d f / d Re at Re, given x = 1/√f from `colebrookX`. */
export function colebrookSlope(re: number, e: number, x: number): number {
  const a = e / 3.7;
  const b = 2.51 / re;
  const inner = a + b * x;
  const Fx = 1 + (2 / LN10) * (b / inner);
  const Fre = (2 / LN10) * ((-2.51 * x) / (re * re) / inner);
  const dx = -Fre / Fx;
  return (-2 / (x * x * x)) * dx;
}

/** Friction factor of Colebrook–White at Re (for reports and tests). */
export function colebrookFactor(re: number, e: number): number {
  const x = colebrookX(re, e, 0);
  return 1 / (x * x);
}

/**
 * Constants of the transition cubic for relative roughness e: f(r) = c0 + r(c1 + r(c2 + r c3))
 * with r = Re / laminarRe, matching the laminar 64/Re (value and slope) at laminarRe and the
 * turbulent law (value and slope) at turbulentRe = 2·laminarRe (EPANET's Dunlop polynomial).
 */
export function transitionCubic(e: number, opts: FrictionOptions): [number, number, number, number] {
  const reT = opts.turbulentRe;
  const reL = opts.laminarRe;
  let fa: number;
  let slope: number; // d f / d Re at reT
  if (opts.model === 'swamee-jain') {
    fa = swameeJainFactor(reT, e);
    slope = swameeJainSlope(reT, e);
  } else {
    const x = colebrookX(reT, e, 0);
    fa = 1 / (x * x);
    slope = colebrookSlope(reT, e, x);
  }
  // Hermite cubic in r on [1, R] with R = reT / reL: f(1) = 64/reL, f'(1) = -64/reL,
  // f(R) = fa, f'(R) = slope·reL. With R = 2 this is EPANET's x1..x4.
  const R = reT / reL;
  const f1 = 64 / reL;
  const d1 = -64 / reL;
  const fR = fa;
  const dR = slope * reL;
  // Solve for the cubic through (1, f1, d1), (R, fR, dR) in the power basis.
  const h = R - 1;
  // Hermite basis in t = (r - 1)/h.
  // f = f1 H00 + h d1 H10 + fR H01 + h dR H11; expand to powers of r.
  const p00 = [1, 0, -3, 2];
  const p10 = [0, 1, -2, 1];
  const p01 = [0, 0, 3, -2];
  const p11 = [0, 0, -1, 1];
  const ct = [0, 1, 2, 3].map((k) => f1 * p00[k] + h * d1 * p10[k] + fR * p01[k] + h * dR * p11[k]);
  // t = (r - 1)/h: expand Σ ct[k] ((r-1)/h)^k.
  const c = [0, 0, 0, 0];
  const binom = [[1], [1, 1], [1, 2, 1], [1, 3, 3, 1]];
  for (let k = 0; k < 4; k++) {
    const s = ct[k] / Math.pow(h, k);
    for (let j = 0; j <= k; j++) c[j] += s * binom[k][j] * Math.pow(-1, k - j);
  }
  return [c[0], c[1], c[2], c[3]];
}

/** EPANET 2.2's transition polynomial for e (its x1..x4 with fa, fb from Swamee–Jain at Re 4000). */
export function epanetTransition(e: number): [number, number, number, number] {
  const AB = 3.2889547634539907e-3;
  const AC = -5.142149657990939e-3;
  const A9 = -8.685889638065036e-1;
  const y2 = e / 3.7 + AB;
  const y3 = A9 * Math.log(y2);
  const fa = 1 / (y3 * y3);
  const fb = (2 + AC / (y2 * y3)) * fa;
  return [7 * fa - fb, 0.128 - 17 * fa + 2.5 * fb, -0.128 + 13 * fa - 2 * fb, 0.032 - 3 * fa + 0.5 * fb];
}

/** Friction factor at Re (any regime), for reports. */
export function frictionFactor(re: number, e: number, opts: FrictionOptions): number {
  if (!(re > 0)) return 0;
  if (re <= opts.laminarRe) return 64 / re;
  if (re < opts.turbulentRe) {
    const c = opts.model === 'swamee-jain' && opts.laminarRe === 2000 && opts.turbulentRe === 4000 ? epanetTransition(e) : transitionCubic(e, opts);
    const r = re / opts.laminarRe;
    return c[0] + r * (c[1] + r * (c[2] + r * c[3]));
  }
  return opts.model === 'swamee-jain' ? swameeJainFactor(re, e) : colebrookFactor(re, e);
}
