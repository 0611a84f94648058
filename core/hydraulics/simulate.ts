/**
 * Steady-state hydraulic and thermal simulation of the primary network
 * (DOMAIN.md §3 item 11) for one scenario.
 *
 * Model (network.ts for the topology):
 * - Stations are flow-controlled consumers between supply and return: design
 *   flow G = Q / (ρ·c·ΔT) with Q the station's load at the scenario's outdoor
 *   temperature (Q_design·(t_in − T)/(t_in − t_design)), taken while their ΔP
 *   is at least their minimum (资用压头), below it what the ΔP gives.
 * - Sources are circulating pumps between return and supply. In each
 *   connected network one holds the system pressure (定压): its return is at
 *   the make-up pressure and its supply a pump head above. The others run at
 *   a set head or a set flow. Per source (`hydraulic_role`, `pump_head_m`,
 *   `set_flow_m3h`); by default the largest running source holds pressure
 *   and every other injects the load of its own area (the stations nearer to
 *   it along the network than to any other running source). Backup sources
 *   (is_backup, or status standby) run only in a network that has lost a
 *   main source (or has none).
 * - With the return mirroring the supply (no return pipes drawn), return
 *   flows are the supply flows reversed and the return head at a node is
 *   C − H_supply with C = H_supply + H_return at the pressure-holding source;
 *   the solver then works on the supply circuit alone, a station being a link
 *   to a fixed node at C/2 with half its head law (ΔH = 2·(H_s − C/2)). With
 *   return pipes drawn both circuits are solved together.
 * - Design scenario: the pressure-holding pump's head is the head that gives
 *   the most unfavourable station its minimum ΔP, times (1 + margin); other
 *   scenarios keep the design heads.
 */
import { message } from '../i18n';
import { checkAborted, sourceActive, type AnalysisOptions } from '../network/graph';
import { stationLoads } from '../network/loads';
import type { FrictionModel } from './friction';
import { circuitTemperatures, flowTopology, reversedTopology, type CircuitFlows, type CircuitTemperatures } from './heat';
import {
  CIRCUIT_PAIR,
  CIRCUIT_RETURN,
  CIRCUIT_SUPPLY,
  HydraulicInputError,
  someIds,
  num,
  portAdjacency,
  type HydraulicNetwork,
} from './network';
import { LINK_PIPE, LINK_STATION, LINK_STATION_FIXED, LINK_STATION_OPEN, solveSystem, type HydraulicSystem, type IterationRecord, type SolveResult } from './solver';
import { boilingLimitKpa, checkPressure, type PressureLimits, type StaticFinding } from './statics';
import type { SparsePattern } from './sparse';
import { attachSolvedSupply, type SolvedSupply } from './solved';
import { releaseWork, trimWork, workF64, workI32, workU8 } from './work';
import { flowPathToPort } from './flowPath';
import { MinHeap } from './heap';
import { maxOf, pushAll } from '../arrays';
import { UnionFind } from '../network/unionFind';
import type { Settings } from '../model/settings';
import type { Feature } from '../model/types';

export { solvedSupply, type SolvedSupply } from './solved';

export type ScenarioName = 'design' | 'now' | 'coldwave' | 'outage';
export const SCENARIOS: readonly ScenarioName[] = ['design', 'now', 'coldwave', 'outage'];

export interface ScenarioParams {
  scenario: ScenarioName;
  /** Outdoor temperature, °C (now: required; coldwave: the cold-wave threshold; design / outage: the design temperature). */
  outdoorC?: number;
  /** Sources switched off (outage). */
  sourcesOff?: string[];
  friction?: FrictionModel;
  /** Pump heads (m) of the sources that hold pressure in the design scenario (non-design scenarios). */
  designHeads?: Record<string, number>;
  /** Also solve with every station's control valve fully open (the network before balancing). */
  unbalanced?: boolean;
  /** Stations that no running source reaches are reported as unserved instead of refused (default: outage only). */
  allowUnserved?: boolean;
}

export interface PipePart {
  id: string;
  flowM3h: number;
  headLossM: number;
}

export interface PipeResult {
  id: string;
  /** m³/h, + from the pipe's first vertex to its last (its circuit; supply for a pair). */
  flowM3h: number;
  velocityMs: number;
  /** Specific friction pressure drop, Pa/m (minor losses not included). */
  rPam: number;
  /** Head lost along the pipe, friction and minor losses, m (≥ 0). */
  headLossM: number;
  supplyInC: number | null;
  supplyOutC: number | null;
  /** Pieces of a pipe divided by a valve, station or source inside it, in order along the pipe. */
  parts?: PipePart[];
}

export interface StationResult {
  id: string;
  loadKw: number;
  demandM3h: number;
  flowM3h: number;
  dpKpa: number | null;
  supplyC: number | null;
  shortfallKw: number;
  minDpKpa: number;
  served: boolean;
  /** Below its minimum ΔP (flow limited by the pressure). */
  limited: boolean;
  households: number;
  /** Flow with every control valve fully open (the network before balancing), m³/h. */
  unbalancedFlowM3h?: number;
}

export interface SourceResult {
  id: string;
  flowM3h: number;
  heatMw: number;
  /** Pump head (supply − return at the source), m. */
  headM: number;
  role: 'pressure' | 'head' | 'flow' | 'off';
  running: boolean;
  /** Closed by its non-return valve: forward flow could not be kept, so it passes none (止回阀关闭). */
  checkValveClosed: boolean;
  supplyHeadM: number | null;
  returnHeadM: number | null;
  /** Return temperature reaching the source, °C. */
  returnC: number | null;
}

export interface BalancingRow {
  station: string;
  /** ΔP the station's control valve throttles: its ΔP − its minimum, kPa (negative: short of its minimum). */
  excessDpKpa: number;
  dpKpa: number;
  minDpKpa: number;
  designFlowM3h: number;
  /** Before balancing (valves fully open): flow and its deviation from the design flow. */
  unbalancedFlowM3h?: number;
  deviationPct?: number;
}

export interface HydraulicResult {
  converged: boolean;
  iterations: number;
  log: IterationRecord[];
  reason?: string;
  scenario: { name: ScenarioName; outdoorC: number; loadFactor: number; sourcesOff: string[]; friction: FrictionModel; twoCircuits: boolean };
  settings: Record<string, number | string | Record<string, number>>;
  pipes: PipeResult[];
  stations: StationResult[];
  sources: SourceResult[];
  unfavourable: { station: string; path: string[]; nodes: number[] } | null;
  balancing: BalancingRow[];
  /** Per graph node: supply / return head (m, NaN outside the solved networks) and ground elevation (m). */
  nodes: { supplyHeadM: Float64Array; returnHeadM: Float64Array; groundM: Float64Array; supplyC: Float64Array };
  elevationKnown: boolean;
  /** Static (make-up) head per graph node's network, m (NaN outside). */
  staticHeadM: Float64Array;
  pressure: { findings: StaticFinding[]; counts: Record<string, number> };
  totals: {
    loadMW: number;
    servedMW: number;
    households: number;
    servedHouseholds: number;
    minDpKpa: number | null;
    heatLossMW: number;
  };
}

/** Parameters of the model that the settings and the scenario decide. */
function physics(net: HydraulicNetwork, p: ScenarioParams) {
  const s = net.graph.input.settings;
  const friction: FrictionModel = p.friction ?? 'colebrook';
  const gravity = friction === 'swamee-jain' ? s.crossCheckGravityMs2 : s.gravityMs2;
  const outdoorC =
    p.outdoorC ?? (p.scenario === 'coldwave' ? s.coldWaveThresholdC : s.outdoorDesignC);
  const loadFactor = (s.indoorDesignC - outdoorC) / (s.indoorDesignC - s.outdoorDesignC);
  return {
    s,
    friction,
    gravity,
    outdoorC,
    loadFactor,
    rho: s.waterDensityKgM3,
    cpKJ: s.waterCkJkgK,
    dT: s.primarySupplyC - s.primaryReturnC,
  };
}

const isBackup = (f: { properties: Record<string, unknown> }) => {
  const b = f.properties.is_backup;
  return b === true || b === 1 || b === 'yes' || b === 'true' || f.properties.status === 'standby';
};

interface SourcePlan {
  index: number;
  id: string;
  role: 'pressure' | 'head' | 'flow';
  comp: number;
  /** Pump head for pressure / head roles (m); set flow (m³/s) for the flow role. */
  headM: number;
  flowM3s: number;
  headToCompute: boolean;
}

const H_PROBE = 1000;

/**
 * Work arrays kept after a run up to this many bytes (about a 250k-pipe network's): above it, a very
 * large network's (57 MB at 100k pipes, so some ten times that at a million) are let go rather than held.
 */
const WORK_KEEP_MAX_BYTES = 128 * 1024 * 1024;

export function simulateScenario(net: HydraulicNetwork, params: ScenarioParams, opts?: AnalysisOptions): HydraulicResult {
  try {
    return simulateOnce(net, params, opts);
  } finally {
    trimWork(WORK_KEEP_MAX_BYTES);
  }
}

function simulateOnce(net: HydraulicNetwork, params: ScenarioParams, opts?: AnalysisOptions): HydraulicResult {
  const ph = physics(net, params);
  const { s, rho, gravity } = ph;
  const g = net.graph;
  const L = g.input.layers;
  const P = net.portCount;
  const mirror = !net.twoCircuits;
  const allowUnserved = params.allowUnserved ?? params.scenario === 'outage';
  const off = new Set(params.sourcesOff ?? []);
  for (const id of off)
    if (!L.heat_sources.some((h) => String(h.id) === id))
      throw new HydraulicInputError('hydraulics/unknown-feature', { layer: 'heat_sources', id }, message('hydraulics.err.noSource', { id }));
  opts?.onProgress?.(0);

  // ---- connected networks over hydraulic nodes (supply ports; + return ports with two circuits)
  const H = mirror ? P : 2 * P;
  const uf = new UnionFind(H);
  joinEdges(net, uf, mirror);
  const supplyH = (port: number) => port;
  const returnH = (port: number) => (mirror ? -1 : P + port);
  if (!mirror) {
    L.stations.forEach((_, i) => {
      if (net.stationSupplyPort[i] >= 0 && net.stationReturnPort[i] >= 0) uf.union(net.stationSupplyPort[i], P + net.stationReturnPort[i]);
    });
    L.heat_sources.forEach((_, i) => {
      if (net.sourceSupplyPort[i] >= 0 && net.sourceReturnPort[i] >= 0) uf.union(net.sourceSupplyPort[i], P + net.sourceReturnPort[i]);
    });
  }

  // ---- which sources run, and their roles
  const srcComp = (i: number) => (net.sourceSupplyPort[i] >= 0 && (mirror || net.sourceReturnPort[i] >= 0) ? uf.find(net.sourceSupplyPort[i]) : -1);
  const lostMain = new Set<number>();
  const hasMain = new Set<number>();
  L.heat_sources.forEach((h, i) => {
    const c = srcComp(i);
    if (c < 0 || !sourceActive(h) || isBackup(h)) return;
    if (off.has(String(h.id))) lostMain.add(c);
    else hasMain.add(c);
  });
  const running: number[] = [];
  L.heat_sources.forEach((h, i) => {
    const c = srcComp(i);
    if (c < 0 || !sourceActive(h) || off.has(String(h.id))) return;
    if (isBackup(h) && hasMain.has(c) && !lostMain.has(c)) return;
    running.push(i);
  });
  const byComp = new Map<number, number[]>();
  for (const i of running) {
    const c = srcComp(i);
    byComp.set(c, [...(byComp.get(c) ?? []), i]);
  }
  const capacity = (i: number) => num(L.heat_sources[i].properties.capacity_mw) ?? 0;
  const roleOf = (i: number) => {
    const r = L.heat_sources[i].properties.hydraulic_role;
    return r === 'pressure' || r === 'head' || r === 'flow' ? r : null;
  };
  const designHeads = params.designHeads ?? {};
  const sources: SourcePlan[] = [];
  const pressureOf = new Map<number, SourcePlan>();
  for (const [c, list] of byComp) {
    const explicit = list.filter((i) => roleOf(i) === 'pressure');
    if (explicit.length > 1) {
      const ids = explicit.map((i) => String(L.heat_sources[i].id));
      throw new HydraulicInputError(
        'hydraulics/two-pressure-sources',
        { sources: ids },
        message('hydraulics.err.twoPressure', { ids: ids.join(', ') }),
      );
    }
    const free = list.filter((i) => roleOf(i) === null).sort((a, b) => capacity(b) - capacity(a) || a - b);
    const pp = explicit[0] ?? free[0];
    if (pp === undefined) {
      const ids = list.map((i) => String(L.heat_sources[i].id));
      throw new HydraulicInputError(
        'hydraulics/no-pressure-source',
        { sources: ids },
        message('hydraulics.err.noPressure', { ids: ids.join(', ') }),
      );
    }
    for (const i of list) {
      const h = L.heat_sources[i];
      const id = String(h.id);
      const explicitHead = num(h.properties.pump_head_m);
      if (i === pp) {
        let head = explicitHead ?? designHeads[id];
        if (head === undefined && params.scenario !== 'design') {
          // A source taking over the pressure keeps the design head of the network it now holds.
          const heads = L.heat_sources.filter((o, j) => srcComp(j) === c && designHeads[String(o.id)] !== undefined).map((o) => designHeads[String(o.id)]);
          if (heads.length) head = maxOf(heads);
        }
        const plan: SourcePlan = { index: i, id, role: 'pressure', comp: c, headM: head ?? H_PROBE, flowM3s: 0, headToCompute: head === undefined };
        sources.push(plan);
        pressureOf.set(c, plan);
        continue;
      }
      const r = roleOf(i);
      if (r === 'head') {
        if (explicitHead === null || explicitHead <= 0)
          throw new HydraulicInputError('hydraulics/bad-source', { id, field: 'pump_head_m' }, message('hydraulics.err.noPumpHead', { id }));
        sources.push({ index: i, id, role: 'head', comp: c, headM: explicitHead, flowM3s: 0, headToCompute: false });
      } else if (r === 'flow' && num(h.properties.set_flow_m3h) !== null) {
        const q = num(h.properties.set_flow_m3h)!;
        if (q < 0)
          throw new HydraulicInputError('hydraulics/bad-source', { id, field: 'set_flow_m3h' }, message('hydraulics.err.negativeFlow', { id }));
        sources.push({ index: i, id, role: 'flow', comp: c, headM: 0, flowM3s: q / 3600, headToCompute: false });
      } else sources.push({ index: i, id, role: 'flow', comp: c, headM: 0, flowM3s: NaN, headToCompute: false });
    }
  }

  // ---- stations: loads at the scenario's temperature
  const loads = stationLoads(g.input);
  const nS = L.stations.length;
  const loadKw = new Float64Array(nS);
  const households = new Float64Array(nS);
  const stationDemand = new Float64Array(nS);
  const stationHmin = new Float64Array(nS);
  const stationMinDp = new Float64Array(nS);
  const stationServed = new Uint8Array(nS);
  const stationComp = new Int32Array(nS).fill(-1);
  const unreachable: string[] = [];
  for (let i = 0; i < nS; i++) {
    loadKw[i] = loads[i].loadMW * 1000 * ph.loadFactor;
    households[i] = loads[i].households;
    stationDemand[i] = loadKw[i] > 0 ? loadKw[i] / (rho * ph.cpKJ * ph.dT) : 0;
    const own = num(L.stations[i].properties.min_dp_kpa);
    stationMinDp[i] = own !== null && own > 0 ? own : s.minStationDpKpa;
    stationHmin[i] = (stationMinDp[i] * 1000) / (rho * gravity);
    if (!(stationDemand[i] > 0)) continue;
    const sp = net.stationSupplyPort[i];
    const rp = net.stationReturnPort[i];
    const c = sp >= 0 && (mirror || rp >= 0) ? uf.find(sp) : -1;
    stationComp[i] = c;
    if (c >= 0 && pressureOf.has(c)) stationServed[i] = 1;
    else unreachable.push(String(L.stations[i].id));
  }
  if (unreachable.length && !allowUnserved)
    throw new HydraulicInputError(
      'hydraulics/station-unreachable',
      { stations: unreachable },
      message('hydraulics.err.unreachable', someIds(unreachable)),
    );

  // ---- active networks, DN check, own areas of flow sources
  const compActive = new Set(pressureOf.keys());
  const badDn: string[] = [];
  const checkDn = () => {
    for (let ei = 0; ei < net.edges.length; ei++) {
      const e = net.edges[ei];
      if (!compActive.has(uf.find(net.edgeCircuit[e] === CIRCUIT_RETURN && !mirror ? P + net.edgePortFrom[e] : net.edgePortFrom[e]))) continue;
      if (!(net.edgeDiameterM[e] > 0)) {
        const id = String(L.pipes[g.edgePipe[e]].id);
        if (!badDn.includes(id)) badDn.push(id);
      }
    }
  };
  checkDn();
  if (badDn.length)
    throw new HydraulicInputError(
      'hydraulics/bad-dn',
      { pipes: badDn, field: 'dn' },
      message('hydraulics.err.badDn', someIds(badDn)),
    );
  // A flow source cannot send more than its capacity carries at the design ΔT.
  const capacityFlowM3s = (sp: SourcePlan) => {
    const mw = num(L.heat_sources[sp.index].properties.capacity_mw);
    return mw !== null && mw > 0 ? (mw * 1000) / (rho * ph.cpKJ * ph.dT) : Infinity;
  };
  ownAreaFlows(net, sources, stationDemand, stationServed, capacityFlowM3s);

  // ---- hydraulic nodes of the system
  const hnodeSys = workI32('sim.hnodeSys', H).fill(-1);
  const compOfHnode = workI32('sim.compOfHnode', H).fill(-1);
  let sysCount = 0;
  const numberNodes = () => {
    for (let h = 0; h < H; h++) {
      const c = uf.find(h);
      compOfHnode[h] = c;
      if (compActive.has(c)) hnodeSys[h] = sysCount++;
    }
  };
  numberNodes();
  const comps = [...compActive].sort((a, b) => a - b);
  const groundSys = new Map<number, number>();
  if (mirror) for (const c of comps) groundSys.set(c, sysCount++);

  // Links: supply pipes, return pipes (two circuits), stations.
  // Typed arrays sized for the most links there can be (every edge on both circuits, every station).
  // The system's arrays are work arrays (work.ts): they live only during this call.
  const maxLinks = net.edges.length * (mirror ? 1 : 2) + nS;
  const linkFromAll = workI32('linkFrom', maxLinks);
  const linkToAll = workI32('linkTo', maxLinks);
  const linkEdgeAll = workI32('linkEdge', maxLinks);
  const linkCircuitAll = workU8('linkCircuit', maxLinks); // 1 supply, 2 return, 3 station
  const linkStationAll = workI32('linkStation', maxLinks);
  let nLinks = 0;
  const addLink = (from: number, to: number, e: number, circuit: number, station: number) => {
    linkFromAll[nLinks] = from;
    linkToAll[nLinks] = to;
    linkEdgeAll[nLinks] = e;
    linkCircuitAll[nLinks] = circuit;
    linkStationAll[nLinks] = station;
    nLinks++;
  };
  for (let ei = 0; ei < net.edges.length; ei++) {
    const e = net.edges[ei];
    const c = net.edgeCircuit[e];
    const a = net.edgePortFrom[e], b = net.edgePortTo[e];
    if (c !== CIRCUIT_RETURN || mirror) {
      if (hnodeSys[a] >= 0) addLink(hnodeSys[a], hnodeSys[b], e, 1, -1);
    }
    if (!mirror && c !== CIRCUIT_SUPPLY && hnodeSys[P + a] >= 0) addLink(hnodeSys[P + a], hnodeSys[P + b], e, 2, -1);
  }
  for (let i = 0; i < nS; i++) {
    if (!stationServed[i]) continue;
    const sp = hnodeSys[supplyH(net.stationSupplyPort[i])];
    const rp = mirror ? groundSys.get(stationComp[i])! : hnodeSys[returnH(net.stationReturnPort[i])];
    addLink(sp, rp, -1, 3, i);
  }
  const nL = nLinks;
  const linkFrom = linkFromAll.subarray(0, nL);
  const linkTo = linkToAll.subarray(0, nL);
  const linkEdge = linkEdgeAll.subarray(0, nL);
  const linkCircuit = linkCircuitAll.subarray(0, nL);
  const linkStation = linkStationAll.subarray(0, nL);
  const halve = mirror ? 0.5 : 1;
  const roughM = s.roughnessMm / 1000;
  const pipeR = workF64('solve.pipeR', nL).fill(0);
  const pipeReFactor = workF64('solve.pipeReFactor', nL).fill(0);
  const pipeRoughness = workF64('solve.pipeRoughness', nL).fill(0);
  const pipeDiameter = workF64('solve.pipeDiameter', nL).fill(0);
  const stationFlow = workF64('solve.stationFlow', nL).fill(0);
  const stationMinHead = workF64('solve.stationMinHead', nL).fill(0);
  const kind = workU8('solve.linkKind', nL).fill(0);
  // (Heavy loops are small functions of their own here: the engine compiles each apart from this
  // long function, entered once per run, instead of running them unoptimised.)
  linkParameters(
    { net, linkEdge, linkStation, stationDemand, stationHmin, halve, gravity, roughM, minorLossFraction: s.minorLossFraction, viscosityM2s: s.waterViscosityM2s },
    { pipeR, pipeReFactor, pipeRoughness, pipeDiameter, stationFlow, stationMinHead, kind },
  );
  const nodeCount = sysCount;

  // Fixed heads and ties from the pump heads; the structure (unknowns) is the same for every head.
  const makeUpHead = (c: number) => {
    const pp = pressureOf.get(c)!;
    const port = mirror ? net.sourceSupplyPort[pp.index] : net.sourceReturnPort[pp.index];
    return net.nodeGroundM[net.portNode[port]] + (s.makeUpPressureKpa * 1000) / (rho * gravity);
  };
  // Sources whose non-return valve is closed (a pump held at a head that would run backwards): their
  // supply node is no longer held (the make-up still holds the return), and they pass no flow.
  const closed = new Set<SourcePlan>();
  const assemble = (heads: Map<SourcePlan, number>, mode: 'controlled' | 'open' | 'fixed'): HydraulicSystem => {
    // Work arrays: a system lives only until its solve returns (the solve's result holds none of them).
    const fixed = workF64('sim.fixed', nodeCount).fill(NaN);
    const demand = workF64('sim.demand', nodeCount).fill(0);
    // Ties (two circuits, set-head pumps): return node → supply node offset.
    const tieParent = workI32('sim.tieParent', nodeCount).fill(-1);
    const tieOff = workF64('sim.tieOff', nodeCount).fill(0);
    for (const c of comps) {
      const pp = pressureOf.get(c)!;
      const Hr = makeUpHead(c);
      const Hs = Hr + heads.get(pp)!;
      if (!closed.has(pp)) fixed[hnodeSys[net.sourceSupplyPort[pp.index]]] = Hs;
      if (mirror) fixed[groundSys.get(c)!] = (Hs + Hr) / 2;
      else fixed[hnodeSys[P + net.sourceReturnPort[pp.index]]] = Hr;
    }
    for (const sp of sources) {
      if (sp.role === 'pressure' || closed.has(sp)) continue;
      const sup = hnodeSys[net.sourceSupplyPort[sp.index]];
      if (sp.role === 'flow') {
        demand[sup] -= sp.flowM3s;
        if (!mirror) demand[hnodeSys[P + net.sourceReturnPort[sp.index]]] += sp.flowM3s;
      } else if (mirror) {
        const pp = pressureOf.get(sp.comp)!;
        const Hr = makeUpHead(sp.comp);
        const C = 2 * Hr + heads.get(pp)!;
        if (Number.isNaN(fixed[sup])) fixed[sup] = C / 2 + heads.get(sp)! / 2;
      } else {
        const ret = hnodeSys[P + net.sourceReturnPort[sp.index]];
        if (ret !== sup) {
          tieParent[sup] = ret;
          tieOff[sup] = heads.get(sp)!;
        }
      }
    }
    // Unknowns: free nodes, grouped by ties (a tie links exactly one supply node to one return node).
    const nodeVar = workI32('sim.nodeVar', nodeCount).fill(-1);
    const nodeOffset = workF64('sim.nodeOffset', nodeCount).fill(0);
    let varCount = 0;
    const rootVar = workI32('sim.rootVar', nodeCount).fill(-1);
    const unknowns = () => {
      for (let n = 0; n < nodeCount; n++) {
        if (!Number.isNaN(fixed[n])) {
          nodeOffset[n] = fixed[n];
          continue;
        }
        // The node's tie root and its head offset to it.
        let off = 0;
        let r = n;
        for (let guard = 0; tieParent[r] >= 0 && guard < 4; guard++) {
          off += tieOff[r];
          r = tieParent[r];
        }
        if (!Number.isNaN(fixed[r])) {
          nodeOffset[n] = fixed[r] + off;
          continue;
        }
        if (rootVar[r] < 0) rootVar[r] = varCount++;
        nodeVar[n] = rootVar[r];
        nodeOffset[n] = off;
      }
    };
    unknowns();
    let k2 = kind;
    if (mode !== 'controlled') {
      k2 = new Uint8Array(kind);
      const to = mode === 'open' ? LINK_STATION_OPEN : LINK_STATION_FIXED;
      for (let k = 0; k < nL; k++) if (k2[k] === LINK_STATION) k2[k] = to;
    }
    return {
      nodeCount,
      nodeVar,
      nodeOffset,
      varCount,
      demand,
      linkCount: nL,
      linkFrom,
      linkTo,
      linkKind: k2,
      pipeR,
      pipeReFactor,
      pipeRoughness,
      pipeDiameter,
      stationFlow,
      stationMinHead,
    };
  };

  const solverOpts = (initialFlow?: Float64Array, pattern?: SparsePattern) => ({
    friction: { model: ph.friction, laminarRe: s.laminarReynolds, turbulentRe: s.turbulentReynolds },
    maxIterations: s.hydraulicMaxIterations,
    accuracy: s.hydraulicAccuracy,
    barrierTolerance: s.stationControlTolerance,
    initialFlow,
    pattern,
    signal: opts?.signal,
  });

  const heads = new Map<SourcePlan, number>(sources.map((sp) => [sp, sp.headM]));
  const slack = (r: SolveResult, c: number): number => {
    let m = Infinity;
    for (let k = 0; k < nL; k++) {
      if (linkCircuit[k] !== 3) continue;
      const i = linkStation[k];
      if (stationComp[i] !== c) continue;
      const dh = (r.head[linkFrom[k]] - r.head[linkTo[k]]) / halve;
      m = Math.min(m, dh - stationHmin[i]);
    }
    return m;
  };
  let result: SolveResult | null = null;
  let pattern: SparsePattern | undefined;
  let totalIterations = 0;
  const log: IterationRecord[] = [];
  const run = (mode: 'controlled' | 'open' | 'fixed' = 'controlled', initial?: Float64Array) => {
    checkAborted(opts);
    const r = solveSystem(assemble(heads, mode), solverOpts(initial ?? result?.flow, pattern));
    checkAborted(opts);
    pattern = r.pattern;
    totalIterations += r.iterations;
    pushAll(log, r.log);
    return r;
  };
  // Flow of each source: what leaves its fixed / tied supply node (a closed source passes none).
  const flowsOf = (res: SolveResult): Map<SourcePlan, number> => {
    const residual = nodeOutflows(nodeCount, linkFrom, linkTo, res.flow);
    // A node held at a head gives what its links take, less what set-flow sources inject there;
    // sources holding the same node share that by capacity.
    const sourceFlow = new Map<SourcePlan, number>();
    const byPort = new Map<number, SourcePlan[]>();
    for (const sp of sources) {
      if (sp.role === 'flow' || closed.has(sp)) {
        sourceFlow.set(sp, sp.role === 'flow' ? sp.flowM3s : 0);
        continue;
      }
      const port = net.sourceSupplyPort[sp.index];
      byPort.set(port, [...(byPort.get(port) ?? []), sp]);
    }
    for (const [port, list] of byPort) {
      const injected = sources.filter((o) => o.role === 'flow' && net.sourceSupplyPort[o.index] === port).reduce((a, o) => a + o.flowM3s, 0);
      const total = residual[hnodeSys[port]] - injected;
      const caps = list.map((sp) => Math.max(0, capacity(sp.index)));
      const sum = caps.reduce((a, b) => a + b, 0);
      list.forEach((sp, k) => sourceFlow.set(sp, total * (sum > 0 ? caps[k] / sum : 1 / list.length)));
    }
    return sourceFlow;
  };
  // The supply head a held source's pump would give at its supply node (its valve open).
  const heldSupplyHead = (sp: SourcePlan, res: SolveResult): number => {
    const pp = pressureOf.get(sp.comp)!;
    const Hr = makeUpHead(sp.comp);
    if (sp.role === 'pressure') return Hr + heads.get(sp)!;
    if (mirror) return (2 * Hr + heads.get(pp)!) / 2 + heads.get(sp)! / 2;
    return res.head[hnodeSys[P + net.sourceReturnPort[sp.index]]] + heads.get(sp)!;
  };
  const toCompute = sources.filter((sp) => sp.role === 'pressure' && sp.headToCompute);
  // Design: stations take their design flow whatever the head while the head is found.
  result = run(toCompute.length ? 'fixed' : 'controlled');
  let ranWith = new Map(heads);
  opts?.onProgress?.(0.4);
  if (toCompute.length && result.converged) {
    // Design: the head that leaves the most unfavourable station exactly its minimum, then the margin.
    const dependsOnHead = sources.some((sp) => sp.role === 'head' && toCompute.some((t) => t.comp === sp.comp));
    for (let round = 0; round < 30; round++) {
      let worst = 0;
      let short = false;
      for (const sp of toCompute) {
        const m = slack(result, sp.comp);
        const h = heads.get(sp)!;
        if (m < 0) short = true;
        const next = Number.isFinite(m) ? Math.max(0, h - m) : 0;
        worst = Math.max(worst, Math.abs(next - h));
        heads.set(sp, next);
      }
      // With every station at its set flow and no set-head pump beside it, flows do not depend on
      // the head: the unfavourable station's slack gives the head exactly. A set-head pump makes
      // the flows depend on it: iterate.
      void short;
      if (!dependsOnHead || worst < 1e-9 * Math.max(1, maxOf(toCompute.map((sp) => heads.get(sp)!)))) break;
      result = run('fixed');
      ranWith = new Map(heads);
      if (!result.converged) break;
    }
    for (const sp of toCompute) heads.set(sp, heads.get(sp)! * (1 + s.pumpHeadMargin));
    if (result.converged && !dependsOnHead) {
      // Flows do not depend on the pressure-holding head here, and every station is at its design
      // flow: raising the head by ΔH raises every supply head of that network by ΔH (its mirrored
      // return's middle by ΔH/2, drawn return pipes not at all). No other solve is needed.
      const shift = workF64('sim.shift', nodeCount).fill(0);
      const head = result.head;
      for (const sp of toCompute) {
        const dH = heads.get(sp)! - ranWith.get(sp)!;
        if (mirror) shift[groundSys.get(sp.comp)!] = dH / 2;
        shiftNetwork(shift, P, compOfHnode, hnodeSys, sp.comp, dH);
      }
      addInto(head, shift);
    } else if (result.converged) result = run();
  }
  // ---- non-return valves of the sources (as EPANET's CV links): a source held at a head (the
  // pressure-holding one, set-head ones) whose flow comes out negative is closed and the network
  // solved again; a closed one reopens when its pump could push forward again (the head it holds is
  // above what its supply node now has). Status rounds are limited (`checkValveMaxChanges`).
  if (result.converged) {
    const held = sources.filter((sp) => sp.role !== 'flow');
    let rounds = 0;
    for (;;) {
      const flows = flowsOf(result);
      let scale = 0;
      for (const q of flows.values()) scale += Math.abs(q);
      const qTol = 1e-9 * Math.max(scale, 1e-3);
      const changes: SourcePlan[] = [];
      for (const sp of held) {
        if (!closed.has(sp)) {
          if (flows.get(sp)! < -qTol) changes.push(sp);
        } else {
          const target = heldSupplyHead(sp, result);
          const actual = result.head[hnodeSys[net.sourceSupplyPort[sp.index]]];
          if (actual < target - 1e-6 * Math.max(1, Math.abs(target))) changes.push(sp);
        }
      }
      if (!changes.length) break;
      if (rounds >= s.checkValveMaxChanges) {
        result = {
          ...result,
          converged: false,
          reason: `source check valves (${changes.map((sp) => sp.id).join(', ')}) still changing after ${s.checkValveMaxChanges} rounds (checkValveMaxChanges)`,
        };
        break;
      }
      rounds++;
      // Close the one running most backwards first (one closure can relieve the others), reopen all.
      const closing = changes.filter((sp) => !closed.has(sp)).sort((a, b) => flows.get(a)! - flows.get(b)!);
      for (const sp of changes) if (closed.has(sp)) closed.delete(sp);
      if (closing.length) closed.add(closing[0]);
      pattern = undefined; // the unknowns change with the statuses: a new ordering
      result = run();
      if (!result.converged) break;
    }
  }
  opts?.onProgress?.(0.7);
  const open = params.unbalanced && result.converged ? run('open', result.flow) : null;
  const r = result;
  // The last solve is done: on a city's network its work arrays (~200 MB at a million pipes) go
  // before the temperatures and the results are made.
  releaseWork('solve.');

  // ---- heads per hydraulic node and per graph node
  // Per network (indexed by its union-find root): C = H_supply + H_return at the pressure-holding
  // source, and the make-up (static) head.
  const compC = workF64('sim.compC', H).fill(NaN);
  const compStatic = workF64('sim.compStatic', H).fill(NaN);
  for (const c of comps) {
    const pp = pressureOf.get(c)!;
    const Hr = makeUpHead(c);
    compC[c] = 2 * Hr + heads.get(pp)!;
    compStatic[c] = Hr;
  }
  const hSupply = (port: number) => (hnodeSys[port] >= 0 ? r.head[hnodeSys[port]] : NaN);
  const hReturn = (port: number) => {
    if (mirror) return hnodeSys[port] >= 0 ? compC[compOfHnode[port]] - r.head[hnodeSys[port]] : NaN;
    return hnodeSys[P + port] >= 0 ? r.head[hnodeSys[P + port]] : NaN;
  };
  const supplyHeadM = new Float64Array(g.nodeCount).fill(NaN);
  const returnHeadM = new Float64Array(g.nodeCount).fill(NaN);
  const staticHeadM = new Float64Array(g.nodeCount).fill(NaN);
  nodeHeads({ mirror, P, hnodeSys, compOfHnode, compC, compStatic, head: r.head }, supplyHeadM, returnHeadM, staticHeadM);

  // ---- flows of sources
  const sourceFlow = flowsOf(r);

  // ---- temperatures
  // Heat-loss coefficient (W/(m·K)) and ambient temperature of a pipe (its pieces and circuits share them).
  const heat = new PipeHeat(L.pipes, s, ph.outdoorC);
  let nSupplyLinks = 0, nReturnLinks = 0;
  for (let k = 0; k < nL; k++) {
    if (linkCircuit[k] === 1) nSupplyLinks++;
    else if (linkCircuit[k] === 2) nReturnLinks++;
  }
  const supplyLinks = workI32('sim.supplyLinks', nSupplyLinks);
  const returnLinks = workI32('sim.returnLinks', nReturnLinks);
  const supplyLinkIndex = workI32('sim.supplyLinkIndex', nL).fill(-1);
  const returnLinkIndex = mirror ? supplyLinkIndex : workI32('sim.returnLinkIndex', nL).fill(-1);
  const circuitLists = () => {
    let ns = 0, nr = 0;
    for (let k = 0; k < nL; k++) {
      if (linkCircuit[k] === 1) supplyLinks[(supplyLinkIndex[k] = ns++)] = k;
      else if (linkCircuit[k] === 2) returnLinks[(returnLinkIndex[k] = nr++)] = k;
    }
  };
  circuitLists();
  const injectS = workF64('sim.injectS', nodeCount).fill(0);
  for (const sp of sources) injectS[hnodeSys[net.sourceSupplyPort[sp.index]]] += Math.max(0, sourceFlow.get(sp)!);
  // A circuit's links as the temperature walk reads them (U·L and ambient looked up once per pipe). The
  // supply's links are the system's first links (the links list them first): then their ends and flows
  // are read in place.
  const firstLinks = (links: Int32Array) => {
    for (let j = 0; j < links.length; j++) if (links[j] !== j) return false;
    return true;
  };
  const circuitLinks = (links: Int32Array, tag: 'supply' | 'return') => circuitLinkHeat(tag, links, firstLinks(links), linkFrom, linkTo, linkEdge, g, heat);
  const circuit = (tag: 'supply' | 'return', links: Int32Array, cl: ReturnType<typeof circuitLinks>, inject: Float64Array, injectC: number): CircuitFlows => {
    const n = links.length;
    let flow: Float64Array;
    if (cl.inPlace) flow = r.flow.subarray(0, n);
    else {
      flow = workF64(`sim.${tag}Flow`, n);
      for (let j = 0; j < n; j++) flow[j] = r.flow[links[j]];
    }
    return { nodeCount, linkCount: n, linkFrom: cl.from, linkTo: cl.to, flow, ul: cl.ul, ambientC: cl.amb, injectFlow: inject, injectC };
  };
  const supplyCl = circuitLinks(supplyLinks, 'supply');
  const supplyFlows = circuit('supply', supplyLinks, supplyCl, injectS, s.primarySupplyC);
  const supplyTopology = flowTopology(supplyFlows, 'supply');
  const supplyTemps = circuitTemperatures(supplyFlows, rho, ph.cpKJ * 1000, 'supply', supplyTopology);
  // Return: stations inject at the return temperature.
  const injectR = workF64('sim.injectR', nodeCount).fill(0);
  let returnTemps: ReturnType<typeof circuitTemperatures>;
  const returnNodeOfStation = (i: number) => (mirror ? hnodeSys[net.stationSupplyPort[i]] : hnodeSys[P + net.stationReturnPort[i]]);
  const stationReturns = () => {
    for (let k = 0; k < nL; k++) if (linkCircuit[k] === 3) injectR[returnNodeOfStation(linkStation[k])] += Math.max(0, r.flow[k]);
  };
  stationReturns();
  // The mirrored return carries the supply's flows reversed: the same links, what flows into a node on
  // the supply side flows out of it on the return (the reversed topology; the walk reads only |flow|).
  if (mirror) returnTemps = circuitTemperatures({ ...supplyFlows, injectFlow: injectR, injectC: s.primaryReturnC }, rho, ph.cpKJ * 1000, 'return', reversedTopology(supplyTopology));
  else returnTemps = circuitTemperatures(circuit('return', returnLinks, circuitLinks(returnLinks, 'return'), injectR, s.primaryReturnC), rho, ph.cpKJ * 1000, 'return');
  const supplyC = new Float64Array(g.nodeCount).fill(NaN);
  const nodeSupplyC = () => {
    for (let n = 0; n < g.nodeCount; n++) if (hnodeSys[n] >= 0) supplyC[n] = supplyTemps.nodeC[hnodeSys[n]];
  };
  nodeSupplyC();
  opts?.onProgress?.(0.85);

  // ---- pipes
  // Per pipe, plain numbers in typed arrays (the result objects are built only when `pipes` is read:
  // the CLI's JSON and the app's view read them, a what-if or the outage options read the totals and
  // the stations, and 100k result objects each run are most of what the garbage collector has to do).
  // Per edge, the flow and head loss of its link (its circuit's: the supply's for a pair), for the parts.
  const edgeFlowOf = new Float64Array(g.edgeCount);
  const edgeLossOf = new Float64Array(g.edgeCount);
  const edgeLink = workI32('sim.edgeLink', g.edgeCount).fill(-1);
  const edgeReturnLink = workI32('sim.edgeReturnLink', g.edgeCount).fill(-1);
  const inModel = workU8('sim.inModel', g.edgeCount).fill(0);
  const edgeLinks = () => {
    for (let k = 0; k < nL; k++) {
      if (linkCircuit[k] === 1) edgeLink[linkEdge[k]] = k;
      else if (linkCircuit[k] === 2) edgeReturnLink[linkEdge[k]] = k;
    }
    for (let ei = 0; ei < net.edges.length; ei++) inModel[net.edges[ei]] = 1;
  };
  edgeLinks();
  let heatLossW = 0;
  const sumOf = (a: Float64Array, t0: number) => {
    let t = t0;
    for (let j = 0; j < a.length; j++) t += a[j];
    return t;
  };
  heatLossW = sumOf(returnTemps.linkLossW, sumOf(supplyTemps.linkLossW, heatLossW));
  const nan2null = (x: number) => (Number.isFinite(x) ? x : null);
  const rFactor = (rho * gravity) / (1 + s.minorLossFraction);
  const nP = L.pipes.length;
  const pipeFlow = new Float64Array(nP).fill(NaN); // NaN: not in the model
  const pipeV = new Float64Array(nP);
  const pipeRpm = new Float64Array(nP);
  const pipeLoss = new Float64Array(nP);
  const pipeInC = new Float64Array(nP);
  const pipeOutC = new Float64Array(nP);
  pipeNumbers({
    g,
    net,
    inModel,
    returnOwn: !mirror,
    edgeLink,
    edgeReturnLink,
    flow: r.flow,
    headLoss: r.headLoss,
    rFactor,
    linkCircuit,
    supplyLinkIndex,
    returnLinkIndex,
    supplyTemps,
    returnTemps,
    out: { edgeFlowOf, edgeLossOf, pipeFlow, pipeV, pipeRpm, pipeLoss, pipeInC, pipeOutC },
  });
  // The result objects, from the arrays above only (work arrays may hold another run's links by then).
  // ---- stations
  const stationLink = new Int32Array(nS).fill(-1);
  for (let k = 0; k < nL; k++) if (linkCircuit[k] === 3) stationLink[linkStation[k]] = k;
  // (Object literals with every field in the same order: one shape for every station.)
  const stationResult = (i: number): StationResult => {
    const k = stationLink[i];
    const id = String(L.stations[i].id);
    if (k < 0) {
      return {
        id,
        loadKw: loadKw[i],
        demandM3h: stationDemand[i] * 3600,
        minDpKpa: stationMinDp[i],
        households: households[i],
        flowM3h: 0,
        dpKpa: null,
        supplyC: null,
        shortfallKw: loadKw[i],
        served: false,
        limited: stationDemand[i] > 0,
      };
    }
    const q = Math.max(0, r.flow[k]);
    const dh = (r.head[linkFrom[k]] - r.head[linkTo[k]]) / halve;
    const dp = (dh * rho * gravity) / 1000;
    const frac = stationDemand[i] > 0 ? Math.min(1, q / stationDemand[i]) : 1;
    const limited = dh < stationHmin[i] * (1 - 1e-9);
    const res: StationResult = {
      id,
      loadKw: loadKw[i],
      demandM3h: stationDemand[i] * 3600,
      minDpKpa: stationMinDp[i],
      households: households[i],
      flowM3h: q * 3600,
      dpKpa: dp,
      supplyC: nan2null(supplyTemps.nodeC[linkFrom[k]]),
      shortfallKw: limited ? loadKw[i] * (1 - frac) : 0,
      served: true,
      limited,
    };
    if (open) res.unbalancedFlowM3h = Math.max(0, open.flow[k]) * 3600;
    return res;
  };
  const stations: StationResult[] = [];
  const stationResults = () => {
    for (let i = 0; i < nS; i++) stations.push(stationResult(i));
  };
  stationResults();

  // ---- sources
  const planOf = new Map(sources.map((sp) => [sp.index, sp]));
  const sourceResults: SourceResult[] = L.heat_sources.map((h, i) => {
    const sp = planOf.get(i);
    if (!sp) return { id: String(h.id), flowM3h: 0, heatMw: 0, headM: 0, role: 'off', running: false, checkValveClosed: false, supplyHeadM: null, returnHeadM: null, returnC: null };
    const q = sourceFlow.get(sp)!;
    const sup = net.sourceSupplyPort[i];
    const Hs = hSupply(sup);
    const Hr = mirror ? hReturn(sup) : hReturn(net.sourceReturnPort[i]);
    const rn = mirror ? hnodeSys[sup] : hnodeSys[P + net.sourceReturnPort[i]];
    const tr = returnTemps.nodeC[rn];
    const back = Number.isFinite(tr) ? tr : s.primaryReturnC;
    return {
      id: sp.id,
      flowM3h: q * 3600,
      heatMw: (rho * ph.cpKJ * q * (s.primarySupplyC - back)) / 1000,
      headM: Hs - Hr,
      role: sp.role,
      running: true,
      checkValveClosed: closed.has(sp),
      supplyHeadM: Hs,
      returnHeadM: Hr,
      returnC: back,
    };
  });

  // ---- the most unfavourable station (its path is traced once the supply side is kept, below)
  let unfavourableIndex = -1;
  {
    let worstDp = Infinity;
    stations.forEach((st, i) => {
      if (st.served && st.dpKpa !== null && st.dpKpa < worstDp) [unfavourableIndex, worstDp] = [i, st.dpKpa];
    });
  }
  const unfavourable: HydraulicResult['unfavourable'] = null;

  // ---- balancing
  const balancing: BalancingRow[] = stations
    .filter((st) => st.served)
    .map((st) => {
      const row: BalancingRow = {
        station: st.id,
        excessDpKpa: st.dpKpa! - st.minDpKpa,
        dpKpa: st.dpKpa!,
        minDpKpa: st.minDpKpa,
        designFlowM3h: st.demandM3h,
      };
      if (st.unbalancedFlowM3h !== undefined) {
        row.unbalancedFlowM3h = st.unbalancedFlowM3h;
        row.deviationPct = st.demandM3h > 0 ? ((st.unbalancedFlowM3h - st.demandM3h) / st.demandM3h) * 100 : 0;
      }
      return row;
    });

  // ---- pressure checks (worst finding per kind and circuit, counts of nodes)
  const limits: PressureLimits = {
    densityKgM3: rho,
    gravityMs2: gravity,
    atmosphericKpa: s.atmosphericPressureKpa,
    boilingMarginKpa: s.boilingMarginKpa,
    minPressureKpa: s.minPressureKpa,
    maxPressureKpa: s.maxPressureKpa,
  };
  // Count and keep the worst node per kind and circuit with plain numbers; findings (with their
  // messages) only for those worst nodes.
  const KINDS = ['boiling', 'vacuum', 'overpressure'] as const;
  const CIRCUITS = ['supply', 'return', 'static'] as const;
  const cnt = new Int32Array(9);
  const worstNode = new Int32Array(9).fill(-1);
  const worstBad = new Float64Array(9).fill(-Infinity);
  const rg = (rho * gravity) / 1000;
  // The boiling limit rises with the temperature: a pressure at or above the limit of the hottest
  // water anywhere needs no limit of its own (most nodes; the saturation formula is costly).
  let hottest = s.primarySupplyC;
  const hottestOf = (a: Float64Array, t0: number) => {
    let t = t0;
    for (let n = 0; n < a.length; n++) if (a[n] > t) t = a[n];
    return t;
  };
  hottest = hottestOf(supplyC, hottest);
  const boilBound = Number.isFinite(boilingLimitKpa(hottest, limits)) ? boilingLimitKpa(hottest, limits) : Infinity;
  const waterAt = (n: number) => (Number.isFinite(supplyC[n]) ? supplyC[n] : s.primarySupplyC);
  checkNodes({ groundM: net.nodeGroundM, supplyHeadM, returnHeadM, staticHeadM, supplyC, supplyCDefault: s.primarySupplyC, rg, boilBound, limits }, cnt, worstNode, worstBad);
  const counts: Record<string, number> = {};
  const worstOf = new Map<string, StaticFinding>();
  for (let k = 0; k < 3; k++)
    for (let c = 0; c < 3; c++) {
      const i = k * 3 + c;
      if (!cnt[i]) continue;
      const key = `${KINDS[k]}:${CIRCUITS[c]}`;
      counts[key] = cnt[i];
      const n = worstNode[i];
      const head = c === 0 ? supplyHeadM[n] : c === 1 ? returnHeadM[n] : staticHeadM[n];
      const found: StaticFinding[] = [];
      checkPressure(CIRCUITS[c], n, [g.nodeLon[n], g.nodeLat[n]], net.nodeGroundM[n], head, c === 0 ? supplyC[n] : c === 1 ? NaN : waterAt(n), limits, found);
      const f = found.find((x) => x.kind === KINDS[k]);
      if (f) worstOf.set(key, f);
    }

  // ---- totals
  let loadMW = 0, servedMW = 0, hh = 0, servedHh = 0, minDp = Infinity;
  stations.forEach((st) => {
    if (!(st.loadKw > 0)) return;
    loadMW += st.loadKw / 1000;
    hh += st.households;
    const frac = st.served ? 1 - st.shortfallKw / st.loadKw : 0;
    servedMW += (st.loadKw / 1000) * frac;
    servedHh += st.households * frac;
    if (st.served && st.dpKpa !== null) minDp = Math.min(minDp, st.dpKpa);
  });
  opts?.onProgress?.(1);

  const supplySide: SolvedSupply = {
    activePort: new Uint8Array(P),
    portHead: new Float64Array(P).fill(NaN),
    portDemand: new Float64Array(P),
    fixedPort: new Uint8Array(P),
    edgeFlow: new Float64Array(g.edgeCount),
  };
  fillSupplySide(supplySide, { hnodeSys, head: r.head, flow: r.flow, linkCircuit, linkEdge, linkStation, stationSupplyPort: net.stationSupplyPort });
  for (const sp of sources) {
    const port = net.sourceSupplyPort[sp.index];
    if (sp.role === 'flow') supplySide.portDemand[port] -= sp.flowM3s;
    else if (!closed.has(sp)) supplySide.fixedPort[port] = 1;
  }

  const out: HydraulicResult = {
    converged: r.converged && (!open || open.converged),
    iterations: totalIterations,
    log,
    ...(r.reason ? { reason: r.reason } : open?.reason ? { reason: `before balancing: ${open.reason}` } : {}),
    scenario: { name: params.scenario, outdoorC: ph.outdoorC, loadFactor: ph.loadFactor, sourcesOff: [...off], friction: ph.friction, twoCircuits: !mirror },
    settings: settingsUsed(net, ph),
    pipes: [],
    stations,
    sources: sourceResults,
    unfavourable,
    balancing,
    nodes: { supplyHeadM, returnHeadM, groundM: net.nodeGroundM, supplyC },
    elevationKnown: net.elevationKnown,
    staticHeadM,
    pressure: { findings: [...worstOf.values()], counts },
    totals: { loadMW, servedMW, households: hh, servedHouseholds: servedHh, minDpKpa: Number.isFinite(minDp) ? minDp : null, heatLossMW: heatLossW / 1e6 },
  };
  const numbers: PipeNumbers = { pipeFlow, pipeV, pipeRpm, pipeLoss, pipeInC, pipeOutC, edgeFlowOf, edgeLossOf };
  pipeNumbersOf.set(out, numbers);
  lazyPipes(out, g, numbers);
  attachSolvedSupply(out, supplySide);
  if (unfavourableIndex >= 0) {
    const path = flowPathToPort(net, out, net.stationSupplyPort[unfavourableIndex]);
    out.unfavourable = { station: out.stations[unfavourableIndex].id, path: path.pipes, nodes: path.nodes };
  }
  return out;
}

/** The per-pipe and per-edge arrays behind each result's `pipes` (held as long as the result is). */
const pipeNumbersOf = new WeakMap<HydraulicResult, PipeNumbers>();

/**
 * Flows of a result as numbers, without building its `pipes` objects (a million objects at city
 * scale): per pipe of the graph (m³/s, NaN where the pipe is not in the model; its most loaded piece)
 * and per edge (m³/s, its link's), for a result of simulateScenario.
 */
export function flowNumbers(r: HydraulicResult): { pipeFlowM3s: Float64Array; edgeFlowM3s: Float64Array } {
  const n = pipeNumbersOf.get(r);
  if (!n) throw new Error('flowNumbers: not a result of simulateScenario');
  return { pipeFlowM3s: n.pipeFlow, edgeFlowM3s: n.edgeFlowOf };
}

/** The per-pipe and per-edge numbers behind a result's `pipes` (see pipeNumbersOfResult). */
export type ResultPipeNumbers = Readonly<PipeNumbers>;

/**
 * The numbers `r.pipes` would be built from, without building a million objects: per pipe of the
 * graph flow (m³/s, NaN: not in the model), velocity, R, head loss, supply in/out ℃ (non-finite:
 * none), per edge its link's flow (m³/s) and head loss; null unless `r` is a result of
 * simulateScenario whose `pipes` were never read or set (then they are exactly these numbers).
 */
export function pipeNumbersOfResult(r: HydraulicResult): ResultPipeNumbers | null {
  const n = pipeNumbersOf.get(r);
  return n && Object.getOwnPropertyDescriptor(r, 'pipes')?.get ? n : null;
}

/**
 * `r.pipes` built on its first read and kept (an enumerable property, so JSON and spreads see it like
 * any other); assigning it replaces it. The getter is made here, not in the run: a closure made inside
 * simulateOnce would hold that function's whole scope (V8 gives a function's closures one context),
 * and with it the factor's pattern and the solver's arrays, ~290 MB at a million pipes, for as long as
 * the result is kept.
 */
function lazyPipes(r: HydraulicResult, g: HydraulicNetwork['graph'], numbers: PipeNumbers): void {
  const keep = (value: PipeResult[]) => Object.defineProperty(r, 'pipes', { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(r, 'pipes', {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = pipeObjects(g, numbers);
      keep(value);
      return value;
    },
    set: (value: PipeResult[]) => keep(value),
  });
}

/**
 * The solver's per-link parameters: pipes from their edge (r, Reynolds factor, relative roughness,
 * diameter), stations from their demand and minimum head (halved on a mirrored return).
 * (Module functions like this one are compiled once; a closure inside `simulateScenario` is a new
 * function each run.)
 */
function linkParameters(
  a: {
    net: HydraulicNetwork;
    linkEdge: Int32Array;
    linkStation: Int32Array;
    stationDemand: Float64Array;
    stationHmin: Float64Array;
    halve: number;
    gravity: number;
    roughM: number;
    minorLossFraction: number;
    viscosityM2s: number;
  },
  out: {
    pipeR: Float64Array;
    pipeReFactor: Float64Array;
    pipeRoughness: Float64Array;
    pipeDiameter: Float64Array;
    stationFlow: Float64Array;
    stationMinHead: Float64Array;
    kind: Uint8Array;
  },
): void {
  for (let k = 0; k < a.linkEdge.length; k++) linkParameter(a, out, k);
}

/** Link k's constants (see linkParameters; per link, so the engine optimises it by call count). */
function linkParameter(a: Parameters<typeof linkParameters>[0], out: Parameters<typeof linkParameters>[1], k: number): void {
  const e = a.linkEdge[k];
  if (e >= 0) {
    const D = a.net.edgeDiameterM[e];
    const A = (Math.PI * D * D) / 4;
    const Leff = a.net.graph.edgeLengthM[e] * (1 + a.minorLossFraction);
    out.pipeR[k] = Leff / (2 * a.gravity * D * A * A);
    out.pipeReFactor[k] = 4 / (Math.PI * D * a.viscosityM2s);
    out.pipeRoughness[k] = a.roughM / D;
    out.pipeDiameter[k] = D;
    out.kind[k] = LINK_PIPE;
  } else {
    const i = a.linkStation[k];
    out.stationFlow[k] = a.stationDemand[i];
    out.stationMinHead[k] = a.stationHmin[i] * a.halve;
    out.kind[k] = LINK_STATION;
  }
}

/** Net outflow of each node through the links at the flows q. */
function nodeOutflows(nodeCount: number, linkFrom: Int32Array, linkTo: Int32Array, q: Float64Array): Float64Array {
  const residual = workF64('sim.residual', nodeCount).fill(0);
  for (let k = 0; k < linkFrom.length; k++) {
    residual[linkFrom[k]] += q[k];
    residual[linkTo[k]] -= q[k];
  }
  return residual;
}

/**
 * Per pipe (over its pieces): the flow of its most loaded piece, the largest velocity and R, the head
 * loss summed, and the supply temperatures in and out along that piece's direction; per edge, its
 * link's flow and head loss.
 */
function pipeNumbers(a: {
  g: HydraulicNetwork['graph'];
  net: HydraulicNetwork;
  inModel: Uint8Array;
  /** Return-only pipes are links of the return circuit (two drawn circuits). */
  returnOwn: boolean;
  edgeLink: Int32Array;
  edgeReturnLink: Int32Array;
  flow: Float64Array;
  headLoss: Float64Array;
  rFactor: number;
  linkCircuit: Uint8Array;
  supplyLinkIndex: Int32Array;
  returnLinkIndex: Int32Array;
  supplyTemps: CircuitTemperatures;
  returnTemps: CircuitTemperatures;
  out: PipeNumbers;
}): void {
  const { g, inModel, returnOwn, edgeLink, edgeReturnLink, flow, headLoss, rFactor, linkCircuit, supplyLinkIndex, returnLinkIndex } = a;
  const { edgeCircuit, edgeDiameterM } = a.net;
  const { pipeEdgeStart, pipeEdge, edgeLengthM } = g;
  const { edgeFlowOf, edgeLossOf, pipeFlow, pipeV, pipeRpm, pipeLoss, pipeInC, pipeOutC } = a.out;
  const sIn = a.supplyTemps.linkInC, sOut = a.supplyTemps.linkOutC, rIn = a.returnTemps.linkInC, rOut = a.returnTemps.linkOutC;
  const nP = pipeFlow.length;
  for (let i = 0; i < nP; i++) {
    const k0 = pipeEdgeStart[i], k1 = pipeEdgeStart[i + 1];
    if (k0 === k1 || !inModel[pipeEdge[k0]]) continue;
    let best = 0, bestAbs = -1, vmax = 0, rmax = 0, hsum = 0;
    for (let k = k0; k < k1; k++) {
      const e = pipeEdge[k];
      const l = edgeCircuit[e] === CIRCUIT_RETURN && returnOwn ? edgeReturnLink[e] : edgeLink[e];
      const q = l >= 0 ? flow[l] : 0;
      const h = l >= 0 ? Math.abs(headLoss[l]) : 0;
      edgeFlowOf[e] = q;
      edgeLossOf[e] = h;
      const D = edgeDiameterM[e];
      const v = D > 0 ? Math.abs(q) / ((Math.PI * D * D) / 4) : 0;
      // R: friction only (head loss less the minor losses), per metre, as pressure.
      const rr = edgeLengthM[e] > 0 ? (h / edgeLengthM[e]) * rFactor : 0;
      if (v > vmax) vmax = v;
      if (rr > rmax) rmax = rr;
      hsum += h;
      const aq = Math.abs(q);
      if (aq > bestAbs) {
        best = q;
        bestAbs = aq;
      }
    }
    pipeFlow[i] = best;
    pipeV[i] = vmax;
    pipeRpm[i] = rmax;
    pipeLoss[i] = hsum;
    // Temperatures in and out along the direction of the largest flow.
    const eIn = pipeEdge[best >= 0 ? k0 : k1 - 1];
    const eOut = pipeEdge[best >= 0 ? k1 - 1 : k0];
    const lIn = edgeCircuit[eIn] === CIRCUIT_RETURN && returnOwn ? edgeReturnLink[eIn] : edgeLink[eIn];
    const lOut = edgeCircuit[eOut] === CIRCUIT_RETURN && returnOwn ? edgeReturnLink[eOut] : edgeLink[eOut];
    pipeInC[i] = lIn < 0 ? NaN : linkCircuit[lIn] === 1 ? sIn[supplyLinkIndex[lIn]] : rIn[returnLinkIndex[lIn]];
    pipeOutC[i] = lOut < 0 ? NaN : linkCircuit[lOut] === 1 ? sOut[supplyLinkIndex[lOut]] : rOut[returnLinkIndex[lOut]];
  }
}

/** Supply, return and static head of every graph node (NaN outside the solved networks). */
function nodeHeads(
  a: { mirror: boolean; P: number; hnodeSys: Int32Array; compOfHnode: Int32Array; compC: Float64Array; compStatic: Float64Array; head: Float64Array },
  supplyHeadM: Float64Array,
  returnHeadM: Float64Array,
  staticHeadM: Float64Array,
): void {
  const { mirror, P, hnodeSys, compOfHnode, compC, compStatic, head } = a;
  for (let n = 0; n < supplyHeadM.length; n++) {
    supplyHeadM[n] = hnodeSys[n] >= 0 ? head[hnodeSys[n]] : NaN;
    if (mirror) returnHeadM[n] = hnodeSys[n] >= 0 ? compC[compOfHnode[n]] - head[hnodeSys[n]] : NaN;
    else returnHeadM[n] = hnodeSys[P + n] >= 0 ? head[hnodeSys[P + n]] : NaN;
    staticHeadM[n] = compStatic[compOfHnode[n]];
    if (!mirror && Number.isNaN(staticHeadM[n])) staticHeadM[n] = compStatic[compOfHnode[P + n]];
  }
}

/**
 * Pressure checks of every node (kinds boiling 0, vacuum 1, over-pressure 2; circuits supply 0,
 * return 1, static 2): per kind and circuit (k·3 + c) the count of nodes and the worst one.
 */
function checkNodes(
  a: {
    groundM: Float64Array;
    supplyHeadM: Float64Array;
    returnHeadM: Float64Array;
    staticHeadM: Float64Array;
    supplyC: Float64Array;
    /** Water temperature where no supply temperature is known (static line). */
    supplyCDefault: number;
    /** kPa per m of head. */
    rg: number;
    /** Pressures at or above this need no boiling check of their own. */
    boilBound: number;
    limits: PressureLimits;
  },
  cnt: Int32Array,
  worstNode: Int32Array,
  worstBad: Float64Array,
): void {
  const { groundM, supplyHeadM, returnHeadM, staticHeadM, supplyC, supplyCDefault, rg, boilBound, limits } = a;
  const minP = limits.minPressureKpa, maxP = limits.maxPressureKpa;
  const note = (k: number, c: number, n: number, bad: number) => {
    const i = k * 3 + c;
    cnt[i]++;
    if (bad > worstBad[i]) {
      worstBad[i] = bad;
      worstNode[i] = n;
    }
  };
  const check = (c: number, n: number, head: number, waterC: number) => {
    const p = (head - groundM[n]) * rg;
    if (c !== 1 && p < boilBound && Number.isFinite(waterC)) {
      const lim = boilingLimitKpa(waterC, limits);
      if (p < lim) note(0, c, n, lim - p);
    }
    if (p < minP) note(1, c, n, minP - p);
    if (p > maxP) note(2, c, n, p - maxP);
  };
  for (let n = 0; n < staticHeadM.length; n++) {
    if (!Number.isFinite(staticHeadM[n])) continue;
    if (Number.isFinite(supplyHeadM[n])) check(0, n, supplyHeadM[n], supplyC[n]);
    if (Number.isFinite(returnHeadM[n])) check(1, n, returnHeadM[n], NaN);
    check(2, n, staticHeadM[n], Number.isFinite(supplyC[n]) ? supplyC[n] : supplyCDefault);
  }
}

/** Union the two ends of every model edge, per circuit (supply ports 0..P-1, return ports P.. with two circuits). */
function joinEdges(net: HydraulicNetwork, uf: UnionFind, mirror: boolean): void {
  const P = net.portCount;
  const { edges, edgeCircuit, edgePortFrom, edgePortTo } = net;
  for (let ei = 0; ei < edges.length; ei++) {
    const e = edges[ei];
    const c = edgeCircuit[e];
    const a = edgePortFrom[e], b = edgePortTo[e];
    if (mirror || c !== CIRCUIT_RETURN) uf.union(a, b);
    if (!mirror && c !== CIRCUIT_SUPPLY) uf.union(P + a, P + b);
  }
}

/** The solved supply side: active ports and their heads, supply flow per edge, station outflow per port. */
function fillSupplySide(
  side: SolvedSupply,
  a: { hnodeSys: Int32Array; head: Float64Array; flow: Float64Array; linkCircuit: Uint8Array; linkEdge: Int32Array; linkStation: Int32Array; stationSupplyPort: Int32Array },
): void {
  const { hnodeSys, head, flow, linkCircuit, linkEdge, linkStation, stationSupplyPort } = a;
  const { activePort, portHead, edgeFlow, portDemand } = side;
  for (let p = 0; p < activePort.length; p++)
    if (hnodeSys[p] >= 0) {
      activePort[p] = 1;
      portHead[p] = head[hnodeSys[p]];
    }
  for (let k = 0; k < linkCircuit.length; k++) {
    if (linkCircuit[k] === 1) edgeFlow[linkEdge[k]] = flow[k];
    else if (linkCircuit[k] === 3) portDemand[stationSupplyPort[linkStation[k]]] += flow[k];
  }
}

/** shift[n] = dH for the system node of every supply port (0..P-1) of network `comp`. */
function shiftNetwork(shift: Float64Array, P: number, compOfHnode: Int32Array, hnodeSys: Int32Array, comp: number, dH: number): void {
  for (let h = 0; h < P; h++) if (compOfHnode[h] === comp && hnodeSys[h] >= 0) shift[hnodeSys[h]] = dH;
}

/** a[i] += b[i] for every i of a. */
function addInto(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
}

/** Heat-loss coefficient (W/(m·K)) and ambient temperature of a pipe, for the last pipe asked. */
class PipeHeat {
  pipe = -1;
  u = 0;
  ambient = 0;
  private uByDn = new Map<number, number>();
  constructor(
    private pipes: Feature[],
    private s: Settings,
    private outdoorC: number,
  ) {}
  of(i: number): void {
    if (this.pipe === i) return;
    const s = this.s;
    const pipe = this.pipes[i];
    const dnNum = num(pipe.properties.dn);
    const key = dnNum ?? NaN;
    let u = this.uByDn.get(key);
    if (u === undefined) {
      const dn = String(dnNum ?? '');
      this.uByDn.set(key, (u = s.heatLossWmK[dn] ?? nearestByDn(s.heatLossWmK, Number(dn))));
    }
    const laying = typeof pipe.properties.laying === 'string' ? pipe.properties.laying : 'buried';
    this.pipe = i;
    this.u = u * (s.heatLossLayingFactor[laying] ?? 1);
    this.ambient = laying === 'overhead' ? this.outdoorC : s.groundTemperatureC;
  }
}

/**
 * A circuit's links as the temperature walk reads them: their ends (in place when the circuit's links
 * are the system's first links), U·L (W/K) and ambient temperature (looked up once per pipe).
 */
function circuitLinkHeat(
  tag: 'supply' | 'return',
  links: Int32Array,
  inPlace: boolean,
  linkFrom: Int32Array,
  linkTo: Int32Array,
  linkEdge: Int32Array,
  g: HydraulicNetwork['graph'],
  heat: PipeHeat,
): { from: Int32Array; to: Int32Array; ul: Float64Array; amb: Float64Array; inPlace: boolean } {
  const n = links.length;
  // Work arrays (one set per circuit): read by the temperature walk of this run only.
  const from = inPlace ? linkFrom.subarray(0, n) : workI32(`sim.${tag}From`, n);
  const to = inPlace ? linkTo.subarray(0, n) : workI32(`sim.${tag}To`, n);
  const ul = workF64(`sim.${tag}Ul`, n), amb = workF64(`sim.${tag}Amb`, n);
  const { edgePipe, edgeLengthM } = g;
  for (let j = 0; j < n; j++) {
    const k = links[j];
    if (!inPlace) {
      from[j] = linkFrom[k];
      to[j] = linkTo[k];
    }
    const e = linkEdge[k];
    heat.of(edgePipe[e]);
    ul[j] = heat.u * edgeLengthM[e];
    amb[j] = heat.ambient;
  }
  return { from, to, ul, amb, inPlace };
}

/** Per-pipe and per-edge results that pipeNumbers fills and pipeObjects reads (NaN flow: pipe not in the model). */
interface PipeNumbers {
  pipeFlow: Float64Array;
  pipeV: Float64Array;
  pipeRpm: Float64Array;
  pipeLoss: Float64Array;
  pipeInC: Float64Array;
  pipeOutC: Float64Array;
  edgeFlowOf: Float64Array;
  edgeLossOf: Float64Array;
}

/** The result object of every pipe in the model, from the per-pipe and per-edge arrays of pipeNumbers. */
function pipeObjects(
  g: HydraulicNetwork['graph'],
  a: PipeNumbers,
): PipeResult[] {
  const { pipeFlow, pipeV, pipeRpm, pipeLoss, pipeInC, pipeOutC, edgeFlowOf, edgeLossOf } = a;
  const { pipeEdgeStart, pipeEdge } = g;
  const features = g.input.layers.pipes;
  const pipes: PipeResult[] = [];
  for (let i = 0; i < pipeFlow.length; i++) {
    if (Number.isNaN(pipeFlow[i])) continue;
    const out: PipeResult = {
      id: String(features[i].id),
      flowM3h: pipeFlow[i] * 3600,
      velocityMs: pipeV[i],
      rPam: pipeRpm[i],
      headLossM: pipeLoss[i],
      supplyInC: Number.isFinite(pipeInC[i]) ? pipeInC[i] : null,
      supplyOutC: Number.isFinite(pipeOutC[i]) ? pipeOutC[i] : null,
    };
    const k0 = pipeEdgeStart[i], k1 = pipeEdgeStart[i + 1];
    if (k1 - k0 > 1) {
      const parts: PipePart[] = [];
      for (let k = k0; k < k1; k++) {
        const e = pipeEdge[k];
        parts.push({ id: `${out.id}:${k - k0 + 1}`, flowM3h: edgeFlowOf[e] * 3600, headLossM: edgeLossOf[e] });
      }
      out.parts = parts;
    }
    pipes.push(out);
  }
  return pipes;
}

function nearestByDn(table: Record<string, number>, dn: number): number {
  let best = 0, bestD = Infinity;
  for (const [k, v] of Object.entries(table)) {
    const d = Math.abs(Number(k) - dn);
    if (d < bestD) [best, bestD] = [v, d];
  }
  return best;
}

/**
 * Flow sources without a set flow inject the load of their own area: the
 * stations nearer to them along the supply circuit than to any other running
 * source of their network (multi-source Dijkstra by pipe length), at most the
 * flow their capacity carries. A source standing on another's trunk (a backup
 * boiler on the main from the plant) is nearer to every station downstream,
 * so without that limit it would take the whole network's load and shut the
 * plant behind it; what it cannot carry stays with the pressure-holding source.
 */
function ownAreaFlows(
  net: HydraulicNetwork,
  sources: SourcePlan[],
  demand: Float64Array,
  served: Uint8Array,
  capacityFlowM3s: (sp: SourcePlan) => number,
): void {
  const need = sources.filter((sp) => sp.role === 'flow' && Number.isNaN(sp.flowM3s));
  if (!need.length) return;
  const g = net.graph;
  const P = net.portCount;
  const { adjStart, adj } = portAdjacency(net, (e) => net.edgeCircuit[e] !== CIRCUIT_RETURN);
  const dist = workF64('sim.nearestDist', P).fill(Infinity);
  const owner = workI32('sim.nearestOwner', P).fill(-1);
  const heap = new MinHeap(P);
  sources.forEach((sp, j) => {
    const p = net.sourceSupplyPort[sp.index];
    if (p >= 0 && dist[p] > 0) {
      dist[p] = 0;
      owner[p] = j;
      heap.push(0, p);
    }
  });
  const search: NearestSearch = { adjStart, adj, edgePortFrom: net.edgePortFrom, edgePortTo: net.edgePortTo, lengthM: g.edgeLengthM, dist, owner, heap };
  while (heap.size) {
    const d = heap.topKey();
    const u = heap.pop();
    if (d <= dist[u]) settle(search, u, d);
  }
  const flows = new Float64Array(sources.length);
  for (let i = 0; i < demand.length; i++) {
    if (!served[i]) continue;
    const p = net.stationSupplyPort[i];
    if (p >= 0 && owner[p] >= 0) flows[owner[p]] += demand[i];
  }
  for (const sp of need) sp.flowM3s = Math.min(flows[sources.indexOf(sp)], capacityFlowM3s(sp));
}

/** State of the nearest-source search of ownAreaFlows (Dijkstra over the supply side). */
interface NearestSearch {
  adjStart: Int32Array;
  adj: Int32Array;
  edgePortFrom: Int32Array;
  edgePortTo: Int32Array;
  lengthM: Float64Array;
  dist: Float64Array;
  owner: Int32Array;
  heap: MinHeap;
}

/** Port u settled at distance d: its neighbours relaxed through it (a function of its own, optimised by call count). */
function settle(st: NearestSearch, u: number, d: number): void {
  const { adjStart, adj, edgePortFrom, edgePortTo, lengthM, dist, owner, heap } = st;
  for (let k = adjStart[u]; k < adjStart[u + 1]; k++) {
    const e = adj[k];
    const v = edgePortFrom[e] === u ? edgePortTo[e] : edgePortFrom[e];
    const nd = d + lengthM[e];
    if (nd < dist[v]) {
      dist[v] = nd;
      owner[v] = owner[u];
      heap.push(nd, v);
    }
  }
}

/** Every number the model used, for the JSON's settings block. */
function settingsUsed(net: HydraulicNetwork, ph: ReturnType<typeof physics>): HydraulicResult['settings'] {
  const s = ph.s;
  // Each DN with the first edge that has it (one pass; the inner diameter is that edge's).
  // (Keyed by the number itself: a string made per pipe cost more than the rest of the pass.)
  const firstEdgeOfDn = new Map<number | null, number>();
  const pipes = net.graph.input.layers.pipes;
  let lastPipe = -1;
  for (let ei = 0; ei < net.edges.length; ei++) {
    const e = net.edges[ei];
    const pipe = net.graph.edgePipe[e];
    if (pipe === lastPipe) continue; // the pieces of one pipe share its DN
    lastPipe = pipe;
    const dn = num(pipes[pipe].properties.dn);
    if (!firstEdgeOfDn.has(dn)) firstEdgeOfDn.set(dn, e);
  }
  const innerDiameterMm: Record<string, number> = {};
  const heatLossWmK: Record<string, number> = {};
  const edgeOfDn = new Map<string, number>();
  for (const [dn, e] of firstEdgeOfDn) if (!edgeOfDn.has(String(dn))) edgeOfDn.set(String(dn), e);
  for (const dn of [...edgeOfDn.keys()].sort((a, b) => Number(a) - Number(b))) {
    innerDiameterMm[dn] = Math.round(net.edgeDiameterM[edgeOfDn.get(dn)!] * 1e6) / 1000;
    heatLossWmK[dn] = s.heatLossWmK[dn] ?? nearestByDn(s.heatLossWmK, Number(dn));
  }
  return {
    friction: ph.friction,
    supplyC: s.primarySupplyC,
    returnC: s.primaryReturnC,
    densityKgM3: s.waterDensityKgM3,
    cpKJkgK: s.waterCkJkgK,
    viscosityM2s: s.waterViscosityM2s,
    roughnessMm: s.roughnessMm,
    minorLossFraction: s.minorLossFraction,
    gravityMs2: ph.gravity,
    minStationDpKpa: s.minStationDpKpa,
    pumpHeadMargin: s.pumpHeadMargin,
    makeUpPressureKpa: s.makeUpPressureKpa,
    groundTemperatureC: s.groundTemperatureC,
    indoorDesignC: s.indoorDesignC,
    outdoorDesignC: s.outdoorDesignC,
    outdoorC: ph.outdoorC,
    loadFactor: ph.loadFactor,
    simultaneity: s.simultaneity,
    heatIndexEnergySavingWm2: s.heatIndexEnergySavingWm2,
    heatIndexOldWm2: s.heatIndexOldWm2,
    laminarReynolds: s.laminarReynolds,
    turbulentReynolds: s.turbulentReynolds,
    atmosphericPressureKpa: s.atmosphericPressureKpa,
    boilingMarginKpa: s.boilingMarginKpa,
    minPressureKpa: s.minPressureKpa,
    maxPressureKpa: s.maxPressureKpa,
    hydraulicAccuracy: s.hydraulicAccuracy,
    hydraulicMaxIterations: s.hydraulicMaxIterations,
    stationControlTolerance: s.stationControlTolerance,
    snapToleranceM: s.snapToleranceM,
    attachToleranceM: s.attachToleranceM,
    innerDiameterMm,
    heatLossWmK,
    heatLossLayingFactor: { ...s.heatLossLayingFactor },
  };
}

export { CIRCUIT_PAIR };

