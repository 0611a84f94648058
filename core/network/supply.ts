/**
 * Supply trace and loads (DOMAIN.md §3 items 2 and 4): which active sources
 * reach each pipe, station and community through in-service pipes and open
 * valves, and each source's load against its capacity.
 *
 * Where networks join, every source of the joined network feeds all of it
 * (multi-source). A source's own load is then the area's station load shared
 * in proportion to capacity — the usual operating assumption when the
 * hydraulic split is not modelled.
 */
import { leaveOutLongest } from '../arrays';
import { NODE_VALVE_CLOSED, sourceActive, type NetworkGraph } from './graph';
import { stationLoads } from './loads';

export interface SupplyArea {
  /** Source ids feeding this connected network. */
  sources: string[];
  stations: string[];
  loadMW: number;
  capacityMW: number;
}

export interface SupplyTrace {
  /** Connected network (through open valves) of each edge; -1 not in service. */
  edgeArea: Int32Array;
  areas: SupplyArea[];
  stations: { id: string; sources: string[]; loadMW: number; households: number }[];
  communities: { id: string; stationId: string | null; sources: string[] }[];
  sources: { id: string; capacityMW: number; loadMW: number; loadRatio: number | null; stations: string[]; active: boolean }[];
  /** Pipe id → source ids reaching it (for the map theme colouring by source). */
  pipeSources: Record<string, string[]>;
}

/** `pipeSources: false` leaves the pipe → sources table empty (for callers that need only the areas; it is most of the time at 1M pipes). */
export function supplyTrace(g: NetworkGraph, opts: { pipeSources?: boolean } = {}): SupplyTrace {
  const E = g.edgeCount;
  // Union in-service edges meeting at a node that lets heat through.
  const parent = new Int32Array(E);
  for (let e = 0; e < E; e++) parent[e] = e;
  const find = (a: number) => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  for (let n = 0; n < g.nodeCount; n++) {
    if (g.nodeFlags[n] & NODE_VALVE_CLOSED) continue;
    let first = -1;
    for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
      const e = g.adjEdge[k];
      if (!g.edgeInService[e]) continue;
      if (first < 0) first = e;
      else {
        const a = find(first);
        const b = find(e);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  const comp = new Int32Array(E).fill(-1);
  const compOfRoot = new Int32Array(E).fill(-1);
  let compCount = 0;
  for (let e = 0; e < E; e++) {
    if (!g.edgeInService[e]) continue;
    const r = find(e);
    if (compOfRoot[r] < 0) compOfRoot[r] = compCount++;
    comp[e] = compOfRoot[r];
  }
  const compsAt = (n: number): number[] => {
    const out: number[] = [];
    for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
      const c = comp[g.adjEdge[k]];
      if (c >= 0 && !out.includes(c)) out.push(c);
    }
    return out;
  };

  const srcLayer = g.input.layers.heat_sources;
  const compSources: number[][] = Array.from({ length: compCount }, () => []);
  const nodeSources = new Map<number, number[]>();
  srcLayer.forEach((s, i) => {
    const n = g.sourceNode[i];
    if (n < 0 || !sourceActive(s)) return;
    nodeSources.set(n, [...(nodeSources.get(n) ?? []), i]);
    // A source on a closed valve feeds only its own node.
    if (g.nodeFlags[n] & NODE_VALVE_CLOSED) return;
    for (const c of compsAt(n)) compSources[c].push(i);
  });
  const sourcesAtNode = (n: number): number[] => {
    const set = new Set<number>(nodeSources.get(n) ?? []);
    for (const c of compsAt(n)) for (const s of compSources[c]) set.add(s);
    return [...set].sort((a, b) => a - b);
  };

  // Areas: connected networks with at least one source, keyed by their source set.
  const areaKey = new Map<string, number>();
  const areas: SupplyArea[] = [];
  const edgeArea = new Int32Array(E).fill(-1);
  const compArea = new Int32Array(compCount).fill(-1);
  const areaOf = (srcs: number[]): number => {
    if (!srcs.length) return -1;
    const k = srcs.join(',');
    let a = areaKey.get(k);
    if (a === undefined) {
      a = areas.length;
      areaKey.set(k, a);
      areas.push({
        sources: srcs.map((s) => String(srcLayer[s].id)),
        stations: [],
        loadMW: 0,
        capacityMW: srcs.reduce((t, s) => t + (Number(srcLayer[s].properties.capacity_mw) || 0), 0),
      });
    }
    return a;
  };
  for (let c = 0; c < compCount; c++) compArea[c] = areaOf([...compSources[c]].sort((a, b) => a - b));
  for (let e = 0; e < E; e++) if (comp[e] >= 0) edgeArea[e] = compArea[comp[e]];

  const loads = stationLoads(g.input);
  const stations = g.input.layers.stations.map((s, i) => {
    const n = g.stationNode[i];
    const srcs = n >= 0 ? sourcesAtNode(n) : [];
    const a = areaOf(srcs);
    if (a >= 0) {
      areas[a].stations.push(String(s.id));
      areas[a].loadMW += loads[i].loadMW;
    }
    return { id: String(s.id), sources: srcs.map((x) => String(srcLayer[x].id)), loadMW: loads[i].loadMW, households: loads[i].households };
  });
  const stationById = new Map(stations.map((s) => [s.id, s]));
  const communities = g.input.layers.communities.map((c) => {
    const sid = c.properties.station_id == null ? null : String(c.properties.station_id);
    return { id: String(c.id), stationId: sid, sources: (sid && stationById.get(sid)?.sources) || [] };
  });
  const sources = srcLayer.map((s, i) => {
    const capacityMW = Number(s.properties.capacity_mw) || 0;
    const id = String(s.id);
    const area = areas.find((a) => a.sources.includes(id));
    const share = area && area.capacityMW > 0 ? capacityMW / area.capacityMW : area ? 1 / area.sources.length : 0;
    const loadMW = area ? area.loadMW * share : 0;
    return {
      id,
      capacityMW,
      loadMW,
      loadRatio: capacityMW > 0 ? loadMW / capacityMW : null,
      stations: area ? [...area.stations] : [],
      active: sourceActive(s) && g.sourceNode[i] >= 0,
    };
  });
  const pipeSources: Record<string, string[]> = {};
  for (let e = 0; e < E && opts.pipeSources !== false; e++) {
    const a = edgeArea[e];
    if (a < 0) continue;
    const id = String(g.input.layers.pipes[g.edgePipe[e]].id);
    const list = (pipeSources[id] ??= []);
    for (const s of areas[a].sources) if (!list.includes(s)) list.push(s);
  }
  return { edgeArea, areas, stations, communities, sources, pipeSources };
}

/** Pipes reached by the same set of sources (its codes sorted); `sources` empty: pipes no source reaches. */
export interface SupplyPipeGroup {
  sources: string[];
  pipes: string[];
}

/**
 * The app's part of a supply trace (the command line's lists every station, community and pipe
 * with its sources; a city has tens of thousands of the first two and a million of the last): the
 * areas and sources with how many stations each feeds, and for the map's 供热溯源 theme the pipes
 * grouped by the set of sources reaching them, the most numerous group's codes left out (`rest`;
 * the map gives its colour to every pipe not listed).
 */
export interface SupplyAnswer {
  areas: (Omit<SupplyArea, 'stations'> & { stationCount: number })[];
  sources: (Omit<SupplyTrace['sources'][number], 'stations'> & { stationCount: number })[];
  /** By key (the sources joined by '+', sorted); the group of no source first. */
  pipeGroups: SupplyPipeGroup[];
  /** Index of the group whose `pipes` is left empty. */
  rest: number;
}

/** The key of a set of sources as the theme names it. */
export const sourcesKey = (sources: readonly string[]): string => [...sources].sort().join('+');

/** `pipeIds`: every pipe of the network (those the trace does not name go in the group of no source). */
export function supplyAnswer(t: SupplyTrace, pipeIds: readonly string[]): SupplyAnswer {
  const groups = new Map<string, SupplyPipeGroup>([['', { sources: [], pipes: [] }]]);
  for (const id of pipeIds) {
    const sources = t.pipeSources[id];
    const key = sources ? sourcesKey(sources) : '';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { sources: [...sources].sort(), pipes: [] }));
    g.pipes.push(id);
  }
  const pipeGroups = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  const lists = pipeGroups.map((g) => g.pipes);
  const rest = leaveOutLongest(lists);
  pipeGroups[rest] = { sources: pipeGroups[rest].sources, pipes: lists[rest] };
  const areas = t.areas.map(({ stations, ...a }) => ({ ...a, stationCount: stations.length }));
  const sources = t.sources.map(({ stations, ...s }) => ({ ...s, stationCount: stations.length }));
  return { areas, sources, pipeGroups, rest };
}
