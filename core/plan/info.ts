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
import type { ProjectData, ProjectRow } from '../model/project';
import type { Settings } from '../model/settings';
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

function add(t: Record<string, ClassTotal>, key: string, count: number, km: number): void {
  (t[key] ??= { count: 0, km: 0 }).count += count;
  t[key].km += km;
}

/** Pipe fields the classes of the totals are read from: a store can total pipes reading only these and the geometry. */
export const PIPE_CLASS_FIELDS = ['install_year', 'design_life_years', 'leak_count_5y', 'water_loss_rate', 'renovation_status', 'level', 'status'] as const;

/** Separates the parts of a class key (a character no class name holds). */
const KEY_SEP = '\u001f';

/**
 * The classes a pipe counts in (age, leakage, renovation, level, status) as one
 * key: pipes with equal keys are totalled together, here or in a store's SQL.
 */
export function pipeClassKey(p: Record<string, unknown>, settings: Settings, year: number): string {
  // An unset renovation status is the schema default: none.
  const renovation = typeof p.renovation_status === 'string' ? p.renovation_status : 'none';
  const level = typeof p.level === 'string' ? p.level : 'unknown';
  const status = typeof p.status === 'string' ? p.status : 'unknown';
  return [ageClass(p, settings, year), leakClass(p, settings), renovation, level, status].join(KEY_SEP);
}

/** Level under which a pipe counts in the plan totals. */
export function planLevel(level: unknown): string {
  return String(level ?? 'unknown');
}

/** Pipe totals the summary is made of; from the features (pipeTotals) or from a store's SQL aggregates. */
export interface PipeTotals {
  /** Count and km per class key (pipeClassKey). */
  classes: { key: string; count: number; km: number }[];
  /** Per project year and plan level: pipes linked to that year's projects (through project_features or their project_id; each pipe once per year) and their km. */
  linked: { year: number; level: string; pipes: number; km: number }[];
}

/** The pipe totals from the features themselves. */
export function pipeTotals(data: ProjectData, year: number): PipeTotals {
  const byKey = new Map<string, { key: string; count: number; km: number }>();
  const lengthKm = new Map<string, number>();
  for (const pipe of data.layers.pipes) {
    const km = pipeLengthM(pipe) / 1000;
    lengthKm.set(pipe.id, km);
    const key = pipeClassKey(pipe.properties, data.settings, year);
    const g = byKey.get(key);
    if (g) {
      g.count++;
      g.km += km;
    } else byKey.set(key, { key, count: 1, km });
  }
  const levelOf = new Map(data.layers.pipes.map((p) => [p.id, planLevel(p.properties.level)]));
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
  const linked: PipeTotals['linked'] = [];
  for (const [y, ids] of pipesByYear) {
    const perLevel = new Map<string, { year: number; level: string; pipes: number; km: number }>();
    for (const id of ids) {
      const level = levelOf.get(id) ?? 'unknown';
      const t = perLevel.get(level) ?? { year: y, level, pipes: 0, km: 0 };
      t.pipes++;
      t.km += lengthKm.get(id) ?? 0;
      perLevel.set(level, t);
    }
    for (const t of perLevel.values()) linked.push(t);
  }
  return { classes: [...byKey.values()], linked };
}

/** What the summary is made of, without the features: layer counts, extent, projects and pipe totals. */
export interface InfoParts {
  features: Record<LayerName, number>;
  bbox: BBox | null;
  projects: ProjectRow[];
  projectLinks: number;
  settings: Settings;
  pipes: PipeTotals;
}

export function projectInfo(data: ProjectData, year: number): ProjectInfo {
  const features = Object.fromEntries(LAYER_NAMES.map((n) => [n, data.layers[n]?.length ?? 0])) as Record<LayerName, number>;
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
  return infoFromParts({ features, bbox, projects: data.projects, projectLinks: data.projectFeatures.length, settings: data.settings, pipes: pipeTotals(data, year) }, year);
}

/** The summary from its parts (a store computes them in SQL at any size; projectInfo from the features). */
export function infoFromParts(parts: InfoParts, year: number): ProjectInfo {
  const themes = {
    age: classes(AGE_CLASSES),
    leakage: classes(LEAK_CLASSES),
    renovation: classes(RENOVATION_STATUSES),
    level: classes(PIPE_LEVELS),
  };
  const status = classes(PIPE_STATUSES);
  let totalKm = 0;
  let count = 0;
  // in key order, so that classes outside the schema's lists come in the same order from either source
  for (const g of [...parts.pipes.classes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const [age, leakage, renovation, level, st] = g.key.split(KEY_SEP);
    count += g.count;
    totalKm += g.km;
    add(themes.age, age, g.count, g.km);
    add(themes.leakage, leakage, g.count, g.km);
    add(themes.renovation, renovation, g.count, g.km);
    add(themes.level, level, g.count, g.km);
    add(status, st, g.count, g.km);
  }
  const kmOf = (t: Record<string, ClassTotal>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.km]));

  return {
    year,
    features: parts.features,
    projects: parts.projects.length,
    projectLinks: parts.projectLinks,
    pipes: {
      count,
      km: totalKm,
      kmByLevel: kmOf(themes.level),
      kmByAgeClass: kmOf(themes.age),
      kmByStatus: kmOf(status),
    },
    themes,
    bbox: parts.bbox,
    plan: planTotals(parts),
  };
}

/** Totals per project year; a pipe linked to several projects of one year counts once. */
function planTotals(parts: InfoParts): PlanYearTotals[] {
  const years = [...new Set(parts.projects.map((p) => p.year))].sort((a, b) => a - b);
  return years.map((year) => {
    const projects = parts.projects.filter((p) => p.year === year);
    const budgetWanByKind: Record<string, number> = {};
    let budgetWan = 0;
    for (const p of projects) {
      const b = typeof p.budget_wan === 'number' ? p.budget_wan : 0;
      budgetWan += b;
      budgetWanByKind[p.kind ?? 'unknown'] = (budgetWanByKind[p.kind ?? 'unknown'] ?? 0) + b;
    }
    const km: Record<string, number> = Object.fromEntries(PIPE_LEVELS.map((l) => [l, 0]));
    let pipes = 0;
    for (const t of parts.pipes.linked) {
      if (t.year !== year) continue;
      km[t.level] = (km[t.level] ?? 0) + t.km;
      pipes += t.pipes;
    }
    const secondaryCourtyardKm = (km.secondary ?? 0) + (km.courtyard ?? 0);
    const totalKm = Object.values(km).reduce((s, v) => s + v, 0);
    const t = parts.settings.planTargets?.find((p) => p.year === year);
    return {
      year,
      projects: projects.length,
      budgetWan,
      budgetWanByKind,
      km,
      secondaryCourtyardKm,
      totalKm,
      pipes,
      ...(t ? { target: { primaryKm: t.primaryKm, secondaryCourtyardKm: t.secondaryCourtyardKm, budgetWan: t.budgetWan, pipeBudgetWan: t.pipeBudgetWan } } : {}),
    };
  });
}
