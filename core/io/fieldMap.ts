/**
 * Source fields → WarmNet fields. Guesses come from the schema itself (the
 * field's name and its zh/en labels) plus the names survey and CAD files
 * use; values of enum fields are mapped where the word is unambiguous
 * (一级 → primary, 直埋 → buried), DN is read from "DN200" or an outside
 * diameter such as "D219×6", years from "2005年" or a date.
 */
import { layerDef, type FieldDef, type LayerName } from '../model/schema';
import { message, type Message } from '../i18n';

/** target field → source field, or '=value' for a constant. */
export type FieldMapping = Record<string, string>;

/** Extra names people give to a field, beyond its schema name and labels. */
const SYNONYMS: Record<string, string[]> = {
  id: ['编号', '编码', '代码', '管段编号', '管线编号', '阀门编号', '阀井编号', '站编号', '小区编号', 'code', 'bh', 'fid_code', 'gxbh'],
  name: ['名称', '站名', '小区名称', '热源名称', '换热站名称', 'mc', 'title'],
  level: ['级别', '管网级别', '管线级别', '管网等级', '管网类型', '管线类型', 'grade', 'network', 'layer'],
  dn: ['dn', '管径', '口径', '公称直径', '公称管径', '管径dn', '管径mm', 'diameter', 'diam', 'gj', 'size'],
  material: ['材质', '管材', '材料', 'cz', 'mat'],
  insulation: ['保温', '保温材料', '保温方式', '保温层'],
  laying: ['敷设方式', '埋设方式', '敷设形式', 'fsfs'],
  install_year: ['年份', '敷设年代', '敷设年份', '安装年份', '安装年代', '建设年份', '建设年代', '埋设年代', '埋设年份', '投运年份', 'year', 'install', 'azny', 'msnd'],
  commissioned_year: ['投运年份', '投产年份', '建成年份', 'year'],
  design_life_years: ['设计寿命', '设计使用年限', 'design_life', 'life'],
  leak_count_5y: ['泄漏次数', '漏点数', '近5年泄漏次数', 'leaks', 'leak_count'],
  water_loss_rate: ['失水率', '补水率', 'water_loss'],
  condition: ['状况', '管况', '现状评价', 'condition'],
  status: ['状态', '运行状态', '使用状态'],
  renovation_status: ['改造状态', '改造情况'],
  project_id: ['项目编号', '所属项目', 'project'],
  kind: ['类型', '种类', '阀门类型', '热源类型', 'type'],
  state: ['开关状态', '启闭状态', '阀门状态', '开闭'],
  operable: ['可操作', '是否可操作', '能否操作'],
  last_inspected: ['巡检日期', '上次巡检', '巡检时间'],
  capacity_mw: ['供热能力', '容量', '装机容量', 'capacity'],
  design_capacity_mw: ['设计负荷', '设计容量', '设计热负荷', 'capacity'],
  households: ['户数', '住户数'],
  heated_area_m2: ['供热面积', '采暖面积', 'area'],
  year_built: ['建成年份', '建筑年代', '建成年代'],
  station_id: ['所属换热站', '换热站编号', '换热站'],
  village: ['村', '村名', '村庄'],
  pipe_id: ['管段编号', '管线编号', '管段'],
  date: ['日期', '时间', '发生日期'],
  community_id: ['小区编号', '所属小区', '小区'],
  indoor_temp_c: ['室温', '室内温度'],
  class: ['道路等级', '等级'],
};

/**
 * Other people's words for enum values (the field's own labels in
 * core/model/schema.ts are always understood); the longest one found in a
 * cell decides.
 */
const VALUE_WORDS: Record<string, string[]> = {
  primary: ['一级', '一次', '一次网', '一级网', '主干', '一级管网', 'primary'],
  secondary: ['二级', '二次', '二次网', '二级网', '二级管网', 'secondary'],
  courtyard: ['庭院', '庭院管网', '小区管网', '户线', 'courtyard'],
  in_service: ['在用', '运行', '使用中', '正常', '在役', 'in_service', 'in service'],
  planned: ['规划', '拟建', '计划', '待建', 'planned'],
  abandoned: ['废弃', '停用', '报废', 'abandoned'],
  buried: ['直埋', '埋地', 'buried'],
  trench: ['地沟', '管沟', 'trench'],
  overhead: ['架空', 'overhead'],
  gate: ['闸阀', 'gate'],
  butterfly: ['蝶阀', 'butterfly'],
  ball: ['球阀', 'ball'],
  open: ['开', '开启', '常开', '打开', 'open'],
  closed: ['关', '关闭', '常闭', 'closed', 'close'],
  yes: ['是', '可', '能', '有', 'y', 'yes', 'true'],
  no: ['否', '不可', '不能', '无', 'n', 'no', 'false'],
  manual: ['手动', '人工', 'manual'],
  local: ['就地', '本地', 'local'],
  remote: ['远程', '远控', 'remote'],
  coal_boiler: ['燃煤', '燃煤锅炉', '煤'],
  gas_boiler: ['燃气', '燃气锅炉'],
  chp: ['热电', '热电联产'],
  electric: ['电锅炉', '电采暖', '电'],
  waste_heat: ['余热'],
  leak: ['泄漏', '漏水', '渗漏'],
  burst: ['爆管', '爆裂'],
  valve_failure: ['阀门故障'],
  burning: ['燃煤', '未改造', '散烧'],
  converting: ['改造中', '在建'],
  converted: ['已改造', '完成改造'],
  none: ['无', '未改造'],
  candidate: ['候选', '待改造'],
  in_progress: ['施工中', '在建', '改造中'],
  completed: ['已完成', '完成', '已改造'],
};

/**
 * Outside diameter (mm) of the steel pipes used for district heating → DN,
 * so "D219×6" on a drawing reads as DN200 (common seamless/welded series).
 */
const OD_TO_DN: Record<number, number> = {
  25: 20, 32: 25, 38: 32, 45: 40, 57: 50, 76: 65, 89: 80, 108: 100, 133: 125, 159: 150, 219: 200, 273: 250,
  325: 300, 377: 350, 426: 400, 478: 450, 529: 500, 630: 600, 720: 700, 820: 800,
};

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[\s_\-()（）[\]【】/:：.]+/g, '')
    .replace(/mm$|毫米$/, '');

/** Guess a mapping for a layer from source field names; unmatched target fields are absent. */
export function guessMapping(layer: LayerName, sourceFields: readonly string[]): FieldMapping {
  const def = layerDef(layer);
  if (!def) return {};
  const mapping: FieldMapping = {};
  const used = new Set<string>();
  const bySource = new Map(sourceFields.map((s) => [norm(s), s]));
  // Two passes: exact schema names and labels first, then synonyms, so that a
  // file with both "year" and "install_year" maps the precise one.
  const passes: ((f: FieldDef) => string[])[] = [
    (f) => [f.name, f.label.zh, f.label.en],
    (f) => SYNONYMS[f.name] ?? [],
  ];
  for (const pass of passes) {
    for (const f of def.fields) {
      if (f.computed || mapping[f.name]) continue;
      for (const cand of pass(f)) {
        const src = bySource.get(norm(cand));
        if (src !== undefined && !used.has(src)) {
          mapping[f.name] = src;
          used.add(src);
          break;
        }
      }
    }
  }
  // Shapefile field names are cut at 10 bytes, often inside a character
  // ("敷设年代" in UTF-8 → "敷设年�"): a clipped name that starts one known
  // name of a single field still says which field it is.
  for (const src of sourceFields) {
    if (used.has(src)) continue;
    const clipped = norm(src.replace(/\uFFFD+$/, ''));
    if (clipped === src || clipped.length < 2 || !/\uFFFD$/.test(src) && src.length < 10) continue;
    const targets = def.fields.filter(
      (f) => !f.computed && [f.name, f.label.zh, ...(SYNONYMS[f.name] ?? [])].some((c) => norm(c).startsWith(clipped) && norm(c) !== clipped),
    );
    if (targets.length === 1 && !mapping[targets[0].name]) {
      mapping[targets[0].name] = src;
      used.add(src);
    }
  }
  return mapping;
}

/** Map one cell to an enum value when a known word says which; otherwise the cell as it is. */
const LOWER_WORDS: Record<string, { w: string; exact: boolean }[]> = Object.fromEntries(
  Object.entries(VALUE_WORDS).map(([k, ws]) => [k, ws.map((w) => ({ w: w.toLowerCase(), exact: w.length <= 2 && /^[a-z]+$/.test(w) }))]),
);

/** Words that name `value` of field `f`: its vocabulary labels, then other people's words. */
function wordsFor(f: FieldDef, value: string): { w: string; exact: boolean }[] {
  const l = f.labels?.[value];
  const own = l ? [l.zh, l.en].map((w) => ({ w: w.toLowerCase(), exact: w.length <= 2 && /^[a-z]+$/i.test(w) })) : [];
  return [...own, ...(LOWER_WORDS[value] ?? [])];
}

export function mapEnumValue(f: FieldDef, raw: unknown): unknown {
  if (!f.enum || raw === null || raw === undefined) return raw;
  if (typeof raw === 'boolean' && f.enum.includes('yes')) return raw ? 'yes' : 'no';
  const text = String(raw).trim();
  if (f.enum.includes(text)) return text;
  const t = text.toLowerCase();
  // The field's own vocabulary (what the app itself writes in a ledger or a table) reads back exactly.
  for (const value of f.enum) {
    const l = f.labels?.[value];
    if (l && (l.zh.toLowerCase() === t || l.en.toLowerCase() === t)) return value;
  }
  let best: { value: string; len: number } | undefined;
  for (const value of f.enum) {
    for (const { w, exact } of wordsFor(f, value)) {
      const hit = exact ? t === w : t.includes(w);
      if (hit && (!best || w.length > best.len)) best = { value, len: w.length };
    }
  }
  return best ? best.value : raw;
}

/** "DN200", "200", "200mm", "D219×6", "Φ219" → 200. */
export function parseDn(raw: unknown): unknown {
  if (typeof raw === 'number') return OD_TO_DN[raw] && !isStandardDn(raw) ? OD_TO_DN[raw] : raw;
  if (typeof raw !== 'string') return raw;
  const t = raw.trim().toUpperCase();
  let m = /^DN\s*(\d+(?:\.\d+)?)/.exec(t);
  if (m) return Number(m[1]);
  m = /^(?:D|Φ|Ф|φ|Ø)\s*(\d+(?:\.\d+)?)/i.exec(t);
  if (m) return OD_TO_DN[Number(m[1])] ?? Number(m[1]);
  m = /^(\d+(?:\.\d+)?)\s*(MM)?$/.exec(t);
  if (m) return Number(m[1]);
  return raw;
}

const isStandardDn = (n: number) => [20, 25, 32, 40, 50, 65, 80, 100, 125, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800].includes(n);

/** "2005", "2005年", "2005-06-01", "2005/6" → 2005. */
export function parseYear(raw: unknown): unknown {
  if (typeof raw === 'number') return Math.trunc(raw) === raw ? raw : raw;
  if (typeof raw !== 'string') return raw;
  const m = /^\s*(\d{4})(?:\s*年|[-/.]\d{1,2}(?:[-/.]\d{1,2})?)?.*$/.exec(raw);
  return m ? Number(m[1]) : raw;
}

/** "2023/5/1", "2023.05.01", "20230501", "2023年5月1日" → "2023-05-01". */
export function parseDate(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  const m = /^\s*(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?\s*$/.exec(raw);
  if (!m) return raw;
  return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
}

/** One value of a source field, converted for its target field. */
export function convertValue(f: FieldDef, raw: unknown): unknown {
  if (raw === null || raw === undefined) return raw;
  if (typeof raw === 'string' && raw.trim() === '') return null;
  if (f.enum) return mapEnumValue(f, raw);
  if (f.name === 'dn') return parseDn(raw);
  if (f.type === 'integer' && /year/.test(f.name)) return parseYear(raw);
  if (f.type === 'date') return parseDate(raw);
  if (f.type === 'bool' && typeof raw === 'string') {
    const v = mapEnumValue({ ...f, enum: ['yes', 'no'] }, raw);
    return v === 'yes' ? true : v === 'no' ? false : raw;
  }
  if ((f.type === 'integer' || f.type === 'real') && typeof raw === 'string') {
    const n = Number(raw.trim().replace(/%$/, ''));
    return Number.isFinite(n) ? n : raw;
  }
  return raw;
}

/**
 * Apply a mapping to one feature's source properties: mapped targets get
 * converted values; source fields not used by the mapping are kept under
 * their own names (the store files them as extra properties) unless the name
 * is a schema field, which would be misread.
 */
export function applyMapping(layer: LayerName, props: Record<string, unknown>, mapping: FieldMapping): Record<string, unknown> {
  return compileMapping(layer, mapping)(props);
}

/** The same as applyMapping, with the per-layer work done once for a whole file. */
export function compileMapping(layer: LayerName, mapping: FieldMapping): (props: Record<string, unknown>) => Record<string, unknown> {
  const def = layerDef(layer)!;
  const used = new Set(Object.values(mapping));
  const schemaNames = new Set(def.fields.map((f) => f.name));
  const targets = def.fields
    .filter((f) => mapping[f.name] !== undefined && !f.computed)
    .map((f) => {
      const src = mapping[f.name];
      return src.startsWith('=') ? { f, constant: src.slice(1) } : { f, src };
    });
  // Survey files repeat their words ("一级", "直埋", "DN200") in every record: convert each distinct one once.
  const caches = targets.map(() => new Map<unknown, unknown>());
  const constants = targets.map((t) => ('constant' in t ? convertValue(t.f, t.constant) : undefined));
  return (props) => {
    const out: Record<string, unknown> = {};
    for (const k in props) if (!used.has(k) && !schemaNames.has(k)) out[k] = props[k];
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i];
      let v: unknown;
      if ('constant' in t) v = constants[i];
      else {
        const raw = props[t.src!];
        const cache = caches[i];
        if (typeof raw === 'string' && raw.length <= 64) {
          v = cache.get(raw);
          if (v === undefined && !cache.has(raw)) {
            v = convertValue(t.f, raw);
            if (cache.size < 10_000) cache.set(raw, v);
          }
        } else v = convertValue(t.f, raw);
      }
      if (v !== null && v !== undefined) out[t.f.name] = v;
    }
    return out;
  };
}

/** Parse `--map field=source` options (source '=value' for a constant). */
export function parseMappingOptions(layer: LayerName, items: readonly string[]): FieldMapping {
  const def = layerDef(layer)!;
  const mapping: FieldMapping = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`--map "${item}" is not field=source`);
    const target = item.slice(0, eq).trim();
    if (!def.fields.some((f) => f.name === target && !f.computed)) {
      throw new Error(`--map: ${layer} has no field "${target}" (fields: ${def.fields.filter((f) => !f.computed).map((f) => f.name).join(', ')})`);
    }
    mapping[target] = item.slice(eq + 1);
  }
  return mapping;
}

/** One guessed pair with the evidence for it, as the wizard and `--dry-run` show it. */
export interface FieldGuess {
  target: string;
  source: string;
  /** Why, as typed messages (`import.map.*`): name "管径" matches dn; 60 of 60 values read as dn (DN200, D219×6 …). */
  evidence: Message[];
}

/** A pair the names suggested but the values ruled out. */
export interface RejectedGuess {
  target: string;
  source: string;
  reason: Message;
}

export interface MappingEvidence {
  mapping: FieldMapping;
  guesses: FieldGuess[];
  rejected: RejectedGuess[];
}

/** Values of one source field over the features, and (for polygons) each feature's own area in m². */
export interface FieldSample {
  values(source: string): unknown[];
  /** Geodesic area of each feature's polygon (m²), aligned with values(); undefined for other kinds. */
  areas?(): (number | undefined)[];
}

function shown(vals: unknown[]): string {
  const out = new Set<string>();
  for (const v of vals) {
    if (v === null || v === undefined || String(v).trim() === '') continue;
    out.add(String(v));
    if (out.size === 3) break;
  }
  return [...out].join(', ');
}

/**
 * Guesses from names (guessMapping), each kept only when the values fit the
 * field: an id must be non-empty and unique; an area that equals each
 * polygon's own area is the geometry's, not the heated area; an enum field
 * (level, status…) needs values that read as its words; a number field
 * needs values that read as its numbers. Every kept pair carries its
 * evidence, every dropped one its reason.
 */
export function guessMappingWithEvidence(layer: LayerName, sourceFields: readonly string[], sample: FieldSample, year = new Date().getFullYear()): MappingEvidence {
  const def = layerDef(layer);
  const named = guessMapping(layer, sourceFields);
  const mapping: FieldMapping = {};
  const guesses: FieldGuess[] = [];
  const rejected: RejectedGuess[] = [];
  if (!def) return { mapping, guesses, rejected };
  for (const [target, source] of Object.entries(named)) {
    const f = def.fields.find((x) => x.name === target)!;
    const vals = sample.values(source);
    // One pass: how many are given, whether they repeat (ids), an even sample of up to 5000 to judge the rest by.
    let given = 0;
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i];
      if (v !== null && v !== undefined && (typeof v !== 'string' || v.trim() !== '')) given++;
    }
    const present: unknown[] = [];
    const step = Math.max(1, Math.floor(given / 5000));
    for (let i = 0, k = 0; i < vals.length; i++) {
      const v = vals[i];
      if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) continue;
      if (k++ % step === 0) present.push(v);
    }
    const nameWhy = message('import.map.nameMatch', { source, field: f.name });
    const reject = (reason: Message) => rejected.push({ target, source, reason });
    // The schema's own field name, spelled exactly (a WarmNet export, or a file made for it): taken as meant;
    // each value that does not fit is then a bad record, named, instead of the field silently left out.
    if (source === f.name && target !== 'id') {
      mapping[target] = source;
      guesses.push({ target, source, evidence: [message('import.map.ownName', { given, n: vals.length })] });
      continue;
    }
    if (target === 'id') {
      const distinct = new Set<string>();
      for (const v of vals) if (v !== null && v !== undefined) distinct.add(typeof v === 'string' ? v.trim() : String(v));
      distinct.delete('');
      // A field named exactly "id" is the project's own code (a WarmNet export): kept, and each empty or repeated
      // value is then a bad record, as an edit would say, rather than every code silently replaced.
      if (source === 'id') {
        mapping[target] = source;
        guesses.push({ target, source, evidence: [message('import.map.ownId', { distinct: distinct.size, n: vals.length, empty: vals.length - given })] });
        continue;
      }
      if (given < vals.length) {
        reject(message('import.map.idEmpty', { source, empty: vals.length - given, n: vals.length }));
        continue;
      }
      if (distinct.size < given) {
        reject(distinct.size === 1 ? message('import.map.idAllSame', { source, given, value: [...distinct][0] }) : message('import.map.idRepeats', { source, distinct: distinct.size, given }));
        continue;
      }
      mapping[target] = source;
      guesses.push({ target, source, evidence: [nameWhy, message('import.map.idUnique', { given })] });
      continue;
    }
    if (given === 0) {
      reject(message('import.map.allEmpty', { source }));
      continue;
    }
    if (target === 'heated_area_m2' && sample.areas) {
      const areas = sample.areas();
      let same = 0;
      let compared = 0;
      vals.forEach((v, i) => {
        const a = areas[i];
        const n = typeof v === 'number' ? v : Number(v);
        if (a === undefined || !(a > 0) || !Number.isFinite(n)) return;
        compared++;
        if (Math.abs(n - a) <= 0.02 * a) same++;
      });
      if (compared > 0 && same >= 0.8 * compared) {
        reject(message('import.map.ownArea', { source, same, compared }));
        continue;
      }
    }
    let fit = 0;
    // Whether values read as the field's is judged on the sample (every value for smaller files).
    const judged = present;
    for (const v of judged) {
      const c = convertValue(f, v);
      const ok = f.enum ? typeof c === 'string' && f.enum.includes(c) : f.type === 'integer' || f.type === 'real' ? typeof c === 'number' && Number.isFinite(c) && (f.type === 'real' || Number.isInteger(c)) && (!f.oneOf || f.oneOf.includes(c)) && (f.min === undefined || c >= f.min) && (!/year/.test(f.name) || c <= year + 10) : true;
      if (ok) fit++;
    }
    // Most values must read as the field's (the few that do not are then reported record by record).
    if ((f.enum || f.type === 'integer' || f.type === 'real') && fit * 2 < judged.length) {
      reject(message('import.map.valuesDoNotFit', { source, shown: shown(present), field: f.name, allowed: f.enum ? ` (${f.enum.join(', ')})` : '', fit, n: judged.length }));
      continue;
    }
    mapping[target] = source;
    const valueWhy =
      f.enum || f.type === 'integer' || f.type === 'real'
        ? message('import.map.valuesFit', { fit, n: judged.length, sampled: judged.length < given ? 1 : 0, field: f.name, shown: shown(present) })
        : message('import.map.example', { shown: shown(present) });
    guesses.push({ target, source, evidence: [nameWhy, valueWhy] });
  }
  return { mapping, guesses, rejected };
}
