/**
 * The network analyses as one table of pure functions over plain project
 * data, so the command line, the worker thread and the app's IPC handlers run
 * exactly the same code with the same arguments and get the same JSON.
 */
import type { ProjectData } from '../model/project';
import { buildGraph, type AnalysisOptions, type NetworkGraph } from './graph';
import { buildSegments, type SegmentModel } from './segments';
import { checkNetwork, type CheckResult } from './check';
import { supplyTrace, type SupplyTrace } from './supply';
import { isolateAt, isolatePipe, NoSourceError, hasActiveSource, type IsolationResult } from './isolate';
import { criticality, type CriticalityResult } from './criticality';
import { loopOptions, type LoopsResult } from './loops';

/** Graph and segment model of one project revision (what the worker caches). */
export interface PreparedNetwork {
  graph: NetworkGraph;
  segments: SegmentModel;
}

export function prepareNetwork(project: Pick<ProjectData, 'layers' | 'settings'>): PreparedNetwork {
  const graph = buildGraph(project);
  return { graph, segments: buildSegments(graph) };
}

export interface AnalysisArgs {
  check: Record<string, never>;
  supply: Record<string, never>;
  isolate: { pipeId?: string; at?: [number, number] };
  criticality: Record<string, never>;
  loops: { maxLengthM?: number; budgetWan?: number };
}

export interface AnalysisResults {
  check: CheckResult;
  supply: Omit<SupplyTrace, 'edgeArea'>;
  isolate: IsolationResult;
  criticality: CriticalityResult;
  loops: LoopsResult;
}

export type AnalysisName = keyof AnalysisArgs;
export const ANALYSIS_NAMES: AnalysisName[] = ['check', 'supply', 'isolate', 'criticality', 'loops'];

export function runAnalysis<K extends AnalysisName>(
  name: K,
  net: PreparedNetwork,
  args: AnalysisArgs[K],
  opts?: AnalysisOptions,
): AnalysisResults[K] {
  switch (name) {
    case 'check':
      return checkNetwork(net.graph, opts) as AnalysisResults[K];
    case 'supply': {
      const { edgeArea: _drop, ...rest } = supplyTrace(net.graph);
      return rest as AnalysisResults[K];
    }
    case 'isolate': {
      const a = args as AnalysisArgs['isolate'];
      if (a.pipeId !== undefined) return isolatePipe(net.segments, a.pipeId) as AnalysisResults[K];
      if (a.at) return isolateAt(net.segments, a.at[0], a.at[1]) as AnalysisResults[K];
      throw new Error('isolate needs a pipe id or a point / 需要管线编号或位置');
    }
    case 'criticality':
      if (!hasActiveSource(net.graph)) throw new NoSourceError();
      return criticality(net.segments, opts) as AnalysisResults[K];
    case 'loops':
      if (!hasActiveSource(net.graph)) throw new NoSourceError();
      return loopOptions(net.segments, args as AnalysisArgs['loops'], opts) as AnalysisResults[K];
  }
  throw new Error(`unknown analysis ${String(name)}`);
}
