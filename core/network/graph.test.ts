import { describe, expect, it } from 'vitest';
import { buildGraph, NODE_VALVE, NODE_VALVE_CLOSED, NODE_STATION } from './graph';
import { net } from './fixtures';
import { lineLengthM } from '../geo/length';

describe('buildGraph', () => {
  it('snaps pipe ends within the snap tolerance and not beyond', () => {
    const p = net()
      .node('A', 0, 0)
      .node('B', 100, 0)
      .node('B2', 100.3, 0)
      .node('C', 200, 0)
      .node('B3', 100, 0.8)
      .node('D', 100, 100)
      .pipe('P1', 'A', 'B')
      .pipe('P2', 'B2', 'C')
      .pipe('P3', 'B3', 'D')
      .build();
    const g = buildGraph(p);
    expect(g.pipeEndNode[0]).toBe(g.pipeStartNode[1]); // 0.3 m apart: one node
    expect(g.pipeStartNode[2]).not.toBe(g.pipeEndNode[0]); // 0.8 m: separate
    expect(g.nodeCount).toBe(5);
    expect(g.edgeLengthM[0]).toBeCloseTo(lineLengthM(p.layers.pipes[0].geometry.coordinates), 9);
  });

  it('attaches a valve near a node to the node, and one near a pipe inside it (splitting the pipe)', () => {
    const p = net()
      .node('A', 0, 0)
      .node('B', 100, 0)
      .node('nearB', 101.5, 0)
      .node('offLine', 40, 1.5)
      .node('far', 60, 3)
      .pipe('P1', 'A', 'B')
      .valve('V-node', 'nearB', { state: 'closed' })
      .valve('V-in', 'offLine')
      .valve('V-far', 'far')
      .station('HS', 'B')
      .build();
    const g = buildGraph(p);
    expect(g.valveNode[0]).toBe(g.pipeEndNode[0]);
    expect(g.nodeFlags[g.pipeEndNode[0]] & (NODE_VALVE | NODE_VALVE_CLOSED | NODE_STATION)).toBe(NODE_VALVE | NODE_VALVE_CLOSED | NODE_STATION);
    // V-in divides P1 into two edges that both map back to P1, lengths adding up.
    expect(g.pipeEdgeStart[1] - g.pipeEdgeStart[0]).toBe(2);
    expect(g.edgePipe[0]).toBe(0);
    expect(g.edgePipe[1]).toBe(0);
    expect(g.edgeLengthM[0]).toBeCloseTo(40, 0);
    expect(g.edgeLengthM[0] + g.edgeLengthM[1]).toBeCloseTo(100, 3);
    expect(g.valveAttachM[1]).toBeCloseTo(1.5, 2);
    expect(g.valveNode[2]).toBe(-1); // 3 m from the pipe: off the network
  });

  it('marks pipes that are not in service as carrying nothing', () => {
    const p = net().node('A', 0, 0).node('B', 100, 0).pipe('P1', 'A', 'B', { status: 'planned' }).pipe('P2', 'B', 'A', { status: null }).build();
    const g = buildGraph(p);
    expect(Array.from(g.edgeInService)).toEqual([0, 1]);
  });
});
