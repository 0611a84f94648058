/**
 * One vocabulary: every coded value of every field has one label per locale,
 * declared next to its field in core/model/schema.ts, and every place that
 * shows such a value — map legend, inspector and table, ledgers, charts,
 * printed map sheets, import mapping, `warmnet info` — shows that label.
 * The places are rendered with their real functions; a last test reads the
 * source for hard-coded copies of a label, so a label changed in one place
 * only (or a second word for a value written somewhere) fails here.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureProject, at } from '../../core/carto/fixture';
import { buildMapSheet } from '../../core/carto/mapSheet';
import { pipeTheme, MAP_THEMES } from '../../core/carto/themes';
import { mapEnumValue } from '../../core/io/fieldMap';
import type { ProjectData } from '../../core/model/project';
import { LAYERS, TABLES, fieldDef, valueLabel, vocabularyFields, type Label } from '../../core/model/schema';
import type { Feature, LineStringGeom, PointGeom } from '../../core/model/types';
import { incidentsPerYear, pipeKmByAgeAndLevel, renovationProgressByMonth } from '../../core/plan/charts';
import { buildLedger } from '../../core/plan/ledger';
import { THEMES } from '../../core/style/themes';
import { formatValue } from '../../renderer/i18n';

const LANGS = ['zh', 'en'] as const;
const ROOT = join(__dirname, '..', '..');

/** The fixture town with one pipe/incident/project/complaint for every coded value the ledger shows. */
function everyValueProject(): ProjectData {
  const data = fixtureProject();
  const L = data.layers;
  const line = (id: string, props: Record<string, unknown>, e: number): Feature<LineStringGeom> => ({
    type: 'Feature',
    id,
    geometry: { type: 'LineString', coordinates: [at(e, 150), at(e + 20, 150)] },
    properties: { id, level: 'courtyard', dn: 50, install_year: 2010, status: 'in_service', renovation_status: 'none', ...props },
  });
  let e = 900;
  const v = (field: string) => fieldDef('pipes', field)!.enum!;
  for (const status of v('status')) L.pipes.push(line(`PS-${status}`, { status }, (e += 10)));
  for (const renovation_status of v('renovation_status')) L.pipes.push(line(`PR-${renovation_status}`, { renovation_status }, (e += 10)));
  for (const level of v('level')) L.pipes.push(line(`PL-${level}`, { level }, (e += 10)));
  const pt = (id: string, props: Record<string, unknown>): Feature<PointGeom> => ({ type: 'Feature', id, geometry: { type: 'Point', coordinates: at(950, 210) }, properties: { id, ...props } });
  for (const kind of fieldDef('incidents', 'kind')!.enum!) L.incidents.push(pt(`IK-${kind}`, { kind, date: '2023-03-01', pipe_id: 'P-004' }));
  for (const status of Object.keys(fieldDef('complaints', 'status')!.labels!)) L.complaints.push(pt(`QS-${status}`, { status, community_id: 'C-01', date: '2024-01-01' }));
  for (const status of fieldDef('projects', 'status')!.enum!)
    for (const kind of fieldDef('projects', 'kind')!.enum!)
      data.projects.push({ id: `PJ-${status}-${kind}`, name: 'x', year: 2024, kind, problem: null, task: null, measure: null, responsible: null, deadline: null, status, budget_wan: 1 } as ProjectData['projects'][number]);
  return data;
}

describe('the vocabulary in core/model/schema.ts', () => {
  it('every allowed value of every enum field has a label in each locale, and none is shared inside a field', () => {
    let enumFields = 0;
    for (const def of [...LAYERS, ...TABLES])
      for (const f of def.fields) {
        if (!f.enum) continue;
        enumFields++;
        expect(f.labels, `${def.name}.${f.name} has no labels`).toBeDefined();
        for (const value of f.enum) {
          const l = f.labels![value];
          expect(l, `${def.name}.${f.name} = ${value}`).toBeDefined();
          for (const lang of LANGS) expect(l[lang].trim().length, `${def.name}.${f.name} = ${value} (${lang})`).toBeGreaterThan(0);
        }
        for (const lang of LANGS) {
          const words = Object.values(f.labels!).map((l) => l[lang]);
          expect(new Set(words).size, `${def.name}.${f.name}: two values read the same in ${lang}`).toBe(words.length);
        }
      }
    expect(enumFields).toBeGreaterThanOrEqual(15);
  });

  it('English labels are English', () => {
    for (const { owner, field } of vocabularyFields()) for (const l of Object.values(field.labels!)) expect(l.en, `${owner}.${field.name}`).not.toMatch(/\p{Script=Han}/u);
  });

  it('values the vocabulary does not know stay as written', () => {
    expect(valueLabel('pipes', 'material', '钢管', 'en')).toBe('钢管');
    expect(valueLabel('complaints', 'status', '电话回访', 'en')).toBe('电话回访');
    expect(valueLabel('pipes', 'status', null, 'zh')).toBeNull();
  });
});

describe('every place that shows a coded value shows the vocabulary label', () => {
  it('inspector, attribute table and forms (renderer formatValue)', () => {
    for (const { owner, field } of vocabularyFields())
      for (const [value, l] of Object.entries(field.labels!)) for (const lang of LANGS) expect(formatValue(value, lang, field), `${owner}.${field.name}=${value}`).toBe(l[lang]);
  });

  it('map legend themes (renovation, level) and printed-map legends', () => {
    const check = (classes: { value: string; label: Label }[], field: string) => {
      for (const c of classes) expect(c.label, c.value).toEqual(fieldDef('pipes', field)!.labels![c.value]);
    };
    check(THEMES.renovation.classes, 'renovation_status');
    check(THEMES.level.classes, 'level');
    const data = fixtureProject();
    for (const lang of LANGS) {
      const t = pipeTheme('renovation', data.settings, 2024, lang);
      expect(t.classes.map((c) => c.label)).toEqual(t.classes.map((c) => valueLabel('pipes', 'renovation_status', c.key, lang)));
    }
    expect(MAP_THEMES).toContain('level');
  });

  it('printed map sheet: level names and the planned-pipe line of the legend', () => {
    const data = everyValueProject();
    for (const lang of LANGS) {
      const page = buildMapSheet(data, { paper: 'A3', orientation: 'landscape', theme: 'level', year: 2024, issuingUnit: 'u', date: '2024-01-01', dataNote: 'n', lang });
      const texts = page.commands.flatMap((c) => (c.kind === 'text' ? [c.text] : [])).join('\n');
      for (const value of fieldDef('pipes', 'level')!.enum!) expect(texts).toContain(valueLabel('pipes', 'level', value, lang)!);
      expect(texts).toContain(valueLabel('pipes', 'status', 'planned', lang)!);
      expect(texts).toContain(valueLabel('pipes', 'status', 'in_service', lang)!);
    }
  });

  it('ledgers (xlsx/CSV tables): pipe level, status, renovation, incident kind, complaint status, project kind and status', () => {
    const data = everyValueProject();
    for (const lang of LANGS) {
      const ledger = buildLedger(data, 2024, lang);
      const cells = new Set<string>();
      for (const s of ledger.sheets) for (const b of s.blocks) for (const r of [...b.rows, b.totals ?? {}]) for (const v of Object.values(r)) if (typeof v === 'string') cells.add(v);
      const expectAll = (owner: string, field: string, values: readonly string[]) => {
        for (const value of values) expect(cells.has(valueLabel(owner, field, value, lang)!), `${owner}.${field}=${value} (${lang})`).toBe(true);
      };
      expectAll('pipes', 'status', fieldDef('pipes', 'status')!.enum!);
      expectAll('pipes', 'renovation_status', fieldDef('pipes', 'renovation_status')!.enum!);
      expectAll('pipes', 'level', fieldDef('pipes', 'level')!.enum!);
      expectAll('incidents', 'kind', fieldDef('incidents', 'kind')!.enum!);
      expectAll('complaints', 'status', Object.keys(fieldDef('complaints', 'status')!.labels!));
      expectAll('projects', 'status', fieldDef('projects', 'status')!.enum!);
      expectAll('projects', 'kind', fieldDef('projects', 'kind')!.enum!);
    }
  });

  it('charts: level categories, incident kinds and renovation states', () => {
    const data = everyValueProject();
    for (const lang of LANGS) {
      expect(pipeKmByAgeAndLevel(data, 2024, lang).categories).toEqual(fieldDef('pipes', 'level')!.enum!.map((v) => valueLabel('pipes', 'level', v, lang)));
      expect(incidentsPerYear(data, lang).series.map((s) => s.label)).toEqual(fieldDef('incidents', 'kind')!.enum!.map((v) => valueLabel('incidents', 'kind', v, lang)));
      for (const s of renovationProgressByMonth(data, 2024, lang).series) expect(s.label).toBe(valueLabel('pipes', 'renovation_status', s.key, lang));
    }
  });

  it('import field mapping reads every label back as its value, in both locales', () => {
    for (const { owner, field } of vocabularyFields()) {
      if (!field.enum) continue;
      for (const value of field.enum) for (const lang of LANGS) expect(mapEnumValue(field, field.labels![value][lang]), `${owner}.${field.name}: ${field.labels![value][lang]}`).toBe(value);
    }
  });
});

/** Source files of the app (tests and the schema itself excluded). */
function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules' && name !== 'migrations') sourceFiles(p, out);
    } else if (/\.(ts|tsx|mjs)$/.test(name) && !/\.(test|spec)\.ts$/.test(name)) out.push(p);
  }
  return out;
}

/**
 * Labels that are also ordinary words of another meaning in the interface (a
 * button 关闭, the layer 热源, the word 计划 "plan", a task "Completed"):
 * a literal equal to one of these is not taken for a copy of the label.
 */
const HOMONYMS = new Set(['关闭', '开启', '热源', '换热站', '管网', '锅炉', '计划', '是', '否', 'Open', 'Closed', '已完成', 'Completed', 'In progress', '改造中', 'None', 'Primary', 'Secondary', 'Manual', 'Planned', 'Building', 'Approved', 'Accepted', 'Buried', 'Trench', 'Overhead', 'CHP', 'Station', 'Heat source', 'Pipes', 'Boiler', 'Yes', 'No', 'Supply', 'Return']);

describe('no hard-coded copy of a label', () => {
  /**
   * Files allowed to spell a label as a literal, each with its reason. Only
   * words that are also ordinary UI words of another meaning belong here.
   */
  const ALLOWED: Record<string, string> = {
    'core/model/schema.ts': 'the vocabulary itself',
    'core/io/fieldMap.ts': 'words found in other people\'s files (input synonyms), not display labels',
  };
  const files = ['core', 'renderer', 'electron'].flatMap((d) => sourceFiles(join(ROOT, d))).filter((p) => !(relative(ROOT, p) in ALLOWED));

  it('no map from a coded value to a Chinese word outside the schema (planned: \'计划\', in_service: { zh: … })', () => {
    const ids = new Set(vocabularyFields().flatMap(({ field }) => Object.keys(field.labels!)));
    const offenders: string[] = [];
    const re = /\b([a-z_]+)\s*:\s*(?:\{\s*zh\s*:\s*)?['"`]([^'"`]*\p{Script=Han}[^'"`]*)['"`]/gu;
    for (const p of files) {
      const src = readFileSync(p, 'utf8');
      for (const m of src.matchAll(re)) {
        if (!ids.has(m[1])) continue;
        const isLabel = vocabularyFields().some(({ field }) => Object.values(field.labels!).some((l) => l.zh === m[2]));
        const valueOfSomeField = vocabularyFields().some(({ field }) => m[1] in field.labels!);
        if (isLabel && valueOfSomeField && !HOMONYMS.has(m[2])) offenders.push(`${relative(ROOT, p)}: ${m[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('no string literal equal to a status label (the words that were spelled differently in different places)', () => {
    const words = new Set<string>();
    for (const [owner, field] of [['pipes', 'status'], ['pipes', 'renovation_status'], ['projects', 'status'], ['pipes', 'level'], ['pipes', 'laying'], ['valves', 'state'], ['heat_sources', 'kind'], ['coal_areas', 'status'], ['stations', 'automation']] as const)
      for (const l of Object.values(fieldDef(owner, field)!.labels!)) {
        words.add(l.zh);
        words.add(l.en);
      }
    for (const w of HOMONYMS) words.delete(w);
    const offenders: string[] = [];
    for (const p of files) {
      const src = readFileSync(p, 'utf8');
      for (const m of src.matchAll(/(['"`])([^'"`\n]{1,20})\1/g)) if (words.has(m[2])) offenders.push(`${relative(ROOT, p)}: ${m[0]}`);
    }
    expect(offenders).toEqual([]);
  });

  it('the old disagreements are settled: one word per value', () => {
    expect(valueLabel('pipes', 'status', 'planned', 'zh')).toBe('规划');
    expect(valueLabel('pipes', 'renovation_status', 'planned', 'zh')).toBe('已列入计划');
    expect(valueLabel('pipes', 'status', 'in_service', 'zh')).toBe('在役');
    expect(valueLabel('projects', 'status', 'planned', 'zh')).toBe('计划');
  });
});
