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
 * (1 where the pipe is in service).
 */
export function cutClosed(
  nodeCount: number,
  layers: { pipes: readonly Feature[] | Uint8Array; valves: readonly Feature[] },
  edges: Pick<Edges, 'edgeCount' | 'pipeEdgeStart'>,
  attached: Pick<Attachment, 'valves' | 'stations' | 'sources'>,
  arena: Arena = plainArena(),
): Cuts {
  const { pipes, valves } = layers;
  const inService = pipes instanceof Uint8Array ? pipes : null;
  const features = pipes as readonly Feature[];
  const edgeInService = arena.u8(edges.edgeCount);
  for (let i = 0; i < pipes.length; i++) {
    const a = edges.pipeEdgeStart[i];
    const b = edges.pipeEdgeStart[i + 1];
    if (a < b && (inService ? inService[i] === 1 : pipeInService(features[i]))) for (let e = a; e < b; e++) edgeInService[e] = 1;
  }
  const nodeFlags = arena.u8(nodeCount);
  const nodeValve = arena.i32(nodeCount).fill(-1);
  const va = attached.valves.node;
  for (let i = 0; i < valves.length; i++) {
    const n = va[i];
    if (n < 0) continue;
    const p = valves[i].properties;
    // Several valves on one node: the node blocks if any is closed, and can
    // only be closed by an operable one.
    if (nodeValve[n] < 0) {
      nodeValve[n] = i;
      nodeFlags[n] |= NODE_VALVE | (p.operable === 'no' ? NODE_VALVE_INOPERABLE : 0);
    } else if (p.operable !== 'no') nodeFlags[n] &= ~NODE_VALVE_INOPERABLE;
    if (p.state === 'closed') nodeFlags[n] |= NODE_VALVE_CLOSED;
  }
  for (const n of attached.stations.node) if (n >= 0) nodeFlags[n] |= NODE_STATION;
  for (const n of attached.sources.node) if (n >= 0) nodeFlags[n] |= NODE_SOURCE;
  return { edgeInService, nodeFlags, nodeValve };
}
