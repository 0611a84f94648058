/**
 * The network analyses as one table of pure functions over plain project
 * data, so the command line, the worker thread and the app's IPC handlers run
 * exactly the same code with the same arguments and get the same JSON.
 */
import { message, SaidError } from '../i18n';
import { AnalysisCancelled, buildGraph, type AnalysisOptions, type NetworkGraph, type NetworkInput } from './graph';
import { buildSegments, type SegmentModel } from './segments';
import { checkNetwork, type CheckResult } from './check';
import { supplyAnswer, supplyTrace, type SupplyAnswer } from './supply';
import { isolateAt, isolatePipe, NoSourceError, hasActiveSource, type IsolationResult } from './isolate';
import { criticality, criticalityAnswer, type CriticalityAnswer, type CriticalityResult } from './criticality';
import { loopOptions, type LoopsResult } from './loops';
import { buildHydraulicNetwork, type HydraulicNetwork } from '../hydraulics/network';
import { runHydraulics } from '../hydraulics/scenario';
import { optionPipesOf } from '../hydraulics/options';
import { hydraulicsView, type HydraulicsRun } from '../hydraulics/view';
import { valueOptionsHydraulically } from '../hydraulics/optionValue';
import type { ScenarioName } from '../hydraulics/simulate';
import type { FrictionModel } from '../hydraulics/friction';
import { capacityAnswer, capacityVerdicts, type CapacityAnswer, type CapacityVerdicts } from './capacity';
import { coldWaveCheck, type ColdWaveReport } from '../plan/coldwave';
import type { Forecast } from '../plan/forecast';
import { rankCandidates, type CandidatesAnswer, type CandidatesRecords } from './candidates';
import type { ProjectData } from '../model/project';

/** Graph and segment model of one project revision (what the worker caches). */
export interface PreparedNetwork {
  graph: NetworkGraph;
  segments: SegmentModel;
  /** Built on first need and kept with the revision: the hydraulic model, loop options, design pump heads. */
  hydraulic?: HydraulicNetwork;
  loops?: LoopsResult;
  designHeads?: Map<string, Record<string, number>>;
  /** The capacity check, its pipes' verdicts as numbers (the cold-wave check and the candidates start from it too). */
  capacity?: CapacityVerdicts;
}

/**
 * Gives `use` what the renewal scoring reads beyond the network (the pipes' ages and records,
 * incidents, plan links), of the same project state, for as long as `use` runs: the analysis
 * worker's own read of the file, for the run that asks. Without one they are taken from the
 * network's input, which must then be a whole project (CandidatesInput).
 */
export type CandidatesRecordsSource = <T>(use: (records: CandidatesRecords) => T) => T;

export function prepareNetwork(project: NetworkInput): PreparedNetwork {
  const graph = buildGraph(project);
  return { graph, segments: buildSegments(graph) };
}

export interface AnalysisArgs {
  check: Record<string, never>;
  supply: Record<string, never>;
  isolate: { pipeId?: string; at?: [number, number] };
  criticality: Record<string, never>;
  /** `hydraulic: false` ranks by topology alone (no outage simulations). */
  loops: { maxLengthM?: number; budgetWan?: number; hydraulic?: boolean };
  hydraulics: HydraulicsArgs;
  capacity: Record<string, never>;
  /** A forecast already parsed (core/plan/forecast.ts): its errors are the caller's to say. */
  coldwave: { forecast: Forecast };
  /** The day (YYYY-MM-DD) ages and the 5-year incident window count from. */
  candidates: { asOf: string };
}

/** A hydraulic scenario as the app asks for it (the command line's options). */
export interface HydraulicsArgs {
  scenario: ScenarioName;
  outdoorC?: number;
  sourcesOff?: string[];
  openValves?: string[];
  /** Loop options (ranks) built for the run. */
  options?: number[];
  friction?: FrictionModel;
  /** The station the 水压图 runs to (default: the most unfavourable). */
  profileStation?: string;
}

export interface AnalysisResults {
  check: CheckResult;
  /** The app's part of the trace (the command line's is supplyTrace's, less `edgeArea`). */
  supply: SupplyAnswer;
  isolate: IsolationResult;
  /** The app's part of the report (the command line's is `criticalityOn`). */
  criticality: CriticalityAnswer;
  loops: LoopsResult;
  /** The run's view less its per-pipe rows, and the pipes' numbers as columns (the app's answer is made of them: hydraulicsAnswer). */
  hydraulics: HydraulicsRun;
  /** The app's part of the report: the table's rows and the map's classes, not a verdict object per pipe. */
  capacity: CapacityAnswer;
  coldwave: ColdWaveReport;
  /** The app's part of the ranking: the first rows and every candidate's code, not a scored object per pipe. */
  candidates: CandidatesAnswer;
}

export type AnalysisName = keyof AnalysisArgs;
export const ANALYSIS_NAMES: AnalysisName[] = ['check', 'supply', 'isolate', 'criticality', 'loops', 'hydraulics', 'capacity', 'coldwave', 'candidates'];

/**
 * Loop options as the command line and the app rank them: topological
 * candidates valued by the outage simulations (the default parameters' result
 * is kept with the network, so `--option RANK` and the what-if see the same ranks).
 */
export function loopsOn(net: PreparedNetwork, a: AnalysisArgs['loops'], opts?: AnalysisOptions): LoopsResult {
  const { hydraulic = true, ...params } = a;
  const plain = params.maxLengthM === undefined && params.budgetWan === undefined && hydraulic;
  if (plain && net.loops) return net.loops;
  const topo = loopOptions(net.segments, params, hydraulic ? { signal: opts?.signal, onProgress: (f) => opts?.onProgress?.(f * 0.3) } : opts);
  const r = hydraulic ? valueOptionsHydraulically(net.graph.input, net.segments, topo, { signal: opts?.signal, onProgress: (f) => opts?.onProgress?.(0.3 + 0.7 * f) }) : topo;
  if (plain) net.loops = r;
  return r;
}

/** A hydraulic scenario on a prepared network (its model, loop options and design heads cached with it). */
export function runHydraulicsOn(net: PreparedNetwork, a: HydraulicsArgs, opts?: AnalysisOptions): HydraulicsRun {
  const project = net.graph.input;
  const base = (net.hydraulic ??= buildHydraulicNetwork(net.graph));
  const heads = (net.designHeads ??= new Map());
  const friction = a.friction ?? 'colebrook';
  let addPipes: ReturnType<typeof optionPipesOf> = [];
  if (a.options?.length) addPipes = optionPipesOf(a.options, loopsOn(net, {}));
  const run = runHydraulics(
    project,
    { scenario: a.scenario, outdoorC: a.outdoorC, sourcesOff: a.sourcesOff, openValves: a.openValves, addPipes, friction, unbalanced: true },
    { ...opts, baseNetwork: base, designHeads: heads.get(friction) },
  );
  heads.set(friction, run.designHeads);
  opts?.onSolved?.();
  return hydraulicsView(run.network, run.result, run.designHeads, a.profileStation);
}

/** The whole criticality report of a prepared network (the command line's; the app gets its answer). */
export function criticalityOn(net: PreparedNetwork, opts?: AnalysisOptions): CriticalityResult {
  if (!hasActiveSource(net.graph)) throw new NoSourceError();
  return criticality(net.segments, opts);
}

/** The capacity check on a prepared network (its graph reused; kept with the network). */
export function capacityOn(net: PreparedNetwork): CapacityVerdicts {
  return (net.capacity ??= capacityVerdicts(net.graph.input, net.graph.input.settings, net.graph));
}

/** The records of a network given as a whole project (the command line's, a project sent as data). */
function recordsOfInput(input: NetworkInput): CandidatesRecords {
  const whole = input as NetworkInput & Partial<Pick<ProjectData, 'projectFeatures'>> & { layers: Partial<ProjectData['layers']> };
  if (!whole.layers.incidents || !whole.projectFeatures) throw new Error('the renewal candidates need the incidents and plan links of the project (a whole project, or a CandidatesRecordsSource)');
  return { layers: { pipes: whole.layers.pipes, incidents: whole.layers.incidents }, projectFeatures: whole.projectFeatures };
}

/**
 * The renewal ranking's answer for the app on a prepared network: its capacity
 * check (computed on first need and kept, as for the cold wave) and the
 * scoring's records, ranked in one pass (rankCandidates: the first rows and
 * the candidates' codes, no scored object kept per pipe). Not kept with the
 * network (the runner keeps it per revision and day).
 */
export function candidatesOn(net: PreparedNetwork, asOf: string, opts?: AnalysisOptions, records?: CandidatesRecordsSource): CandidatesAnswer {
  const settings = net.graph.input.settings;
  const step = (fraction: number) => {
    if (opts?.signal?.aborted) throw new AnalysisCancelled();
    opts?.onProgress?.(fraction);
  };
  const capacity = capacityOn(net);
  step(0.6);
  const rank = (records: CandidatesRecords) =>
    rankCandidates({ layers: records.layers, projectFeatures: records.projectFeatures, settings }, asOf, settings, capacity);
  const answer = records ? records(rank) : rank(recordsOfInput(net.graph.input));
  opts?.onProgress?.(1);
  return answer;
}

export function runAnalysis<K extends AnalysisName>(
  name: K,
  net: PreparedNetwork,
  args: AnalysisArgs[K],
  opts?: AnalysisOptions,
  /** Where the renewal candidates read their records (the worker's read of the file); else the input. */
  records?: CandidatesRecordsSource,
): AnalysisResults[K] {
  switch (name) {
    case 'check':
      return checkNetwork(net.graph, opts) as AnalysisResults[K];
    case 'supply':
      return supplyAnswer(supplyTrace(net.graph), net.graph.input.layers.pipes.map((p) => String(p.id))) as AnalysisResults[K];
    case 'isolate': {
      const a = args as AnalysisArgs['isolate'];
      if (a.pipeId !== undefined) return isolatePipe(net.segments, a.pipeId) as AnalysisResults[K];
      if (a.at) return isolateAt(net.segments, a.at[0], a.at[1]) as AnalysisResults[K];
      throw new SaidError(message('analysis.err.isolateWhere'));
    }
    case 'criticality':
      return criticalityAnswer(criticalityOn(net, opts)) as AnalysisResults[K];
    case 'loops': {
      if (!hasActiveSource(net.graph)) throw new NoSourceError();
      return loopsOn(net, args as AnalysisArgs['loops'], opts) as AnalysisResults[K];
    }
    case 'hydraulics':
      return runHydraulicsOn(net, args as HydraulicsArgs, opts) as AnalysisResults[K];
    case 'capacity':
      return capacityAnswer(capacityOn(net)) as AnalysisResults[K];
    case 'coldwave':
      return coldWaveCheck(net.graph.input, (args as AnalysisArgs['coldwave']).forecast, net.graph.input.settings, capacityOn(net).report) as AnalysisResults[K];
    case 'candidates':
      return candidatesOn(net, (args as AnalysisArgs['candidates']).asOf, opts, records) as AnalysisResults[K];
  }
  throw new Error(`unknown analysis ${String(name)}`);
}
