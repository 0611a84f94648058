import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { NONE, clamp, compact, fixed, grouped, lonLatText, numberFormat, percent, roundTo, trimmed, wan } from './number';

describe('the number helpers', () => {
  it('clamp holds a value within its bounds', () => {
    expect([clamp(-1, 0, 1), clamp(0.25, 0, 1), clamp(7, 0, 1)]).toEqual([0, 0.25, 1]);
    expect(clamp(150, 1, 100)).toBe(100);
  });

  it('fixed: exact decimals, no grouping; a missing figure is — or what the caller says', () => {
    expect(fixed(1234.5)).toBe('1234.50');
    expect(fixed(1234.5, 0)).toBe('1235');
    expect(fixed(0.0005, 3)).toBe('0.001');
    expect([fixed(null), fixed(undefined), fixed(NaN), fixed(Infinity)]).toEqual([NONE, NONE, NONE, NONE]);
    expect(fixed(null, 2, '-')).toBe('-');
  });

  it('grouped: exact decimals, thousands grouped with commas', () => {
    expect(grouped(1234567.891)).toBe('1,234,567.89');
    expect(grouped(1234.5, 0)).toBe('1,235');
    expect(grouped(-0.5, 1)).toBe('-0.5');
    expect(grouped(12, 3)).toBe('12.000');
    expect(grouped(null)).toBe(NONE);
  });

  it('trimmed and compact drop trailing zeros; compact uses fewer decimals for larger values', () => {
    expect([trimmed(12.5, 3), trimmed(3, 3), trimmed(1.23456, 3)]).toEqual(['12.5', '3', '1.235']);
    expect([compact(250.4), compact(12.34), compact(12.04), compact(0.125), compact(7), compact(-15.55)]).toEqual(['250', '12.3', '12', '0.13', '7', '-15.6']);
  });

  it('percent, money in 万元 and positions', () => {
    expect([percent(0.456), percent(0.4567, 1), percent(1.2), percent(null)]).toEqual(['46%', '45.7%', '120%', NONE]);
    expect(percent(null, 0, '')).toBe('');
    expect(wan(12345.67)).toBe('12,345.7');
    expect(lonLatText(115.0300001, 42.287)).toBe('115.030000,42.287000');
    expect(lonLatText(115.03, 42.287, ', ')).toBe('115.030000, 42.287000');
  });

  it('roundTo rounds to a number of decimals, as a number', () => {
    expect([roundTo(1.23456, 2), roundTo(1.25, 1), roundTo(1234.5, 0), roundTo(-1.26, 1)]).toEqual([1.23, 1.3, 1235, -1.3]);
  });

  it('numberFormat keeps one formatter per locale and decimals', () => {
    expect(numberFormat('zh-CN', 2, 2)).toBe(numberFormat('zh-CN', 2, 2));
    expect(numberFormat('zh-CN', 2, 2).format(1234.5)).toBe('1,234.50');
    expect(numberFormat('en', 0, 3).format(0.12345)).toBe('0.123');
  });
});

describe('one helper, no copies', () => {
  /** Source files of the app (tests excluded). */
  const sources = (dir: string, out: string[] = []): string[] => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (name === 'node_modules') continue;
      if (statSync(p).isDirectory()) sources(p, out);
      else if (/\.(ts|tsx|mjs)$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name)) out.push(p);
    }
    return out;
  };
  const root = join(__dirname, '..', '..');
  const files = ['core', 'renderer', 'electron'].flatMap((d) => sources(join(root, d))).filter((p) => relative(root, p) !== join('core', 'format', 'number.ts'));

  it('no hand-written clamp (Math.max(lo, Math.min(hi, v)) and its mirror) and no own locale number format outside core/format/number.ts', () => {
    const copies = /Math\.max\(\s*[^(),]+,\s*Math\.min\(|Math\.min\(\s*[^(),]+,\s*Math\.max\(|Math\.min\(Math\.max\(|\.toLocaleString\(|new Intl\.NumberFormat\(/;
    const offenders: string[] = [];
    for (const p of files)
      readFileSync(p, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (copies.test(line)) offenders.push(`${relative(root, p)}:${i + 1}: ${line.trim()}`);
        });
    expect(offenders).toEqual([]);
  });
});
