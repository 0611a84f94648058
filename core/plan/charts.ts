/**
 * Data behind the meeting charts: pipe km by age class and level, incidents
 * per year, renovation progress per month of the plan year, station load
 * ratios. Totals come from the same functions as `warmnet info` and the
 * ledgers (projectInfo, stationOverload), so a chart repeats their numbers.
 */
import { AGE_CLASSES, CLASS_LABELS, ageClass } from '../model/classes';
import type { ProjectData } from '../model/project';
import { INCIDENT_KINDS, INCIDENT_KIND_LABELS, PIPE_LEVELS, PIPE_LEVEL_LABELS, RENOVATION_STATUS_LABELS } from '../model/schema';
import { stationOverload } from '../network/stationLoad';
import { AGE_COLORS, FEATURE_COLORS, RENOVATION_COLORS } from '../style/palette';
import { pipeLengthM } from './info';
import { pipesByProject } from './ledger';
import { LOCALE, t, type Lang } from '../i18n';
import { maxOf, minOf } from '../arrays';
import { roundTo } from '../format/number';

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
  values: number[];
}

export interface ChartData {
  id: 'pipe-age-level' | 'incidents-per-year' | 'renovation-progress' | 'station-load';
  title: string;
  unit: string;
  categories: string[];
  /** Categories are data (station names), not words of the app. */
  categoriesAreData?: boolean;
  /** Stacked bars: one series per stack layer; one series = plain bars. */
  series: ChartSeries[];
  /** Per-bar colours overriding the series colour (station load by status). */
  barColors?: string[];
  /** Horizontal reference lines (plan target, overload ratio). */
  references?: { value: number; label: string; color: string }[];
  /** Cumulative line over the bars (renovation progress). */
  cumulative?: { label: string; color: string; values: number[] };
  note?: string;
}

/** km of pipe per level (bars) and age class (stack); each bar's total is `info.pipes.kmByLevel`. */
export function pipeKmByAgeAndLevel(data: ProjectData, year: number, lang: Lang = 'zh'): ChartData {
  const values: Record<string, number[]> = Object.fromEntries(AGE_CLASSES.map((c) => [c, PIPE_LEVELS.map(() => 0)]));
  for (const p of data.layers.pipes) {
    const li = PIPE_LEVELS.indexOf(p.properties.level as (typeof PIPE_LEVELS)[number]);
    if (li < 0) continue;
    values[ageClass(p.properties, data.settings, year)][li] += pipeLengthM(p) / 1000;
  }
  return {
    id: 'pipe-age-level',
    title: t(lang, 'chart.ageLevel.title', { year }),
    unit: 'km',
    categories: PIPE_LEVELS.map((l) => PIPE_LEVEL_LABELS[l][lang]),
    series: AGE_CLASSES.map((c) => ({ key: c, label: CLASS_LABELS[c][lang], color: AGE_COLORS[c], values: values[c].map((v) => roundTo(v, 3)) })),
  };
}

/** Incidents per calendar year (from each incident's date), stacked by kind. */
export function incidentsPerYear(data: ProjectData, lang: Lang = 'zh'): ChartData {
  const byYear = new Map<number, Record<string, number>>();
  for (const i of data.layers.incidents) {
    const y = Number(String(i.properties.date ?? '').slice(0, 4));
    if (!Number.isInteger(y) || y < 1900) continue;
    const kind = (INCIDENT_KINDS as readonly string[]).includes(String(i.properties.kind)) ? String(i.properties.kind) : 'leak';
    const row = byYear.get(y) ?? byYear.set(y, {}).get(y)!;
    row[kind] = (row[kind] ?? 0) + 1;
  }
  const years = [...byYear.keys()];
  const first = years.length ? minOf(years) : 0;
  const last = years.length ? maxOf(years) : -1;
  const cats: number[] = [];
  for (let y = first; y <= last; y++) cats.push(y);
  const colors: Record<string, string> = { leak: FEATURE_COLORS.incident, burst: '#a50026', valve_failure: FEATURE_COLORS.valveOpen };
  return {
    id: 'incidents-per-year',
    title: t(lang, 'chart.incidents.title'),
    unit: t(lang, 'chart.incidents.unit'),
    categories: cats.map(String),
    series: INCIDENT_KINDS.map((k) => ({ key: k, label: INCIDENT_KIND_LABELS[k][lang], color: colors[k], values: cats.map((y) => byYear.get(y)?.[k] ?? 0) })),
  };
}

const DONE_PROJECT = new Set(['completed', 'accepted']);

/**
 * km of pipe renewed under the plan year's projects, by the month of each
 * project's deadline (时限), split into done / under way / not started, with
 * the cumulative total against the plan target. The bars add up to the plan
 * km of `warmnet info` for that year.
 */
export function renovationProgressByMonth(data: ProjectData, planYear: number, lang: Lang = 'zh'): ChartData {
  const projects = new Map(data.projects.filter((p) => p.year === planYear).map((p) => [p.id, p]));
  const lengthKm = new Map(data.layers.pipes.map((p) => [p.id, pipeLengthM(p) / 1000]));
  const renovation = new Map(data.layers.pipes.map((p) => [p.id, String(p.properties.renovation_status ?? 'none')]));
  const monthName = new Intl.DateTimeFormat(LOCALE[lang], { month: 'short', timeZone: 'UTC' });
  const months = Array.from({ length: 12 }, (_, i) => monthName.format(Date.UTC(2000, i, 15)));
  const cats = [...months, t(lang, 'chart.noDate')];
  const series = {
    completed: cats.map(() => 0),
    in_progress: cats.map(() => 0),
    planned: cats.map(() => 0),
  };
  const seen = new Set<string>();
  for (const [pid, ids] of pipesByProject(data)) {
    const prj = projects.get(pid);
    if (!prj) continue;
    const d = prj.deadline ?? '';
    const m = d.startsWith(String(planYear)) ? Number(d.slice(5, 7)) : NaN;
    // A deadline outside the plan year (or none) is shown apart rather than guessed into a month.
    const slot = Number.isInteger(m) && m >= 1 && m <= 12 ? m - 1 : 12;
    for (const id of ids) {
      // A pipe linked to several projects of the year counts once, as in `warmnet info`.
      if (seen.has(id)) continue;
      seen.add(id);
      const km = lengthKm.get(id) ?? 0;
      const rs = renovation.get(id);
      const state = rs === 'completed' || DONE_PROJECT.has(prj.status) ? 'completed' : rs === 'in_progress' || prj.status === 'building' ? 'in_progress' : 'planned';
      series[state][slot] += km;
    }
  }
  let acc = 0;
  const cumulative = cats.map((_, i) => roundTo((acc += series.completed[i] + series.in_progress[i] + series.planned[i]), 3));
  const target = data.settings.planTargets.find((t) => t.year === planYear);
  return {
    id: 'renovation-progress',
    title: t(lang, 'chart.progress.title', { year: planYear }),
    unit: 'km',
    categories: cats,
    series: [
      { key: 'completed', label: RENOVATION_STATUS_LABELS.completed[lang], color: RENOVATION_COLORS.completed, values: series.completed.map((v) => roundTo(v, 3)) },
      { key: 'in_progress', label: RENOVATION_STATUS_LABELS.in_progress[lang], color: RENOVATION_COLORS.in_progress, values: series.in_progress.map((v) => roundTo(v, 3)) },
      { key: 'planned', label: RENOVATION_STATUS_LABELS.planned[lang], color: RENOVATION_COLORS.planned, values: series.planned.map((v) => roundTo(v, 3)) },
    ],
    cumulative: { label: t(lang, 'chart.cumulative'), color: '#34495e', values: cumulative },
    references: target ? [{ value: target.primaryKm + target.secondaryCourtyardKm, label: t(lang, 'chart.planKm', { km: target.primaryKm + target.secondaryCourtyardKm }), color: '#c0392b' }] : undefined,
  };
}

/** Connected load / design capacity per station, coloured by overload status. */
export function stationLoadRatios(data: ProjectData, lang: Lang = 'zh'): ChartData {
  // Highest load first: the stations a meeting needs to talk about lead the chart.
  const rows = stationOverload(data).filter((s) => s.ratio !== null).sort((a, b) => (b.ratio ?? 0) - (a.ratio ?? 0));
  const color = (st: string) => (st === 'overloaded' ? '#c0392b' : st === 'near_limit' ? '#f39c12' : '#1b9e77');
  return {
    id: 'station-load',
    title: t(lang, 'chart.stationLoad.title'),
    unit: '',
    categories: rows.map((s) => s.name ?? s.id),
    categoriesAreData: true,
    series: [{ key: 'ratio', label: t(lang, 'chart.loadRatio'), color: '#1b9e77', values: rows.map((s) => Math.round((s.ratio ?? 0) * 1000) / 1000) }],
    barColors: rows.map((s) => color(s.status)),
    references: [
      { value: data.settings.stationOverloadRatio, label: t(lang, 'chart.overloaded', { r: data.settings.stationOverloadRatio }), color: '#c0392b' },
      { value: data.settings.stationNearLimitRatio, label: t(lang, 'chart.nearLimit', { r: data.settings.stationNearLimitRatio }), color: '#f39c12' },
    ],
    note: t(lang, 'chart.stationLoad.note', { over: rows.filter((s) => s.status === 'overloaded').length, near: rows.filter((s) => s.status === 'near_limit').length }),
  };
}

export function allCharts(data: ProjectData, year: number, planYear: number, lang: Lang = 'zh'): ChartData[] {
  return [pipeKmByAgeAndLevel(data, year, lang), incidentsPerYear(data, lang), renovationProgressByMonth(data, planYear, lang), stationLoadRatios(data, lang)];
}

/** The strip of key figures of the presentation mode. */
export interface KeyFigures {
  planYear: number;
  /** km of pipe linked to the plan year's projects, and the part already completed. */
  plannedKm: number;
  completedKm: number;
  targetKm: number | null;
  budgetWan: number;
  targetBudgetWan: number | null;
  stationsOverloaded: number;
  stationsNearLimit: number;
  /** Loop-connection options found (null when not computed). */
  loopOptions: number | null;
}

export function keyFigures(data: ProjectData, planYear: number, loopOptions: number | null = null): KeyFigures {
  const progress = renovationProgressByMonth(data, planYear);
  const sum = (key: string) => progress.series.find((s) => s.key === key)!.values.reduce((a, b) => a + b, 0);
  const target = data.settings.planTargets.find((t) => t.year === planYear);
  const stations = stationOverload(data);
  return {
    planYear,
    plannedKm: roundTo(sum('completed') + sum('in_progress') + sum('planned'), 3),
    completedKm: roundTo(sum('completed'), 3),
    targetKm: target ? target.primaryKm + target.secondaryCourtyardKm : null,
    budgetWan: Math.round(data.projects.filter((p) => p.year === planYear).reduce((s, p) => s + (p.budget_wan ?? 0), 0) * 100) / 100,
    targetBudgetWan: target ? target.budgetWan : null,
    stationsOverloaded: stations.filter((s) => s.status === 'overloaded').length,
    stationsNearLimit: stations.filter((s) => s.status === 'near_limit').length,
    loopOptions,
  };
}

/**
 * The plan year charts and key figures show by default: the latest year with
 * a plan target (the figures then have something to be measured against),
 * else the latest year with projects, else `fallback`.
 */
export function defaultPlanYear(data: Pick<ProjectData, 'settings' | 'projects'>, fallback: number): number {
  const targets = data.settings.planTargets.map((t) => t.year);
  if (targets.length) return maxOf(targets);
  const years = data.projects.map((p) => p.year);
  return years.length ? maxOf(years) : fallback;
}
