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
import { PIPE_LEVELS } from '../model/schema';
import type { Feature, LineStringGeom, PointGeom, PolygonGeom } from '../model/types';
import { communityLoadMW } from '../network/loads';
import { stationOverload } from '../network/stationLoad';
import { projectInfo, pipeLengthM, type ProjectInfo } from './info';
import { withValidGeometry } from '../carto/validGeometry';
import { bboxOfCoords } from '../carto/projection';

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

export const LEVEL_ZH: Record<string, string> = { primary: '一级管网', secondary: '二级管网', courtyard: '庭院管网' };
export const PIPE_STATUS_ZH: Record<string, string> = { in_service: '在役', planned: '规划', abandoned: '废弃' };
export const RENOVATION_ZH: Record<string, string> = { none: '无', candidate: '改造候选', planned: '已列入计划', in_progress: '改造中', completed: '已完成' };
export const PROJECT_STATUS_ZH: Record<string, string> = { planned: '计划', approved: '已批复', building: '在建', completed: '已完工', accepted: '已验收' };
export const PROJECT_KIND_ZH: Record<string, string> = { pipe: '管网', station: '换热站', source: '热源', boiler: '锅炉', smart: '智慧供热' };
export const COMPLAINT_STATUS_ZH: Record<string, string> = { open: '待处理', pending: '待处理', processing: '处理中', in_progress: '处理中', closed: '已办结', resolved: '已解决' };
export const INCIDENT_KIND_ZH: Record<string, string> = { leak: '泄漏', burst: '爆管', valve_failure: '阀门故障' };

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
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

export const PROJECT_COLUMNS: LedgerColumn[] = [
  { key: 'no', header: '序号', width: 6 },
  { key: 'id', header: '项目编号', width: 12 },
  { key: 'name', header: '项目名称', width: 26 },
  { key: 'year', header: '年度', width: 7 },
  { key: 'kind', header: '类型', width: 9 },
  { key: 'problem', header: '问题', width: 30 },
  { key: 'task', header: '任务', width: 30 },
  { key: 'measure', header: '措施', width: 30 },
  { key: 'responsible', header: '责任单位', width: 16 },
  { key: 'deadline', header: '时限', width: 12 },
  { key: 'status', header: '状态', width: 9 },
  { key: 'budget_wan', header: '投资(万元)', width: 12, numFmt: '#,##0.00' },
  { key: 'pipe_km', header: '关联管线(km)', width: 13, numFmt: '0.000' },
];

function projectRow(p: ProjectRow, i: number, km: number): Record<string, Cell> {
  return {
    no: i + 1,
    id: p.id,
    name: p.name,
    year: p.year,
    kind: PROJECT_KIND_ZH[p.kind] ?? p.kind,
    problem: p.problem,
    task: p.task,
    measure: p.measure,
    responsible: p.responsible,
    deadline: p.deadline,
    status: PROJECT_STATUS_ZH[p.status] ?? p.status,
    budget_wan: numOrNull(p.budget_wan),
    pipe_km: km,
  };
}

export function projectListBlock(data: ProjectData, projects: ProjectRow[] = data.projects): LedgerBlock {
  const lengthKm = new Map(data.layers.pipes.map((p) => [p.id, pipeLengthM(p) / 1000]));
  const linked = pipesByProject(data);
  const sorted = [...projects].sort((a, b) => a.year - b.year || a.id.localeCompare(b.id));
  const rows = sorted.map((p, i) => projectRow(p, i, [...(linked.get(p.id) ?? [])].reduce((s, id) => s + (lengthKm.get(id) ?? 0), 0)));
  const budget = sorted.reduce((s, p) => s + (numOrNull(p.budget_wan) ?? 0), 0);
  return {
    columns: PROJECT_COLUMNS,
    rows,
    totals: { no: '合计', name: `${sorted.length} 个项目`, budget_wan: budget },
  };
}

// ---- network figures ---------------------------------------------------------

function statisticsSheet(data: ProjectData, info: ProjectInfo): LedgerSheet {
  const byLevel: LedgerBlock = {
    title: '管线长度（按级别，椭球测地线长度）',
    columns: [
      { key: 'level', header: '级别', width: 14 },
      { key: 'count', header: '管段数', width: 10, numFmt: '#,##0' },
      { key: 'km', header: '长度(km)', width: 12, numFmt: '0.000' },
    ],
    rows: Object.entries(info.themes.level).map(([k, v]) => ({ level: LEVEL_ZH[k] ?? k, count: v.count, km: v.km })),
    totals: { level: '合计', count: info.pipes.count, km: info.pipes.km },
  };
  const byAge: LedgerBlock = {
    title: `管线长度（按管龄，${info.year}年）`,
    columns: [
      { key: 'cls', header: '管龄', width: 22 },
      { key: 'count', header: '管段数', width: 10, numFmt: '#,##0' },
      { key: 'km', header: '长度(km)', width: 12, numFmt: '0.000' },
    ],
    rows: AGE_CLASSES.map((k) => ({ cls: CLASS_LABELS[k].zh, count: info.themes.age[k]?.count ?? 0, km: info.themes.age[k]?.km ?? 0 })),
    totals: { cls: '合计', count: info.pipes.count, km: info.pipes.km },
  };
  const plan: LedgerBlock = {
    title: '年度计划完成情况',
    columns: [
      { key: 'year', header: '年度', width: 8 },
      { key: 'projects', header: '项目数', width: 8 },
      { key: 'budget', header: '投资(万元)', width: 12, numFmt: '#,##0.00' },
      { key: 'primary', header: '一级管网(km)', width: 13, numFmt: '0.000' },
      { key: 'secCourt', header: '二级+庭院(km)', width: 14, numFmt: '0.000' },
      { key: 'total', header: '合计(km)', width: 11, numFmt: '0.000' },
      { key: 'targetKm', header: '计划指标(km)', width: 13, numFmt: '0.000' },
      { key: 'targetWan', header: '计划投资(万元)', width: 14, numFmt: '#,##0.00' },
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
    title: '设施',
    columns: [
      { key: 'what', header: '要素', width: 14 },
      { key: 'n', header: '数量', width: 10, numFmt: '#,##0' },
    ],
    rows: [
      { what: '热源', n: data.layers.heat_sources.length },
      { what: '换热站', n: data.layers.stations.length },
      { what: '阀门井', n: data.layers.valves.length },
      { what: '小区', n: data.layers.communities.length },
      { what: '事故记录', n: data.layers.incidents.length },
      { what: '投诉', n: data.layers.complaints.length },
    ],
  };
  return { name: '管网统计', title: '明安图镇供热管网统计', blocks: [byLevel, byAge, plan, facilities] };
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

export const COMMUNITY_PIPE_COLUMNS: LedgerColumn[] = [
  { key: 'id', header: '管段编号', width: 12 },
  { key: 'level', header: '级别', width: 10 },
  { key: 'dn', header: 'DN', width: 7 },
  { key: 'material', header: '材质', width: 10 },
  { key: 'install_year', header: '敷设年份', width: 10 },
  { key: 'age', header: '管龄(年)', width: 9 },
  { key: 'age_class', header: '管龄分级', width: 18 },
  { key: 'leaks', header: '近5年泄漏', width: 10 },
  { key: 'status', header: '状态', width: 8 },
  { key: 'renovation', header: '改造状态', width: 12 },
  { key: 'length_m', header: '长度(m)', width: 10, numFmt: '0.0' },
];

export function communityBlocks(data: ProjectData, l: CommunityLedger, year: number): LedgerBlock[] {
  const c = l.community.properties;
  const s = l.station?.properties;
  const facts: [string, Cell][] = [
    ['小区编号', l.community.id],
    ['小区名称', textOrNull(c.name)],
    ['户数', numOrNull(c.households)],
    ['楼栋数', numOrNull(c.buildings)],
    ['供热面积(m²)', numOrNull(c.heated_area_m2)],
    ['建成年份', numOrNull(c.year_built)],
    ['节能建筑', c.energy_saving === 'yes' ? '是' : '否'],
    ['设计热负荷(MW)', round(l.loadMW, 3)],
    ['低温户数', numOrNull(c.low_temp_households) ?? 0],
    ['所属换热站', l.station ? `${textOrNull(s?.name) ?? ''}（${l.station.id}）` : textOrNull(c.station_id)],
    ['换热站设计负荷(MW)', numOrNull(s?.design_capacity_mw)],
    ['换热站负荷率', l.stationRatio === null ? null : round(l.stationRatio, 3)],
    ['换热站自控水平', textOrNull(s?.automation)],
    ['换热站投运年份', numOrNull(s?.install_year)],
    ['摸底情况', textOrNull(c.survey_note)],
  ];
  const pipeRows = l.pipes.map((p) => {
    const q = p.properties;
    const cls = ageClass(q, data.settings, year);
    return {
      id: p.id,
      level: LEVEL_ZH[String(q.level)] ?? textOrNull(q.level),
      dn: numOrNull(q.dn),
      material: textOrNull(q.material),
      install_year: numOrNull(q.install_year),
      age: pipeAge(q.install_year, year),
      age_class: CLASS_LABELS[cls].zh,
      leaks: numOrNull(q.leak_count_5y) ?? 0,
      status: PIPE_STATUS_ZH[String(q.status ?? 'in_service')] ?? textOrNull(q.status),
      renovation: RENOVATION_ZH[String(q.renovation_status ?? 'none')] ?? textOrNull(q.renovation_status),
      length_m: round(pipeLengthM(p), 1),
    } as Record<string, Cell>;
  });
  return [
    {
      title: '基本情况',
      columns: [
        { key: 'k', header: '项目', width: 18 },
        { key: 'v', header: '内容', width: 30 },
      ],
      rows: facts.map(([k, v]) => ({ k, v })),
    },
    {
      title: '管线及管龄',
      columns: COMMUNITY_PIPE_COLUMNS,
      rows: pipeRows,
      totals: { id: '合计', age_class: `${l.pipes.length} 段`, length_m: round(l.pipeKm * 1000, 1) },
    },
    {
      title: '事故记录',
      columns: [
        { key: 'id', header: '编号', width: 10 },
        { key: 'date', header: '日期', width: 12 },
        { key: 'kind', header: '类型', width: 10 },
        { key: 'pipe_id', header: '管段', width: 12 },
        { key: 'repair_hours', header: '抢修时长(h)', width: 12, numFmt: '0.0' },
        { key: 'water_lost_t', header: '失水量(t)', width: 11, numFmt: '0.0' },
      ],
      rows: l.incidents.map((i) => ({
        id: i.id,
        date: textOrNull(i.properties.date),
        kind: INCIDENT_KIND_ZH[String(i.properties.kind)] ?? textOrNull(i.properties.kind),
        pipe_id: textOrNull(i.properties.pipe_id),
        repair_hours: numOrNull(i.properties.repair_hours),
        water_lost_t: numOrNull(i.properties.water_lost_t),
      })),
      totals: { id: '合计', date: `${l.incidents.length} 次`, water_lost_t: round(l.incidents.reduce((s, i) => s + (numOrNull(i.properties.water_lost_t) ?? 0), 0), 1) },
    },
    {
      title: '投诉及低温情况',
      columns: [
        { key: 'id', header: '编号', width: 10 },
        { key: 'date', header: '日期', width: 12 },
        { key: 'category', header: '类别', width: 12 },
        { key: 'indoor_temp_c', header: '室温(℃)', width: 10, numFmt: '0.0' },
        { key: 'below', header: `低于${data.settings.minIndoorC}℃`, width: 10 },
        { key: 'status', header: '处理状态', width: 10 },
      ],
      rows: l.complaints.map((q) => {
        const t = numOrNull(q.properties.indoor_temp_c);
        return {
          id: q.id,
          date: textOrNull(q.properties.date),
          category: textOrNull(q.properties.category),
          indoor_temp_c: t,
          below: t === null ? null : t < data.settings.minIndoorC ? '是' : '否',
          status: COMPLAINT_STATUS_ZH[String(q.properties.status)] ?? textOrNull(q.properties.status),
        };
      }),
      totals: { id: '合计', date: `${l.complaints.length} 件`, category: `低温户 ${numOrNull(c.low_temp_households) ?? 0} 户` },
    },
    {
      title: '改造项目',
      columns: PROJECT_COLUMNS.filter((col) => col.key !== 'pipe_km'),
      rows: l.projects.map((p, i) => projectRow(p, i, 0)),
      totals: { no: '合计', budget_wan: round(l.projects.reduce((s, p) => s + (numOrNull(p.budget_wan) ?? 0), 0), 2) },
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

export function communitySummaryBlock(ledgers: CommunityLedger[]): LedgerBlock {
  const rows = ledgers.map((l) => {
    const c = l.community.properties;
    return {
      id: l.community.id,
      name: textOrNull(c.name),
      station: l.station ? textOrNull(l.station.properties.name) ?? l.station.id : textOrNull(c.station_id),
      households: numOrNull(c.households),
      area: numOrNull(c.heated_area_m2),
      load: round(l.loadMW, 3),
      low: numOrNull(c.low_temp_households) ?? 0,
      pipeKm: round(l.pipeKm, 3),
      incidents: l.incidents.length,
      complaints: l.complaints.length,
      projects: l.projects.length,
    } as Record<string, Cell>;
  });
  const sum = (k: string) => rows.reduce((s, r) => s + (typeof r[k] === 'number' ? (r[k] as number) : 0), 0);
  return {
    columns: [
      { key: 'id', header: '小区编号', width: 11 },
      { key: 'name', header: '小区名称', width: 18 },
      { key: 'station', header: '换热站', width: 14 },
      { key: 'households', header: '户数', width: 8, numFmt: '#,##0' },
      { key: 'area', header: '供热面积(m²)', width: 14, numFmt: '#,##0' },
      { key: 'load', header: '热负荷(MW)', width: 11, numFmt: '0.000' },
      { key: 'low', header: '低温户数', width: 9 },
      { key: 'pipeKm', header: '管线(km)', width: 10, numFmt: '0.000' },
      { key: 'incidents', header: '事故', width: 7 },
      { key: 'complaints', header: '投诉', width: 7 },
      { key: 'projects', header: '改造项目', width: 9 },
    ],
    rows,
    totals: { id: '合计', name: `${rows.length} 个小区`, households: sum('households'), area: sum('area'), load: round(sum('load'), 3), low: sum('low') },
  };
}

/** The whole ledger workbook: project list, network figures, community summary, one sheet per community. */
export function buildLedger(data: ProjectData, year: number): Ledger {
  const info = projectInfo(data, year);
  const taken = new Set<string>();
  const sheets: LedgerSheet[] = [];
  sheets.push({ name: sheetName('项目清单', taken), title: '城镇供热温暖工程项目清单（问题、任务、措施、责任单位、时限）', blocks: [projectListBlock(data)] });
  const stats = statisticsSheet(data, info);
  stats.name = sheetName(stats.name, taken);
  sheets.push(stats);
  const ledgers = communityLedgers(data);
  sheets.push({ name: sheetName('小区汇总', taken), title: '一小区一清单 · 汇总', blocks: [communitySummaryBlock(ledgers)] });
  for (const l of ledgers) {
    const label = textOrNull(l.community.properties.name) ?? l.community.id;
    sheets.push({
      name: sheetName(label, taken),
      title: `一小区一清单：${label}（${l.community.id}）`,
      blocks: communityBlocks(data, l, year),
      communityId: l.community.id,
    });
  }
  return { sheets, info };
}

export { PIPE_LEVELS, leakClass };
