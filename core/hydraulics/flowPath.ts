/**
 * The way the supply water goes to a port: from the port against the flow,
 * always through the pipe bringing the most water, until a running source.
 * The 水压图 (./profile.ts) and the unfavourable path (./simulate.ts) walk it.
 */
import { CIRCUIT_RETURN, type HydraulicNetwork } from './network';
import { solvedSupply } from './solved';

/** What the walk reads of a solved result (a HydraulicResult of ./simulate). */
export interface SolvedSources {
  sources: readonly { id: string; running: boolean }[];
}

export interface FlowPath {
  /** Pipe ids from the source to the station (consecutive pieces of one pipe once). */
  pipes: string[];
  /** Graph nodes from the source's to the station's. */
  nodes: number[];
  /** Graph edges, in order from the source. */
  edges: number[];
  /** The source reached (null when the walk ended without one). */
  source: string | null;
}

/** The path the supply water takes from a source to the port `start`. */
export function flowPathToPort(net: HydraulicNetwork, result: SolvedSources, start: number): FlowPath {
  const sup = solvedSupply(result);
  const g = net.graph;
  const empty: FlowPath = { pipes: [], nodes: [], edges: [], source: null };
  if (!sup || start < 0 || !sup.activePort[start]) return empty;
  const sourcePorts = new Map<number, string>();
  result.sources.forEach((s, i) => {
    if (s.running && net.sourceSupplyPort[i] >= 0 && !sourcePorts.has(net.sourceSupplyPort[i])) sourcePorts.set(net.sourceSupplyPort[i], s.id);
  });
  const nodesRev: number[] = [];
  const edgesRev: number[] = [];
  let u = start;
  let source: string | null = null;
  const seen = new Set<number>();
  while (!seen.has(u)) {
    seen.add(u);
    nodesRev.push(net.portNode[u]);
    if (sourcePorts.has(u)) {
      source = sourcePorts.get(u)!;
      break;
    }
    // The supply pipe bringing the most water into u (the lowest edge number among equals), from the
    // pipes at u's graph node (a port is its node, or one pipe end at a closed valve).
    let best = -1;
    const n = net.portNode[u];
    for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
      const e = g.adjEdge[k];
      if (net.edgeCircuit[e] === CIRCUIT_RETURN || net.edgePortFrom[e] < 0 || sup.activePort[net.edgePortFrom[e]] === 0) continue;
      const q = sup.edgeFlow[e];
      const into = (q > 0 && net.edgePortTo[e] === u) || (q < 0 && net.edgePortFrom[e] === u);
      if (!into) continue;
      const aq = Math.abs(q), ab = best < 0 ? -1 : Math.abs(sup.edgeFlow[best]);
      if (aq > ab || (aq === ab && e < best)) best = e;
    }
    if (best < 0) break;
    edgesRev.push(best);
    u = sup.edgeFlow[best] > 0 ? net.edgePortFrom[best] : net.edgePortTo[best];
  }
  const edges = edgesRev.reverse();
  const pipes: string[] = [];
  for (let ei = 0; ei < edges.length; ei++) {
    const e = edges[ei];
    const id = String(g.input.layers.pipes[g.edgePipe[e]].id);
    if (pipes[pipes.length - 1] !== id) pipes.push(id);
  }
  return { pipes, nodes: nodesRev.reverse(), edges, source };
}
