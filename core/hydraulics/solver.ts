/**
 * Steady-state network solver: Newton–Raphson with the global gradient
 * method (Todini & Pilati, the method of EPANET) on the node equations.
 *
 * The system is a set of nodes and links. A node is free (its head is
 * unknown) or fixed (a reservoir-like boundary); several nodes may share one
 * unknown with a constant offset between them (a pump that holds a set head
 * difference between its return and supply sides). Links are pipes
 * (Darcy–Weisbach, friction.ts) or stations. A station is flow-controlled:
 * it takes its set flow while its head difference is at least its minimum
 * and, below that, the flow the difference gives through its fully open
 * valve and exchanger (h = k q², k = Δh_min / q_set², continuous at the
 * switch); it passes no reverse flow. The controlled part and the reverse
 * part are steep barrier lines (as EPANET 2.2 does for pressure-driven
 * demands), so one Newton scheme handles every station status without
 * switching logic, and the set flow is met to `barrierTolerance`.
 *
 * Each iteration assembles the Schur complement A·H = F (symmetric positive
 * definite when every connected part of the system has a fixed node),
 * factorises it with the sparse LDLᵀ of sparse.ts (ordering and symbolic
 * pattern computed once per system), and updates the flows:
 * q' = q − h(q)/h'(q) + (H_from − H_to)/h'(q).
 */
import { analysePattern, factorNumeric, NotPositiveDefinite, solveFactored, type SparseFactor, type SparsePattern } from './sparse';
import { workF64, workI32 } from './work';
import {
  colebrookSlope,
  colebrookX,
  epanetTransition,
  transitionCubic,
  type FrictionOptions,
} from './friction';

export const LINK_PIPE = 0;
/** Flow-controlled station (set flow above Δh_min, resistance below, no reverse flow). */
export const LINK_STATION = 1;
/** A station without flow control: the fixed resistance k q|q| both ways (the unbalanced network). */
export const LINK_STATION_OPEN = 2;
/** A station taking its set flow whatever the heads (a fixed demand between its ends). */
export const LINK_STATION_FIXED = 3;

/** The network as the solver sees it. Flows in m³/s, heads in m. */
export interface HydraulicSystem {
  nodeCount: number;
  /** Unknown each node's head is, or -1 for a fixed node. */
  nodeVar: Int32Array;
  /** Head = x[nodeVar] + nodeOffset, or nodeOffset itself for a fixed node. */
  nodeOffset: Float64Array;
  varCount: number;
  /** Outflow at each node (m³/s); negative injects. */
  demand: Float64Array;
  linkCount: number;
  linkFrom: Int32Array;
  linkTo: Int32Array;
  linkKind: Uint8Array;
  /** Pipes: r = L/(2 g D A²) (s²/m⁵), Reynolds number per m³/s, relative roughness. */
  pipeR: Float64Array;
  pipeReFactor: Float64Array;
  pipeRoughness: Float64Array;
  /** Pipes: inner diameter, m (for the starting flows). */
  pipeDiameter: Float64Array;
  /** Stations: set flow (m³/s) and minimum head difference (m). */
  stationFlow: Float64Array;
  stationMinHead: Float64Array;
}

export interface SolverOptions {
  friction: FrictionOptions;
  maxIterations: number;
  /** Converged when Σ|Δq| / Σ|q| falls below this. */
  accuracy: number;
  /** Relative flow error of a controlled station per unit of relative excess head (barrier slope). */
  barrierTolerance: number;
  /** Starting flows (m³/s), e.g. the last solution; velocity-based otherwise. */
  initialFlow?: Float64Array;
  /** Cancel hook, polled every iteration. */
  signal?: { readonly aborted: boolean };
  /** Symbolic factorisation of this system's pattern from an earlier solve (same links, same unknowns). */
  pattern?: SparsePattern;
}

export interface IterationRecord {
  iteration: number;
  /** Σ|Δq| / Σ|q| of this step. */
  relativeChange: number;
  /** Largest change of a flow, m³/s. */
  maxFlowChange: number;
  /** Stations below their set flow after this step. */
  stationsLimited: number;
}

export interface SolveResult {
  converged: boolean;
  iterations: number;
  flow: Float64Array;
  /** Head of every node, m. */
  head: Float64Array;
  /** Head loss along each link (head at from − head at to), m, from the link law at the final flow. */
  headLoss: Float64Array;
  log: IterationRecord[];
  /** Why it stopped without converging, when it did. */
  reason?: string;
  pattern: SparsePattern;
}

/** The pattern (unknown pairs) of a system: what the symbolic factorisation depends on. */
export function systemPattern(s: HydraulicSystem): SparsePattern {
  const pi = workI32('solve.pairI', s.linkCount).fill(0);
  const pj = workI32('solve.pairJ', s.linkCount).fill(0);
  for (let k = 0; k < s.linkCount; k++) {
    const a = s.nodeVar[s.linkFrom[k]];
    const b = s.nodeVar[s.linkTo[k]];
    // A link with a fixed end adds to one diagonal only: a (0, 0) pair, which the analysis ignores.
    if (a >= 0 && b >= 0) {
      pi[k] = a;
      pj[k] = b;
    }
  }
  return analysePattern(s.varCount, pi, pj);
}

/** −2 / ln 10: Swamee–Jain's 1/√f = −2 log₁₀(…) with a natural logarithm. */
const SJ_LOG = -2 / Math.LN10;

interface LinkLaw {
  /** Head loss, gradient: written into these. */
  h: number;
  g: number;
}

/**
 * Per-link friction state: transition-cubic constants (one set per relative
 * roughness, four numbers at `cubic[4 * law[k]]`) and the last Colebrook
 * 1/√f (a warm start makes one or two Newton steps enough; Colebrook only).
 */
class PipeLaws {
  law: Int32Array;
  cubic: Float64Array;
  x: Float64Array;
  constructor(private s: HydraulicSystem, private opts: FrictionOptions) {
    const n = s.linkCount;
    // Work arrays: the laws live only during one solve.
    this.law = workI32('solve.laws.law', n).fill(0);
    this.x = workF64('solve.laws.x', opts.model === 'swamee-jain' ? 0 : n).fill(0);
    const epanet = opts.model === 'swamee-jain' && opts.laminarRe === 2000 && opts.turbulentRe === 4000;
    const index = new Map<number, number>();
    const sets: number[] = [];
    let last = NaN, lastIndex = -1;
    for (let k = 0; k < n; k++) {
      if (s.linkKind[k] !== LINK_PIPE) continue;
      const e = s.pipeRoughness[k];
      if (e !== last) {
        let i = index.get(e);
        if (i === undefined) {
          const c = epanet ? epanetTransition(e) : transitionCubic(e, opts);
          i = sets.length / 4;
          index.set(e, i);
          sets.push(c[0], c[1], c[2], c[3]);
        }
        last = e;
        lastIndex = i;
      }
      this.law[k] = lastIndex;
    }
    this.cubic = Float64Array.from(sets);
  }
  /** Head loss and its derivative for pipe k at flow q. */
  eval(k: number, q: number, out: LinkLaw): void {
    const s = this.s;
    const r = s.pipeR[k];
    const aq = Math.abs(q);
    const re = aq * s.pipeReFactor[k];
    const o = this.opts;
    if (re <= o.laminarRe) {
      // f = 64/Re: h = (64 r / reFactor) q.
      const c = (64 * r) / s.pipeReFactor[k];
      out.h = c * q;
      out.g = c;
      return;
    }
    let f: number;
    let df: number; // d f / d Re
    if (re < o.turbulentRe) {
      const t = re / o.laminarRe;
      const c = this.cubic, i = 4 * this.law[k];
      f = c[i] + t * (c[i + 1] + t * (c[i + 2] + t * c[i + 3]));
      df = (c[i + 1] + t * (2 * c[i + 2] + t * 3 * c[i + 3])) / o.laminarRe;
    } else if (o.model === 'swamee-jain') {
      // swameeJainFactor and swameeJainSlope in one pass (one power, one logarithm).
      const y1 = 5.74 * Math.exp(-0.9 * Math.log(re)); // 5.74 / Re^0.9 (exp and log: faster than pow)
      const y2 = s.pipeRoughness[k] / 3.7 + y1;
      const y3 = SJ_LOG * Math.log(y2);
      f = 1 / (y3 * y3);
      df = ((-2 / (y3 * y3 * y3)) * SJ_LOG * (-0.9 * y1)) / (re * y2);
    } else {
      const e = s.pipeRoughness[k];
      const x = colebrookX(re, e, this.x[k]);
      this.x[k] = x;
      f = 1 / (x * x);
      df = colebrookSlope(re, e, x);
    }
    out.h = f * r * q * aq;
    out.g = r * aq * (2 * f + re * df);
  }
}

/** Station law: set flow above the minimum head difference, k q² below, no reverse flow. */
function stationLaw(s: HydraulicSystem, k: number, q: number, barrier: number, open: boolean, out: LinkLaw): void {
  const qs = s.stationFlow[k];
  const hm = s.stationMinHead[k];
  const kk = hm / (qs * qs);
  if (open) {
    const aq = Math.abs(q);
    out.h = kk * q * aq;
    // A floor on the gradient near zero flow (1 % of the set flow), as EPANET floors its gradients.
    out.g = Math.max(2 * kk * aq, 2 * kk * 0.01 * qs);
    return;
  }
  if (q <= 0) {
    out.h = barrier * q;
    out.g = barrier;
  } else if (q < qs) {
    out.h = kk * q * q;
    out.g = Math.max(2 * kk * q, 2 * kk * 0.01 * qs);
  } else {
    out.h = hm + barrier * (q - qs);
    out.g = barrier;
  }
}

/** Why a system cannot be solved: a part of it has no fixed node (its heads are undefined). */
export class SingularSystemError extends Error {
  constructor(public node: number) {
    super(`hydraulic system is singular near node ${node}: a connected part has no fixed head`);
  }
}

/**
 * Working arrays of one solve. The assembly and the flow update are small
 * functions of their own, called once per iteration: the engine optimises
 * them after the first call instead of running the solver's hot loops as
 * part of one long function entered once per solve.
 */
interface Newton {
  s: HydraulicSystem;
  laws: PipeLaws;
  law: LinkLaw;
  swameeJain: boolean;
  laminarRe: number;
  turbulentRe: number;
  q: Float64Array;
  /** Per link: its two unknowns (-1 for a fixed end) and the head difference of its ends' offsets. */
  va: Int32Array;
  vb: Int32Array;
  dOff: Float64Array;
  barrier: Float64Array;
  varDemand: Float64Array;
  /** Per link: q − h/h' + offsets/h' and 1/h' of this step. */
  c: Float64Array;
  p: Float64Array;
  F: Float64Array;
  diag: Float64Array;
  Lx: Float64Array;
  slot: Int32Array;
}

/**
 * Fill the matrix (diag, Lx) and the right-hand side F at the flows q. The work
 * of one link is a function of its own (assembleLink), called per link: the
 * engine optimises it by call count within the first iteration, instead of
 * running part of every solve's first iterations unoptimised (which also
 * allocates a heap number for every floating-point value on the way).
 */
function assembleStep(w: Newton): void {
  const { F, diag, Lx, varDemand } = w;
  const nL = w.s.linkCount;
  diag.fill(0);
  Lx.fill(0);
  negateInto(F, varDemand);
  for (let k = 0; k < nL; k++) assembleLink(w, k);
}

/** F = −d (a loop of its own: see assembleStep). */
function negateInto(F: Float64Array, d: Float64Array): void {
  for (let v = 0; v < F.length; v++) F[v] = -d[v];
}

/** Link k's linearised law into the matrix and the right-hand side. */
function assembleLink(w: Newton, k: number): void {
  const { s, q, va, vb, dOff, c, p, F, diag, Lx, slot } = w;
  const kind = s.linkKind[k];
  const qk = q[k];
  let h: number, gk: number;
  if (kind === LINK_PIPE) {
    // The pipe law of PipeLaws.eval, inline (the hot loop of the solver).
    const r = s.pipeR[k];
    const reFactor = s.pipeReFactor[k];
    const laminarRe = w.laminarRe;
    const aq = qk < 0 ? -qk : qk;
    const re = aq * reFactor;
    if (re <= laminarRe) {
      gk = (64 * r) / reFactor;
      h = gk * qk;
    } else {
      let f: number, df: number;
      if (re < w.turbulentRe) {
        const cubic = w.laws.cubic;
        const t = re / laminarRe;
        const i = 4 * w.laws.law[k];
        f = cubic[i] + t * (cubic[i + 1] + t * (cubic[i + 2] + t * cubic[i + 3]));
        df = (cubic[i + 1] + t * (2 * cubic[i + 2] + t * 3 * cubic[i + 3])) / laminarRe;
      } else if (w.swameeJain) {
        const y1 = 5.74 * Math.exp(-0.9 * Math.log(re)); // 5.74 / Re^0.9 (exp and log: faster than pow)
        const y2 = s.pipeRoughness[k] / 3.7 + y1;
        const y3 = SJ_LOG * Math.log(y2);
        f = 1 / (y3 * y3);
        df = ((-2 / (y3 * y3 * y3)) * SJ_LOG * (-0.9 * y1)) / (re * y2);
      } else {
        const e = s.pipeRoughness[k];
        const lastX = w.laws.x;
        const xk = colebrookX(re, e, lastX[k]);
        lastX[k] = xk;
        f = 1 / (xk * xk);
        df = colebrookSlope(re, e, xk);
      }
      h = f * r * qk * aq;
      gk = r * aq * (2 * f + re * df);
    }
  } else if (kind === LINK_STATION_FIXED) {
    // Known flow: no conductance, the set flow leaves one end and enters the other.
    const qs = s.stationFlow[k];
    p[k] = 0;
    c[k] = qs;
    const a = va[k], b = vb[k];
    if (a >= 0) F[a] -= qs;
    if (b >= 0) F[b] += qs;
    return;
  } else {
    const law = w.law;
    stationLaw(s, k, qk, w.barrier[k], kind === LINK_STATION_OPEN, law);
    h = law.h;
    gk = law.g;
  }
  const pk = 1 / gk;
  p[k] = pk;
  const ck = qk - pk * h + pk * dOff[k];
  c[k] = ck;
  const a = va[k], b = vb[k];
  if (a >= 0) {
    if (a === b) return;
    diag[a] += pk;
    F[a] -= ck;
    if (b >= 0) {
      diag[b] += pk;
      F[b] += ck;
      Lx[slot[k]] -= pk;
    }
  } else if (b >= 0) {
    diag[b] += pk;
    F[b] += ck;
  }
}

/** What one flow update changed. */
interface StepStats {
  sumDq: number;
  sumQ: number;
  maxDq: number;
  sumP: number;
  limited: number;
}

/** New flows from the heads x: q' = c + p·(H_from − H_to), relaxed when relax < 1 (per link, see assembleStep). */
function updateStep(w: Newton, x: Float64Array, relax: number, out: StepStats): void {
  out.sumDq = 0;
  out.sumQ = 0;
  out.maxDq = 0;
  out.sumP = 0;
  out.limited = 0;
  const nL = w.s.linkCount;
  for (let k = 0; k < nL; k++) updateLink(w, x, relax, out, k);
}

/** Link k's new flow, added into the step's sums. */
function updateLink(w: Newton, x: Float64Array, relax: number, out: StepStats, k: number): void {
  const a = w.va[k], b = w.vb[k];
  const pk = w.p[k];
  out.sumP += pk;
  const dh = (a >= 0 ? x[a] : 0) - (b >= 0 ? x[b] : 0);
  const q = w.q;
  const q0 = q[k];
  let qn = w.c[k] + pk * dh;
  const d = qn - q0;
  if (relax !== 1) qn = q0 + relax * d;
  const ad = d < 0 ? -d : d;
  out.sumDq += ad;
  out.sumQ += qn < 0 ? -qn : qn;
  if (ad > out.maxDq) out.maxDq = ad;
  q[k] = qn;
  const kind = w.s.linkKind[k];
  if ((kind === LINK_STATION || kind === LINK_STATION_OPEN) && qn < w.s.stationFlow[k] * (1 - 1e-6)) out.limited++;
}

export function solveSystem(s: HydraulicSystem, opts: SolverOptions): SolveResult {
  const nL = s.linkCount;
  const nV = s.varCount;
  const pattern = opts.pattern ?? systemPattern(s);
  // The factor's values and every per-iteration array are work arrays (solver temporaries, see work.ts).
  const factor: SparseFactor = {
    pattern,
    diag: workF64('solve.diag', nV),
    Lx: workF64('solve.Lx', pattern.Li.length),
    D: workF64('solve.D', nV),
    work: workF64('solve.work', nV).fill(0),
    x: workF64('solve.x', nV),
  };
  const laws = new PipeLaws(s, opts.friction);
  const law: LinkLaw = { h: 0, g: 0 };
  const q = new Float64Array(nL);
  if (opts.initialFlow) q.set(opts.initialFlow);
  else startingFlows(s, q);
  const varDemand = workF64('solve.varDemand', nV).fill(0);
  const barrier = workF64('solve.barrier', nL).fill(0);
  const x = workF64('solve.heads', nV).fill(0);
  const va = workI32('solve.va', nL);
  const vb = workI32('solve.vb', nL);
  const dOff = workF64('solve.dOff', nL);
  const offsetMax = linkUnknowns(s, opts.barrierTolerance, varDemand, barrier, va, vb, dOff);
  const fr = opts.friction;
  const w: Newton = {
    s,
    laws,
    law,
    swameeJain: fr.model === 'swamee-jain',
    laminarRe: fr.laminarRe,
    turbulentRe: fr.turbulentRe,
    q,
    va,
    vb,
    dOff,
    barrier,
    varDemand,
    c: workF64('solve.c', nL),
    p: workF64('solve.p', nL),
    F: workF64('solve.F', nV),
    diag: factor.diag,
    Lx: factor.Lx,
    slot: pattern.pairSlot,
  };
  const st: StepStats = { sumDq: 0, sumQ: 0, maxDq: 0, sumP: 0, limited: 0 };
  const log: IterationRecord[] = [];
  let converged = false;
  let reason: string | undefined;
  let iterations = 0;
  let relax = 1;
  let lastChange = Infinity;
  let rising = 0;
  for (let it = 1; it <= opts.maxIterations; it++) {
    if (opts.signal?.aborted) {
      reason = 'cancelled';
      break;
    }
    iterations = it;
    assembleStep(w);
    try {
      factorNumeric(factor);
    } catch (err) {
      if (err instanceof NotPositiveDefinite) throw new SingularSystemError(err.column);
      throw err;
    }
    x.set(w.F);
    solveFactored(factor, x);
    // Round-off floor of a step: heads are known to a few ulps, and each link turns a head error into
    // a flow error through its conductance p; below Σp · 16 ε · |H| a step is noise.
    const hmax = absMax(x, offsetMax);
    updateStep(w, x, relax, st);
    const floor = 16 * Number.EPSILON * st.sumP * hmax;
    const rel = st.sumQ > 0 ? st.sumDq / st.sumQ : st.sumDq;
    log.push({ iteration: it, relativeChange: rel, maxFlowChange: st.maxDq, stationsLimited: st.limited });
    if ((rel <= opts.accuracy || st.sumDq <= floor) && relax === 1) {
      converged = true;
      break;
    }
    if (rel <= opts.accuracy) relax = 1; // one full step to finish on the exact Newton iterate
    // Damp a step that keeps growing (a status flip-flopping at a barrier kink).
    if (rel > lastChange) rising++;
    else rising = 0;
    if (rising >= 3 && it > 10) relax = Math.max(0.3, relax * 0.6);
    lastChange = rel;
  }
  if (!converged && !reason) reason = `not converged in ${opts.maxIterations} iterations`;
  const head = nodeHeads(s, x);
  const headLoss = linkHeadLosses(s, laws, law, q, barrier, head);
  return { converged, iterations, flow: q, head, headLoss, log, reason, pattern };
}

// The solve's loops over every link and node, each a small function of its own (see Newton).

/** Pipes start at 1 ft/s (0.3048 m/s) as in EPANET, stations at their set flow. */
function startingFlows(s: HydraulicSystem, q: Float64Array): void {
  for (let k = 0; k < s.linkCount; k++) q[k] = startingFlow(s, k);
}

/** Link k's starting flow (per link, so the engine optimises it by call count). */
function startingFlow(s: HydraulicSystem, k: number): number {
  return s.linkKind[k] === LINK_PIPE ? (0.3048 * Math.PI * s.pipeDiameter[k] * s.pipeDiameter[k]) / 4 : s.stationFlow[k];
}

/**
 * Demand per unknown, barrier slope per station (Δh_min / q_set / tolerance), each link's unknowns and
 * the difference of its ends' offsets; returns the largest |offset| (at least 1).
 */
function linkUnknowns(
  s: HydraulicSystem,
  barrierTolerance: number,
  varDemand: Float64Array,
  barrier: Float64Array,
  va: Int32Array,
  vb: Int32Array,
  dOff: Float64Array,
): number {
  for (let n = 0; n < s.nodeCount; n++) {
    const v = s.nodeVar[n];
    if (v >= 0) varDemand[v] += s.demand[n];
  }
  for (let k = 0; k < s.linkCount; k++)
    if (s.linkKind[k] === LINK_STATION || s.linkKind[k] === LINK_STATION_OPEN) barrier[k] = s.stationMinHead[k] / s.stationFlow[k] / barrierTolerance;
  let offsetMax = 1;
  for (let n = 0; n < s.nodeCount; n++) {
    const a = Math.abs(s.nodeOffset[n]);
    if (a > offsetMax) offsetMax = a;
  }
  for (let k = 0; k < s.linkCount; k++) {
    const a = s.linkFrom[k], b = s.linkTo[k];
    va[k] = s.nodeVar[a];
    vb[k] = s.nodeVar[b];
    dOff[k] = s.nodeOffset[a] - s.nodeOffset[b];
  }
  return offsetMax;
}

/** The largest of m0 and every |x[v]|. */
function absMax(x: Float64Array, m0: number): number {
  let m = m0;
  for (let v = 0; v < x.length; v++) {
    const a = Math.abs(x[v]);
    if (a > m) m = a;
  }
  return m;
}

/** Heads of every node from the unknowns x. */
function nodeHeads(s: HydraulicSystem, x: Float64Array): Float64Array {
  const head = new Float64Array(s.nodeCount);
  for (let n = 0; n < s.nodeCount; n++) {
    const v = s.nodeVar[n];
    head[n] = (v >= 0 ? x[v] : 0) + s.nodeOffset[n];
  }
  return head;
}

/** Head loss of each link from its law at the final flow (a fixed-flow station: its ends' difference). */
function linkHeadLosses(s: HydraulicSystem, laws: PipeLaws, law: LinkLaw, q: Float64Array, barrier: Float64Array, head: Float64Array): Float64Array {
  const nL = s.linkCount;
  const headLoss = new Float64Array(nL);
  for (let k = 0; k < nL; k++) {
    const kind = s.linkKind[k];
    if (kind === LINK_STATION_FIXED) {
      headLoss[k] = head[s.linkFrom[k]] - head[s.linkTo[k]];
      continue;
    }
    if (kind === LINK_PIPE) laws.eval(k, q[k], law);
    else stationLaw(s, k, q[k], barrier[k], kind === LINK_STATION_OPEN, law);
    headLoss[k] = law.h;
  }
  return headLoss;
}
