/**
 * Renovation projects against the plan (DOMAIN.md §3 item 10): each
 * project's pipe length per level, totals per year, and for one chosen year
 * the km per level and the budget against settings.planTargets, with the
 * items past their deadline. Pure: the projects panel, the ledger and tests
 * read the same numbers.
 */
import type { ProjectData, ProjectRow } from '../model/project';
import { PIPE_LEVELS, PROJECT_STATUSES, type RenovationStatus } from '../model/schema';
import { pipeLengthM } from './info';

/** Project statuses after which an item is done (no longer overdue). */
const DONE = new Set(['completed', 'accepted']);

/** What a linked pipe shows in the renovation theme for its project's status. */
export function renovationStatusFor(projectStatus: string): RenovationStatus {
  switch (projectStatus) {
    case 'building':
      return 'in_progress';
    case 'completed':
    case 'accepted':
      return 'completed';
    default:
      return 'planned';
  }
}

export interface ProjectLength {
  id: string;
  /** km of linked pipe per level (primary, secondary, courtyard). */
  km: Record<string, number>;
  totalKm: number;
  pipes: string[];
}

/** Pipe ids linked to each project: through project_features and through a pipe's own project_id. */
export function pipesByProject(data: Pick<ProjectData, 'projectFeatures' | 'layers'>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (project: string, pipe: string) => {
    let s = out.get(project);
    if (!s) out.set(project, (s = new Set()));
    s.add(pipe);
  };
  const exists = new Set(data.layers.pipes.map((p) => p.id));
  for (const r of data.projectFeatures) if (r.layer === 'pipes' && exists.has(r.feature_id)) add(r.project_id, r.feature_id);
  for (const p of data.layers.pipes) if (typeof p.properties.project_id === 'string' && p.properties.project_id) add(p.properties.project_id, p.id);
  return out;
}

function emptyKm(): Record<string, number> {
  return Object.fromEntries(PIPE_LEVELS.map((l) => [l, 0]));
}

/** km per level of each project's linked pipes. */
export function projectLengths(data: Pick<ProjectData, 'projectFeatures' | 'layers' | 'projects'>): ProjectLength[] {
  const pipes = new Map(data.layers.pipes.map((p) => [p.id, p]));
  const linked = pipesByProject(data);
  return data.projects.map((pr) => {
    const km = emptyKm();
    const ids = [...(linked.get(pr.id) ?? [])];
    for (const id of ids) {
      const p = pipes.get(id)!;
      const level = String(p.properties.level ?? 'unknown');
      km[level] = (km[level] ?? 0) + pipeLengthM(p) / 1000;
    }
    return { id: pr.id, km, totalKm: Object.values(km).reduce((a, b) => a + b, 0), pipes: ids };
  });
}

export interface YearTotals {
  year: number;
  projects: number;
  budgetWan: number;
  km: Record<string, number>;
  totalKm: number;
}

/** Totals per project year (a pipe linked to two projects of one year counts once). */
export function totalsPerYear(data: Pick<ProjectData, 'projectFeatures' | 'layers' | 'projects'>): YearTotals[] {
  const pipes = new Map(data.layers.pipes.map((p) => [p.id, p]));
  const linked = pipesByProject(data);
  const years = [...new Set(data.projects.map((p) => p.year))].sort((a, b) => a - b);
  return years.map((year) => {
    const list = data.projects.filter((p) => p.year === year);
    const ids = new Set<string>();
    for (const p of list) for (const id of linked.get(p.id) ?? []) ids.add(id);
    const km = emptyKm();
    for (const id of ids) {
      const p = pipes.get(id)!;
      const level = String(p.properties.level ?? 'unknown');
      km[level] = (km[level] ?? 0) + pipeLengthM(p) / 1000;
    }
    return {
      year,
      projects: list.length,
      budgetWan: list.reduce((s, p) => s + (typeof p.budget_wan === 'number' ? p.budget_wan : 0), 0),
      km,
      totalKm: Object.values(km).reduce((a, b) => a + b, 0),
    };
  });
}

export interface OverdueItem {
  id: string;
  name: string | null;
  deadline: string;
  status: string;
  daysLate: number;
}

export interface PlanProgress {
  year: number;
  /** km per level of the year's linked pipes. */
  km: Record<string, number>;
  secondaryCourtyardKm: number;
  /** Those km split by project status (planned … accepted), for the progress bar. */
  kmByStatus: Record<string, number>;
  budgetWan: number;
  /** The plan's targets for the year (settings.planTargets), null when none is set. */
  target: { primaryKm: number; secondaryCourtyardKm: number; budgetWan: number } | null;
  /** Achieved / target, null without a target (or a zero one). */
  ratio: { primary: number | null; secondaryCourtyard: number | null; budget: number | null };
  /** The year's projects not completed or accepted whose deadline is before `today`. */
  overdue: OverdueItem[];
  projects: number;
}

const ratio = (a: number, b: number | undefined) => (b ? a / b : null);

/** Progress of the plan year `year` on day `today` (YYYY-MM-DD). */
export function planProgress(data: ProjectData, year: number, today: string): PlanProgress {
  const pipes = new Map(data.layers.pipes.map((p) => [p.id, p]));
  const linked = pipesByProject(data);
  const list = data.projects.filter((p) => p.year === year);
  // A pipe in two of the year's projects counts once, with the furthest-along status.
  const rank = (s: string) => PROJECT_STATUSES.indexOf(s as (typeof PROJECT_STATUSES)[number]);
  const statusOf = new Map<string, string>();
  for (const p of list) {
    for (const id of linked.get(p.id) ?? []) {
      const prev = statusOf.get(id);
      if (prev === undefined || rank(p.status) > rank(prev)) statusOf.set(id, p.status);
    }
  }
  const km = emptyKm();
  const kmByStatus: Record<string, number> = Object.fromEntries(PROJECT_STATUSES.map((s) => [s, 0]));
  for (const [id, status] of statusOf) {
    const p = pipes.get(id)!;
    const k = pipeLengthM(p) / 1000;
    const level = String(p.properties.level ?? 'unknown');
    km[level] = (km[level] ?? 0) + k;
    kmByStatus[status] = (kmByStatus[status] ?? 0) + k;
  }
  const budgetWan = list.reduce((s, p) => s + (typeof p.budget_wan === 'number' ? p.budget_wan : 0), 0);
  const t = data.settings.planTargets?.find((x) => x.year === year);
  const target = t ? { primaryKm: t.primaryKm, secondaryCourtyardKm: t.secondaryCourtyardKm, budgetWan: t.budgetWan } : null;
  const secondaryCourtyardKm = (km.secondary ?? 0) + (km.courtyard ?? 0);
  return {
    year,
    km,
    secondaryCourtyardKm,
    kmByStatus,
    budgetWan,
    target,
    ratio: {
      primary: ratio(km.primary ?? 0, target?.primaryKm),
      secondaryCourtyard: ratio(secondaryCourtyardKm, target?.secondaryCourtyardKm),
      budget: ratio(budgetWan, target?.budgetWan),
    },
    overdue: overdueProjects(list, today),
    projects: list.length,
  };
}

/** Projects not yet completed whose deadline has passed on `today`, latest first. */
export function overdueProjects(projects: readonly ProjectRow[], today: string): OverdueItem[] {
  const day = Date.parse(today + 'T00:00:00Z');
  return projects
    .filter((p) => typeof p.deadline === 'string' && p.deadline < today && !DONE.has(p.status))
    .map((p) => ({
      id: p.id,
      name: p.name,
      deadline: p.deadline!,
      status: p.status,
      daysLate: Math.round((day - Date.parse(p.deadline! + 'T00:00:00Z')) / 86_400_000),
    }))
    .sort((a, b) => b.daysLate - a.daysLate);
}
