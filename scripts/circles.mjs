#!/usr/bin/env node
/**
 * Fails on any import circle among the project's own modules, type-only
 * imports included: a type two modules share belongs in a small file both
 * import. Relative imports are resolved as the bundler does (.ts, .tsx,
 * .mjs, .js, index files); packages are not followed.
 *
 *   node scripts/circles.mjs [folder …]   (default: the whole repository)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SOURCE = /\.(ts|tsx|mjs|js|cjs)$/;
const EXTENSIONS = ['', '.ts', '.tsx', '.mjs', '.js', '.cjs', '/index.ts', '/index.tsx', '/index.mjs', '/index.js'];

/** Files git tracks plus the untracked ones it does not ignore, under the given folders. */
export function sourceFiles(root = ROOT, folders = []) {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...folders], { cwd: root, encoding: 'utf8' });
  return out
    .split('\n')
    .filter((f) => SOURCE.test(f) && !f.endsWith('.d.ts') && existsSync(path.join(root, f)))
    .map((f) => path.join(root, f));
}

function resolveImport(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [...EXTENSIONS.map((e) => base + e)];
  // `./x.js` written for a `./x.ts` file.
  if (/\.(m?js)$/.test(base)) candidates.push(base.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts'));
  for (const c of candidates) if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

/** Every relative import of each file (static, type-only, re-exports and dynamic import()). */
export function importGraph(files) {
  const graph = new Map();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = new Set();
    for (const ref of info.importedFiles) {
      const target = resolveImport(file, ref.fileName);
      if (target) targets.add(target);
    }
    graph.set(file, [...targets]);
  }
  return graph;
}

/** The strongly connected components with a circle in them (Tarjan), each as one circle's files in order. */
export function circles(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (root) => {
    // Iterative Tarjan: the import graph can be deep.
    const work = [[root, 0]];
    idx.set(root, index);
    low.set(root, index++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1];
      const [v, i] = top;
      const next = graph.get(v) ?? [];
      if (i < next.length) {
        top[1]++;
        const w = next[i];
        if (!graph.has(w)) continue;
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(v)));
      }
      if (low.get(v) === idx.get(v)) {
        const comp = [];
        let w;
        do {
          w = stack.pop();
          onStack.delete(w);
          comp.push(w);
        } while (w !== v);
        const selfLoop = comp.length === 1 && (graph.get(v) ?? []).includes(v);
        if (comp.length > 1 || selfLoop) found.push(oneCircle(graph, new Set(comp), v));
      }
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

/** A shortest circle through `start` inside its component, for the message. */
function oneCircle(graph, comp, start) {
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!comp.has(w)) continue;
      if (w === start) {
        const pathBack = [start];
        for (let u = v; u !== null && u !== start; u = prev.get(u)) pathBack.unshift(u);
        pathBack.unshift(start);
        return { files: [...comp], circle: pathBack };
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return { files: [...comp], circle: [start, start] };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const folders = process.argv.slice(2);
  const files = sourceFiles(ROOT, folders);
  const found = circles(importGraph(files));
  const rel = (f) => path.relative(ROOT, f);
  for (const c of found) {
    console.error(`import circle (${c.files.length} files): ${c.circle.map(rel).join(' → ')}`);
  }
  if (found.length) {
    console.error(`${found.length} import circle(s) among ${files.length} files: move the shared part into a small file both sides import.`);
    process.exit(1);
  }
  console.log(`no import circles among ${files.length} files`);
}
