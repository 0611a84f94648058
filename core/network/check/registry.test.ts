import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisCancelled, buildGraph } from '../graph';
import { CHECK_RULES, FINDING_KINDS, checkNetwork } from './index';
import { clean } from './planted';

describe('the check registry', () => {
  it('lists each rule once, covers every finding kind, and every rule has its own test', () => {
    const ids = CHECK_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...new Set(CHECK_RULES.map((r) => r.kind))].sort()).toEqual([...FINDING_KINDS].sort());
    for (const id of ids) expect(existsSync(join(__dirname, 'rules', `${id}.test.ts`)), `rules/${id}.test.ts`).toBe(true);
  });

  it('reports progress rule by rule up to 1, and stops when cancelled', () => {
    const g = buildGraph(clean().build());
    const seen: number[] = [];
    checkNetwork(g, { onProgress: (f) => seen.push(f) });
    expect(seen).toHaveLength(CHECK_RULES.length);
    expect(seen.at(-1)).toBe(1);
    expect(() => checkNetwork(g, { signal: { aborted: true } })).toThrow(AnalysisCancelled);
  });
});
