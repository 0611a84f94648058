/**
 * Phase 4 of the graph build, cut closed and out of service: which edges
 * carry no heat (their pipe is not in service) and which nodes hold a valve
 * (closed, inoperable), a station or a source. Nothing is removed: the
 * analyses read these marks (a closed valve still joins its pipes
 * physically, which the island check relies on).
 */
import type { Feature } from '../../model/types';
import { Arena, plainArena } from './arena';
import type { Attachment } from './attach';
import { NODE_SOURCE, NODE_STATION, NODE_VALVE, NODE_VALVE_CLOSED, NODE_VALVE_INOPERABLE, pipeInService } from './base';
import type { Edges } from './split';

export interface Cuts {
  /** 1 when the edge's pipe is in service (carries heat). */
  edgeInService: Uint8Array;
  nodeFlags: Uint8Array;
  /** Valve index sitting at the node, or -1 (the first one when several share a node). */
  nodeValve: Int32Array;
}

/**
 * `layers.pipes` may be their features, or readPipes' `inService` column
 * (1 where the pipe is in service). Each loop's work on one pipe or valve is
 * a function of its own: called once per build, a long loop inside this
 * function would run part of every call unoptimised.
 */
export function cutClosed(
  nodeCount: number,
  layers: { pipes: readonly Feature[] | Uint8Array; valves: readonly Feature[] },
  edges: Pick<Edges, 'edgeCount' | 'pipeEdgeStart'>,
  attached: Pick<Attachment, 'valves' | 'stations' | 'sources'>,
  arena: Arena = plainArena(),
): Cuts {
  const { pipes, valves } = layers;
  const edgeInService = arena.u8(edges.edgeCount);
  const pipeEdgeStart = edges.pipeEdgeStart;
  if (pipes instanceof Uint8Array) for (let i = 0; i < pipes.length; i++) markPipe(edgeInService, pipeEdgeStart, i, pipes[i] === 1);
  else for (let i = 0; i < pipes.length; i++) markPipe(edgeInService, pipeEdgeStart, i, pipeInService(pipes[i]));
  const nodeFlags = arena.u8(nodeCount);
  const nodeValve = arena.i32(nodeCount).fill(-1);
  const va = attached.valves.node;
  for (let i = 0; i < valves.length; i++) if (va[i] >= 0) markValve(nodeFlags, nodeValve, va[i], i, valves[i]);
  flagNodes(nodeFlags, attached.stations.node, NODE_STATION);
  flagNodes(nodeFlags, attached.sources.node, NODE_SOURCE);
  return { edgeInService, nodeFlags, nodeValve };
}

/** Pipe i's edges carry heat when it is in service. */
function markPipe(edgeInService: Uint8Array, pipeEdgeStart: Int32Array, i: number, inService: boolean): void {
  if (inService) for (let e = pipeEdgeStart[i]; e < pipeEdgeStart[i + 1]; e++) edgeInService[e] = 1;
}

/**
 * Valve i at node n. Several valves on one node: the node blocks if any is
 * closed, and can only be closed by an operable one.
 */
function markValve(nodeFlags: Uint8Array, nodeValve: Int32Array, n: number, i: number, valve: Feature): void {
  const p = valve.properties;
  if (nodeValve[n] < 0) {
    nodeValve[n] = i;
    nodeFlags[n] |= NODE_VALVE | (p.operable === 'no' ? NODE_VALVE_INOPERABLE : 0);
  } else if (p.operable !== 'no') nodeFlags[n] &= ~NODE_VALVE_INOPERABLE;
  if (p.state === 'closed') nodeFlags[n] |= NODE_VALVE_CLOSED;
}

/** `flag` on the node of every feature that has one. */
function flagNodes(nodeFlags: Uint8Array, featureNode: Int32Array, flag: number): void {
  for (let i = 0; i < featureNode.length; i++) if (featureNode[i] >= 0) nodeFlags[featureNode[i]] |= flag;
}
