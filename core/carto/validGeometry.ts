/**
 * Only features whose geometry can be drawn: a file edited elsewhere (QGIS,
 * a script) may hold a null geometry or a NaN coordinate, and one such
 * feature must not stop a whole map or atlas. Totals still come from the
 * full data (projectInfo), so they keep matching `warmnet info`.
 */
import type { Position } from '../model/geojson';
import type { ProjectData } from '../model/project';
import type { Feature } from '../model/types';

const okPos = (p: unknown): p is Position => Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
const okLine = (c: unknown, min: number): boolean => Array.isArray(c) && c.length >= min && c.every(okPos);

function ok(f: Feature, type: 'Point' | 'LineString' | 'Polygon'): boolean {
  const g = f.geometry as { type?: string; coordinates?: unknown } | null;
  if (!g || g.type !== type) return false;
  if (type === 'Point') return okPos(g.coordinates);
  if (type === 'LineString') return okLine(g.coordinates, 2);
  return Array.isArray(g.coordinates) && g.coordinates.length > 0 && g.coordinates.every((r) => okLine(r, 4));
}

export function withValidGeometry(data: ProjectData): ProjectData {
  const L = data.layers;
  const keep = <T extends Feature>(fs: T[], type: 'Point' | 'LineString' | 'Polygon'): T[] => (fs.every((f) => ok(f, type)) ? fs : fs.filter((f) => ok(f, type)));
  return {
    ...data,
    layers: {
      heat_sources: keep(L.heat_sources, 'Point'),
      pipes: keep(L.pipes, 'LineString'),
      valves: keep(L.valves, 'Point'),
      stations: keep(L.stations, 'Point'),
      communities: keep(L.communities, 'Polygon'),
      incidents: keep(L.incidents, 'Point'),
      complaints: keep(L.complaints, 'Point'),
      coal_areas: keep(L.coal_areas, 'Polygon'),
      streets: keep(L.streets, 'LineString'),
    },
  };
}
