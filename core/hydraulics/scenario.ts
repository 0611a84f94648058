/**
 * A hydraulic run as the command line and the app ask for it: a scenario
 * (design / now / coldwave / outage) on the project as it is, or with tie
 * valves opened and loop options built (outage what-ifs). Scenarios other
 * than design keep the design pump heads, so the design scenario of the
 * project as it is runs first to find them.
 */
import { message } from '../i18n';
import type { Feature, LineStringGeom } from '../model/types';
import { buildGraph, type AnalysisOptions, type NetworkInput } from '../network/graph';
import { buildHydraulicNetwork, HydraulicInputError, type HydraulicNetwork } from './network';
import { simulateScenario, type HydraulicResult, type ScenarioName } from './simulate';
import type { FrictionModel } from './friction';

export interface HydraulicsRequest {
  scenario: ScenarioName;
  outdoorC?: number;
  sourcesOff?: string[];
  /** Valve wells opened for the run (tie valves). */
  openValves?: string[];
  /** New pipes built for the run (loop options). */
  addPipes?: Feature<LineStringGeom>[];
  friction?: FrictionModel;
  /** Also solve the network before balancing (every station valve fully open). */
  unbalanced?: boolean;
}

export interface HydraulicsRun {
  result: HydraulicResult;
  network: HydraulicNetwork;
  /** Pump heads of the design scenario (pressure-holding sources), m. */
  designHeads: Record<string, number>;
  /** The project as simulated (with valves opened and pipes added). */
  project: NetworkInput;
}

/** The project with the request's valves opened and pipes added (a copy; the input is not changed). */
export function scenarioProject(project: NetworkInput, req: Pick<HydraulicsRequest, 'openValves' | 'addPipes'>): NetworkInput {
  const open = new Set(req.openValves ?? []);
  for (const id of open)
    if (!project.layers.valves.some((v) => String(v.id) === id))
      throw new HydraulicInputError('hydraulics/unknown-feature', { layer: 'valves', id }, message('hydraulics.err.noValve', { id }));
  if (!open.size && !(req.addPipes ?? []).length) return project;
  const valves = project.layers.valves.map((v) => (open.has(String(v.id)) ? { ...v, properties: { ...v.properties, state: 'open' } } : v));
  return { ...project, layers: { ...project.layers, valves, pipes: [...project.layers.pipes, ...(req.addPipes ?? [])] } };
}

/** Pump heads of the pressure-holding sources in a design result. */
export function designHeadsOf(r: HydraulicResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of r.sources) if (s.role === 'pressure') out[s.id] = s.headM;
  return out;
}

export function runHydraulics(
  project: NetworkInput,
  req: HydraulicsRequest,
  opts?: AnalysisOptions & { designHeads?: Record<string, number>; baseNetwork?: HydraulicNetwork },
): HydraulicsRun {
  const baseNet = opts?.baseNetwork ?? buildHydraulicNetwork(buildGraph(project));
  let designHeads = opts?.designHeads;
  let designResult: HydraulicResult | null = null;
  if (req.scenario === 'design' || !designHeads) {
    designResult = simulateScenario(baseNet, { scenario: 'design', friction: req.friction, unbalanced: req.scenario === 'design' && req.unbalanced }, req.scenario === 'design' ? opts : undefined);
    designHeads = designHeadsOf(designResult);
  }
  if (req.scenario === 'design' && !(req.openValves ?? []).length && !(req.addPipes ?? []).length && !(req.sourcesOff ?? []).length)
    return { result: designResult!, network: baseNet, designHeads, project };
  const modified = scenarioProject(project, req);
  const net = modified === project ? baseNet : buildHydraulicNetwork(buildGraph(modified));
  const result = simulateScenario(
    net,
    { scenario: req.scenario, outdoorC: req.outdoorC, sourcesOff: req.sourcesOff, friction: req.friction, designHeads, unbalanced: req.unbalanced },
    opts,
  );
  return { result, network: net, designHeads, project: modified };
}
