/**
 * The network graph derived from a project's layers (DOMAIN.md §2).
 *
 * Compact typed arrays so that a million pipes fit: nodes come from snapping
 * pipe ends within `snapToleranceM`; valves, stations and heat sources attach
 * to the nearest node within `attachToleranceM`, else to the nearest pipe
 * interior within that tolerance, which splits the pipe there. An edge is one
 * piece of one pipe between two nodes and points back at its pipe, so a pipe
 * divided by an interior valve is several edges with the same pipe id.
 * Pipes know their edges and edges their nodes; node → edges is a derived CSR
 * index (`adjStart` / `adjEdge`).
 *
 * `buildGraph` runs the phases of build/, each exported and tested on its own:
 * snap (snap.ts) → attach (attach.ts) → split at valves (split.ts) → cut
 * closed and out of service (cut.ts).
 */
import { attachFeatures } from './build/attach';
import type { LocalProjection, NetworkInput } from './build/base';
import { cutClosed, type Cuts } from './build/cut';
import { pipeVertices, snapPipeEnds } from './build/snap';
import { adjacency, splitAtValves, type Edges } from './build/split';
import { IdIndex } from './idIndex';

export {
  LEVEL_COURTYARD,
  LEVEL_PRIMARY,
  LEVEL_SECONDARY,
  NODE_SOURCE,
  NODE_STATION,
  NODE_VALVE,
  NODE_VALVE_CLOSED,
  NODE_VALVE_INOPERABLE,
  levelCode,
  localProjection,
  pipeInService,
  sourceActive,
  type LocalProjection,
  type NetworkInput,
} from './build/base';

/** The graph: its edges (build/split.ts) and their service marks (build/cut.ts), and the rest here. */
export interface NetworkGraph extends Edges, Cuts {
  input: NetworkInput;
  proj: LocalProjection;
  nodeCount: number;
  /** Nodes [0, endNodeCount) are pipe ends; later ones were made where a feature sits inside a pipe. */
  endNodeCount: number;
  nodeLon: Float64Array;
  nodeLat: Float64Array;
  nodeX: Float64Array;
  nodeY: Float64Array;
  /** node → incident edges (every edge, in service or not). */
  adjStart: Int32Array;
  adjEdge: Int32Array;
  pipeStartNode: Int32Array;
  pipeEndNode: Int32Array;
  /** Node each feature sits on, or -1 when farther than the attach tolerance from the network. */
  valveNode: Int32Array;
  stationNode: Int32Array;
  sourceNode: Int32Array;
  /** Distance (m) from each feature to where it was attached (Infinity when off the network). */
  valveAttachM: Float64Array;
  stationAttachM: Float64Array;
  sourceAttachM: Float64Array;
  /** Pipe / station id → index (an id given twice: its last feature). */
  pipeIndex: IdIndex;
  stationIndex: IdIndex;
}

/** Build the graph. Pure; O(n) apart from the spatial index used for features inside pipes. */
export function buildGraph(input: NetworkInput): NetworkGraph {
  const { pipes, valves, stations, heat_sources: sources } = input.layers;
  const settings = input.settings;
  const vertices = pipeVertices(pipes);
  // Most features sit on pipe ends; the node arrays grow if more of them make nodes inside pipes.
  const snapped = snapPipeEnds(vertices, settings, pipes.length + ((valves.length + stations.length + sources.length) >> 3));
  const attached = attachFeatures(vertices, snapped, input.layers, settings.attachToleranceM);
  const { nodes } = snapped;
  const nodeCount = nodes.count;
  const edges = splitAtValves(pipes, snapped.pipeStartNode, snapped.pipeEndNode, nodes, attached.splits);
  const cuts = cutClosed(nodeCount, input.layers, edges, attached);
  const { adjStart, adjEdge } = adjacency(nodeCount, edges);

  const pipeIndex = new IdIndex(pipes);
  const stationIndex = new IdIndex(stations);

  return {
    input,
    proj: vertices.proj,
    nodeCount,
    endNodeCount: snapped.endNodeCount,
    // Views, not copies: fresh memory at a million nodes costs more than the spare capacity kept.
    nodeLon: nodes.lon.subarray(0, nodeCount),
    nodeLat: nodes.lat.subarray(0, nodeCount),
    nodeX: nodes.x.subarray(0, nodeCount),
    nodeY: nodes.y.subarray(0, nodeCount),
    nodeFlags: cuts.nodeFlags,
    nodeValve: cuts.nodeValve,
    edgeCount: edges.edgeCount,
    edgeFrom: edges.edgeFrom,
    edgeTo: edges.edgeTo,
    edgePipe: edges.edgePipe,
    edgeLengthM: edges.edgeLengthM,
    edgeLevel: edges.edgeLevel,
    edgeInService: cuts.edgeInService,
    adjStart,
    adjEdge,
    pipeEdgeStart: edges.pipeEdgeStart,
    pipeEdge: edges.pipeEdge,
    pipeStartNode: snapped.pipeStartNode,
    pipeEndNode: snapped.pipeEndNode,
    valveNode: attached.valves.node,
    stationNode: attached.stations.node,
    sourceNode: attached.sources.node,
    valveAttachM: attached.valves.dist,
    stationAttachM: attached.stations.dist,
    sourceAttachM: attached.sources.dist,
    pipeIndex,
    stationIndex,
  };
}

/** The other end of edge `e` seen from node `n`. */
export function otherEnd(g: NetworkGraph, e: number, n: number): number {
  return g.edgeFrom[e] === n ? g.edgeTo[e] : g.edgeFrom[e];
}

/** Optional progress / cancel hooks every long analysis accepts (the worker binds them). */
export interface AnalysisOptions {
  onProgress?(fraction: number): void;
  signal?: { readonly aborted: boolean };
}

/** Thrown when `signal.aborted` turns true mid-analysis. */
export class AnalysisCancelled extends Error {
  constructor() {
    super('analysis cancelled');
  }
}

export function checkAborted(opts: AnalysisOptions | undefined): void {
  if (opts?.signal?.aborted) throw new AnalysisCancelled();
}
