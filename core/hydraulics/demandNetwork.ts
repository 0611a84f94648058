/**
 * Flows of a network fed at fixed-head points with fixed demands at its
 * nodes: the secondary and courtyard networks, each fed by its station
 * (the capacity check's load placement, capacity.ts), solved with the same
 * Darcy–Weisbach solver so that a loop in them carries what it carries.
 * A closed valve cuts the network at its node; parts with no feeding point
 * carry nothing. Returns null when a pipe in a fed part has no usable DN.
 */
import { NODE_VALVE_CLOSED, type NetworkGraph } from '../network/graph';
import { innerDiameterMm } from '../network/hydraulics';
import { solveSystem } from './solver';
import { SystemBuilder } from './system';

export interface DemandNetworkFlows {
  /** Flow per graph edge, m³/s, + from edgeFrom to edgeTo (0 for edges not solved). */
  edgeFlow: Float64Array;
  converged: boolean;
}

export function solveDemandNetwork(
  g: NetworkGraph,
  include: (e: number) => boolean,
  nodeDemandM3s: Float64Array,
  feedNodes: Iterable<number>,
): DemandNetworkFlows | null {
  const s = g.input.settings;
  // Ports: a closed-valve node gives each pipe end its own.
  const portFrom = new Int32Array(g.edgeCount).fill(-1);
  const portTo = new Int32Array(g.edgeCount).fill(-1);
  let ports = g.nodeCount;
  for (let n = 0; n < g.nodeCount; n++) {
    const closed = (g.nodeFlags[n] & NODE_VALVE_CLOSED) !== 0;
    let first = true;
    for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
      const e = g.adjEdge[k];
      if (!include(e)) continue;
      const p = closed && !first ? ports++ : n;
      first = false;
      if (g.edgeFrom[e] === n) portFrom[e] = p;
      if (g.edgeTo[e] === n) portTo[e] = p;
    }
  }
  // Parts of the network that a feeding point reaches.
  const parent = new Int32Array(ports);
  for (let i = 0; i < ports; i++) parent[i] = i;
  const find = (a: number): number => {
    while (parent[a] !== a) a = parent[a] = parent[parent[a]];
    return a;
  };
  for (let e = 0; e < g.edgeCount; e++) if (portFrom[e] >= 0) parent[find(portFrom[e])] = find(portTo[e]);
  const fed = new Set<number>();
  const feeds = [...feedNodes];
  for (const n of feeds) fed.add(find(n));
  const b = new SystemBuilder({ viscosityM2s: s.waterViscosityM2s, gravityMs2: s.gravityMs2 });
  const sysNode = new Int32Array(ports).fill(-1);
  const feedSet = new Set(feeds);
  for (let p = 0; p < ports; p++) if (fed.has(find(p))) sysNode[p] = b.node(feedSet.has(p) ? 0 : undefined);
  const links: number[] = [];
  for (let e = 0; e < g.edgeCount; e++) {
    if (portFrom[e] < 0 || sysNode[portFrom[e]] < 0) continue;
    const dn = Number(g.input.layers.pipes[g.edgePipe[e]].properties.dn);
    if (!(dn > 0)) return null;
    b.pipe(sysNode[portFrom[e]], sysNode[portTo[e]], g.edgeLengthM[e] * (1 + s.minorLossFraction), innerDiameterMm(dn, s) / 1000, s.roughnessMm / 1000);
    links.push(e);
  }
  for (let n = 0; n < g.nodeCount; n++) if (nodeDemandM3s[n] > 0 && sysNode[n] >= 0 && !feedSet.has(n)) b.addDemand(sysNode[n], nodeDemandM3s[n]);
  const edgeFlow = new Float64Array(g.edgeCount);
  if (!links.length) return { edgeFlow, converged: true };
  const r = solveSystem(b.build(), {
    friction: { model: 'colebrook', laminarRe: s.laminarReynolds, turbulentRe: s.turbulentReynolds },
    maxIterations: s.hydraulicMaxIterations,
    accuracy: s.hydraulicAccuracy,
    barrierTolerance: s.stationControlTolerance,
  });
  links.forEach((e, k) => (edgeFlow[e] = r.flow[k]));
  return { edgeFlow, converged: r.converged };
}
