import { describe, expect, it } from 'vitest';
import { snapAt, snapCandidates } from './snap';
import type { Position } from '../model/geojson';

// A fake map: 1 unit of lon/lat = 1000 px, y down.
const project = (p: Position) => ({ x: p[0] * 1000, y: -p[1] * 1000 });

const cands = snapCandidates(
  [
    { id: 'P1', coordinates: [[0, 0], [0.1, 0], [0.2, 0]] },
    { id: 'P2', coordinates: [[0.2, 0], [0.2, 0.1]] },
  ],
  [{ id: 'V1', position: [0.05, 0.05] }],
);

describe('snapAt (pixel tolerance, injected projection)', () => {
  it('snaps to a pipe end within tolerance and gives its exact position', () => {
    const s = snapAt({ x: 203, y: -4 }, cands, project, 8);
    expect(s).toEqual({ kind: 'node', position: [0.2, 0], featureId: 'P1' });
  });
  it('prefers a node over a closer line', () => {
    const s = snapAt({ x: 195, y: -1 }, cands, project, 8);
    expect(s?.kind).toBe('node');
    expect(s?.position).toEqual([0.2, 0]);
  });
  it('snaps to an interior vertex', () => {
    const s = snapAt({ x: 102, y: 3 }, cands, project, 8);
    expect(s).toMatchObject({ kind: 'vertex', position: [0.1, 0], featureId: 'P1', index: 1 });
  });
  it('snaps to a point feature (valve) as a node', () => {
    expect(snapAt({ x: 52, y: -48 }, cands, project, 5)).toMatchObject({ kind: 'node', featureId: 'V1' });
  });
  it('falls back to the nearest point on a line', () => {
    const s = snapAt({ x: 150, y: -6 }, cands, project, 8);
    expect(s?.kind).toBe('line');
    expect(s!.position[0]).toBeCloseTo(0.15, 9);
    expect(s!.position[1]).toBeCloseTo(0, 9);
    expect(s?.index).toBe(1);
  });
  it('returns null beyond the tolerance, and lines can be switched off', () => {
    expect(snapAt({ x: 150, y: -30 }, cands, project, 8)).toBeNull();
    expect(snapAt({ x: 150, y: -6 }, cands, project, 8, { toLine: false })).toBeNull();
  });
  it('the tolerance is in pixels: zooming in (larger scale) stops a snap', () => {
    const zoomed = (p: Position) => ({ x: p[0] * 10000, y: -p[1] * 10000 });
    expect(snapAt({ x: 2030, y: -40 }, cands, zoomed, 8)).toBeNull();
    expect(snapAt({ x: 203, y: -4 }, cands, project, 8)).not.toBeNull();
  });
});
