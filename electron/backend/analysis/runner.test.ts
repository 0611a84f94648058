import { afterAll, describe, expect, it } from 'vitest';
import { AnalysisError, AnalysisRunner } from './runner';
import { generateNetwork } from '../../../core/network/fixtures';
import { prepareNetwork, runAnalysis } from '../../../core/network/analyses';

const gen = generateNetwork({ seed: 42, side: 12, areas: 2, valveProb: 0.4, stationProb: 0.3, secondary: true });
const runner = new AnalysisRunner();
afterAll(() => runner.dispose());

describe('AnalysisRunner (worker thread)', () => {
  it('runs an analysis off the main thread with progress, same result as in-process', async () => {
    const progress: number[] = [];
    const ref = { path: 'mem://a', revision: 1, project: () => gen.project };
    const r = await runner.run(ref, 'criticality', {}, { onProgress: (f) => progress.push(f) });
    const direct = runAnalysis('criticality', prepareNetwork(gen.project), {});
    expect(r.loadAtRiskMWkm).toBeCloseTo(direct.loadAtRiskMWkm, 9);
    expect(r.bridges).toEqual(direct.bridges);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[progress.length - 1]).toBe(1);
  }, 30_000);

  it('caches per revision and recomputes on a new revision', async () => {
    let snapshots = 0;
    const ref = (revision: number) => ({ path: 'mem://b', revision, project: () => (snapshots++, gen.project) });
    const before = runner.runs;
    const a = await runner.run(ref(1), 'isolate', { pipeId: 'P3' });
    const b = await runner.run(ref(1), 'isolate', { pipeId: 'P3' });
    expect(b).toBe(a);
    expect(runner.runs - before).toBe(1);
    // Same revision, another pipe: runs, but the worker already holds the graph (no new snapshot).
    await runner.run(ref(1), 'isolate', { pipeId: 'P4' });
    expect(snapshots).toBe(1);
    await runner.run(ref(2), 'isolate', { pipeId: 'P3' });
    expect(runner.runs - before).toBe(3);
    expect(snapshots).toBe(2);
  }, 30_000);

  it('cancels and reports domain errors with a code', async () => {
    const ref = { path: 'mem://c', revision: 1, project: () => gen.project };
    const ctl = new AbortController();
    const job = runner.run(ref, 'loops', {}, { signal: ctl.signal });
    ctl.abort();
    const outcome = await job.then(
      () => 'finished',
      (e: AnalysisError) => `${e.code}: ${e.message}`,
    );
    expect(outcome).toBe('cancelled: analysis cancelled');
    await expect(runner.run(ref, 'isolate', { pipeId: 'nope' })).rejects.toBeInstanceOf(AnalysisError);
    await expect(runner.run(ref, 'isolate', { pipeId: 'nope' })).rejects.toMatchObject({ code: 'unknown_pipe' });
  }, 30_000);
});
