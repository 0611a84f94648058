/** `warmnet candidates` on the Mingantu sample (a real GeoPackage written by the store). */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../backend/store/index';
import { generateSample } from '../../gis-data/generate/index';
import { runCli } from './testing';

const dir = mkdtempSync(join(tmpdir(), 'warmnet-candidates-'));
const samplePath = join(dir, 'mingantu.gpkg');

const run = (...args: string[]) => runCli(['candidates', ...args]);

beforeAll(() => ProjectStore.createFromData(samplePath, generateSample()).close());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  id: string;
  rank: number;
  score: number;
  candidate: boolean;
  projects: string[];
  reasons: { code: string; params: Record<string, number> }[];
}

describe('warmnet candidates on the sample', () => {
  it('ranks the 2024 project pipes among the top ones, with readable reasons', async () => {
    const r = JSON.parse((await run(samplePath, '--as-of', '2024-06-01', '--json')).stdout);
    const pipes: Row[] = r.pipes;
    const in2024 = (p: Row) => p.projects.some((id) => id.startsWith('PRJ-2024'));
    const all2024 = pipes.filter(in2024);
    expect(all2024.length).toBeGreaterThan(0);
    const base = all2024.length / pipes.length;
    const top20 = pipes.slice(0, 20).filter(in2024).length;
    const top50 = pipes.slice(0, 50).filter(in2024).length;
    // The 2024 pipes are a small share of the network but most of the top of the list.
    expect(top20).toBeGreaterThanOrEqual(12);
    expect(top50 / 50).toBeGreaterThan(4 * base);
    expect(all2024.filter((p) => p.candidate).length / all2024.length).toBeGreaterThan(0.8);
    // Sorted by score, ranks 1…n.
    expect(pipes.map((p) => p.rank)).toEqual(pipes.map((_, i) => i + 1));
    for (let i = 1; i < pipes.length; i++) expect(pipes[i - 1].score).toBeGreaterThanOrEqual(pipes[i].score);
    // Every proposed candidate says why, in both languages.
    for (const p of pipes.filter((x) => x.candidate)) {
      expect(p.reasons.length).toBeGreaterThan(0);
      for (const reason of p.reasons) expect(Object.keys(reason.params).length).toBeGreaterThan(0);
    }
    const codes = new Set(pipes.flatMap((p) => p.reasons.map((x) => x.code)));
    for (const c of ['past_life', 'leaks', 'water_loss', 'poor_condition', 'mismatch']) expect(codes).toContain(c);
  });

  it('prints a table with the reasons and refuses a bad date', async () => {
    const out = await run(samplePath, '--as-of', '2024-06-01', '--top', '5');
    expect(out.status).toBe(0);
    const rows = out.stdout.split('\n').filter((l) => /^\s+\d+ P-/.test(l));
    expect(rows).toHaveLength(5);
    expect(out.stdout).toMatch(/近5年泄漏\d次/);
    expect(out.stdout).toMatch(/\d leaks? in 5 years/);
    const bad = await run(samplePath, '--as-of', '1 June');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--as-of must be a date/);
  });

  it('adds the first candidates to a project in one action, then lists them with it', async () => {
    const copy = join(dir, 'copy.gpkg');
    copyFileSync(samplePath, copy);
    const out = await run(copy, '--as-of', '2024-06-01', '--top', '3', '--add-to', 'PRJ-2025-01', '--json');
    expect(out.status).toBe(0);
    const r = JSON.parse(out.stdout);
    expect(r.picked).toHaveLength(3);
    expect(r.linked).toEqual(r.picked);
    const store = ProjectStore.open(copy);
    const linked = store.projectFeatures().filter((f) => f.project_id === 'PRJ-2025-01').map((f) => f.feature_id);
    store.close();
    for (const id of r.picked) expect(linked).toContain(id);
    const again = JSON.parse((await run(copy, '--as-of', '2024-06-01', '--top', '3', '--add-to', 'PRJ-2025-01', '--json')).stdout);
    expect(again.linked).toEqual([]);
    const missing = await run(copy, '--top', '3', '--add-to', 'NO-SUCH-PROJECT');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/NO-SUCH-PROJECT/);
  });
});
