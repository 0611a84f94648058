/**
 * Data behind the meeting charts: pipe km by age class and level, incidents
 * per year, renovation progress per month of the plan year, station load
 * ratios. Totals come from the same functions as `warmnet info` and the
 * ledgers (projectInfo, stationOverload), so a chart repeats their numbers.
 */
import { AGE_CLASSES, CLASS_LABELS, ageClass } from '../model/classes';
import type { ProjectData } from '../model/project';
import { INCIDENT_KINDS, PIPE_LEVELS } from '../model/schema';
import { stationOverload } from '../network/stationLoad';
import { AGE_COLORS, FEATURE_COLORS, RENOVATION_COLORS } from '../style/palette';
import { pipeLengthM } from './info';
import { INCIDENT_KIND_ZH, LEVEL_ZH, pipesByProject } from './ledger';
import { maxOf, minOf } from '../arrays';

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

const r3 = (v: number) => Math.round(v * 1000) / 1000;

/** km of pipe per level (bars) and age class (stack); each bar's total is `info.pipes.kmByLevel`. */
export function pipeKmByAgeAndLevel(data: ProjectData, year: number): ChartData {
  const values: Record<string, number[]> = Object.fromEntries(AGE_CLASSES.map((c) => [c, PIPE_LEVELS.map(() => 0)]));
  for (const p of data.layers.pipes) {
    const li = PIPE_LEVELS.indexOf(p.properties.level as (typeof PIPE_LEVELS)[number]);
    if (li < 0) continue;
    values[ageClass(p.properties, data.settings, year)][li] += pipeLengthM(p) / 1000;
  }
  return {
    id: 'pipe-age-level',
    title: `各级管网管龄构成（${year}年）`,
    unit: 'km',
    categories: PIPE_LEVELS.map((l) => LEVEL_ZH[l]),
    series: AGE_CLASSES.map((c) => ({ key: c, label: CLASS_LABELS[c].zh, color: AGE_COLORS[c], values: values[c].map(r3) })),
  };
}

/** Incidents per calendar year (from each incident's date), stacked by kind. */
export function incidentsPerYear(data: ProjectData): ChartData {
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
    title: '历年管网事故次数',
    unit: '次',
    categories: cats.map(String),
    series: INCIDENT_KINDS.map((k) => ({ key: k, label: INCIDENT_KIND_ZH[k], color: colors[k], values: cats.map((y) => byYear.get(y)?.[k] ?? 0) })),
  };
}

const DONE_PROJECT = new Set(['completed', 'accepted']);

/**
 * km of pipe renewed under the plan year's projects, by the month of each
 * project's deadline (时限), split into done / under way / not started, with
 * the cumulative total against the plan target. The bars add up to the plan
 * km of `warmnet info` for that year.
 */
export function renovationProgressByMonth(data: ProjectData, planYear: number): ChartData {
  const projects = new Map(data.projects.filter((p) => p.year === planYear).map((p) => [p.id, p]));
  const lengthKm = new Map(data.layers.pipes.map((p) => [p.id, pipeLengthM(p) / 1000]));
  const renovation = new Map(data.layers.pipes.map((p) => [p.id, String(p.properties.renovation_status ?? 'none')]));
  const months = Array.from({ length: 12 }, (_, i) => `${i + 1}月`);
  const cats = [...months, '未定'];
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
  const cumulative = cats.map((_, i) => r3((acc += series.completed[i] + series.in_progress[i] + series.planned[i])));
  const target = data.settings.planTargets.find((t) => t.year === planYear);
  return {
    id: 'renovation-progress',
    title: `${planYear}年管网改造进度（按时限月份）`,
    unit: 'km',
    categories: cats,
    series: [
      { key: 'completed', label: '已完成', color: RENOVATION_COLORS.completed, values: series.completed.map(r3) },
      { key: 'in_progress', label: '施工中', color: RENOVATION_COLORS.in_progress, values: series.in_progress.map(r3) },
      { key: 'planned', label: '未开工', color: RENOVATION_COLORS.planned, values: series.planned.map(r3) },
    ],
    cumulative: { label: '累计', color: '#34495e', values: cumulative },
    references: target ? [{ value: target.primaryKm + target.secondaryCourtyardKm, label: `计划 ${target.primaryKm + target.secondaryCourtyardKm} km`, color: '#c0392b' }] : undefined,
  };
}

/** Connected load / design capacity per station, coloured by overload status. */
export function stationLoadRatios(data: ProjectData): ChartData {
  // Highest load first: the stations a meeting needs to talk about lead the chart.
  const rows = stationOverload(data).filter((s) => s.ratio !== null).sort((a, b) => (b.ratio ?? 0) - (a.ratio ?? 0));
  const color = (st: string) => (st === 'overloaded' ? '#c0392b' : st === 'near_limit' ? '#f39c12' : '#1b9e77');
  return {
    id: 'station-load',
    title: '换热站负荷率（连接负荷 / 设计负荷）',
    unit: '',
    categories: rows.map((s) => s.name ?? s.id),
    series: [{ key: 'ratio', label: '负荷率', color: '#1b9e77', values: rows.map((s) => Math.round((s.ratio ?? 0) * 1000) / 1000) }],
    barColors: rows.map((s) => color(s.status)),
    references: [
      { value: data.settings.stationOverloadRatio, label: `超载 ${data.settings.stationOverloadRatio}`, color: '#c0392b' },
      { value: data.settings.stationNearLimitRatio, label: `临界 ${data.settings.stationNearLimitRatio}`, color: '#f39c12' },
    ],
    note: `${rows.filter((s) => s.status === 'overloaded').length} 座超载（小马拉大车），${rows.filter((s) => s.status === 'near_limit').length} 座接近满负荷`,
  };
}

export function allCharts(data: ProjectData, year: number, planYear: number): ChartData[] {
  return [pipeKmByAgeAndLevel(data, year), incidentsPerYear(data), renovationProgressByMonth(data, planYear), stationLoadRatios(data)];
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
    plannedKm: r3(sum('completed') + sum('in_progress') + sum('planned')),
    completedKm: r3(sum('completed')),
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
