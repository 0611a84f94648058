import { afterAll, describe, expect, it } from 'vitest';
import { AnalysisError, AnalysisRunner, isPlainFile, type ProjectRef } from './runner';
import { generateNetwork } from '../../../core/network/fixtures';
import { criticalityOn, prepareNetwork, runAnalysis, type AnalysisName } from '../../../core/network/analyses';
import { useTestProject } from '../testProject';
import { readFileSync } from 'node:fs';
import { CAPACITY_ROWS_SHOWN, capacityAnswer, capacityCheck } from '../../../core/network/capacity';
import { coldWaveCheck } from '../../../core/plan/coldwave';
import { parseForecastCsv } from '../../../core/plan/forecast';
import { CANDIDATE_ROWS_SHOWN, candidatesAnswer, renewalCandidates } from '../../../core/network/candidates';
import { openReader, withCandidatesRecords } from './readNetwork';

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

describe('AnalysisRunner: callers asking for the same run while it runs', () => {
  it('share one run in the worker; each gets the result and its progress', async () => {
    const ref = { path: 'mem://shared', revision: 1, project: () => gen.project };
    const before = runner.runs;
    const seen = [0, 0];
    const [a, b] = await Promise.all([
      runner.run(ref, 'criticality', {}, { onProgress: () => seen[0]++ }),
      runner.run(ref, 'criticality', {}, { onProgress: () => seen[1]++ }),
    ]);
    expect(runner.runs - before).toBe(1);
    expect(b).toBe(a);
    expect(a.loadAtRiskMWkm).toBeCloseTo(runAnalysis('criticality', prepareNetwork(gen.project), {}).loadAtRiskMWkm, 9);
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen[1]).toBeGreaterThan(0);
  }, 60_000);

  it('one caller cancelling leaves the run to the other; when every caller cancels, each is told so and the next caller does not join the cancelled run', async () => {
    const ref = { path: 'mem://shared-cancel', revision: 1, project: () => gen.project };
    const before = runner.runs;
    const ctl = new AbortController();
    const leaving = runner.run(ref, 'loops', {}, { signal: ctl.signal });
    const staying = runner.run(ref, 'loops', {});
    ctl.abort();
    await expect(leaving).rejects.toMatchObject({ code: 'cancelled' });
    const kept = await staying;
    expect(kept.options).toEqual(runAnalysis('loops', prepareNetwork(gen.project), {}).options);
    expect(runner.runs - before).toBe(1);

    const both = [new AbortController(), new AbortController()];
    const ref2 = { ...ref, revision: 2 };
    const jobs = both.map((c) => runner.run(ref2, 'loops', {}, { signal: c.signal }).then(() => 'finished', (e: AnalysisError) => e.code));
    both.forEach((c) => c.abort());
    expect(await Promise.all(jobs)).toEqual(['cancelled', 'cancelled']);
    // the next caller does not join the cancelled run: it gets the result (run anew, or kept if the
    // worker had finished before it saw the cancel)
    const again = await runner.run(ref2, 'loops', {});
    expect(again.options).toEqual(kept.options);
  }, 60_000);
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
    // the app's part of it: the table's worst rows and the map's classes, not a verdict object per pipe
    expect(plain(capacity)).toEqual(plain(capacityAnswer(onMain)));
    expect(plain(cold)).toEqual(plain(coldWaveCheck(data, forecast, data.settings, onMain)));
    // the sample has pipes to report and a forecast cold enough to load the stations
    const classed = Object.values(capacity.classes).reduce((n, ids) => n + ids.length, 0);
    expect(capacity.classes[capacity.rest]).toEqual([]);
    expect(capacity.summary.pipes).toBe(project.store.featureIds('pipes').length);
    expect(classed).toBeGreaterThan(0);
    expect(capacity.pipes.length).toBe(Math.min(CAPACITY_ROWS_SHOWN, capacity.summary.pipes));
    expect(cold.stations.length).toBeGreaterThan(0);
    // cached per revision: asked again, nothing runs
    const runs = fileRunner.runs;
    expect(await fileRunner.run(fileRef(), 'capacity', {})).toBe(capacity);
    expect(fileRunner.runs).toBe(runs);
  }, 120_000);

  /** What the app computed before, on the main thread from the whole snapshot, as the app's answer (first rows, every candidate's code). */
  const ranked = (asOf: string) => candidatesAnswer(renewalCandidates(project.store.snapshot(), asOf));

  it('the renewal candidates run in the worker and equal renewalCandidates on the main thread; an incident added is seen', async () => {
    const asOf = '2026-06-30';
    const viaWorker = await fileRunner.run(fileRef(), 'candidates', { asOf });
    expect(fileRunner.lastMessage!.withProject).toBe(false);
    expect(JSON.stringify({ ...fileRunner.lastMessage!, cancel: null }).length).toBeLessThan(1000);
    // what the app computed before: the capacity check and the scoring on the main thread, from the whole snapshot
    const onMain = ranked(asOf);
    expect(plain(viaWorker)).toEqual(plain(onMain));
    // the sample has pipes to score, candidates among them, and pipes with no incident on record
    expect(viaWorker.pipes.length).toBeGreaterThan(0);
    expect(viaWorker.candidates).toBeGreaterThan(0);
    // the app's answer: the first rows and every candidate's code, not a scored object per pipe
    expect(viaWorker.candidateIds.length).toBe(viaWorker.candidates);
    expect(viaWorker.pipes.length).toBe(Math.min(CANDIDATE_ROWS_SHOWN, viaWorker.scored));
    const quiet = viaWorker.pipes.find((p) => p.incidents5y === 0)!;
    expect(quiet).toBeDefined();
    // cached per revision and day: asked again, nothing runs; another day runs
    const runs = fileRunner.runs;
    expect(await fileRunner.run(fileRef(), 'candidates', { asOf })).toBe(viaWorker);
    expect(fileRunner.runs).toBe(runs);
    const later = await fileRunner.run(fileRef(), 'candidates', { asOf: '2031-06-30' });
    expect(fileRunner.runs).toBe(runs + 1);
    expect(plain(later)).toEqual(plain(ranked('2031-06-30')));

    // a leak on record for the quiet pipe: a new revision, and its score rises by the leaks' part
    const pipe = project.store.getFeature('pipes', quiet.id)!;
    const at = (pipe.geometry as { coordinates: [number, number][] }).coordinates[0];
    project.store.insertFeature('incidents', {
      type: 'Feature',
      id: 'INC-RUNNER-1',
      geometry: { type: 'Point', coordinates: at },
      properties: { id: 'INC-RUNNER-1', pipe_id: quiet.id, kind: 'leak', date: '2026-03-01' },
    });
    try {
      const after = await fileRunner.run(fileRef(), 'candidates', { asOf });
      expect(fileRunner.runs).toBe(runs + 2);
      const raised = after.pipes.find((p) => p.id === quiet.id)!;
      expect(raised.incidents5y).toBe(1);
      expect(raised.score).toBeGreaterThan(quiet.score);
      expect(raised.reasons.map((r) => r.code)).toContain('leaks');
      expect(plain(after)).toEqual(plain(ranked(asOf)));
    } finally {
      project.store.undo();
    }
    expect(plain(await fileRunner.run(fileRef(), 'candidates', { asOf }))).toEqual(plain(viaWorker));
  }, 120_000);

  it('the candidates report progress and stop when cancelled', async () => {
    project.store.setSettings({ snapToleranceM: project.store.getSettings().snapToleranceM });
    const ctl = new AbortController();
    const job = fileRunner.run(fileRef(), 'candidates', { asOf: '2026-06-30' }, { signal: ctl.signal });
    ctl.abort();
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
    const progress: number[] = [];
    const r = await fileRunner.run(fileRef(), 'candidates', { asOf: '2026-06-30' }, { onProgress: (f) => progress.push(f) });
    expect(r.pipes.length).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((f, i) => i === 0 || f >= progress[i - 1])).toBe(true);
    expect(progress[progress.length - 1]).toBe(1);
  }, 120_000);

  it('the candidates’ records stream the pipes inside one read transaction, which ends even when the scoring stops midway', () => {
    const db = openReader(project.path);
    try {
      let snapshots = 0;
      const stop = new Error('stopped midway');
      expect(() =>
        withCandidatesRecords(db, { onSnapshot: () => snapshots++ }, (records) => {
          for (const _pipe of records.layers.pipes) throw stop;
        }),
      ).toThrow(stop);
      expect(db.inTransaction).toBe(false);
      // the connection reads again, and the pipes can be iterated more than once
      const [first, second] = withCandidatesRecords(db, { onSnapshot: () => snapshots++ }, (records) => {
        const ids = (): string[] => Array.from(records.layers.pipes, (p) => p.id);
        return [ids(), ids()];
      });
      expect(snapshots).toBe(2);
      expect(first).toEqual(project.store.featureIds('pipes'));
      expect(second).toEqual(first);
    } finally {
      db.close();
    }
  });

  it('the candidates of a project sent as data equal those of its file', async () => {
    const asOf = '2026-06-30';
    const data = project.store.snapshot();
    const r = await runner.run({ path: 'mem://candidates', revision: 1, project: () => data }, 'candidates', { asOf });
    expect(runner.lastMessage!.withProject).toBe(true);
    expect(plain(r)).toEqual(plain(await fileRunner.run(fileRef(), 'candidates', { asOf })));
  }, 120_000);

  it('a write between the network held and the candidates’ own read is not taken for the revision held', async () => {
    const asOf = '2026-06-30';
    const fresh = new AnalysisRunner();
    try {
      // the worker holds the network of this revision (its capacity check too)
      const asked = project.store.revision();
      await fresh.run(fileRef(asked), 'capacity', {});
      expect(fresh.runs).toBe(1);
      const before = ranked(asOf);
      const quiet = before.pipes.find((p) => p.incidents5y === 0)!;
      const pipe = project.store.getFeature('pipes', quiet.id)!;
      project.store.insertFeature('incidents', {
        type: 'Feature',
        id: 'INC-RUNNER-2',
        geometry: { type: 'Point', coordinates: (pipe.geometry as { coordinates: [number, number][] }).coordinates[0] },
        properties: { id: 'INC-RUNNER-2', pipe_id: quiet.id, kind: 'burst', date: '2026-04-01' },
      });
      // asked at the revision before the write: the records read show the write, so the run is repeated at the revision now
      const r = await fresh.run(fileRef(asked), 'candidates', { asOf });
      expect(fresh.runs).toBe(3);
      expect(plain(r)).toEqual(plain(ranked(asOf)));
      expect(r.pipes.find((p) => p.id === quiet.id)!.bursts5y).toBe(1);
      // kept under the revision now
      expect(await fresh.run(fileRef(), 'candidates', { asOf })).toBe(r);
      expect(fresh.runs).toBe(3);
    } finally {
      await fresh.dispose();
      project.store.undo();
    }
  }, 120_000);

  it('keeps hydraulic runs up to its bound of pipes, the least recently asked let go first, the latest always', async () => {
    const pipes = (await fileRunner.run(fileRef(), 'hydraulics', { scenario: 'design' })).columns.ids.length;
    expect(pipes).toBeGreaterThan(100);
    // room for two runs of the sample
    const bounded = new AnalysisRunner(2 * pipes);
    try {
      const ask = (scenario: 'design' | 'coldwave' | 'now') => bounded.run(fileRef(), 'hydraulics', scenario === 'now' ? { scenario, outdoorC: -5 } : { scenario });
      const design = await ask('design');
      const cold = await ask('coldwave');
      expect(bounded.runs).toBe(2);
      // both kept; asking the design again makes it the most recent
      expect(await ask('design')).toBe(design);
      expect(bounded.runs).toBe(2);
      // a third lets the least recently asked go (the cold wave), not the design
      const now = await ask('now');
      expect(bounded.runs).toBe(3);
      expect(await ask('design')).toBe(design);
      expect(await ask('now')).toBe(now);
      expect(bounded.runs).toBe(3);
      const again = await ask('coldwave');
      expect(bounded.runs).toBe(4);
      expect(again).not.toBe(cold);
      expect(again.columns.flowM3h).toEqual(cold.columns.flowM3h);
      // a bound smaller than one run still keeps the latest
      const one = new AnalysisRunner(1);
      try {
        const a = await one.run(fileRef(), 'hydraulics', { scenario: 'design' });
        expect(await one.run(fileRef(), 'hydraulics', { scenario: 'design' })).toBe(a);
        await one.run(fileRef(), 'hydraulics', { scenario: 'coldwave' });
        await one.run(fileRef(), 'hydraulics', { scenario: 'design' });
        expect(one.runs).toBe(3);
      } finally {
        await one.dispose();
      }
    } finally {
      await bounded.dispose();
    }
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
    const pipeId = criticalityOn(inMemory()).segments.filter((s) => s.loadLostMW > 0)[0].pipes[0];
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
