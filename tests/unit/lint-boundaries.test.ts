/**
 * The house plan's boundaries are enforced, not only written down: ESLint
 * (eslint.config.js) fails a core/ file that imports electron/ code or a
 * Node built-in, and a renderer file that reaches past the contract; the
 * circle check fails on a type-only circle.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { circles, importGraph } from '../../scripts/circles.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const planted: string[] = [];

/** Lint one file that exists only for this test (inside the folder whose rules apply). */
async function lintPlanted(rel: string, text: string) {
  const file = join(ROOT, rel);
  writeFileSync(file, text);
  planted.push(file);
  // Boundaries are syntactic rules: the typed rules are not needed to see them, and a temp file is in no tsconfig.
  const eslint = new ESLint({ cwd: ROOT, overrideConfig: { languageOptions: { parserOptions: { project: null, projectService: false } } }, ruleFilter: ({ ruleId }) => ruleId.startsWith('warmnet/') });
  const [result] = await eslint.lintFiles([file]);
  return result.messages;
}

afterEach(() => {
  for (const f of planted.splice(0)) rmSync(f, { force: true });
});

describe('import boundaries', () => {
  it('core/ importing electron/ code fails the lint', async () => {
    const messages = await lintPlanted('core/__planted_boundary.ts', "import { ProjectStore } from '../electron/backend/store/index';\nexport const s = ProjectStore;\n");
    expect(messages.map((m) => m.ruleId)).toContain('warmnet/boundaries');
    expect(messages.find((m) => m.ruleId === 'warmnet/boundaries')!.message).toMatch(/core\/ must not import from electron\//);
  });

  it('core/ importing a Node built-in (also type-only) fails; a core import passes', async () => {
    const bad = await lintPlanted('core/model/__planted_fs.ts', "import type { Stats } from 'node:fs';\nimport { readFileSync } from 'fs';\nexport type S = Stats;\nexport const r = readFileSync;\n");
    expect(bad.filter((m) => m.ruleId === 'warmnet/boundaries')).toHaveLength(2);
    const good = await lintPlanted('core/model/__planted_ok.ts', "import { LAYER_NAMES } from './schema';\nexport const n = LAYER_NAMES.length;\n");
    expect(good.filter((m) => m.ruleId === 'warmnet/boundaries')).toHaveLength(0);
  });

  it('the renderer may import the contract but not other electron/ code', async () => {
    const ok = await lintPlanted('renderer/__planted_ok.ts', "import type { ProjectInfo } from '../electron/backend/contract';\nimport type { JournalEntry } from '../electron/backend/editing.contract';\nexport type T = [ProjectInfo, JournalEntry];\n");
    expect(ok.filter((m) => m.ruleId === 'warmnet/boundaries')).toHaveLength(0);
    const bad = await lintPlanted('renderer/__planted_bad.ts', "import type { JournalEntry } from '../electron/backend/store/api';\nexport type T = JournalEntry;\n");
    expect(bad.map((m) => m.ruleId)).toContain('warmnet/boundaries');
  });

  it('an eslint-disable without a reason fails', async () => {
    const messages = await lintPlanted('core/__planted_disable.ts', '// eslint-disable-next-line prefer-const\nlet x = 1;\nexport const y = x;\n');
    expect(messages.map((m) => m.ruleId)).toContain('warmnet/disable-reason');
  });
});

describe('import circles', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a type-only circle and none in a tree', () => {
    dir = mkdtempSync(join(tmpdir(), 'warmnet-circles-'));
    writeFileSync(join(dir, 'a.ts'), "import type { B } from './b';\nexport interface A { b: B }\n");
    writeFileSync(join(dir, 'b.ts'), "import type { A } from './a';\nexport interface B { a?: A }\n");
    writeFileSync(join(dir, 'c.ts'), "import type { A } from './a';\nexport type C = A;\n");
    const files = ['a.ts', 'b.ts', 'c.ts'].map((f) => join(dir, f));
    const found = circles(importGraph(files));
    expect(found).toHaveLength(1);
    expect(found[0].files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(['a.ts', 'b.ts']);
    writeFileSync(join(dir, 'b.ts'), 'export interface B { n: number }\n');
    expect(circles(importGraph(files))).toHaveLength(0);
  });
});
