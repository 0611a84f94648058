import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../model/settings';
import { lonLatAt, net } from '../fixtures';
import { pipeVertices, snapPipeEnds } from './snap';

describe('graph phase 1: snap', () => {
  it('pipeVertices lays every pipe’s vertices out flat in local metres around the data’s centre', () => {
    const p = net().node('A', 0, 0).node('B', 100, 0).node('C', 100, 50).pipe('P1', 'A', 'B').pipe('P2', 'B', 'C', {}, ['A']).build();
    const v = pipeVertices(p.layers.pipes);
    expect(Array.from(v.start)).toEqual([0, 2, 5]);
    const [lon0, lat0] = lonLatAt(50, 25);
    expect(v.proj.lon0).toBeCloseTo(lon0, 9);
    expect(v.proj.lat0).toBeCloseTo(lat0, 9);
    // B is 100 m east of A and C 50 m north of B, to a millimetre.
    expect(v.x[1] - v.x[0]).toBeCloseTo(100, 3);
    expect(v.y[4] - v.y[2]).toBeCloseTo(50, 3);
    expect(v.x[3]).toBe(v.x[0]); // P2 runs B → A → C
    expect([v.lon[4], v.lat[4]]).toEqual(lonLatAt(100, 50));
  });

  it('pipe ends within the snap tolerance share a node; farther ones do not; a pipe of one vertex gets none', () => {
    const p = net().node('A', 0, 0).node('B', 100, 0).node('B2', 100.3, 0).node('B3', 100, 0.8).node('C', 200, 0).node('D', 100, 100).pipe('P1', 'A', 'B').pipe('P2', 'B2', 'C').pipe('P3', 'B3', 'D').build();
    p.layers.pipes.push({ type: 'Feature', id: 'P4', geometry: { type: 'LineString', coordinates: [lonLatAt(5, 5)] }, properties: { id: 'P4' } });
    const s = snapPipeEnds(pipeVertices(p.layers.pipes), DEFAULT_SETTINGS);
    expect(Array.from(s.pipeStartNode)).toEqual([0, 1, 3, -1]);
    expect(Array.from(s.pipeEndNode)).toEqual([1, 2, 4, -1]);
    expect(s.endNodeCount).toBe(5);
    expect(s.nodes.count).toBe(5);
    // A node keeps the position of the first end that made it.
    expect([s.nodes.lon[1], s.nodes.lat[1]]).toEqual(lonLatAt(100, 0));
  });

  it('the snap tolerance is a setting', () => {
    const p = net().node('A', 0, 0).node('B', 100, 0).node('B3', 100, 0.8).node('D', 100, 100).pipe('P1', 'A', 'B').pipe('P3', 'B3', 'D').build();
    const s = snapPipeEnds(pipeVertices(p.layers.pipes), { ...DEFAULT_SETTINGS, snapToleranceM: 1 });
    expect(s.pipeStartNode[1]).toBe(s.pipeEndNode[0]);
  });
});
