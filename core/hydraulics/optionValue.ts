/**
 * Loop options valued by the physics (DOMAIN.md §3 items 5 and 11): for every
 * option, the outage it is for is simulated without and with the link built,
 * and the load served (MW, households) and the lowest station ΔP are compared.
 * - An interconnect is for the outage of one side's sources: each side's
 *   sources off in turn; the side the link helps more counts.
 * - A loop inside one network is for a burst: the valve segment whose
 *   isolation the link saves the most load (the segment's valves closed).
 * Ranking then uses what the simulation shows: interconnects by the load the
 * link lets the other side serve (within that side's spare capacity) per
 * 万元; loops by the N-1 risk they reduce, weighted by the share of the load
 * they save that the pressure actually delivers, per 万元. riskReducedMWkm
 * itself stays the exact topological figure.
 */
import type { Feature } from '../model/types';
import { buildGraph, checkAborted, type AnalysisOptions, type NetworkInput } from '../network/graph';
import { linkChange, optionPipe, rankOptions, type LoopOption, type LoopsResult } from '../network/loops';
import { baseTree, unitLosses, type SegmentModel } from '../network/segments';
import { isolateEdges } from '../network/isolate';
import { buildHydraulicNetwork, HydraulicInputError } from './network';
import { runHydraulics } from './scenario';
import type { HydraulicResult } from './simulate';
import { message, SaidError, type Message } from '../i18n';
import { clamp, roundTo } from '../format/number';

export interface OutageFigures {
  /** Load the stations of the whole network get, MW, and households (by the share of heat each gets). */
  servedMW: number;
  servedHouseholds: number;
  loadMW: number;
  households: number;
  /** Lowest ΔP among the stations that get water, kPa. */
  minDpKpa: number | null;
  /** Stations short of heat (partly or wholly). */
  stationsShort: number;
  converged: boolean;
}

export interface OptionHydraulics {
  outage:
    | { kind: 'sources'; sourcesOff: string[] }
    | { kind: 'segment'; valvesClosed: string[]; pipes: string[] };
  before: OutageFigures;
  after: OutageFigures;
  servedGainMW: number;
  householdsGain: number;
  /** Interconnect: the served gain within the helping side's spare capacity, MW. */
  backupMW: number;
}

export type ValuedOption = LoopOption & { hydraulic?: OptionHydraulics; hydraulicError?: Message };

function figures(r: HydraulicResult): OutageFigures {
  return {
    servedMW: r.totals.servedMW,
    servedHouseholds: r.totals.servedHouseholds,
    loadMW: r.totals.loadMW,
    households: r.totals.households,
    minDpKpa: r.totals.minDpKpa,
    stationsShort: r.stations.filter((s) => s.loadKw > 0 && s.shortfallKw > 1e-9).length,
    converged: r.converged,
  };
}

/** Value every option of `loops` by simulating its outage without and with it; re-rank and re-choose. */
export function valueOptionsHydraulically(
  project: NetworkInput,
  m: SegmentModel,
  loops: LoopsResult,
  opts?: AnalysisOptions,
): LoopsResult & { options: ValuedOption[] } {
  const options = loops.options as ValuedOption[];
  if (!options.length) return loops;
  // A city's network: minutes per option; the ranking stays topological, and each option says why.
  const pipes = project.layers.pipes.length;
  const max = project.settings.loopHydraulicMaxPipes;
  if (pipes > max) {
    const why = message('loops.err.tooLargeToSimulate', { pipes, max });
    for (const o of options) o.hydraulicError = why;
    return loops;
  }
  const base = buildHydraulicNetwork(m.graph);
  let designHeads: Record<string, number>;
  try {
    designHeads = runHydraulics(project, { scenario: 'design' }, { baseNetwork: base }).designHeads;
  } catch (err) {
    // The network cannot be simulated (a missing DN…): keep the topological ranking and say why.
    const why = err instanceof SaidError ? err.said : message('analysis.err.unexpected', { detail: String((err as Error)?.message ?? err) });
    for (const o of options) o.hydraulicError = why;
    return loops;
  }
  const srcCap = new Map(project.layers.heat_sources.map((h) => [String(h.id), Number(h.properties.capacity_mw) || 0]));
  // Each outage's figures, not its result: a result holds every pipe's and node's numbers, and a
  // city network's would pile up a gigabyte and more over the options.
  const cache = new Map<string, OutageFigures>();
  const simulate = (key: string, input: NetworkInput, sourcesOff: string[], addPipes: Feature[]): OutageFigures => {
    const hit = cache.get(key);
    if (hit) return hit;
    // (with pipes added, runHydraulics builds the network they make; the project's own is `base`)
    const net = input === project ? base : undefined;
    const r = figures(runHydraulics(input, { scenario: 'outage', sourcesOff, addPipes: addPipes as never }, { designHeads, baseNetwork: net ?? buildHydraulicNetwork(buildGraph(input)) }).result);
    cache.set(key, r);
    return r;
  };
  const closeValves = (ids: string[]): NetworkInput => {
    const set = new Set(ids);
    return { ...project, layers: { ...project.layers, valves: project.layers.valves.map((v) => (set.has(String(v.id)) ? { ...v, properties: { ...v.properties, state: 'closed' } } : v)) } };
  };
  const baseLoss = unitLosses(m);
  const tree = baseTree(m);
  options.forEach((o, i) => {
    checkAborted(opts);
    opts?.onProgress?.(i / options.length);
    const pipe = optionPipe(o, `LOOP-${o.rank}`);
    try {
      if (o.kind === 'interconnect') {
        let best: OptionHydraulics | null = null;
        for (const [failed, helping] of [
          [o.from.sources, o.to.sources],
          [o.to.sources, o.from.sources],
        ]) {
          const off = [...failed].sort();
          const before = simulate(`src:${off.join(',')}`, project, off, []);
          const after = simulate(`src:${off.join(',')}:opt:${o.rank}`, project, off, [pipe]);
          const gain = after.servedMW - before.servedMW;
          // What the helping side can give: its capacity less what it serves itself in the outage.
          const helpCap = helping.reduce((a, id) => a + (srcCap.get(id) ?? 0), 0);
          const ownServed = before.servedMW;
          const spare = Math.max(0, helpCap - ownServed);
          const h: OptionHydraulics = {
            outage: { kind: 'sources', sourcesOff: off },
            before,
            after,
            servedGainMW: gain,
            householdsGain: after.servedHouseholds - before.servedHouseholds,
            backupMW: clamp(spare, 0, gain),
          };
          if (!best || h.backupMW > best.backupMW || (h.backupMW === best.backupMW && h.servedGainMW > best.servedGainMW)) best = h;
        }
        o.hydraulic = best!;
      } else {
        // The burst this loop is for: the valve segment whose isolation it saves the most load.
        const after = unitLosses(m, linkChange(m, o.from.node, o.to.node, 0), true);
        let unit = -1, saved = 0;
        for (let u = 0; u < m.unitCount; u++) {
          const s = baseLoss.lossMW[baseLoss.unitRep[u]] - after.lossMW[after.unitRep[u]];
          if (s > saved + 1e-12) [unit, saved] = [u, s];
        }
        if (unit < 0) return;
        const seg = tree.unitSeg[tree.unitSegStart[unit]];
        const edge = m.segEdge[m.segEdgeStart[seg]];
        const iso = isolateEdges(m, [edge]);
        const valves = [...iso.valvesToClose].sort();
        const closed = closeValves(valves);
        const before = simulate(`seg:${valves.join(',')}`, closed, [], []);
        const withLink = simulate(`seg:${valves.join(',')}:opt:${o.rank}`, { ...closed, layers: { ...closed.layers, pipes: [...closed.layers.pipes, pipe] } }, [], []);
        o.hydraulic = {
          outage: { kind: 'segment', valvesClosed: valves, pipes: iso.pipesIsolated },
          before,
          after: withLink,
          servedGainMW: withLink.servedMW - before.servedMW,
          householdsGain: withLink.servedHouseholds - before.servedHouseholds,
          backupMW: 0,
        };
      }
    } catch (err) {
      if (err instanceof HydraulicInputError) o.hydraulicError = err.said;
      else throw err;
    }
  });
  // Benefits from the simulation; the explanation says what the outage looks like before and after.
  for (const o of options) {
    const h = o.hydraulic;
    if (!h) continue;
    const share = o.designLoadMW > 0 ? clamp(h.servedGainMW / o.designLoadMW, 0, 1) : 0;
    o.benefitPerWan = o.costWan > 0 ? (o.kind === 'interconnect' ? h.backupMW : o.riskReducedMWkm * share) / o.costWan : 0;
    const dp = (f: OutageFigures) => (f.minDpKpa === null ? '-' : `${roundTo(f.minDpKpa, 1)} kPa`);
    const figures = {
      servedBefore: roundTo(h.before.servedMW, 2), servedAfter: roundTo(h.after.servedMW, 2),
      householdsBefore: Math.round(h.before.servedHouseholds), householdsAfter: Math.round(h.after.servedHouseholds),
      dpBefore: dp(h.before), dpAfter: dp(h.after),
    };
    o.explanation = [
      ...o.explanation,
      h.outage.kind === 'sources'
        ? message('loops.explain.hydraulicsSources', { off: h.outage.sourcesOff.join('+'), ...figures })
        : h.outage.valvesClosed.length
          ? message('loops.explain.hydraulicsSegment', { valves: h.outage.valvesClosed.join(', '), ...figures })
          : message('loops.explain.hydraulicsSegmentNoValves', figures),
      ...(o.kind === 'interconnect' ? [message('loops.explain.backedUp', { mw: roundTo(h.backupMW, 2) })] : []),
    ];
  }
  opts?.onProgress?.(1);
  return rankOptions(options, loops.budgetWan ?? undefined, loops.loadAtRiskMWkm) as LoopsResult & { options: ValuedOption[] };
}
