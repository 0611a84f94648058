/**
 * Temperatures along a circuit in steady state (DOMAIN.md §3 item 11): water
 * entering a pipe at T_in leaves at T_amb + (T_in − T_amb)·exp(−U·L / (ṁ·c)),
 * U the heat-loss coefficient per metre (W/(m·K)), ṁ the mass flow (kg/s),
 * c in J/(kg·K). Flows run from high to low head, so the water's paths form
 * no cycle: nodes are visited in the flow's order (a node once every pipe
 * bringing water to it is done, Kahn's order), and a node takes the
 * flow-weighted mix of what enters it (pipes and injections).
 */

export interface CircuitFlows {
  nodeCount: number;
  linkCount: number;
  linkFrom: Int32Array;
  linkTo: Int32Array;
  /** m³/s, + from `linkFrom` to `linkTo`. */
  flow: Float64Array;
  /** U·L per link, W/K (0 for a link that loses nothing). */
  ul: Float64Array;
  /** Ambient temperature per link, °C. */
  ambientC: Float64Array;
  /** Water injected at nodes: m³/s and its temperature. */
  injectFlow: Float64Array;
  injectC: Float64Array;
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

export function circuitTemperatures(c: CircuitFlows, densityKgM3: number, cpJkgK: number): CircuitTemperatures {
  const n = c.nodeCount;
  // Inflows per node (CSR) by where the water goes.
  const inStart = new Int32Array(n + 1);
  for (let k = 0; k < c.linkCount; k++) {
    const q = c.flow[k];
    if (q === 0) continue;
    inStart[(q > 0 ? c.linkTo[k] : c.linkFrom[k]) + 1]++;
  }
  for (let i = 0; i < n; i++) inStart[i + 1] += inStart[i];
  const inLink = new Int32Array(inStart[n]);
  const fill = inStart.slice(0, n);
  for (let k = 0; k < c.linkCount; k++) {
    const q = c.flow[k];
    if (q === 0) continue;
    inLink[fill[q > 0 ? c.linkTo[k] : c.linkFrom[k]]++] = k;
  }
  const nodeC = new Float64Array(n).fill(NaN);
  const linkOutC = new Float64Array(c.linkCount).fill(NaN);
  const linkInC = new Float64Array(c.linkCount).fill(NaN);
  const linkLossW = new Float64Array(c.linkCount);
  const done = new Uint8Array(c.linkCount);
  // Outflows per node, to compute link temperatures once the upstream node is known.
  const outStart = new Int32Array(n + 1);
  for (let k = 0; k < c.linkCount; k++) {
    const q = c.flow[k];
    if (q === 0) continue;
    outStart[(q > 0 ? c.linkFrom[k] : c.linkTo[k]) + 1]++;
  }
  for (let i = 0; i < n; i++) outStart[i + 1] += outStart[i];
  const outLink = new Int32Array(outStart[n]);
  const fillO = outStart.slice(0, n);
  for (let k = 0; k < c.linkCount; k++) {
    const q = c.flow[k];
    if (q === 0) continue;
    outLink[fillO[q > 0 ? c.linkFrom[k] : c.linkTo[k]]++] = k;
  }
  // Kahn's order over the flow directions.
  const waiting = new Int32Array(n);
  for (let u = 0; u < n; u++) waiting[u] = inStart[u + 1] - inStart[u];
  const queue = new Int32Array(n);
  let qh = 0, qt = 0;
  for (let u = 0; u < n; u++) if (waiting[u] === 0) queue[qt++] = u;
  while (qh < qt) {
    const u = queue[qh++];
    let mq = 0;
    let mt = 0;
    if (c.injectFlow[u] > 0) {
      mq += c.injectFlow[u];
      mt += c.injectFlow[u] * c.injectC[u];
    }
    for (let p = inStart[u]; p < inStart[u + 1]; p++) {
      const k = inLink[p];
      if (!done[k]) continue;
      const q = Math.abs(c.flow[k]);
      mq += q;
      mt += q * linkOutC[k];
    }
    nodeC[u] = mq > 0 ? mt / mq : NaN;
    for (let p = outStart[u]; p < outStart[u + 1]; p++) {
      const k = outLink[p];
      const q = Math.abs(c.flow[k]);
      const tin = nodeC[u];
      linkInC[k] = tin;
      if (Number.isNaN(tin)) {
        done[k] = 1;
        continue;
      }
      const mdot = q * densityKgM3;
      const amb = c.ambientC[k];
      const tout = amb + (tin - amb) * Math.exp(-c.ul[k] / (mdot * cpJkgK));
      linkOutC[k] = tout;
      linkLossW[k] = mdot * cpJkgK * (tin - tout);
      done[k] = 1;
    }
    for (let p = outStart[u]; p < outStart[u + 1]; p++) {
      const k = outLink[p];
      const v = c.flow[k] > 0 ? c.linkTo[k] : c.linkFrom[k];
      if (--waiting[v] === 0) queue[qt++] = v;
    }
  }
  return { nodeC, linkOutC, linkInC, linkLossW };
}
