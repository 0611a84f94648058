/**
 * Layer schemas of a WarmNet project (DOMAIN.md §2).
 *
 * This file is the single description of every layer and table: the store
 * derives its DDL from it, imports validate against it, and the UI builds
 * forms, tables and labels from it. Field names are exactly the GeoJSON
 * property names used for exchange.
 */

/** Storage/validation type of a field. `bool` is stored as INTEGER 0/1. */
export type FieldType = 'text' | 'integer' | 'real' | 'date' | 'bool';

export interface Label {
  zh: string;
  en: string;
}

export interface FieldDef {
  name: string;
  type: FieldType;
  label: Label;
  /** A value is required on import / edit. `id` is always required. */
  required?: boolean;
  /** Allowed values (text fields). */
  enum?: readonly string[];
  /**
   * The one label per locale of each coded value of this field (the
   * vocabulary). Every place that shows such a value — legend, inspector,
   * tables, ledgers, charts, printed maps, import mapping, the command line —
   * reads it from here through `valueLabel`. A field may carry labels without
   * an `enum` when other values are tolerated (heat source and complaint status).
   */
  labels?: Readonly<Record<string, Label>>;
  /** Inclusive numeric bounds. `max: 'thisYear+10'` is resolved at validation time. */
  min?: number;
  max?: number | 'thisYear+10';
  /** Integer fields restricted to a list (DN). */
  oneOf?: readonly number[];
  /** Value stored when the input omits the field. */
  default?: string | number | boolean;
  unit?: string;
  /** Computed by the store (e.g. length_m); input values are ignored. */
  computed?: boolean;
}

export type GeometryKind = 'POINT' | 'LINESTRING' | 'POLYGON';

export type LayerName =
  | 'heat_sources'
  | 'pipes'
  | 'valves'
  | 'stations'
  | 'communities'
  | 'incidents'
  | 'complaints'
  | 'coal_areas'
  | 'streets';

export type TableName = 'projects' | 'project_features';

export interface LayerDef {
  name: LayerName;
  geometry: GeometryKind;
  label: Label;
  fields: readonly FieldDef[];
}

export interface TableDef {
  name: TableName;
  label: Label;
  fields: readonly FieldDef[];
}

/** Standard nominal diameters (mm) accepted for pipes and valves. */
export const STANDARD_DN = [
  20, 25, 32, 40, 50, 65, 80, 100, 125, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800,
] as const;

export const PIPE_LEVELS = ['primary', 'secondary', 'courtyard'] as const;
export type PipeLevel = (typeof PIPE_LEVELS)[number];
export const PIPE_STATUSES = ['in_service', 'planned', 'abandoned'] as const;
export type PipeStatus = (typeof PIPE_STATUSES)[number];
export const RENOVATION_STATUSES = ['none', 'candidate', 'planned', 'in_progress', 'completed'] as const;
export type RenovationStatus = (typeof RENOVATION_STATUSES)[number];
export const SOURCE_KINDS = ['coal_boiler', 'gas_boiler', 'chp', 'electric', 'waste_heat'] as const;
export const VALVE_KINDS = ['gate', 'butterfly', 'ball'] as const;
export const VALVE_STATES = ['open', 'closed'] as const;
export const YES_NO = ['yes', 'no'] as const;
export const AUTOMATION = ['manual', 'local', 'remote'] as const;
export const INCIDENT_KINDS = ['leak', 'burst', 'valve_failure'] as const;
export const COAL_STATUSES = ['burning', 'converting', 'converted'] as const;
export const PROJECT_KINDS = ['pipe', 'station', 'source', 'boiler', 'smart'] as const;
export const PROJECT_STATUSES = ['planned', 'approved', 'building', 'completed', 'accepted'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const LAYINGS = ['buried', 'trench', 'overhead'] as const;
/** What a drawn pipe carries: both supply and return (one line for the pair, the usual drawing), or one of them. */
export const PIPE_CIRCUITS = ['pair', 'supply', 'return'] as const;
export type PipeCircuit = (typeof PIPE_CIRCUITS)[number];
/** How a heat source runs in the hydraulic model: holds the system pressure (定压), a set pump head, or a set flow. */
export const SOURCE_HYDRAULIC_ROLES = ['pressure', 'head', 'flow'] as const;
export type SourceHydraulicRole = (typeof SOURCE_HYDRAULIC_ROLES)[number];
/**
 * The vocabulary: one label per locale for every coded value, written once.
 * Chinese terms follow the plan's own wording where it has one (一级管网 /
 * 二级和庭院管网, 服役 → 在役, 列入维修改造计划 → 已列入计划, 计划投资 →
 * project status 计划).
 */
export const PIPE_LEVEL_LABELS: Readonly<Record<PipeLevel, Label>> = {
  primary: { zh: '一级管网', en: 'Primary' },
  secondary: { zh: '二级管网', en: 'Secondary' },
  courtyard: { zh: '庭院管网', en: 'Courtyard' },
};
export const PIPE_STATUS_LABELS: Readonly<Record<PipeStatus, Label>> = {
  in_service: { zh: '在役', en: 'In service' },
  planned: { zh: '规划', en: 'Planned' },
  abandoned: { zh: '废弃', en: 'Abandoned' },
};
export const RENOVATION_STATUS_LABELS: Readonly<Record<RenovationStatus, Label>> = {
  none: { zh: '无需改造', en: 'None' },
  candidate: { zh: '改造候选', en: 'Candidate' },
  planned: { zh: '已列入计划', en: 'In the plan' },
  in_progress: { zh: '改造中', en: 'In progress' },
  completed: { zh: '已完成', en: 'Completed' },
};
export const SOURCE_KIND_LABELS: Readonly<Record<(typeof SOURCE_KINDS)[number], Label>> = {
  coal_boiler: { zh: '燃煤锅炉', en: 'Coal boiler' },
  gas_boiler: { zh: '燃气锅炉', en: 'Gas boiler' },
  chp: { zh: '热电联产', en: 'CHP' },
  electric: { zh: '电锅炉', en: 'Electric boiler' },
  waste_heat: { zh: '余热', en: 'Waste heat' },
};
export const SOURCE_HYDRAULIC_ROLE_LABELS: Readonly<Record<SourceHydraulicRole, Label>> = {
  pressure: { zh: '定压', en: 'Holds pressure' },
  head: { zh: '定扬程', en: 'Set head' },
  flow: { zh: '定流量', en: 'Set flow' },
};
export const VALVE_KIND_LABELS: Readonly<Record<(typeof VALVE_KINDS)[number], Label>> = {
  gate: { zh: '闸阀', en: 'Gate' },
  butterfly: { zh: '蝶阀', en: 'Butterfly' },
  ball: { zh: '球阀', en: 'Ball' },
};
export const VALVE_STATE_LABELS: Readonly<Record<(typeof VALVE_STATES)[number], Label>> = {
  open: { zh: '开启', en: 'Open' },
  closed: { zh: '关闭', en: 'Closed' },
};
export const LAYING_LABELS: Readonly<Record<(typeof LAYINGS)[number], Label>> = {
  buried: { zh: '直埋', en: 'Buried' },
  trench: { zh: '管沟', en: 'Trench' },
  overhead: { zh: '架空', en: 'Overhead' },
};
export const YES_NO_LABELS: Readonly<Record<(typeof YES_NO)[number], Label>> = {
  yes: { zh: '是', en: 'Yes' },
  no: { zh: '否', en: 'No' },
};
export const AUTOMATION_LABELS: Readonly<Record<(typeof AUTOMATION)[number], Label>> = {
  manual: { zh: '人工', en: 'Manual' },
  local: { zh: '就地自控', en: 'Local control' },
  remote: { zh: '远程监控', en: 'Remote monitoring' },
};
export const INCIDENT_KIND_LABELS: Readonly<Record<(typeof INCIDENT_KINDS)[number], Label>> = {
  leak: { zh: '泄漏', en: 'Leak' },
  burst: { zh: '爆管', en: 'Burst' },
  valve_failure: { zh: '阀门故障', en: 'Valve failure' },
};
export const COAL_STATUS_LABELS: Readonly<Record<(typeof COAL_STATUSES)[number], Label>> = {
  burning: { zh: '散煤燃烧', en: 'Burning coal' },
  converting: { zh: '改造中', en: 'Converting' },
  converted: { zh: '已改造', en: 'Converted' },
};
export const PROJECT_KIND_LABELS: Readonly<Record<(typeof PROJECT_KINDS)[number], Label>> = {
  pipe: { zh: '管网', en: 'Pipes' },
  station: { zh: '换热站', en: 'Station' },
  source: { zh: '热源', en: 'Heat source' },
  boiler: { zh: '锅炉', en: 'Boiler' },
  smart: { zh: '智慧供热', en: 'Smart heating' },
};
export const PROJECT_STATUS_LABELS: Readonly<Record<ProjectStatus, Label>> = {
  planned: { zh: '计划', en: 'Planned' },
  approved: { zh: '已批复', en: 'Approved' },
  building: { zh: '在建', en: 'Building' },
  completed: { zh: '已完工', en: 'Completed' },
  accepted: { zh: '已验收', en: 'Accepted' },
};
export const PIPE_CIRCUIT_LABELS: Readonly<Record<PipeCircuit, Label>> = {
  pair: { zh: '供回水', en: 'Supply and return' },
  supply: { zh: '供水', en: 'Supply' },
  return: { zh: '回水', en: 'Return' },
};
/** Complaint handling states met in practice (the field takes other words too). */
export const COMPLAINT_STATUS_LABELS: Readonly<Record<string, Label>> = {
  open: { zh: '待处理', en: 'Open' },
  processing: { zh: '处理中', en: 'Processing' },
  closed: { zh: '已办结', en: 'Closed' },
  resolved: { zh: '已解决', en: 'Resolved' },
};

const elevationField: FieldDef = { name: 'elevation_m', type: 'real', min: -500, max: 9000, unit: 'm', label: { zh: '地面标高', en: 'Ground elevation' } };

const idField: FieldDef = { name: 'id', type: 'text', required: true, label: { zh: '编号', en: 'ID' } };
const nameField: FieldDef = { name: 'name', type: 'text', label: { zh: '名称', en: 'Name' } };
const installYear: FieldDef = {
  name: 'install_year',
  type: 'integer',
  min: 1900,
  max: 'thisYear+10',
  label: { zh: '敷设/安装年份', en: 'Install year' },
};

export const LAYERS: readonly LayerDef[] = [
  {
    name: 'heat_sources',
    geometry: 'POINT',
    label: { zh: '热源', en: 'Heat sources' },
    fields: [
      idField,
      nameField,
      { name: 'kind', type: 'text', enum: SOURCE_KINDS, labels: SOURCE_KIND_LABELS, default: 'coal_boiler', label: { zh: '类型', en: 'Kind' } },
      { name: 'capacity_mw', type: 'real', min: 0, unit: 'MW', label: { zh: '供热能力', en: 'Capacity' } },
      { name: 'units', type: 'integer', min: 0, label: { zh: '锅炉台数', en: 'Units' } },
      { name: 'is_backup', type: 'bool', default: false, label: { zh: '备用热源', en: 'Backup' } },
      { name: 'fuel_stock_t', type: 'real', min: 0, unit: 't', label: { zh: '燃料储备', en: 'Fuel stock' } },
      {
        name: 'fuel_t_per_day_design',
        type: 'real',
        min: 0,
        unit: 't/d',
        label: { zh: '设计日耗煤量', en: 'Design fuel burn' },
      },
      {
        name: 'commissioned_year',
        type: 'integer',
        min: 1900,
        max: 'thisYear+10',
        label: { zh: '投运年份', en: 'Commissioned' },
      },
      { name: 'status', type: 'text', labels: PIPE_STATUS_LABELS, default: 'in_service', label: { zh: '状态', en: 'Status' } },
      {
        name: 'hydraulic_role',
        type: 'text',
        enum: SOURCE_HYDRAULIC_ROLES,
        labels: SOURCE_HYDRAULIC_ROLE_LABELS,
        label: { zh: '水力工况(定压/定扬程/定流量)', en: 'Hydraulic role (pressure / head / flow)' },
      },
      { name: 'pump_head_m', type: 'real', min: 0, max: 500, unit: 'm', label: { zh: '循环泵扬程', en: 'Pump head' } },
      { name: 'set_flow_m3h', type: 'real', min: 0, unit: 'm³/h', label: { zh: '设定流量', en: 'Set flow' } },
      elevationField,
    ],
  },
  {
    name: 'pipes',
    geometry: 'LINESTRING',
    label: { zh: '管线', en: 'Pipes' },
    fields: [
      idField,
      nameField,
      { name: 'level', type: 'text', enum: PIPE_LEVELS, labels: PIPE_LEVEL_LABELS, required: true, label: { zh: '管网级别', en: 'Level' } },
      { name: 'dn', type: 'integer', oneOf: STANDARD_DN, required: true, unit: 'mm', label: { zh: '管径DN', en: 'DN' } },
      { name: 'material', type: 'text', label: { zh: '材质', en: 'Material' } },
      { name: 'insulation', type: 'text', label: { zh: '保温', en: 'Insulation' } },
      { name: 'laying', type: 'text', enum: LAYINGS, labels: LAYING_LABELS, label: { zh: '敷设方式', en: 'Laying' } },
      installYear,
      {
        name: 'design_life_years',
        type: 'integer',
        min: 1,
        max: 100,
        default: 30,
        unit: 'a',
        label: { zh: '设计寿命', en: 'Design life' },
      },
      { name: 'leak_count_5y', type: 'integer', min: 0, default: 0, label: { zh: '近5年泄漏次数', en: 'Leaks (5 y)' } },
      {
        name: 'water_loss_rate',
        type: 'real',
        min: 0,
        max: 100,
        unit: '%',
        label: { zh: '失水率', en: 'Water-loss rate' },
      },
      { name: 'condition', type: 'integer', min: 1, max: 5, label: { zh: '状况(1好-5差)', en: 'Condition (1–5)' } },
      { name: 'status', type: 'text', enum: PIPE_STATUSES, labels: PIPE_STATUS_LABELS, default: 'in_service', label: { zh: '状态', en: 'Status' } },
      {
        name: 'renovation_status',
        type: 'text',
        enum: RENOVATION_STATUSES,
        labels: RENOVATION_STATUS_LABELS,
        default: 'none',
        label: { zh: '改造状态', en: 'Renovation' },
      },
      { name: 'project_id', type: 'text', label: { zh: '所属项目', en: 'Project' } },
      {
        name: 'length_m',
        type: 'real',
        computed: true,
        unit: 'm',
        label: { zh: '长度(椭球)', en: 'Length (geodesic)' },
      },
      { name: 'circuit', type: 'text', enum: PIPE_CIRCUITS, labels: PIPE_CIRCUIT_LABELS, default: 'pair', label: { zh: '供回水', en: 'Circuit' } },
      { name: 'elevation_start_m', type: 'real', min: -500, max: 9000, unit: 'm', label: { zh: '起点地面标高', en: 'Ground elevation at start' } },
      { name: 'elevation_end_m', type: 'real', min: -500, max: 9000, unit: 'm', label: { zh: '终点地面标高', en: 'Ground elevation at end' } },
    ],
  },
  {
    name: 'valves',
    geometry: 'POINT',
    label: { zh: '阀门井', en: 'Valve wells' },
    fields: [
      idField,
      nameField,
      { name: 'kind', type: 'text', enum: VALVE_KINDS, labels: VALVE_KIND_LABELS, default: 'gate', label: { zh: '阀门类型', en: 'Kind' } },
      { name: 'dn', type: 'integer', oneOf: STANDARD_DN, unit: 'mm', label: { zh: '口径DN', en: 'DN' } },
      { name: 'state', type: 'text', enum: VALVE_STATES, labels: VALVE_STATE_LABELS, default: 'open', label: { zh: '开关状态', en: 'State' } },
      { name: 'operable', type: 'text', enum: YES_NO, labels: YES_NO_LABELS, default: 'yes', label: { zh: '可操作', en: 'Operable' } },
      installYear,
      { name: 'last_inspected', type: 'date', label: { zh: '上次巡检', en: 'Last inspected' } },
    ],
  },
  {
    name: 'stations',
    geometry: 'POINT',
    label: { zh: '换热站', en: 'Exchange stations' },
    fields: [
      idField,
      nameField,
      {
        name: 'design_capacity_mw',
        type: 'real',
        min: 0,
        unit: 'MW',
        label: { zh: '设计负荷', en: 'Design capacity' },
      },
      { name: 'automation', type: 'text', enum: AUTOMATION, labels: AUTOMATION_LABELS, label: { zh: '自控水平', en: 'Automation' } },
      installYear,
      {
        name: 'last_overhaul',
        type: 'integer',
        min: 1900,
        max: 'thisYear+10',
        label: { zh: '上次大修年份', en: 'Last overhaul (year)' },
      },
      { name: 'min_dp_kpa', type: 'real', min: 0, max: 2000, unit: 'kPa', label: { zh: '最小资用压头', en: 'Minimum ΔP' } },
      elevationField,
    ],
  },
  {
    name: 'communities',
    geometry: 'POLYGON',
    label: { zh: '小区', en: 'Communities' },
    fields: [
      idField,
      nameField,
      { name: 'households', type: 'integer', min: 0, label: { zh: '户数', en: 'Households' } },
      { name: 'buildings', type: 'integer', min: 0, label: { zh: '楼栋数', en: 'Buildings' } },
      { name: 'heated_area_m2', type: 'real', min: 0, unit: 'm²', label: { zh: '供热面积', en: 'Heated area' } },
      { name: 'year_built', type: 'integer', min: 1900, max: 'thisYear+10', label: { zh: '建成年份', en: 'Year built' } },
      { name: 'energy_saving', type: 'text', enum: YES_NO, labels: YES_NO_LABELS, default: 'no', label: { zh: '节能建筑', en: 'Energy-saving' } },
      { name: 'station_id', type: 'text', label: { zh: '所属换热站', en: 'Station' } },
      {
        name: 'low_temp_households',
        type: 'integer',
        min: 0,
        default: 0,
        label: { zh: '低温户数', en: 'Low-temp households' },
      },
      { name: 'survey_date', type: 'date', label: { zh: '摸底日期', en: 'Survey date' } },
      { name: 'survey_note', type: 'text', label: { zh: '摸底情况', en: 'Survey note' } },
    ],
  },
  {
    name: 'incidents',
    geometry: 'POINT',
    label: { zh: '事故记录', en: 'Incidents' },
    fields: [
      idField,
      { name: 'pipe_id', type: 'text', label: { zh: '管段', en: 'Pipe' } },
      { name: 'date', type: 'date', label: { zh: '日期', en: 'Date' } },
      { name: 'kind', type: 'text', enum: INCIDENT_KINDS, labels: INCIDENT_KIND_LABELS, label: { zh: '类型', en: 'Kind' } },
      { name: 'repair_hours', type: 'real', min: 0, unit: 'h', label: { zh: '抢修时长', en: 'Repair time' } },
      { name: 'water_lost_t', type: 'real', min: 0, unit: 't', label: { zh: '失水量', en: 'Water lost' } },
    ],
  },
  {
    name: 'complaints',
    geometry: 'POINT',
    label: { zh: '投诉', en: 'Complaints' },
    fields: [
      idField,
      { name: 'date', type: 'date', label: { zh: '日期', en: 'Date' } },
      { name: 'community_id', type: 'text', label: { zh: '小区', en: 'Community' } },
      { name: 'category', type: 'text', label: { zh: '类别', en: 'Category' } },
      { name: 'indoor_temp_c', type: 'real', min: -40, max: 40, unit: '°C', label: { zh: '室温', en: 'Indoor temp.' } },
      { name: 'status', type: 'text', labels: COMPLAINT_STATUS_LABELS, default: 'open', label: { zh: '处理状态', en: 'Status' } },
    ],
  },
  {
    name: 'coal_areas',
    geometry: 'POLYGON',
    label: { zh: '散煤区域', en: 'Coal-burning areas' },
    fields: [
      idField,
      { name: 'village', type: 'text', label: { zh: '村', en: 'Village' } },
      { name: 'households', type: 'integer', min: 0, label: { zh: '户数', en: 'Households' } },
      { name: 'status', type: 'text', enum: COAL_STATUSES, labels: COAL_STATUS_LABELS, default: 'burning', label: { zh: '治理状态', en: 'Status' } },
    ],
  },
  {
    name: 'streets',
    geometry: 'LINESTRING',
    label: { zh: '道路', en: 'Streets' },
    fields: [idField, nameField, { name: 'class', type: 'text', label: { zh: '等级', en: 'Class' } }],
  },
];

export const TABLES: readonly TableDef[] = [
  {
    name: 'projects',
    label: { zh: '项目清单', en: 'Projects' },
    fields: [
      idField,
      nameField,
      { name: 'year', type: 'integer', min: 2000, max: 2100, required: true, label: { zh: '年度', en: 'Year' } },
      { name: 'kind', type: 'text', enum: PROJECT_KINDS, labels: PROJECT_KIND_LABELS, default: 'pipe', label: { zh: '类型', en: 'Kind' } },
      { name: 'problem', type: 'text', label: { zh: '问题', en: 'Problem' } },
      { name: 'task', type: 'text', label: { zh: '任务', en: 'Task' } },
      { name: 'measure', type: 'text', label: { zh: '措施', en: 'Measure' } },
      { name: 'responsible', type: 'text', label: { zh: '责任单位', en: 'Responsible' } },
      { name: 'deadline', type: 'date', label: { zh: '时限', en: 'Deadline' } },
      {
        name: 'status',
        type: 'text',
        enum: PROJECT_STATUSES,
        labels: PROJECT_STATUS_LABELS,
        default: 'planned',
        label: { zh: '状态', en: 'Status' },
      },
      { name: 'budget_wan', type: 'real', min: 0, unit: '万元', label: { zh: '投资', en: 'Budget' } },
    ],
  },
  {
    name: 'project_features',
    label: { zh: '项目关联要素', en: 'Project features' },
    fields: [
      { name: 'project_id', type: 'text', required: true, label: { zh: '项目', en: 'Project' } },
      { name: 'layer', type: 'text', required: true, label: { zh: '图层', en: 'Layer' } },
      { name: 'feature_id', type: 'text', required: true, label: { zh: '要素', en: 'Feature' } },
    ],
  },
];

export const LAYER_NAMES = LAYERS.map((l) => l.name) as readonly LayerName[];

export function layerDef(name: string): LayerDef | undefined {
  return LAYERS.find((l) => l.name === name);
}

export function isLayerName(name: string): name is LayerName {
  return LAYERS.some((l) => l.name === name);
}

/** Column holding properties the schema does not know, as a JSON object. */
export const EXTRA_COLUMN = 'extra_json';

import type { Lang } from '../i18n/format';
export type { Lang };

/** Schema of a layer or a table by name. */
export function ownerDef(owner: string): LayerDef | TableDef | undefined {
  return LAYERS.find((l) => l.name === owner) ?? TABLES.find((t) => t.name === owner);
}

/** The field definition `field` of a layer or table, if any. */
export function fieldDef(owner: string, field: string): FieldDef | undefined {
  return ownerDef(owner)?.fields.find((f) => f.name === field);
}

/** Labels of the coded values of a field (empty when it has none). */
export function valueLabels(owner: string, field: string): Readonly<Record<string, Label>> {
  return fieldDef(owner, field)?.labels ?? {};
}

/**
 * How a stored value of a coded field reads in `lang`: its vocabulary label,
 * or the value as written when the vocabulary does not know it (data stays as
 * written). `null`/empty gives null.
 */
export function valueLabel(owner: string, field: string, value: unknown, lang: Lang): string | null {
  if (value === null || value === undefined || value === '') return null;
  const l = fieldDef(owner, field)?.labels?.[String(value)];
  return l ? l[lang] : String(value);
}

/** Every (owner, field) that carries a vocabulary, for tests and tools. */
export function vocabularyFields(): { owner: LayerName | TableName; field: FieldDef }[] {
  const out: { owner: LayerName | TableName; field: FieldDef }[] = [];
  for (const d of [...LAYERS, ...TABLES]) for (const f of d.fields) if (f.labels) out.push({ owner: d.name, field: f });
  return out;
}
