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
 * closed and out of service (cut.ts). The pipes are read once into flat
 * columns (snap.ts readPipes; the analysis worker fills them while reading
 * the rows), and every array comes from two blocks asked for up front
 * (build/arena.ts): fresh memory, not arithmetic, is what a million pipes cost.
 * The scratch block is handed on to the next build while the collector leaves
 * it (build/arena.ts scratchArena): its pages are then written without a fault.
 */
import { attachFeatures } from './build/attach';
import type { LocalProjection, NetworkInput } from './build/base';
import { cutClosed, type Cuts } from './build/cut';
import { Arena, releaseScratch, scratchArena } from './build/arena';
import { VERTEX_GUESS, pipeReaderBytes, readPipes, snapPipeEnds, takePipeColumns } from './build/snap';
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

/**
 * Bytes of the two blocks the build takes its arrays from (build/arena.ts):
 * `kept`, the graph's own arrays, and `scratch`, what only the build uses.
 * Upper bounds from the layers' lengths: a network has at most two nodes per
 * pipe plus one per feature, and one edge per pipe plus one per feature;
 * pipes are taken to have up to VERTEX_GUESS vertices each (past that the
 * vertex arrays get memory of their own). Pages never written cost nothing.
 */
function arenaBytes(pipes: number, features: number): { kept: number; scratch: number; maxNodes: number } {
  const maxNodes = 2 * pipes + features + 16;
  const maxEdges = pipes + features;
  let idTable = 16;
  while (idTable < pipes * 2) idTable *= 2;
  const kept =
    (4 * 8 + 1 + 4 + 4) * maxNodes + // node positions, flags, valve, adjacency start
    8 * pipes + // pipe end nodes
    12 * features + // attached node and distance
    (4 * 4 + 8 + 1 + 1 + 8) * maxEdges + // edge arrays, adjacency
    4 * (pipes + 1) + // pipe → edges
    4 * idTable + pipes + // pipe id index
    64 * 32; // alignment
  const vertices = VERTEX_GUESS * pipes + 16;
  let nodeTable = 1024;
  while (nodeTable < pipes + (features >> 3)) nodeTable *= 2;
  const scratch =
    pipeReaderBytes(pipes) + // the pipes' columns
    4 * nodeTable + 4 * maxNodes + // node hash
    4 * (4 * vertices + 1025) + 4 * 4 * vertices + // pieces by cell
    64 * 32;
  return { kept, scratch, maxNodes };
}

/** Build the graph. Pure; O(n) apart from the spatial index used for features inside pipes. */
export function buildGraph(input: NetworkInput): NetworkGraph {
  const { pipes, valves, stations, heat_sources: sources } = input.layers;
  const settings = input.settings;
  const features = valves.length + stations.length + sources.length;
  const sizes = arenaBytes(pipes.length, features);
  const kept = new Arena(sizes.kept);
  const scratch = scratchArena(sizes.scratch);
  const arenas = { kept, scratch, maxNodes: sizes.maxNodes };
  // Columns the worker filled while reading the rows, else one walk over the features.
  const cols = takePipeColumns(pipes) ?? readPipes(pipes, scratch, VERTEX_GUESS * pipes.length + 16);
  // Most features sit on pipe ends: the node hash is sized for about one node per pipe and an eighth of the features.
  const snapped = snapPipeEnds(cols, settings, pipes.length + (features >> 3), arenas);
  const attached = attachFeatures(cols, snapped, input.layers, settings.attachToleranceM, arenas);
  const { nodes } = snapped;
  const nodeCount = nodes.count;
  const edges = splitAtValves(cols, snapped.pipeStartNode, snapped.pipeEndNode, nodes, attached.splits, kept);
  const cuts = cutClosed(nodeCount, { pipes: cols.inService, valves }, edges, attached, kept);
  const { adjStart, adjEdge } = adjacency(nodeCount, edges, kept);

  const pipeIndex = new IdIndex(pipes, cols.ids, kept);
  const stationIndex = new IdIndex(stations);
  releaseScratch(scratch);

  return {
    input,
    proj: cols.proj,
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
  /**
   * Called by a hydraulic run once its solve is done and its work arrays let go, before its view is
   * made: a caller holding a city's network collects garbage there.
   */
  onSolved?(): void;
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
