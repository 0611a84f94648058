/**
 * Project summary (`warmnet info`): features per layer, km of pipe by level,
 * age class, status, the four pipe themes of the map legend, the extent, and
 * plan totals per project year. Pure: the map legend and the dashboard use
 * the same numbers.
 */
import { envelopeOf } from '../geo/gpkgGeometry';
import { lineLengthM } from '../geo/length';
import { AGE_CLASSES, LEAK_CLASSES, ageClass, leakClass } from '../model/classes';
import type { BBox, Position } from '../model/geojson';
import type { ProjectData } from '../model/project';
import { LAYER_NAMES, PIPE_LEVELS, PIPE_STATUSES, RENOVATION_STATUSES, type LayerName } from '../model/schema';
import type { Feature } from '../model/types';

/** Count and kilometres of pipe in one class. */
export interface ClassTotal {
  count: number;
  km: number;
}

export interface PlanYearTotals {
  year: number;
  projects: number;
  /** Sum of budget_wan of the year's projects, 万元. */
  budgetWan: number;
  /** Budget by project kind (pipe, boiler, …), 万元. */
  budgetWanByKind: Record<string, number>;
  /** Pipes linked to the year's projects (through project_features or their project_id), km by level. */
  km: Record<string, number>;
  /** secondary + courtyard, km. */
  secondaryCourtyardKm: number;
  totalKm: number;
  pipes: number;
  /** The year's target from settings.planTargets, when one is set. */
  target?: { primaryKm: number; secondaryCourtyardKm: number; budgetWan: number; pipeBudgetWan: number };
}

export interface ProjectInfo {
  /** Year used for age classes. */
  year: number;
  features: Record<LayerName, number>;
  projects: number;
  projectLinks: number;
  pipes: {
    count: number;
    km: number;
    kmByLevel: Record<string, number>;
    kmByAgeClass: Record<string, number>;
    kmByStatus: Record<string, number>;
  };
  /** Per pipe theme of the map: count and km per class (the legend shows exactly these). */
  themes: {
    age: Record<string, ClassTotal>;
    leakage: Record<string, ClassTotal>;
    renovation: Record<string, ClassTotal>;
    level: Record<string, ClassTotal>;
  };
  /** Extent of all layers, [minLon, minLat, maxLon, maxLat]; null for an empty project. */
  bbox: BBox | null;
  plan: PlanYearTotals[];
}

/**
 * Geodesic length of a pipe in metres, from its geometry: a stored length_m
 * may be stale when another program (QGIS) moved the line, so it is only
 * the fallback for a pipe without geometry.
 */
export function pipeLengthM(pipe: Feature): number {
  if (pipe.geometry?.type === 'LineString') return lineLengthM(pipe.geometry.coordinates as Position[]);
  const l = pipe.properties.length_m;
  return typeof l === 'number' && Number.isFinite(l) ? l : 0;
}

function classes(keys: readonly string[]): Record<string, ClassTotal> {
  return Object.fromEntries(keys.map((k) => [k, { count: 0, km: 0 }]));
}

function add(t: Record<string, ClassTotal>, key: string, km: number): void {
  (t[key] ??= { count: 0, km: 0 }).count++;
  t[key].km += km;
}

export function projectInfo(data: ProjectData, year: number): ProjectInfo {
  const settings = data.settings;
  const features = Object.fromEntries(LAYER_NAMES.map((n) => [n, data.layers[n]?.length ?? 0])) as Record<LayerName, number>;

  const themes = {
    age: classes(AGE_CLASSES),
    leakage: classes(LEAK_CLASSES),
    renovation: classes(RENOVATION_STATUSES),
    level: classes(PIPE_LEVELS),
  };
  const status = classes(PIPE_STATUSES);
  const lengthKm = new Map<string, number>();
  let totalKm = 0;
  for (const pipe of data.layers.pipes) {
    const km = pipeLengthM(pipe) / 1000;
    const p = pipe.properties;
    lengthKm.set(pipe.id, km);
    totalKm += km;
    add(themes.age, ageClass(p, settings, year), km);
    add(themes.leakage, leakClass(p, settings), km);
    // An unset renovation status is the schema default: none.
    add(themes.renovation, typeof p.renovation_status === 'string' ? p.renovation_status : 'none', km);
    add(themes.level, typeof p.level === 'string' ? p.level : 'unknown', km);
    add(status, typeof p.status === 'string' ? p.status : 'unknown', km);
  }
  const kmOf = (t: Record<string, ClassTotal>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.km]));

  let bbox: BBox | null = null;
  for (const name of LAYER_NAMES) {
    for (const f of data.layers[name] ?? []) {
      const e = f.geometry ? envelopeOf(f.geometry) : null;
      if (!e) continue;
      bbox = bbox
        ? [Math.min(bbox[0], e.minX), Math.min(bbox[1], e.minY), Math.max(bbox[2], e.maxX), Math.max(bbox[3], e.maxY)]
        : [e.minX, e.minY, e.maxX, e.maxY];
    }
  }

  return {
    year,
    features,
    projects: data.projects.length,
    projectLinks: data.projectFeatures.length,
    pipes: {
      count: data.layers.pipes.length,
      km: totalKm,
      kmByLevel: kmOf(themes.level),
      kmByAgeClass: kmOf(themes.age),
      kmByStatus: kmOf(status),
    },
    themes,
    bbox,
    plan: planTotals(data, lengthKm),
  };
}

/** Totals per project year; a pipe linked to several projects of one year counts once. */
function planTotals(data: ProjectData, lengthKm: Map<string, number>): PlanYearTotals[] {
  const levelOf = new Map(data.layers.pipes.map((p) => [p.id, String(p.properties.level ?? 'unknown')]));
  const yearOf = new Map(data.projects.map((p) => [p.id, p.year]));
  const pipesByYear = new Map<number, Set<string>>();
  const link = (projectId: unknown, pipeId: string) => {
    const y = typeof projectId === 'string' ? yearOf.get(projectId) : undefined;
    if (y === undefined || !lengthKm.has(pipeId)) return;
    let s = pipesByYear.get(y);
    if (!s) pipesByYear.set(y, (s = new Set()));
    s.add(pipeId);
  };
  for (const r of data.projectFeatures) if (r.layer === 'pipes') link(r.project_id, r.feature_id);
  for (const p of data.layers.pipes) link(p.properties.project_id, p.id);

  const years = [...new Set(data.projects.map((p) => p.year))].sort((a, b) => a - b);
  return years.map((year) => {
    const projects = data.projects.filter((p) => p.year === year);
    const budgetWanByKind: Record<string, number> = {};
    let budgetWan = 0;
    for (const p of projects) {
      const b = typeof p.budget_wan === 'number' ? p.budget_wan : 0;
      budgetWan += b;
      budgetWanByKind[p.kind ?? 'unknown'] = (budgetWanByKind[p.kind ?? 'unknown'] ?? 0) + b;
    }
    const km: Record<string, number> = Object.fromEntries(PIPE_LEVELS.map((l) => [l, 0]));
    const ids = pipesByYear.get(year) ?? new Set<string>();
    for (const id of ids) {
      const level = levelOf.get(id) ?? 'unknown';
      km[level] = (km[level] ?? 0) + (lengthKm.get(id) ?? 0);
    }
    const secondaryCourtyardKm = (km.secondary ?? 0) + (km.courtyard ?? 0);
    const totalKm = Object.values(km).reduce((s, v) => s + v, 0);
    const t = data.settings.planTargets?.find((p) => p.year === year);
    return {
      year,
      projects: projects.length,
      budgetWan,
      budgetWanByKind,
      km,
      secondaryCourtyardKm,
      totalKm,
      pipes: ids.size,
      ...(t ? { target: { primaryKm: t.primaryKm, secondaryCourtyardKm: t.secondaryCourtyardKm, budgetWan: t.budgetWan, pipeBudgetWan: t.pipeBudgetWan } } : {}),
    };
  });
}
