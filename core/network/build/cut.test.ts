import { describe, expect, it } from 'vitest';
import { net } from '../fixtures';
import { NODE_SOURCE, NODE_STATION, NODE_VALVE, NODE_VALVE_CLOSED, NODE_VALVE_INOPERABLE } from './base';
import { cutClosed } from './cut';

const at = (...nodes: number[]) => ({ node: Int32Array.from(nodes), dist: new Float64Array(nodes.length) });

describe('graph phase 4: cut closed and out of service', () => {
  const p = net()
    .node('A', 0, 0)
    .node('B', 100, 0)
    .pipe('P1', 'A', 'B')
    .pipe('P2', 'A', 'B', { status: 'planned' })
    .pipe('P3', 'A', 'B', { status: null })
    .pipe('P4', 'A', 'B', { status: 'abandoned' })
    .valve('V1', 'A', { state: 'closed', operable: 'no' })
    .valve('V2', 'A')
    .valve('V3', 'B', { operable: 'no' })
    .valve('V-off', 'B')
    .build();
  // P1 was split in two; P2 and P4 are one edge each, P3 none (broken).
  const edges = { edgeCount: 4, pipeEdgeStart: Int32Array.from([0, 2, 3, 3, 4]) };

  it('edges of pipes not in service carry nothing; a missing status is in service', () => {
    const c = cutClosed(3, p.layers, edges, { valves: at(0, 0, 1, -1), stations: at(), sources: at() });
    expect(Array.from(c.edgeInService)).toEqual([1, 1, 0, 0]);
  });

  it('valve nodes: closed if any valve there is closed, inoperable only if none there can be worked', () => {
    const c = cutClosed(3, p.layers, edges, { valves: at(0, 0, 1, -1), stations: at(2), sources: at(1) });
    expect(c.nodeFlags[0]).toBe(NODE_VALVE | NODE_VALVE_CLOSED);
    expect(c.nodeFlags[1]).toBe(NODE_VALVE | NODE_VALVE_INOPERABLE | NODE_SOURCE);
    expect(c.nodeFlags[2]).toBe(NODE_STATION);
    expect(Array.from(c.nodeValve)).toEqual([0, 2, -1]);
  });
});
