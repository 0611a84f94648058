/**
 * The snapping behaviour of the pipe-drawing mode, Terra Draw style: built
 * from the features on the map and a `project` function given to it, so the
 * same code is unit-tested with a fake projection and runs on the map with
 * MapLibre's.
 */
import type { Position } from '../../core/model/geojson';
import { snapAt, snapCandidates, type Project, type SnapCandidates, type SnapTarget } from '../../core/geo/snap';

/** How close (screen pixels) the cursor must come to a node or vertex to snap: a fingertip's width on a mouse. */
export const DEFAULT_SNAP_PX = 12;

interface MapFeature {
  id?: string | number;
  properties?: Record<string, unknown> | null;
  geometry: { type: string; coordinates: unknown };
}

/** Snap candidates from the drawn layers: pipes (ends, vertices, lines) and point features as nodes. */
export function candidatesFrom(pipes: readonly MapFeature[], points: readonly MapFeature[]): SnapCandidates {
  return snapCandidates(
    pipes
      .filter((f) => f.geometry?.type === 'LineString')
      .map((f) => ({ id: String(f.properties?.id ?? f.id), coordinates: f.geometry.coordinates as Position[] })),
    points
      .filter((f) => f.geometry?.type === 'Point')
      .map((f) => ({ id: String(f.properties?.id ?? f.id), position: f.geometry.coordinates as Position })),
  );
}

/** A `toCustom` snapping function for a Terra Draw mode: pixel tolerance, nodes before vertices before lines. */
export function networkSnapper(getCandidates: () => SnapCandidates, tolerancePx: () => number, onSnap?: (t: SnapTarget | null) => void) {
  return (event: { containerX: number; containerY: number }, ctx: { project: (lng: number, lat: number) => { x: number; y: number } }): Position | undefined => {
    const project: Project = (p) => ctx.project(p[0], p[1]);
    const t = snapAt({ x: event.containerX, y: event.containerY }, getCandidates(), project, tolerancePx());
    onSnap?.(t);
    return t ? t.position : undefined;
  };
}
