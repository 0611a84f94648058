/**
 * Spreading a data-sized array into a call puts every element on the stack:
 * `Math.max(...xs)` or `out.push(...items)` over a line of a few hundred
 * thousand vertices is a RangeError that takes the app down. The code uses
 * core/arrays.ts (pushAll, minOf, maxOf) instead, and this scan keeps the
 * spread form out of core/, electron/ and renderer/; the helpers themselves
 * are tested on a million elements, and a 1M-vertex line goes through the
 * real importer and store.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { maxOf, minOf, pushAll } from '../../core/arrays';
import { importFile } from '../../electron/backend/importer';
import { ProjectStore } from '../../electron/backend/store/index';
import { tempDir } from '../fixtures/import/gdal';

const root = resolve(__dirname, '../..');
const tmp = tempDir('warmnet-spread-');
afterAll(() => tmp.cleanup());

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|tsx|mjs|cjs)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** The text with comments, strings and template literals blanked (same length, so offsets keep their lines). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, (m) => m.replace(/[^\n]/g, ' '));
}

/** Calls whose arguments go on the stack one by one: a spread of a data-sized array there overflows it. */
const CALLEES = /(Math\.(?:min|max|hypot)|\.push|\.unshift|\.splice|\.concat|String\.fromCharCode|String\.fromCodePoint)\s*\(/g;

/** `callee(... )` with a spread among its own arguments, and `.apply(` anywhere: 'file:line: text'. */
export function spreadCalls(file: string, text: string): string[] {
  const c = code(text);
  const found: string[] = [];
  const at = (i: number) => `${file}:${c.slice(0, i).split('\n').length}: ${text.split('\n')[c.slice(0, i).split('\n').length - 1].trim()}`;
  for (const m of c.matchAll(CALLEES)) {
    let depth = 0;
    for (let i = m.index! + m[0].length - 1; i < c.length; i++) {
      const ch = c[i];
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') {
        depth--;
        if (depth === 0) break;
      } else if (depth === 1 && c.startsWith('...', i)) {
        found.push(at(m.index!));
        break;
      }
    }
  }
  for (const m of c.matchAll(/\.apply\s*\(|Reflect\.apply\s*\(/g)) found.push(at(m.index!));
  return found;
}

describe('no spread of arrays into calls', () => {
  it('the scan finds the forms it is meant to find', () => {
    const bad = 'const a = Math.min(...xs);\nout.push(...items);\nout.push(1, ...rest);\nMath.max(0, ...ys.map((y) => y));\nf.apply(null, xs);\nString.fromCharCode(...codes);';
    expect(spreadCalls('x.ts', bad).length).toBe(6);
    const good = "// Math.min(...xs) in a comment\nconst s = 'push(...x)';\nconst a = [...xs, ...ys];\nconst o = { ...p };\nout.push([...xs]);\nfunction f(...args: number[]) { return args; }";
    expect(spreadCalls('y.ts', good)).toEqual([]);
  });

  it('core/, electron/ and renderer/ hold none', () => {
    const found = ['core', 'electron', 'renderer'].flatMap((d) => sources(join(root, d)).flatMap((f) => spreadCalls(relative(root, f), readFileSync(f, 'utf8'))));
    expect(found).toEqual([]);
  });

  it('the helpers take a million elements, as Math.min / Math.max / push would take a few', () => {
    const xs = Array.from({ length: 1_000_000 }, (_, i) => Math.sin(i) * 1000);
    expect(minOf(xs)).toBe(xs.reduce((a, b) => (b < a ? b : a)));
    expect(maxOf(xs)).toBe(xs.reduce((a, b) => (b > a ? b : a)));
    expect(() => Math.max(...xs)).toThrow(RangeError);
    expect(pushAll([1], xs).length).toBe(1_000_001);
    expect([minOf([]), maxOf([]), minOf([1, NaN])]).toEqual([Infinity, -Infinity, NaN]);
  });
});

describe('a line of a million vertices', () => {
  it('imports whole through the importer and the store, and reads back', async () => {
    const coords: number[][] = [];
    for (let i = 0; i < 1_000_000; i++) coords.push([115 + (i % 1000) * 1e-5, 42.28 + Math.floor(i / 1000) * 1e-5]);
    const src = join(tmp.dir, 'long.geojson');
    writeFileSync(src, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'LONG-1', level: 'primary', dn: 200 }, geometry: { type: 'LineString', coordinates: coords } }] }));
    const store = ProjectStore.create(join(tmp.dir, 'long.gpkg'));
    try {
      const { inserted } = await importFile(store, 'pipes', src, { year: 2026 });
      expect(inserted).toBe(1);
      const f = store.getFeature('pipes', 'LONG-1')!;
      expect((f.geometry.coordinates as unknown[]).length).toBe(1_000_000);
      expect(store.bbox()![0]).toBeCloseTo(115, 6);
    } finally {
      store.close();
    }
  }, 120_000);

  it('a WKT COMPOUNDCURVE of 300 000 vertices in a CSV imports (its parts were once spread into push)', async () => {
    const pts: string[] = [];
    for (let i = 0; i < 300_000; i++) pts.push(`${(115 + (i % 1000) * 1e-5).toFixed(6)} ${(42.28 + Math.floor(i / 1000) * 1e-5).toFixed(6)}`);
    const src = join(tmp.dir, 'curve.csv');
    writeFileSync(src, `id,level,dn,wkt\nCURVE-1,primary,200,"COMPOUNDCURVE((${pts.join(', ')}), CIRCULARSTRING(${pts[pts.length - 1]}, 115.0105 42.2835, 115.011 42.283))"\n`);
    const store = ProjectStore.create(join(tmp.dir, 'curve.gpkg'));
    try {
      const { inserted } = await importFile(store, 'pipes', src, { year: 2026, crs: 'EPSG:4490' });
      expect(inserted).toBe(1);
      expect((store.getFeature('pipes', 'CURVE-1')!.geometry.coordinates as unknown[]).length).toBeGreaterThan(300_000);
    } finally {
      store.close();
    }
  }, 120_000);
});
