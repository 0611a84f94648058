import { describe, expect, it } from 'vitest';
import { lineLengthM } from '../../geo/length';
import { lonLatAt, net } from '../fixtures';
import { LEVEL_COURTYARD, LEVEL_PRIMARY, LEVEL_SECONDARY } from './base';
import { adjacency, splitAtValves } from './split';

/** Nodes 0…3 at given places (lon/lat only: what splitting reads). */
function nodesAt(...xy: [number, number][]) {
  const ll = xy.map(([x, y]) => lonLatAt(x, y));
  return { lon: Float64Array.from(ll.map((c) => c[0])), lat: Float64Array.from(ll.map((c) => c[1])) };
}

describe('graph phase 3: split at valves', () => {
  const p = net().node('A', 0, 0).node('B', 100, 0).node('C', 100, 100).pipe('P1', 'A', 'B', { length_m: 101 }).pipe('P2', 'B', 'C', { level: 'secondary' }).pipe('P3', 'A', 'C', { level: 'courtyard' }).build();
  const nodes = nodesAt([0, 0], [100, 0], [100, 100], [100, 30], [100, 70]);
  const start = Int32Array.from([0, 1, 0]);
  const end = Int32Array.from([1, 2, 2]);

  it('a pipe with no node inside is one edge, its stored length used', () => {
    const e = splitAtValves(p.layers.pipes, start, end, nodes, new Map());
    expect(e.edgeCount).toBe(3);
    expect(Array.from(e.edgePipe)).toEqual([0, 1, 2]);
    expect(Array.from(e.edgeLengthM.slice(0, 1))).toEqual([101]);
    expect(e.edgeLengthM[1]).toBeCloseTo(lineLengthM(p.layers.pipes[1].geometry.coordinates), 9);
    expect(Array.from(e.edgeLevel)).toEqual([LEVEL_PRIMARY, LEVEL_SECONDARY, LEVEL_COURTYARD]);
    expect(Array.from(e.pipeEdgeStart)).toEqual([0, 1, 2, 3]);
  });

  it('nodes inside a pipe (in any order) cut it into consecutive edges whose lengths add up', () => {
    const e = splitAtValves(p.layers.pipes, start, end, nodes, new Map([[1, [{ seg: 0, t: 0.7, node: 4 }, { seg: 0, t: 0.3, node: 3 }]]]));
    expect(e.edgeCount).toBe(5);
    expect(Array.from(e.pipeEdgeStart)).toEqual([0, 1, 4, 5]);
    expect([1, 2, 3].map((k) => [e.edgeFrom[k], e.edgeTo[k], e.edgePipe[k]])).toEqual([
      [1, 3, 1],
      [3, 4, 1],
      [4, 2, 1],
    ]);
    expect(e.edgeLengthM[1]).toBeCloseTo(30, 1);
    expect(e.edgeLengthM[1] + e.edgeLengthM[2] + e.edgeLengthM[3]).toBeCloseTo(lineLengthM(p.layers.pipes[1].geometry.coordinates), 6);
  });

  it('a pipe without end nodes (broken geometry) has no edge', () => {
    const e = splitAtValves(p.layers.pipes, Int32Array.from([0, -1, 0]), Int32Array.from([1, -1, 2]), nodes, new Map());
    expect(e.edgeCount).toBe(2);
    expect(Array.from(e.pipeEdgeStart)).toEqual([0, 1, 1, 2]);
  });

  it('adjacency lists each node’s edges, a loop once', () => {
    const { adjStart, adjEdge } = adjacency(3, { edgeCount: 3, edgeFrom: Int32Array.from([0, 1, 2]), edgeTo: Int32Array.from([1, 2, 2]) });
    expect(Array.from(adjStart)).toEqual([0, 1, 3, 5]);
    expect(Array.from(adjEdge)).toEqual([0, 0, 1, 1, 2]);
  });
});
