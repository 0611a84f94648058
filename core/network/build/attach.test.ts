import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../model/settings';
import { net } from '../fixtures';
import { attachFeatures } from './attach';
import { pipeVertices, snapPipeEnds } from './snap';

const tol = DEFAULT_SETTINGS.attachToleranceM;

function attach(p: ReturnType<ReturnType<typeof net>['build']>) {
  const v = pipeVertices(p.layers.pipes);
  const s = snapPipeEnds(v, DEFAULT_SETTINGS);
  return { s, a: attachFeatures(v, s, p.layers, tol) };
}

describe('graph phase 2: attach', () => {
  it('a feature near a node takes the node, with its distance', () => {
    const { s, a } = attach(net().node('A', 0, 0).node('B', 100, 0).node('nearB', 101.5, 0).pipe('P1', 'A', 'B').valve('V1', 'nearB').station('HS', 'B').build());
    expect(a.valves.node[0]).toBe(s.pipeEndNode[0]);
    expect(a.valves.dist[0]).toBeCloseTo(1.5, 3);
    expect(a.stations.node[0]).toBe(s.pipeEndNode[0]);
    expect(a.stations.dist[0]).toBe(0);
    expect(a.splits.size).toBe(0);
    expect(s.nodes.count).toBe(2);
  });

  it('a feature near a pipe’s interior gets a new node there, and the pipe is marked to be split', () => {
    const { s, a } = attach(net().node('A', 0, 0).node('M', 50, 0).node('B', 100, 0).node('off', 80, 1.5).pipe('P1', 'A', 'B', {}, ['M']).valve('V1', 'off').build());
    expect(a.valves.node[0]).toBe(2);
    expect(a.valves.dist[0]).toBeCloseTo(1.5, 3);
    expect(s.nodes.count).toBe(3);
    const [split] = a.splits.get(0)!;
    expect(split.seg).toBe(1); // on the second straight piece, M → B
    expect(split.t).toBeCloseTo(0.6, 4);
    expect(s.nodes.x[2] - s.nodes.x[0]).toBeCloseTo(80, 2);
  });

  it('a feature farther than the attach tolerance, or without a geometry, is off the network', () => {
    const p = net().node('A', 0, 0).node('B', 100, 0).node('far', 50, tol + 0.5).pipe('P1', 'A', 'B').valve('V1', 'far').source('S1', 'far').build();
    p.layers.stations.push({ type: 'Feature', id: 'HS', geometry: null as never, properties: { id: 'HS' } });
    const { a } = attach(p);
    expect([a.valves.node[0], a.valves.dist[0]]).toEqual([-1, Infinity]);
    expect([a.sources.node[0], a.stations.node[0]]).toEqual([-1, -1]);
  });

  it('a later feature at the same place inside a pipe takes the node the first one made', () => {
    const { s, a } = attach(net().node('A', 0, 0).node('B', 100, 0).node('in', 40, 1).pipe('P1', 'A', 'B').valve('V1', 'in').station('HS', 'in').build());
    expect(a.stations.node[0]).toBe(a.valves.node[0]);
    expect(a.splits.get(0)).toHaveLength(1);
    expect(s.nodes.count).toBe(3);
  });
});
