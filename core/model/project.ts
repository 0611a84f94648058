/**
 * A whole project as plain data: what the store reads out of a GeoPackage
 * and what every analysis in core/ takes as input. No driver, no I/O.
 */
import type { Feature, LineStringGeom, PointGeom, PolygonGeom } from './types';
import type { LayerName } from './schema';
import type { Settings } from './settings';

export type { Feature };

/** A row of the `projects` table (renovation / construction item of the plan). */
export interface ProjectRow {
  id: string;
  name: string | null;
  year: number;
  kind: string;
  problem: string | null;
  task: string | null;
  measure: string | null;
  responsible: string | null;
  deadline: string | null;
  status: string;
  budget_wan: number | null;
}

/** A row of `project_features`: a project ↔ feature link. */
export interface ProjectFeatureRow {
  project_id: string;
  layer: LayerName;
  feature_id: string;
}

export interface ProjectData {
  layers: {
    heat_sources: Feature<PointGeom>[];
    pipes: Feature<LineStringGeom>[];
    valves: Feature<PointGeom>[];
    stations: Feature<PointGeom>[];
    communities: Feature<PolygonGeom>[];
    incidents: Feature<PointGeom>[];
    complaints: Feature<PointGeom>[];
    coal_areas: Feature<PolygonGeom>[];
    streets: Feature<LineStringGeom>[];
  };
  projects: ProjectRow[];
  projectFeatures: ProjectFeatureRow[];
  settings: Settings;
}

export function emptyLayers(): ProjectData['layers'] {
  return {
    heat_sources: [],
    pipes: [],
    valves: [],
    stations: [],
    communities: [],
    incidents: [],
    complaints: [],
    coal_areas: [],
    streets: [],
  };
}
