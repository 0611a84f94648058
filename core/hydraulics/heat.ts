/**
 * Temperatures along a circuit in steady state (DOMAIN.md §3 item 11): water
 * entering a pipe at T_in leaves at T_amb + (T_in − T_amb)·exp(−U·L / (ṁ·c)),
 * U the heat-loss coefficient per metre (W/(m·K)), ṁ the mass flow (kg/s),
 * c in J/(kg·K). Flows run from high to low head, so the water's paths form
 * no cycle: nodes are visited in the flow's order (a node once every pipe
 * bringing water to it is done, Kahn's order), and a node takes the
 * flow-weighted mix of what enters it (pipes and injections).
 */

import { workF64, workI32, workU8 } from './work';

export interface CircuitFlows {
  nodeCount: number;
  linkCount: number;
  linkFrom: Int32Array;
  linkTo: Int32Array;
  /**
   * m³/s, + from `linkFrom` to `linkTo`. With a `topology` given to
   * circuitTemperatures, that topology decides the directions and only |flow| is read
   * (a mirrored return passes the supply's flows with the reversed topology).
   */
  flow: Float64Array;
  /** U·L per link, W/K (0 for a link that loses nothing). */
  ul: Float64Array;
  /** Ambient temperature per link, °C. */
  ambientC: Float64Array;
  /** Water injected at nodes: m³/s and its temperature (one for every node, or per node). */
  injectFlow: Float64Array;
  injectC: Float64Array | number;
}

export interface CircuitTemperatures {
  /** Temperature at each node (mixed), °C; NaN where nothing flows in. */
  nodeC: Float64Array;
  /** Temperature leaving each link at its downstream end, °C; NaN without flow. */
  linkOutC: Float64Array;
  /** Temperature entering each link at its upstream end, °C. */
  linkInC: Float64Array;
  /** Heat lost by each link, W. */
  linkLossW: Float64Array;
}

/** Each node's inflowing and outflowing links (CSR, ascending link order), by the flows' directions. */
export interface FlowTopology {
  inStart: Int32Array;
  inLink: Int32Array;
  outStart: Int32Array;
  outLink: Int32Array;
}

/**
 * The inflows and outflows of every node of a circuit (links without flow are in neither). The arrays
 * are work arrays named after `circuit` (work.ts): valid until the next topology of that circuit.
 */
export function flowTopology(c: Pick<CircuitFlows, 'nodeCount' | 'linkCount' | 'linkFrom' | 'linkTo' | 'flow'>, circuit: string): FlowTopology {
  const n = c.nodeCount;
  const { linkFrom, linkTo, flow } = c;
  const inStart = workI32(`${circuit}.inStart`, n + 1).fill(0);
  const outStart = workI32(`${circuit}.outStart`, n + 1).fill(0);
  for (let k = 0; k < c.linkCount; k++) {
    const q = flow[k];
    if (q === 0) continue;
    if (q > 0) {
      inStart[linkTo[k] + 1]++;
      outStart[linkFrom[k] + 1]++;
    } else {
      inStart[linkFrom[k] + 1]++;
      outStart[linkTo[k] + 1]++;
    }
  }
  for (let i = 0; i < n; i++) {
    inStart[i + 1] += inStart[i];
    outStart[i + 1] += outStart[i];
  }
  const inLink = workI32(`${circuit}.inLink`, inStart[n]);
  const outLink = workI32(`${circuit}.outLink`, outStart[n]);
  const fill = workI32('heatFill', n);
  const fillO = workI32('heatFillOut', n);
  fill.set(inStart.subarray(0, n));
  fillO.set(outStart.subarray(0, n));
  for (let k = 0; k < c.linkCount; k++) {
    const q = flow[k];
    if (q === 0) continue;
    if (q > 0) {
      inLink[fill[linkTo[k]]++] = k;
      outLink[fillO[linkFrom[k]]++] = k;
    } else {
      inLink[fill[linkFrom[k]]++] = k;
      outLink[fillO[linkTo[k]]++] = k;
    }
  }
  return { inStart, inLink, outStart, outLink };
}

/** The topology of the same links with every flow reversed (a mirrored return): inflows and outflows swap. */
export function reversedTopology(t: FlowTopology): FlowTopology {
  return { inStart: t.outStart, inLink: t.outLink, outStart: t.inStart, outLink: t.inLink };
}

/**
 * Temperatures of the circuit `circuit` ('supply', 'return'): work arrays named after it (work.ts), valid
 * until the next call for that circuit; a caller copies what it keeps.
 */
export function circuitTemperatures(c: CircuitFlows, densityKgM3: number, cpJkgK: number, circuit: string, topology?: FlowTopology): CircuitTemperatures {
  const n = c.nodeCount;
  const { inStart, inLink, outStart, outLink } = topology ?? flowTopology(c, circuit);
  const nodeC = workF64(`${circuit}.nodeC`, n).fill(NaN);
  const linkOutC = workF64(`${circuit}.linkOutC`, c.linkCount).fill(NaN);
  const linkInC = workF64(`${circuit}.linkInC`, c.linkCount).fill(NaN);
  const linkLossW = workF64(`${circuit}.linkLossW`, c.linkCount).fill(0);
  const done = workU8('heatDone', c.linkCount).fill(0);
  const injectAll = typeof c.injectC === 'number' ? c.injectC : NaN;
  // Kahn's order over the flow directions.
  // (One loop per function: see heatNode.)
  const waiting = workI32('heatWaiting', n);
  inflowCounts(waiting, inStart, n);
  const queue = workI32('heatQueue', n);
  const qt = startNodes(queue, waiting, n);
  const st: HeatPass = {
    c,
    inStart,
    inLink,
    outStart,
    outLink,
    injectAll,
    injectEach: typeof c.injectC === 'number' ? null : c.injectC,
    densityKgM3,
    cpJkgK,
    nodeC,
    linkOutC,
    linkInC,
    linkLossW,
    done,
    waiting,
    queue,
    qt,
  };
  // One node at a time, each a call of its own (see heatNode).
  heatAll(st);
  return { nodeC, linkOutC, linkInC, linkLossW };
}

/** waiting[u] = the number of links flowing into u. */
function inflowCounts(waiting: Int32Array, inStart: Int32Array, n: number): void {
  for (let u = 0; u < n; u++) waiting[u] = inStart[u + 1] - inStart[u];
}

/** The nodes nothing flows into, queued; returns how many. */
function startNodes(queue: Int32Array, waiting: Int32Array, n: number): number {
  let qt = 0;
  for (let u = 0; u < n; u++) if (waiting[u] === 0) queue[qt++] = u;
  return qt;
}

/** Every queued node in turn (the queue grows as nodes are done). */
function heatAll(st: HeatPass): void {
  for (let qh = 0; qh < st.qt; qh++) heatNode(st, st.queue[qh]);
}

/** State of one temperature pass (circuitTemperatures). */
interface HeatPass {
  c: CircuitFlows;
  inStart: Int32Array;
  inLink: Int32Array;
  outStart: Int32Array;
  outLink: Int32Array;
  /** One injection temperature for every node, or NaN when injectEach holds one per node. */
  injectAll: number;
  injectEach: Float64Array | null;
  densityKgM3: number;
  cpJkgK: number;
  nodeC: Float64Array;
  linkOutC: Float64Array;
  linkInC: Float64Array;
  linkLossW: Float64Array;
  done: Uint8Array;
  waiting: Int32Array;
  queue: Int32Array;
  qt: number;
}

/**
 * Node u, all its inflows known: its mixed temperature, then each outflowing
 * link's outlet temperature and heat loss; downstream nodes whose inflows are
 * now all known join the queue. A function of its own, called per node, so
 * that the engine optimises it by call count rather than part-way through one
 * long loop on every pass.
 */
function heatNode(st: HeatPass, u: number): void {
  const { c, inStart, inLink, outStart, outLink, linkOutC, linkInC, linkLossW, done, waiting, queue } = st;
  const { injectFlow, flow, ambientC, ul, linkFrom, linkTo } = c;
  let mq = 0;
  let mt = 0;
  if (injectFlow[u] > 0) {
    mq += injectFlow[u];
    mt += injectFlow[u] * (st.injectEach === null ? st.injectAll : st.injectEach[u]);
  }
  for (let p = inStart[u]; p < inStart[u + 1]; p++) {
    const k = inLink[p];
    if (!done[k]) continue;
    const q = Math.abs(flow[k]);
    mq += q;
    mt += q * linkOutC[k];
  }
  const tin = mq > 0 ? mt / mq : NaN;
  st.nodeC[u] = tin;
  for (let p = outStart[u]; p < outStart[u + 1]; p++) {
    const k = outLink[p];
    const q = Math.abs(flow[k]);
    linkInC[k] = tin;
    if (Number.isNaN(tin)) {
      done[k] = 1;
      continue;
    }
    const mdot = q * st.densityKgM3;
    const amb = ambientC[k];
    const tout = amb + (tin - amb) * Math.exp(-ul[k] / (mdot * st.cpJkgK));
    linkOutC[k] = tout;
    linkLossW[k] = mdot * st.cpJkgK * (tin - tout);
    done[k] = 1;
  }
  for (let p = outStart[u]; p < outStart[u + 1]; p++) {
    // The link's downstream end: the end that is not u.
    const k = outLink[p];
    const v = linkFrom[k] === u ? linkTo[k] : linkFrom[k];
    if (--waiting[v] === 0) queue[st.qt++] = v;
  }
}
