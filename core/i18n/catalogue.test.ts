/**
 * The message catalogues: English has every key of Chinese and nothing else
 * (also enforced by the type check), both spell the same placeholders,
 * English is English, no key is left unused by the code, and the formatter
 * fills placeholders, plurals and numbers.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUES, formatMessage, t, type MessageKey } from './index';

const ROOT = join(__dirname, '..', '..');
const KEYS = Object.keys(CATALOGUES.zh) as MessageKey[];

/** Placeholder names of a pattern: `{n}`, `{n, number}`, `{n, plural, …}` (plural branches' own text ignored). */
function placeholders(pattern: string): string[] {
  const names: string[] = [];
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '{') {
      if (depth === 0) names.push(/^\{\s*(\w+)/.exec(pattern.slice(i))?.[1] ?? '?');
      depth++;
    } else if (pattern[i] === '}') depth--;
  }
  return [...new Set(names)].sort();
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules') sourceFiles(p, out);
    } else if (/\.(ts|tsx)$/.test(name) && !/\.(test|spec)\.ts$/.test(name) && !/core\/i18n\/(zh|en)\.ts$/.test(p)) out.push(p);
  }
  return out;
}

describe('message catalogues', () => {
  it('English has exactly the keys of Chinese, none empty', () => {
    expect(Object.keys(CATALOGUES.en).sort()).toEqual([...KEYS].sort());
    for (const k of KEYS) for (const lang of ['zh', 'en'] as const) expect(CATALOGUES[lang][k].length, `${lang} ${k}`).toBeGreaterThan(0);
  });

  it('both languages spell the same placeholders', () => {
    for (const k of KEYS) expect(placeholders(CATALOGUES.en[k]), k).toEqual(placeholders(CATALOGUES.zh[k]));
  });

  it('English has no CJK character (the language switch names 中文 in its own script)', () => {
    const bad = KEYS.filter((k) => k !== 'app.language' && /[\p{Script=Han}\u3000-\u303f\uff01-\uff60]/u.test(CATALOGUES.en[k]));
    expect(bad).toEqual([]);
  });

  it('every key is used by the code', () => {
    const files = ['core', 'renderer', 'electron'].flatMap((d) => sourceFiles(join(ROOT, d)));
    const text = files.map((p) => readFileSync(p, 'utf8')).join('\n');
    // Keys built at run time from a prefix: `sheet.theme.${theme}`, `settings.group.${g}` …
    const dynamic = [...text.matchAll(/`([a-z]+(?:\.[a-zA-Z]+)*)\.\$\{/g)].map((m) => m[1] + '.');
    // Screens read their part of the catalogue through `scoped('edit')` etc. and ask for the short key.
    const scopes = [...text.matchAll(/scoped\('([a-z]+)'\)/g)].map((m) => m[1] + '.');
    const unused = KEYS.filter((k) => {
      if (text.includes(`'${k}'`) || text.includes(`"${k}"`)) return false;
      if (dynamic.some((p) => k.startsWith(p))) return false;
      const scope = scopes.find((p) => k.startsWith(p));
      if (scope) {
        const short = k.slice(scope.length);
        return !new RegExp(`['"]${short}['"]`).test(text);
      }
      return true;
    });
    expect(unused, `unused keys (files scanned: ${files.length}, e.g. ${relative(ROOT, files[0])})`).toEqual([]);
  });
});

describe('formatter', () => {
  it('fills names, numbers and plurals per locale', () => {
    expect(t('en', 'ledger.nPipes', { n: 1 })).toBe('1 pipe');
    expect(t('en', 'ledger.nPipes', { n: 3 })).toBe('3 pipes');
    expect(t('zh', 'ledger.nPipes', { n: 3 })).toBe('3 段');
    expect(formatMessage('en', '{n, number} km', { n: 12345.678 })).toBe('12,345.678 km');
    expect(formatMessage('en', '{n, number, 0.00} km', { n: 2 })).toBe('2.00 km');
    expect(formatMessage('en', '{n, plural, =0 {none} one {# valve} other {# valves}}', { n: 0 })).toBe('none');
    expect(formatMessage('en', '{n, plural, one {# valve} other {# valves}} in {layer}', { n: 2, layer: 'Valve wells' })).toBe('2 valves in Valve wells');
    expect(formatMessage('en', 'left as {x}', {})).toBe('left as {x}');
  });
});
