import { afterAll, describe, expect, it } from 'vitest';
import { AnalysisError, AnalysisRunner, isPlainFile, type ProjectRef } from './runner';
import { generateNetwork } from '../../../core/network/fixtures';
import { prepareNetwork, runAnalysis, type AnalysisName } from '../../../core/network/analyses';
import { useTestProject } from '../testProject';
import { readFileSync } from 'node:fs';
import { capacityCheck } from '../../../core/network/capacity';
import { coldWaveCheck } from '../../../core/plan/coldwave';
import { parseForecastCsv } from '../../../core/plan/forecast';

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
  }, 120_000);

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

describe('AnalysisRunner on a project file (the worker reads the GeoPackage itself)', () => {
  const project = useTestProject({ prefix: 'runner', from: 'sample' });
  const fileRunner = new AnalysisRunner();
  afterAll(() => fileRunner.dispose());
  const fileRef = (revision = project.store.revision()): ProjectRef => ({
    path: project.path,
    revision,
    project: () => {
      throw new Error('a project file is not sent as data');
    },
    file: { path: project.path, revisionNow: () => project.store.revision() },
  });
  const inMemory = () => prepareNetwork(project.store.snapshot());
  const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

  it('sends no project, only the path, and every analysis equals the whole snapshot’s', async () => {
    expect(isPlainFile(project.path)).toBe(true);
    const net = inMemory();
    const pipes = project.store.featureIds('pipes');
    const picks = [pipes[0], pipes[Math.floor(pipes.length / 2)], pipes[pipes.length - 1]];
    const calls: [AnalysisName, object][] = [
      ['check', {}],
      ['supply', {}],
      ...picks.map((pipeId): [AnalysisName, object] => ['isolate', { pipeId }]),
      ['criticality', {}],
      ['loops', {}],
      ['hydraulics', { scenario: 'design' }],
    ];
    for (const [name, args] of calls) {
      const viaFile = await fileRunner.run(fileRef(), name, args as never);
      const msg = fileRunner.lastMessage!;
      expect(msg.withProject).toBe(false);
      expect(msg.file).toBe(project.path);
      // what crosses the thread boundary is a few hundred bytes, whatever the project's size
      expect(JSON.stringify({ ...msg, cancel: null }).length).toBeLessThan(1000);
      const direct = runAnalysis(name, net, args as never);
      expect(plain(viaFile), `${name} ${JSON.stringify(args)}`).toEqual(plain(direct));
    }
  }, 120_000);

  it('the capacity and cold-wave checks run in the worker and equal those of the whole snapshot on the main thread', async () => {
    const forecast = parseForecastCsv(readFileSync(new URL('../../../tests/fixtures/forecasts/hourly-below-threshold.csv', import.meta.url), 'utf8'));
    const capacity = await fileRunner.run(fileRef(), 'capacity', {});
    expect(fileRunner.lastMessage!.withProject).toBe(false);
    const cold = await fileRunner.run(fileRef(), 'coldwave', { forecast });
    // what the app computed on the main thread before: the whole project read into one snapshot
    const data = project.store.snapshot();
    const onMain = capacityCheck(data);
    expect(plain(capacity)).toEqual(plain(onMain));
    expect(plain(cold)).toEqual(plain(coldWaveCheck(data, forecast, data.settings, onMain)));
    // the sample has pipes to report and a forecast cold enough to load the stations
    expect(capacity.pipes.length).toBe(project.store.featureIds('pipes').length);
    expect(cold.stations.length).toBeGreaterThan(0);
    // cached per revision: asked again, nothing runs
    const runs = fileRunner.runs;
    expect(await fileRunner.run(fileRef(), 'capacity', {})).toBe(capacity);
    expect(fileRunner.runs).toBe(runs);
  }, 120_000);

  it('an edit is a new revision, and the worker sees it', async () => {
    const valves = project.store.listFeatures('valves');
    // the isolation of a pipe next to a valve changes when that valve is closed
    const pipeId = project.store.featureIds('pipes')[0];
    const before = await fileRunner.run(fileRef(), 'isolate', { pipeId });
    const runs = fileRunner.runs;
    expect(await fileRunner.run(fileRef(), 'isolate', { pipeId })).toBe(before);
    expect(fileRunner.runs).toBe(runs);
    const used = before.valvesToClose[0] ?? String(valves[0].id);
    project.store.updateFeature('valves', used, { properties: { state: 'closed', operable: 'no' } });
    const after = await fileRunner.run(fileRef(), 'isolate', { pipeId });
    expect(fileRunner.runs).toBe(runs + 1);
    expect(plain(after)).toEqual(plain(runAnalysis('isolate', inMemory(), { pipeId })));
    expect(plain(after)).not.toEqual(plain(before));
    project.store.undo();
    expect(plain(await fileRunner.run(fileRef(), 'isolate', { pipeId }))).toEqual(plain(before));
  }, 60_000);

  it('a write between the request and the read is not kept under the old revision: the run is repeated at the new one', async () => {
    const crit = runAnalysis('criticality', inMemory(), {});
    const pipeId = crit.segments.filter((s) => s.loadLostMW > 0)[0].pipes[0];
    // a fresh worker holds nothing: it reads the file
    const fresh = new AnalysisRunner();
    try {
      // the request names the revision before a write the worker will already see
      const asked = project.store.revision();
      project.store.deleteFeature('pipes', pipeId);
      const r = await fresh.run(fileRef(asked), 'criticality', {});
      expect(fresh.runs).toBe(2);
      expect(plain(r)).toEqual(plain(runAnalysis('criticality', inMemory(), {})));
      expect(plain(r)).not.toEqual(plain(crit));
      // kept under the revision now, not the one asked
      expect(await fresh.run(fileRef(), 'criticality', {})).toBe(r);
      expect(fresh.runs).toBe(2);
      // and the one asked is read again (never trusted from the later state)
      await fresh.run(fileRef(asked), 'criticality', {});
      expect(fresh.runs).toBe(4);
    } finally {
      await fresh.dispose();
      project.store.undo();
    }
  }, 60_000);
});
