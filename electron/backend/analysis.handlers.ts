/**
 * Implementations of the analysis channels (analysis.contract.ts) over one
 * store. The graph analyses, the capacity check, the renewal candidates and
 * the cold-wave check go to the worker-thread runner, which reads the project
 * file itself and caches per project revision. Progress
 * goes out as `analysis:progress` events through `analysisEvents`, which the
 * Electron main process and the browser bridge forward to the renderer.
 */
import { message, SaidError } from '../../core/i18n';
import { EventEmitter } from 'node:events';
import type { z } from 'zod';
import { AnalysisRunner, isPlainFile, type ProjectRef } from './analysis/runner';
import type { AnalysisArgs, AnalysisName, AnalysisResults } from '../../core/network/analyses';
import { optionPipe, withOption } from '../../core/network/loops';
import { ForecastError, parseForecastCsv, type Forecast } from '../../core/plan/forecast';
import type { Settings } from '../../core/model/settings';
import type { StoreApi } from './store/api';
import type { AnalysisContract, AnalysisProgress, ColdWaveAnswer, WhatIfResult } from './analysis.contract';
import { cancelRun } from './cancel';
import { hydraulicsAnswer } from '../../core/hydraulics/view';
import type { TileService } from './tiles';

type AnalysisImpl = {
  [K in keyof AnalysisContract]: (args: z.output<AnalysisContract[K]['args']>) => Promise<z.output<AnalysisContract[K]['result']>> | z.output<AnalysisContract[K]['result']>;
};

/** Backend-side events of the analyses; main/index.ts and web.ts forward them. */
export const analysisEvents = new EventEmitter();
analysisEvents.setMaxListeners(50);

let sharedRunner: AnalysisRunner | null = null;
/** One worker for the process: every window and every rebind shares its cache. */
export function analysisRunner(): AnalysisRunner {
  return (sharedRunner ??= new AnalysisRunner());
}

/** The scenario arguments without the call's own (runId), as the worker and its cache key take them. */
export function hydraulicsAnalysisArgs(a: z.output<AnalysisContract['analysis:hydraulics']['args']>): AnalysisArgs['hydraulics'] {
  const out: AnalysisArgs['hydraulics'] = { scenario: a.scenario };
  if (a.outdoorC !== undefined) out.outdoorC = a.outdoorC;
  if (a.sourcesOff?.length) out.sourcesOff = [...a.sourcesOff].sort();
  if (a.openValves?.length) out.openValves = [...a.openValves].sort();
  if (a.options?.length) out.options = [...a.options].sort((x, y) => x - y);
  if (a.friction) out.friction = a.friction;
  if (a.profileStation) out.profileStation = a.profileStation;
  return out;
}

/**
 * `tiles`: the project's tile service. When it draws the pipes from tiles, a
 * hydraulic run's per-pipe numbers stay here (held by the service for the
 * result's tiles and `analysis:hydraulicsPipe`): the answer carries the
 * legend and the tiles' token instead of a row per pipe.
 */
/**
 * The store as the worker reads it: a project file (the live PostgreSQL working copy is one too)
 * is read by the worker itself, and after an edit only the features written since the revision it
 * holds; only a store with no file goes as data.
 */
export function projectFile(store: StoreApi): ProjectRef['file'] {
  return isPlainFile(store.path)
    ? { path: store.path, revisionNow: () => store.revision(), changesSince: (revision: number) => store.changesSince?.(revision) ?? null }
    : undefined;
}

/** The store's revision now, for the analysis runner (`file`: projectFile's, made once by a caller that asks often). */
export function projectRef(store: StoreApi, file: ProjectRef['file'] = projectFile(store)): ProjectRef {
  return { path: store.path, revision: store.revision(), project: () => store.snapshot(), ...(file ? { file } : {}) };
}

export function bindAnalysisHandlers(store: StoreApi, runner: AnalysisRunner = analysisRunner(), tiles?: TileService): AnalysisImpl {
  const running = new Map<string, AbortController>();
  const file = projectFile(store);
  const ref = (): ProjectRef => projectRef(store, file);

  /** `span` maps this step's progress into part of the call's (the what-if runs three analyses). */
  async function run<K extends AnalysisName>(
    channel: string,
    runId: string | undefined,
    name: K,
    args: AnalysisArgs[K],
    on: ProjectRef = ref(),
    span: [number, number] = [0, 1],
  ): Promise<AnalysisResults[K]> {
    const ctl = new AbortController();
    if (runId) running.set(runId, ctl);
    let last = -1;
    const onProgress = (step: number) => {
      const fraction = span[0] + (span[1] - span[0]) * step;
      // A 100k-pipe criticality reports thousands of steps; the renderer needs percent.
      const pct = Math.floor(fraction * 100);
      if (!runId || pct === last) return;
      last = pct;
      const p: AnalysisProgress = { runId, channel, fraction };
      analysisEvents.emit('analysis:progress', p);
    };
    try {
      // The runner's errors keep their code (cancelled, no_source …) and what they said: the panel says them.
      return await runner.run(on, name, args, { onProgress, signal: ctl.signal });
    } finally {
      if (runId) running.delete(runId);
    }
  }

  return {
    'analysis:check': ({ runId }) => run('analysis:check', runId, 'check', {}),
    'analysis:trace': ({ runId }) => run('analysis:trace', runId, 'supply', {}),
    'analysis:isolate': (a) =>
      run('analysis:isolate', a.runId, 'isolate', a.pipeId !== undefined ? { pipeId: a.pipeId } : { at: [a.lon!, a.lat!] }),
    'analysis:criticality': ({ runId }) => run('analysis:criticality', runId, 'criticality', {}),
    'analysis:prepare': async () => {
      await runner.prepare(ref());
      return true;
    },
    'analysis:loops': ({ runId, maxLengthM, budgetWan }) =>
      run('analysis:loops', runId, 'loops', { ...(maxLengthM !== undefined ? { maxLengthM } : {}), ...(budgetWan !== undefined ? { budgetWan } : {}) }),
    'analysis:whatif': async ({ optionRank, runId, maxLengthM, budgetWan }): Promise<WhatIfResult> => {
      const params = { ...(maxLengthM !== undefined ? { maxLengthM } : {}), ...(budgetWan !== undefined ? { budgetWan } : {}) };
      const loops = await run('analysis:whatif', runId, 'loops', params, ref(), [0, 0.4]);
      const option = loops.options.find((o) => o.rank === optionRank);
      if (!option) throw new SaidError(message('hydraulics.err.noOption', { rank: optionRank, n: loops.options.length }));
      const before = await run('analysis:whatif', runId, 'criticality', {}, ref(), [0.4, 0.6]);
      const base = ref();
      // The option lives only in this copy: a separate cache entry per option, never written to the file.
      const copy: ProjectRef = {
        path: `${base.path}#whatif:${optionRank}:${JSON.stringify(params)}`,
        revision: base.revision,
        project: () => withOption(store.snapshot(), option, `LOOP-${optionRank}`),
        // A file is read by the worker, which adds the option: no snapshot of the project is built here.
        ...(base.file ? { file: base.file, extraPipes: [optionPipe(option, `LOOP-${optionRank}`)] } : {}),
      };
      const afterResult = await run('analysis:whatif', runId, 'criticality', {}, copy, [0.6, 1]);
      return { option, before: before.loadAtRiskMWkm, after: afterResult.loadAtRiskMWkm, reducedMWkm: before.loadAtRiskMWkm - afterResult.loadAtRiskMWkm, afterResult };
    },
    'analysis:hydraulics': async (a) => {
      const result = await run('analysis:hydraulics', a.runId, 'hydraulics', hydraulicsAnalysisArgs(a));
      const tiled = !!tiles && tiles.plan().layers.includes('pipes');
      return hydraulicsAnswer(result, tiled ? tiles.holdHydraulics(result.columns) : null);
    },
    'analysis:hydraulicsPipe': ({ token, pipeId }) => tiles?.hydraulicsPipe(token, pipeId) ?? null,
    'analysis:capacity': ({ runId }) => run('analysis:capacity', runId, 'capacity', {}),
    'analysis:candidates': ({ asOf, runId }) =>
      run('analysis:candidates', runId, 'candidates', { asOf: asOf ?? new Date().toISOString().slice(0, 10) }),
    'analysis:coldwave': async ({ csv, runId }): Promise<ColdWaveAnswer> => {
      let forecast: Forecast;
      try {
        forecast = parseForecastCsv(csv, store.getSettings().coldWaveForecastDays);
      } catch (e) {
        if (e instanceof ForecastError) return { error: { line: e.line, reason: e.reason } };
        throw e;
      }
      return { report: await run('analysis:coldwave', runId, 'coldwave', { forecast }) };
    },
    'analysis:cancel': ({ runId }) => {
      const ctl = running.get(runId);
      ctl?.abort();
      // An import under this run id stops at its next checkpoint.
      const other = cancelRun(runId);
      return !!ctl || other;
    },
    'settings:set': ({ patch }) => store.setSettings(patch as Partial<Settings>),
    'settings:reset': ({ keys }) => store.resetSettings(keys),
  };
}
