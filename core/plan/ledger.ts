/**
 * Ledgers as plain tables (DOMAIN.md §1: 一小区一清单 and the plan's
 * 问题 / 任务 / 措施 / 责任单位 / 时限 list). The xlsx and CSV writers and
 * the community atlas all lay out these same tables; every total comes from
 * `projectInfo` so a ledger and `warmnet info` cannot disagree.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { AGE_CLASSES, CLASS_LABELS, ageClass, leakClass, pipeAge } from '../model/classes';
import type { Position } from '../model/geojson';
import type { ProjectData, ProjectRow } from '../model/project';
import { t, unitText, type Lang } from '../i18n';
import { PIPE_LEVELS, YES_NO_LABELS, fieldDef, layerDef, valueLabel } from '../model/schema';
import type { Feature, LineStringGeom, PointGeom, PolygonGeom } from '../model/types';
import { communityLoadMW } from '../network/loads';
import { stationOverload } from '../network/stationLoad';
import { projectInfo, pipeLengthM, type ProjectInfo } from './info';
import { withValidGeometry } from '../carto/validGeometry';
import { bboxOfCoords } from '../carto/projection';
import { roundTo } from '../format/number';

export type Cell = string | number | null;

/**
 * Numbers are kept at full precision (a total in the workbook equals the one
 * `warmnet info` prints); `numFmt` says how many decimals to show.
 */
export interface LedgerColumn {
  key: string;
  header: string;
  /** Column width in characters (xlsx) — a CJK character counts two. */
  width?: number;
  /** Excel number format for numeric cells (`0.00`, `#,##0`). */
  numFmt?: string;
}

/** One titled table inside a sheet. */
export interface LedgerBlock {
  title?: string;
  columns: LedgerColumn[];
  rows: Record<string, Cell>[];
  /** A closing 合计 row. */
  totals?: Record<string, Cell>;
}

export interface LedgerSheet {
  /** Sheet name (unique, ≤ 31 characters, none of []:*?/\). */
  name: string;
  /** Title line above the first block. */
  title: string;
  blocks: LedgerBlock[];
  /** Community id for 一小区一清单 sheets. */
  communityId?: string;
}

export interface Ledger {
  sheets: LedgerSheet[];
  info: ProjectInfo;
}

/** Header of a column that is a schema field: its label in `lang`, with the unit if any. */
function fieldHeader(owner: string, field: string, lang: Lang): string {
  const f = fieldDef(owner, field)!;
  const unit = unitText(lang, f.unit);
  return unit ? `${f.label[lang]}(${unit})` : f.label[lang];
}

const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const textOrNull = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

// ---- geometry tests for "what lies in a community" -------------------------

/** Inside the outline and outside its holes (Turf's planar test, as the map draws it). */
export function pointInPolygon(p: Position, poly: PolygonGeom): boolean {
  return booleanPointInPolygon(p as [number, number], poly);
}

function segmentsCross(a: Position, b: Position, c: Position, d: Position): boolean {
  const o = (p: Position, q: Position, r: Position) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  return o(a, b, c) !== o(a, b, d) && o(c, d, a) !== o(c, d, b);
}

/** A pipe belongs to a community's list when any part of it lies inside the community's outline. */
export function lineTouchesPolygon(line: readonly Position[], poly: PolygonGeom): boolean {
  if (line.some((p) => pointInPolygon(p, poly))) return true;
  const outer = poly.coordinates[0] ?? [];
  for (let i = 1; i < line.length; i++)
    for (let j = 1; j < outer.length; j++) if (segmentsCross(line[i - 1], line[i], outer[j - 1], outer[j])) return true;
  return false;
}

// ---- the plan's project list --------------------------------------------------

/** Pipe ids linked to each project (project_features or the pipe's own project_id). */
export function pipesByProject(data: ProjectData): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (pid: unknown, fid: string) => {
    if (typeof pid !== 'string' || !pid) return;
    let s = out.get(pid);
    if (!s) out.set(pid, (s = new Set()));
    s.add(fid);
  };
  const pipeIds = new Set(data.layers.pipes.map((p) => p.id));
  for (const r of data.projectFeatures) if (r.layer === 'pipes' && pipeIds.has(r.feature_id)) add(r.project_id, r.feature_id);
  for (const p of data.layers.pipes) add(p.properties.project_id, p.id);
  return out;
}

/** Columns of the plan's project list; headers in `lang`. */
export function projectColumns(lang: Lang): LedgerColumn[] {
  const h = (f: string) => fieldHeader('projects', f, lang);
  return [
    { key: 'no', header: t(lang, 'ledger.col.no'), width: 6 },
    { key: 'id', header: t(lang, 'ledger.col.projectId'), width: 12 },
    { key: 'name', header: t(lang, 'ledger.col.projectName'), width: 26 },
    { key: 'year', header: h('year'), width: 7 },
    { key: 'kind', header: h('kind'), width: 9 },
    { key: 'problem', header: h('problem'), width: 30 },
    { key: 'task', header: h('task'), width: 30 },
    { key: 'measure', header: h('measure'), width: 30 },
    { key: 'responsible', header: h('responsible'), width: 16 },
    { key: 'deadline', header: h('deadline'), width: 12 },
    { key: 'status', header: h('status'), width: 9 },
    { key: 'budget_wan', header: t(lang, 'ledger.col.budgetWan'), width: 12, numFmt: '#,##0.00' },
    { key: 'pipe_km', header: t(lang, 'ledger.col.pipeKm'), width: 13, numFmt: '0.000' },
  ];
}

function projectRow(p: ProjectRow, i: number, km: number, lang: Lang): Record<string, Cell> {
  const vl = (field: string, v: unknown) => valueLabel('projects', field, v, lang);
  return {
    no: i + 1,
    id: p.id,
    name: p.name,
    year: p.year,
    kind: vl('kind', p.kind),
    problem: p.problem,
    task: p.task,
    measure: p.measure,
    responsible: p.responsible,
    deadline: p.deadline,
    status: vl('status', p.status),
    budget_wan: numOrNull(p.budget_wan),
    pipe_km: km,
  };
}

export function projectListBlock(data: ProjectData, projects: ProjectRow[] = data.projects, lang: Lang = 'zh'): LedgerBlock {
  const lengthKm = new Map(data.layers.pipes.map((p) => [p.id, pipeLengthM(p) / 1000]));
  const linked = pipesByProject(data);
  const sorted = [...projects].sort((a, b) => a.year - b.year || a.id.localeCompare(b.id));
  const rows = sorted.map((p, i) => projectRow(p, i, [...(linked.get(p.id) ?? [])].reduce((s, id) => s + (lengthKm.get(id) ?? 0), 0), lang));
  const budget = sorted.reduce((s, p) => s + (numOrNull(p.budget_wan) ?? 0), 0);
  return {
    columns: projectColumns(lang),
    rows,
    totals: { no: t(lang, 'common.total'), name: t(lang, 'ledger.nProjects', { n: sorted.length }), budget_wan: budget },
  };
}

// ---- network figures ---------------------------------------------------------

function statisticsSheet(data: ProjectData, info: ProjectInfo, lang: Lang): LedgerSheet {
  const total = t(lang, 'common.total');
  const byLevel: LedgerBlock = {
    title: t(lang, 'ledger.byLevel.title'),
    columns: [
      { key: 'level', header: t(lang, 'ledger.col.level'), width: 14 },
      { key: 'count', header: t(lang, 'ledger.col.count'), width: 10, numFmt: '#,##0' },
      { key: 'km', header: t(lang, 'ledger.col.km'), width: 12, numFmt: '0.000' },
    ],
    rows: Object.entries(info.themes.level).map(([k, v]) => ({ level: valueLabel('pipes', 'level', k, lang), count: v.count, km: v.km })),
    totals: { level: total, count: info.pipes.count, km: info.pipes.km },
  };
  const byAge: LedgerBlock = {
    title: t(lang, 'ledger.byAge.title', { year: info.year }),
    columns: [
      { key: 'cls', header: t(lang, 'ledger.col.ageClass'), width: 22 },
      { key: 'count', header: t(lang, 'ledger.col.count'), width: 10, numFmt: '#,##0' },
      { key: 'km', header: t(lang, 'ledger.col.km'), width: 12, numFmt: '0.000' },
    ],
    rows: AGE_CLASSES.map((k) => ({ cls: CLASS_LABELS[k][lang], count: info.themes.age[k]?.count ?? 0, km: info.themes.age[k]?.km ?? 0 })),
    totals: { cls: total, count: info.pipes.count, km: info.pipes.km },
  };
  const plan: LedgerBlock = {
    title: t(lang, 'ledger.plan.title'),
    columns: [
      { key: 'year', header: t(lang, 'ledger.col.year'), width: 8 },
      { key: 'projects', header: t(lang, 'ledger.col.projects'), width: 8 },
      { key: 'budget', header: t(lang, 'ledger.col.budgetWan'), width: 12, numFmt: '#,##0.00' },
      { key: 'primary', header: t(lang, 'ledger.col.levelKm', { level: valueLabel('pipes', 'level', 'primary', lang) }), width: 13, numFmt: '0.000' },
      { key: 'secCourt', header: t(lang, 'ledger.col.secCourtKm'), width: 14, numFmt: '0.000' },
      { key: 'total', header: t(lang, 'ledger.col.totalKm'), width: 11, numFmt: '0.000' },
      { key: 'targetKm', header: t(lang, 'ledger.col.targetKm'), width: 13, numFmt: '0.000' },
      { key: 'targetWan', header: t(lang, 'ledger.col.targetWan'), width: 14, numFmt: '#,##0.00' },
    ],
    rows: info.plan.map((p) => ({
      year: p.year,
      projects: p.projects,
      budget: p.budgetWan,
      primary: p.km.primary ?? 0,
      secCourt: p.secondaryCourtyardKm,
      total: p.totalKm,
      targetKm: p.target ? p.target.primaryKm + p.target.secondaryCourtyardKm : null,
      targetWan: p.target ? p.target.budgetWan : null,
    })),
  };
  const facilities: LedgerBlock = {
    title: t(lang, 'ledger.facilities.title'),
    columns: [
      { key: 'what', header: t(lang, 'ledger.col.what'), width: 14 },
      { key: 'n', header: t(lang, 'ledger.col.n'), width: 10, numFmt: '#,##0' },
    ],
    rows: (['heat_sources', 'stations', 'valves', 'communities', 'incidents', 'complaints'] as const).map((layer) => ({ what: layerDef(layer)!.label[lang], n: data.layers[layer].length })),
  };
  return { name: t(lang, 'ledger.stats.name'), title: t(lang, 'ledger.stats.title'), blocks: [byLevel, byAge, plan, facilities] };
}

// ---- 一小区一清单 ----------------------------------------------------------------

export interface CommunityLedger {
  community: Feature<PolygonGeom>;
  station: Feature<PointGeom> | null;
  pipes: Feature<LineStringGeom>[];
  incidents: Feature<PointGeom>[];
  complaints: Feature<PointGeom>[];
  projects: ProjectRow[];
  pipeKm: number;
  loadMW: number;
  /** The community's station: connected load / design capacity. */
  stationRatio: number | null;
}

export function communityLedgers(project: ProjectData): CommunityLedger[] {
  const data = withValidGeometry(project);
  const stations = new Map(data.layers.stations.map((s) => [s.id, s]));
  const ratios = new Map(stationOverload(data).map((s) => [s.id, s.ratio]));
  const linked = pipesByProject(data);
  const projectOfPipe = new Map<string, Set<string>>();
  for (const [pid, ids] of linked) for (const id of ids) (projectOfPipe.get(id) ?? projectOfPipe.set(id, new Set()).get(id)!).add(pid);
  const projectsById = new Map(data.projects.map((p) => [p.id, p]));
  const pipeBoxes = data.layers.pipes.map((p) => bboxOfCoords(p.geometry.coordinates));
  return data.layers.communities.map((c) => {
    const cb = bboxOfCoords(c.geometry.coordinates[0]);
    const pipes = data.layers.pipes.filter((p, i) => {
      const pb = pipeBoxes[i];
      // Cheap box test first: most pipes of a town are nowhere near a given community.
      if (!cb || !pb || pb[0] > cb[2] || pb[2] < cb[0] || pb[1] > cb[3] || pb[3] < cb[1]) return false;
      return lineTouchesPolygon(p.geometry.coordinates, c.geometry);
    });
    const pipeIds = new Set(pipes.map((p) => p.id));
    const incidents = data.layers.incidents.filter(
      (i) => pipeIds.has(String(i.properties.pipe_id ?? '')) || pointInPolygon(i.geometry.coordinates, c.geometry),
    );
    const complaints = data.layers.complaints.filter((q) =>
      q.properties.community_id ? q.properties.community_id === c.id : pointInPolygon(q.geometry.coordinates, c.geometry),
    );
    const stationId = textOrNull(c.properties.station_id);
    const pids = new Set<string>();
    for (const id of pipeIds) for (const pid of projectOfPipe.get(id) ?? []) pids.add(pid);
    for (const r of data.projectFeatures) {
      if ((r.layer === 'communities' && r.feature_id === c.id) || (r.layer === 'stations' && stationId && r.feature_id === stationId)) pids.add(r.project_id);
    }
    const projects = [...pids].map((id) => projectsById.get(id)).filter((p): p is ProjectRow => !!p).sort((a, b) => a.year - b.year || a.id.localeCompare(b.id));
    return {
      community: c,
      station: stationId ? stations.get(stationId) ?? null : null,
      pipes: pipes.sort((a, b) => a.id.localeCompare(b.id)),
      incidents: incidents.sort((a, b) => String(a.properties.date ?? '').localeCompare(String(b.properties.date ?? ''))),
      complaints: complaints.sort((a, b) => String(a.properties.date ?? '').localeCompare(String(b.properties.date ?? ''))),
      projects,
      pipeKm: pipes.reduce((s, p) => s + pipeLengthM(p) / 1000, 0),
      loadMW: communityLoadMW(c, data.settings),
      stationRatio: stationId ? ratios.get(stationId) ?? null : null,
    };
  });
}

/** Columns of a community's pipe list; headers in `lang`. */
export function communityPipeColumns(lang: Lang): LedgerColumn[] {
  const c = (key: string, k: Parameters<typeof t>[1], width: number, numFmt?: string): LedgerColumn => ({ key, header: t(lang, k), width, ...(numFmt ? { numFmt } : {}) });
  return [
    c('id', 'ledger.col.pipeId', 12),
    c('level', 'ledger.col.level', 10),
    { key: 'dn', header: 'DN', width: 7 },
    { key: 'material', header: fieldHeader('pipes', 'material', lang), width: 10 },
    c('install_year', 'ledger.col.installYear', 10),
    c('age', 'ledger.col.age', 9),
    c('age_class', 'ledger.col.ageClassLong', 18),
    c('leaks', 'ledger.col.leaks', 10),
    c('status', 'ledger.col.status', 8),
    c('renovation', 'ledger.col.renovation', 12),
    c('length_m', 'ledger.col.lengthM', 10, '0.0'),
  ];
}

/** Keys of a community's basic facts, in the order of the sheet. */
export const COMMUNITY_FACTS = ['id', 'name', 'households', 'buildings', 'area', 'yearBuilt', 'energySaving', 'load', 'lowTemp', 'station', 'stationCapacity', 'stationRatio', 'stationAutomation', 'stationYear', 'survey'] as const;

export function communityBlocks(data: ProjectData, l: CommunityLedger, year: number, lang: Lang = 'zh'): LedgerBlock[] {
  const total = t(lang, 'common.total');
  const c = l.community.properties;
  const s = l.station?.properties;
  const facts: Record<(typeof COMMUNITY_FACTS)[number], Cell> = {
    id: l.community.id,
    name: textOrNull(c.name),
    households: numOrNull(c.households),
    buildings: numOrNull(c.buildings),
    area: numOrNull(c.heated_area_m2),
    yearBuilt: numOrNull(c.year_built),
    energySaving: valueLabel('communities', 'energy_saving', c.energy_saving === 'yes' ? 'yes' : 'no', lang),
    load: roundTo(l.loadMW, 3),
    lowTemp: numOrNull(c.low_temp_households) ?? 0,
    station: l.station ? t(lang, 'ledger.stationWithId', { name: textOrNull(s?.name) ?? '', id: l.station.id }) : textOrNull(c.station_id),
    stationCapacity: numOrNull(s?.design_capacity_mw),
    stationRatio: l.stationRatio === null ? null : roundTo(l.stationRatio, 3),
    stationAutomation: valueLabel('stations', 'automation', s?.automation, lang),
    stationYear: numOrNull(s?.install_year),
    survey: textOrNull(c.survey_note),
  };
  const pipeRows = l.pipes.map((p) => {
    const q = p.properties;
    const cls = ageClass(q, data.settings, year);
    return {
      id: p.id,
      level: valueLabel('pipes', 'level', q.level, lang),
      dn: numOrNull(q.dn),
      material: textOrNull(q.material),
      install_year: numOrNull(q.install_year),
      age: pipeAge(q.install_year, year),
      age_class: CLASS_LABELS[cls][lang],
      leaks: numOrNull(q.leak_count_5y) ?? 0,
      status: valueLabel('pipes', 'status', q.status ?? 'in_service', lang),
      renovation: valueLabel('pipes', 'renovation_status', q.renovation_status ?? 'none', lang),
      length_m: roundTo(pipeLengthM(p), 1),
    } as Record<string, Cell>;
  });
  return [
    {
      title: t(lang, 'ledger.facts.title'),
      columns: [
        { key: 'k', header: t(lang, 'ledger.col.item'), width: 18 },
        { key: 'v', header: t(lang, 'ledger.col.value'), width: 30 },
      ],
      // `fact` names the row for code (the atlas); only k and v are columns.
      rows: COMMUNITY_FACTS.map((f) => ({ fact: f, k: t(lang, `ledger.fact.${f}`), v: facts[f] })),
    },
    {
      title: t(lang, 'ledger.pipes.title'),
      columns: communityPipeColumns(lang),
      rows: pipeRows,
      totals: { id: total, age_class: t(lang, 'ledger.nPipes', { n: l.pipes.length }), length_m: roundTo(l.pipeKm * 1000, 1) },
    },
    {
      title: t(lang, 'ledger.incidents.title'),
      columns: [
        { key: 'id', header: t(lang, 'ledger.col.id'), width: 10 },
        { key: 'date', header: t(lang, 'ledger.col.date'), width: 12 },
        { key: 'kind', header: t(lang, 'ledger.col.kind'), width: 10 },
        { key: 'pipe_id', header: t(lang, 'ledger.col.pipe'), width: 12 },
        { key: 'repair_hours', header: t(lang, 'ledger.col.repairHours'), width: 12, numFmt: '0.0' },
        { key: 'water_lost_t', header: t(lang, 'ledger.col.waterLost'), width: 11, numFmt: '0.0' },
      ],
      rows: l.incidents.map((i) => ({
        id: i.id,
        date: textOrNull(i.properties.date),
        kind: valueLabel('incidents', 'kind', i.properties.kind, lang),
        pipe_id: textOrNull(i.properties.pipe_id),
        repair_hours: numOrNull(i.properties.repair_hours),
        water_lost_t: numOrNull(i.properties.water_lost_t),
      })),
      totals: { id: total, date: t(lang, 'ledger.nIncidents', { n: l.incidents.length }), water_lost_t: roundTo(l.incidents.reduce((s, i) => s + (numOrNull(i.properties.water_lost_t) ?? 0), 0), 1) },
    },
    {
      title: t(lang, 'ledger.complaints.title'),
      columns: [
        { key: 'id', header: t(lang, 'ledger.col.id'), width: 10 },
        { key: 'date', header: t(lang, 'ledger.col.date'), width: 12 },
        { key: 'category', header: t(lang, 'ledger.col.category'), width: 12 },
        { key: 'indoor_temp_c', header: t(lang, 'ledger.col.indoorTemp'), width: 10, numFmt: '0.0' },
        { key: 'below', header: t(lang, 'ledger.col.below', { t: data.settings.minIndoorC }), width: 10 },
        { key: 'status', header: t(lang, 'ledger.col.handling'), width: 10 },
      ],
      rows: l.complaints.map((q) => {
        const temp = numOrNull(q.properties.indoor_temp_c);
        return {
          id: q.id,
          date: textOrNull(q.properties.date),
          category: textOrNull(q.properties.category),
          indoor_temp_c: temp,
          below: temp === null ? null : YES_NO_LABELS[temp < data.settings.minIndoorC ? 'yes' : 'no'][lang],
          status: valueLabel('complaints', 'status', q.properties.status, lang),
        };
      }),
      totals: { id: total, date: t(lang, 'ledger.nComplaints', { n: l.complaints.length }), category: t(lang, 'ledger.lowTempHouseholds', { n: numOrNull(c.low_temp_households) ?? 0 }) },
    },
    {
      title: t(lang, 'ledger.projects.title'),
      columns: projectColumns(lang).filter((col) => col.key !== 'pipe_km'),
      rows: l.projects.map((p, i) => projectRow(p, i, 0, lang)),
      totals: { no: total, budget_wan: roundTo(l.projects.reduce((s, p) => s + (numOrNull(p.budget_wan) ?? 0), 0), 2) },
    },
  ];
}

/** Excel sheet names: ≤ 31 characters, none of []:*?/\, unique. */
export function sheetName(wanted: string, taken: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet';
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)}_${i}`;
  taken.add(name.toLowerCase());
  return name;
}

export function communitySummaryBlock(ledgers: CommunityLedger[], lang: Lang = 'zh'): LedgerBlock {
  const rows = ledgers.map((l) => {
    const c = l.community.properties;
    return {
      id: l.community.id,
      name: textOrNull(c.name),
      station: l.station ? textOrNull(l.station.properties.name) ?? l.station.id : textOrNull(c.station_id),
      households: numOrNull(c.households),
      area: numOrNull(c.heated_area_m2),
      load: roundTo(l.loadMW, 3),
      low: numOrNull(c.low_temp_households) ?? 0,
      pipeKm: roundTo(l.pipeKm, 3),
      incidents: l.incidents.length,
      complaints: l.complaints.length,
      projects: l.projects.length,
    } as Record<string, Cell>;
  });
  const sum = (k: string) => rows.reduce((s, r) => s + (typeof r[k] === 'number' ? (r[k] as number) : 0), 0);
  return {
    columns: [
      { key: 'id', header: t(lang, 'ledger.fact.id'), width: 11 },
      { key: 'name', header: t(lang, 'ledger.fact.name'), width: 18 },
      { key: 'station', header: t(lang, 'ledger.col.station'), width: 14 },
      { key: 'households', header: t(lang, 'ledger.fact.households'), width: 8, numFmt: '#,##0' },
      { key: 'area', header: t(lang, 'ledger.fact.area'), width: 14, numFmt: '#,##0' },
      { key: 'load', header: t(lang, 'ledger.col.loadMW'), width: 11, numFmt: '0.000' },
      { key: 'low', header: t(lang, 'ledger.fact.lowTemp'), width: 9 },
      { key: 'pipeKm', header: t(lang, 'ledger.col.pipesKm'), width: 10, numFmt: '0.000' },
      { key: 'incidents', header: t(lang, 'ledger.col.incidents'), width: 7 },
      { key: 'complaints', header: t(lang, 'ledger.col.complaints'), width: 7 },
      { key: 'projects', header: t(lang, 'ledger.col.projectsN'), width: 9 },
    ],
    rows,
    totals: { id: t(lang, 'common.total'), name: t(lang, 'ledger.nCommunities', { n: rows.length }), households: sum('households'), area: sum('area'), load: roundTo(sum('load'), 3), low: sum('low') },
  };
}

/** The whole ledger workbook: project list, network figures, community summary, one sheet per community. */
export function buildLedger(data: ProjectData, year: number, lang: Lang = 'zh'): Ledger {
  const info = projectInfo(data, year);
  const taken = new Set<string>();
  const sheets: LedgerSheet[] = [];
  sheets.push({ name: sheetName(t(lang, 'ledger.projectList.name'), taken), title: t(lang, 'ledger.projectList.title'), blocks: [projectListBlock(data, data.projects, lang)] });
  const stats = statisticsSheet(data, info, lang);
  stats.name = sheetName(stats.name, taken);
  sheets.push(stats);
  const ledgers = communityLedgers(data);
  sheets.push({ name: sheetName(t(lang, 'ledger.summary.name'), taken), title: t(lang, 'ledger.summary.title'), blocks: [communitySummaryBlock(ledgers, lang)] });
  for (const l of ledgers) {
    const label = textOrNull(l.community.properties.name) ?? l.community.id;
    sheets.push({
      name: sheetName(label, taken),
      title: t(lang, 'ledger.community.title', { name: label, id: l.community.id }),
      blocks: communityBlocks(data, l, year, lang),
      communityId: l.community.id,
    });
  }
  return { sheets, info };
}

export { PIPE_LEVELS, leakClass };
