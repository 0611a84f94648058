/**
 * The snapping behaviour of the pipe-drawing mode, Terra Draw style: built
 * from the features on the map and a `project` function given to it, so the
 * same code is unit-tested with a fake projection and runs on the map with
 * MapLibre's.
 */
import type { Position } from '../../core/model/geojson';
import { snapAt, snapCandidates, type Project, type SnapCandidates, type SnapTarget } from '../../core/geo/snap';
import { clamp } from '../../core/format/number';

/**
 * How close (screen pixels) the cursor must come to a node or vertex to snap,
 * unless the user set it in the drawing tool bar: about a fingertip's width
 * on a mouse. A UI preference (screen pixels, per machine), not an
 * engineering number, so it lives in localStorage and not in the project's
 * settings.
 */
export const DEFAULT_SNAP_PX = 12;
/** Below 2 px nothing snaps by hand; beyond 40 px a click on a dense network snaps to the wrong node. */
export const SNAP_PX_MIN = 2;
export const SNAP_PX_MAX = 40;
/** localStorage key of the user's snap tolerance. */
export const SNAP_PX_KEY = 'warmnet.snapPx';

/** A tolerance the tools can use: whole pixels within the range; anything unreadable gives the default. */
export function clampSnapPx(v: unknown): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'number' ? v : NaN;
  if (!Number.isFinite(n)) return DEFAULT_SNAP_PX;
  return clamp(Math.round(n), SNAP_PX_MIN, SNAP_PX_MAX);
}

/** The stored preference (the default when none, or when storage is unavailable). */
export function loadSnapPx(storage: Pick<Storage, 'getItem'> | undefined): number {
  try {
    return clampSnapPx(storage?.getItem(SNAP_PX_KEY) ?? undefined);
  } catch {
    return DEFAULT_SNAP_PX;
  }
}

/** Store the preference; returns the value kept (clamped). */
export function saveSnapPx(storage: Pick<Storage, 'setItem'> | undefined, v: unknown): number {
  const px = clampSnapPx(v);
  try {
    storage?.setItem(SNAP_PX_KEY, String(px));
  } catch {
    /* private mode or no storage: the value holds for this session only */
  }
  return px;
}

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
/**
 * `toScreen`: where a stored position is drawn (moved into GCJ-02 over a GCJ-02 basemap); the
 * candidates are stored positions, Terra Draw works in the drawn ones.
 */
export function networkSnapper(getCandidates: () => SnapCandidates, tolerancePx: () => number, onSnap?: (t: SnapTarget | null) => void, toScreen: (p: Position) => Position = (p) => p) {
  return (event: { containerX: number; containerY: number }, ctx: { project: (lng: number, lat: number) => { x: number; y: number } }): Position | undefined => {
    const project: Project = (p) => {
      const q = toScreen(p);
      return ctx.project(q[0], q[1]);
    };
    const t = snapAt({ x: event.containerX, y: event.containerY }, getCandidates(), project, tolerancePx());
    onSnap?.(t);
    return t ? toScreen(t.position) : undefined;
  };
}
