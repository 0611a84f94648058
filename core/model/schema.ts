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
      { name: 'kind', type: 'text', enum: SOURCE_KINDS, default: 'coal_boiler', label: { zh: '类型', en: 'Kind' } },
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
      { name: 'status', type: 'text', default: 'in_service', label: { zh: '状态', en: 'Status' } },
      {
        name: 'hydraulic_role',
        type: 'text',
        enum: SOURCE_HYDRAULIC_ROLES,
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
      { name: 'level', type: 'text', enum: PIPE_LEVELS, required: true, label: { zh: '管网级别', en: 'Level' } },
      { name: 'dn', type: 'integer', oneOf: STANDARD_DN, required: true, unit: 'mm', label: { zh: '管径DN', en: 'DN' } },
      { name: 'material', type: 'text', label: { zh: '材质', en: 'Material' } },
      { name: 'insulation', type: 'text', label: { zh: '保温', en: 'Insulation' } },
      { name: 'laying', type: 'text', enum: LAYINGS, label: { zh: '敷设方式', en: 'Laying' } },
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
      { name: 'status', type: 'text', enum: PIPE_STATUSES, default: 'in_service', label: { zh: '状态', en: 'Status' } },
      {
        name: 'renovation_status',
        type: 'text',
        enum: RENOVATION_STATUSES,
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
      { name: 'circuit', type: 'text', enum: PIPE_CIRCUITS, default: 'pair', label: { zh: '供回水', en: 'Circuit' } },
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
      { name: 'kind', type: 'text', enum: VALVE_KINDS, default: 'gate', label: { zh: '阀门类型', en: 'Kind' } },
      { name: 'dn', type: 'integer', oneOf: STANDARD_DN, unit: 'mm', label: { zh: '口径DN', en: 'DN' } },
      { name: 'state', type: 'text', enum: VALVE_STATES, default: 'open', label: { zh: '开关状态', en: 'State' } },
      { name: 'operable', type: 'text', enum: YES_NO, default: 'yes', label: { zh: '可操作', en: 'Operable' } },
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
      { name: 'automation', type: 'text', enum: AUTOMATION, label: { zh: '自控水平', en: 'Automation' } },
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
      { name: 'energy_saving', type: 'text', enum: YES_NO, default: 'no', label: { zh: '节能建筑', en: 'Energy-saving' } },
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
      { name: 'kind', type: 'text', enum: INCIDENT_KINDS, label: { zh: '类型', en: 'Kind' } },
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
      { name: 'status', type: 'text', default: 'open', label: { zh: '处理状态', en: 'Status' } },
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
      { name: 'status', type: 'text', enum: COAL_STATUSES, default: 'burning', label: { zh: '治理状态', en: 'Status' } },
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
      { name: 'kind', type: 'text', enum: PROJECT_KINDS, default: 'pipe', label: { zh: '类型', en: 'Kind' } },
      { name: 'problem', type: 'text', label: { zh: '问题', en: 'Problem' } },
      { name: 'task', type: 'text', label: { zh: '任务', en: 'Task' } },
      { name: 'measure', type: 'text', label: { zh: '措施', en: 'Measure' } },
      { name: 'responsible', type: 'text', label: { zh: '责任单位', en: 'Responsible' } },
      { name: 'deadline', type: 'date', label: { zh: '时限', en: 'Deadline' } },
      {
        name: 'status',
        type: 'text',
        enum: PROJECT_STATUSES,
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
