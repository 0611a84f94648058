/**
 * No hard-coded Chinese text: every string literal, template piece and JSX
 * text in the sources of core/, electron/ and renderer/ is free of CJK
 * characters, except in the files listed below with the reason they may hold
 * it (the message catalogues, the vocabulary declared next to its field,
 * synonyms the importer reads, fixtures and sample data, frozen migrations).
 * Text for people belongs in core/i18n/zh.ts + en.ts; a new Chinese literal
 * anywhere else fails here, naming the file, the line and the text.
 *
 * Regular-expression literals are left out: they read input (column names,
 * CRS names as people write them) and never show text to anyone. Comments
 * are not literals. Test files are not scanned.
 *
 * PENDING counts literals still waiting for the catalogue, per file: the
 * count may only go down (a new literal there fails as anywhere else; one
 * moved to the catalogue asks for the count to be lowered).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const CJK = /[\p{Script=Han}\u3000-\u303f\uff01-\uff60]/u;

/** Files that may hold CJK literals, and why. */
const ALLOWED: Record<string, string> = {
  'core/i18n/zh.ts': 'the Chinese message catalogue',
  'core/i18n/en.ts': 'the English catalogue names the other language in its own script (中文) on the language switch',
  'core/i18n/index.ts': 'units as the schema and settings write them (万元, 分 …), read to pick their catalogue key',
  'core/model/schema.ts': 'the vocabulary: every layer, field and coded value with its label per locale, declared once',
  'core/model/settings.ts': 'every setting with its label and the source of its default, declared once next to it',
  'core/model/classes.ts': 'the age and leak classes with their labels per locale, the vocabulary of the derived classes',
  'core/io/fieldMap.ts': 'the names under which import files carry each field (synonyms the importer reads)',
  'core/carto/fixture.ts': 'a small planted project for the map-sheet tests (data)',
  'electron/cli/sample.ts': 'the sample project generator (data)',
  'electron/backend/store/migrations/0001_geopackage.ts': 'frozen migration: literal SQL of its time',
  'electron/backend/store/migrations/0004_import_log.ts': 'frozen migration: literal SQL of its time',
  'electron/backend/store/migrations/0008_checkout.ts': 'frozen migration: literal SQL of its time',
  'electron/backend/store/migrations/0009_project_membership.ts': 'frozen migration: literal SQL of its time',
  'electron/backend/store/migrations/0010_basemaps.ts': 'frozen migration: literal SQL of its time',
};

/** Files with a few CJK literals that are not text for people: how many, and why. */
const ALLOWED_COUNT: Record<string, { n: number; why: string }> = {
  'core/model/validate.ts': { n: 2, why: 'yes/no as people write them in a file (是/否), read on import' },
  'renderer/panels/shared/ConflictView.tsx': { n: 1, why: 'yes as people write it (是), read back from a conflict cell' },
  'core/io/csv.ts': { n: 1, why: 'the refusal names the column names it looked for (经度/纬度, X坐标/Y坐标): synonyms the reader knows' },
  'core/basemap/online.ts': { n: 1, why: "the provider's own attribution, shown as written (data)" },
  'electron/backend/export/ledgerFiles.ts': { n: 2, why: 'the font family the ledgers ask Excel for (微软雅黑)' },
  'renderer/App.tsx': { n: 1, why: 'the logo glyph 暖, marked lang="zh" and aria-hidden' },
};

/** Literals still to move to the catalogue, per file (may only go down). */
const PENDING: Record<string, number> = {};

export interface Literal {
  line: number;
  text: string;
}

/** The string literals, template pieces and JSX text with a CJK character in one source file. */
export function cjkLiterals(fileName: string, source: string): Literal[] {
  if (!CJK.test(source)) return [];
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: Literal[] = [];
  const visit = (n: ts.Node): void => {
    const textual =
      ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n) || ts.isJsxText(n);
    if (textual && CJK.test(n.text)) out.push({ line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, text: n.text.trim().slice(0, 60) });
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules') sources(p, out);
    } else if (/\.(ts|tsx)$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const rel = (p: string) => relative(ROOT, p).split(sep).join('/');

describe('no hard-coded Chinese text outside the catalogues', () => {
  const files = ['core', 'electron', 'renderer'].flatMap((d) => sources(join(ROOT, d)));
  const found = new Map<string, Literal[]>();
  for (const p of files) {
    const lits = cjkLiterals(p, readFileSync(p, 'utf8'));
    if (lits.length) found.set(rel(p), lits);
  }

  it('the scanner finds literals, template pieces and JSX text, and leaves comments and regular expressions alone', () => {
    const planted = [
      "// 注释 is a comment\nconst re = /^(经度|lon)$/;\nconst a = 'plain';",
      "const label = '关';",
      'const s = `${n} 段`;',
      'const el = <b>合计</b>;',
      "const o = { zh: '在役', en: 'in service' };",
    ];
    expect(planted.map((s, i) => cjkLiterals(i === 3 ? 'x.tsx' : 'x.ts', s).length)).toEqual([0, 1, 1, 1, 1]);
    expect(cjkLiterals('x.ts', "const a = 1;\nconst label = '关';")).toEqual([{ line: 2, text: '关' }]);
  });

  it('scans the three folders', () => {
    expect(files.length).toBeGreaterThan(300);
    for (const f of [...Object.keys(ALLOWED), ...Object.keys(ALLOWED_COUNT), ...Object.keys(PENDING)]) expect(files.map(rel), `${f} is listed but not there`).toContain(f);
  });

  it('every CJK literal is in a listed file, within its count', () => {
    const bad: string[] = [];
    for (const [file, lits] of found) {
      if (ALLOWED[file]) continue;
      const limit = ALLOWED_COUNT[file]?.n ?? PENDING[file] ?? 0;
      if (lits.length > limit) bad.push(`${file} (${lits.length}, allowed ${limit}): ${lits.map((l) => `${l.line}: ${l.text}`).join(' | ')}`);
    }
    expect(bad, 'text for people goes in core/i18n/zh.ts + en.ts').toEqual([]);
  });

  it('the counts are exact, so the lists only shrink', () => {
    const counts = Object.fromEntries([...Object.keys(ALLOWED_COUNT), ...Object.keys(PENDING)].map((f) => [f, found.get(f)?.length ?? 0]));
    expect(counts).toEqual({ ...Object.fromEntries(Object.entries(ALLOWED_COUNT).map(([f, a]) => [f, a.n])), ...PENDING });
  });
});
