/**
 * Brute-force references for the network analyses, used only by tests.
 * Deliberately naive and independent of graph.ts: nodes are exact coordinate
 * matches (the fixtures place points exactly), pieces are found by walking
 * every pipe, and every question is answered by a fresh breadth-first search.
 */
import type { ProjectData } from '../model/project';
import { lineLengthM } from '../geo/length';

interface Piece {
  pipe: string;
  a: string;
  b: string;
  lengthM: number;
  primary: boolean;
  inService: boolean;
}

export interface RefModel {
  pieces: Piece[];
  valvesAt: Map<string, { id: string; closed: boolean; operable: boolean }[]>;
  stationAt: Map<string, string[]>;
  sourceNodes: string[];
  project: ProjectData;
}

const key = (c: number[]) => `${c[0]},${c[1]}`;

export function refModel(project: ProjectData): RefModel {
  const L = project.layers;
  const nodeKeys = new Set<string>();
  for (const p of L.pipes) {
    const c = p.geometry.coordinates;
    nodeKeys.add(key(c[0]));
    nodeKeys.add(key(c[c.length - 1]));
  }
  const valvesAt = new Map<string, { id: string; closed: boolean; operable: boolean }[]>();
  const interior = new Map<string, { t: number; at: number[] }[]>();
  for (const v of L.valves) {
    const c = v.geometry.coordinates;
    const k = key(c);
    if (!nodeKeys.has(k)) {
      // On which straight pipe does it lie?
      for (const p of L.pipes) {
        const [a, b] = [p.geometry.coordinates[0], p.geometry.coordinates[p.geometry.coordinates.length - 1]];
        const t = Math.abs(b[0] - a[0]) > Math.abs(b[1] - a[1]) ? (c[0] - a[0]) / (b[0] - a[0]) : (c[1] - a[1]) / (b[1] - a[1]);
        const px = a[0] + t * (b[0] - a[0]);
        const py = a[1] + t * (b[1] - a[1]);
        if (t > 0 && t < 1 && Math.abs(px - c[0]) < 1e-9 && Math.abs(py - c[1]) < 1e-9) {
          const list = interior.get(String(p.id)) ?? [];
          list.push({ t, at: c });
          interior.set(String(p.id), list);
          break;
        }
      }
    }
    const list = valvesAt.get(k) ?? [];
    list.push({ id: String(v.id), closed: v.properties.state === 'closed', operable: v.properties.operable !== 'no' });
    valvesAt.set(k, list);
  }
  const pieces: Piece[] = [];
  for (const p of L.pipes) {
    const c = p.geometry.coordinates;
    const cuts = (interior.get(String(p.id)) ?? []).sort((x, y) => x.t - y.t);
    const points = [c[0], ...cuts.map((x) => x.at), c[c.length - 1]];
    for (let i = 1; i < points.length; i++)
      pieces.push({
        pipe: String(p.id),
        a: key(points[i - 1]),
        b: key(points[i]),
        lengthM: lineLengthM([points[i - 1], points[i]]),
        primary: p.properties.level === 'primary',
        inService: (p.properties.status ?? 'in_service') === 'in_service',
      });
  }
  const stationAt = new Map<string, string[]>();
  for (const s of L.stations) {
    const k = key(s.geometry.coordinates);
    stationAt.set(k, [...(stationAt.get(k) ?? []), String(s.id)]);
  }
  const sourceNodes = L.heat_sources
    .filter((s) => ['in_service', 'standby', undefined, null].includes(s.properties.status as string))
    .map((s) => key(s.geometry.coordinates));
  return { pieces, valvesAt, stationAt, sourceNodes, project };
}

function piecesAt(m: RefModel, n: string): number[] {
  const out: number[] = [];
  m.pieces.forEach((p, i) => {
    if (p.inService && (p.a === n || p.b === n)) out.push(i);
  });
  return out;
}

/** Side of a piece at node n: a station node keeps primary and other levels apart. */
function side(m: RefModel, n: string, i: number): number {
  return m.stationAt.has(n) && !m.pieces[i].primary ? 1 : 0;
}

function fedStations(m: RefModel, removed: Set<number>): Set<string> {
  const reached = new Set<string>(m.sourceNodes);
  const queue = [...reached];
  while (queue.length) {
    const n = queue.shift()!;
    if ((m.valvesAt.get(n) ?? []).some((v) => v.closed)) continue;
    for (const i of piecesAt(m, n)) {
      if (removed.has(i)) continue;
      const w = m.pieces[i].a === n ? m.pieces[i].b : m.pieces[i].a;
      if (!reached.has(w)) {
        reached.add(w);
        queue.push(w);
      }
    }
  }
  const fed = new Set<string>();
  for (const [n, ids] of m.stationAt) if (reached.has(n)) ids.forEach((id) => fed.add(id));
  return fed;
}

export function refIsolate(m: RefModel, failedPieces: number[]) {
  const S = new Set<number>(failedPieces.filter((i) => m.pieces[i].inService));
  const isValve = (n: string) => m.valvesAt.has(n);
  const grow = () => {
    const queue = [...S];
    while (queue.length) {
      const i = queue.pop()!;
      for (const n of [m.pieces[i].a, m.pieces[i].b]) {
        if (isValve(n)) continue;
        for (const j of piecesAt(m, n)) {
          if (!S.has(j) && side(m, n, j) === side(m, n, i)) {
            S.add(j);
            queue.push(j);
          }
        }
      }
    }
  };
  grow();
  for (let changed = true; changed; ) {
    changed = false;
    for (const i of [...S]) {
      for (const n of [m.pieces[i].a, m.pieces[i].b]) {
        const vs = m.valvesAt.get(n);
        if (!vs || vs.some((v) => v.closed) || vs.some((v) => v.operable)) continue;
        for (const j of piecesAt(m, n)) {
          if (!S.has(j) && side(m, n, j) === side(m, n, i)) {
            S.add(j);
            changed = true;
          }
        }
      }
    }
    if (changed) grow();
  }
  const valvesToClose = new Set<string>();
  const alreadyClosed = new Set<string>();
  const touched = new Set<string>();
  for (const i of S) touched.add(m.pieces[i].a).add(m.pieces[i].b);
  for (const n of touched) {
    const vs = m.valvesAt.get(n);
    if (!vs) continue;
    const around = piecesAt(m, n);
    const boundary = around.some((j) => !S.has(j)) || around.length <= 1 || m.stationAt.has(n) || m.sourceNodes.includes(n);
    if (!boundary) continue;
    for (const v of vs) {
      if (v.closed) alreadyClosed.add(v.id);
      else if (v.operable) valvesToClose.add(v.id);
    }
  }
  const before = fedStations(m, new Set());
  const after = fedStations(m, S);
  const stationsCut = [...before].filter((s) => !after.has(s)).sort();
  const comms = m.project.layers.communities.filter((c) => stationsCut.includes(String(c.properties.station_id)));
  const st = m.project.settings;
  const loadMW = comms.reduce(
    (a, c) =>
      a +
      ((Number(c.properties.heated_area_m2) *
        (c.properties.energy_saving === 'yes' ? st.heatIndexEnergySavingWm2 : st.heatIndexOldWm2)) /
        1e6) *
        st.simultaneity,
    0,
  );
  return {
    valvesToClose: [...valvesToClose].sort(),
    alreadyClosed: [...alreadyClosed].sort(),
    pipesIsolated: [...new Set([...S].map((i) => m.pieces[i].pipe))].sort(),
    stationsCut,
    communitiesCut: comms.map((c) => String(c.id)).sort(),
    households: comms.reduce((a, c) => a + Number(c.properties.households), 0),
    loadMW,
    lengthM: [...S].reduce((a, i) => a + m.pieces[i].lengthM, 0),
  };
}

export function refIsolatePipe(m: RefModel, pipeId: string) {
  const pieces: number[] = [];
  m.pieces.forEach((p, i) => p.pipe === pipeId && pieces.push(i));
  return refIsolate(m, pieces);
}

/** Primary in-service pipes whose removal (one piece at a time) adds a connected component. */
export function refBridges(m: RefModel): string[] {
  const live = m.pieces.map((p, i) => i).filter((i) => m.pieces[i].inService && m.pieces[i].primary);
  const components = (skip: number) => {
    const adj = new Map<string, string[]>();
    for (const i of live) {
      if (i === skip) continue;
      const { a, b } = m.pieces[i];
      adj.set(a, [...(adj.get(a) ?? []), b]);
      adj.set(b, [...(adj.get(b) ?? []), a]);
    }
    // Keep the endpoints of the skipped piece as (possibly isolated) vertices.
    if (skip >= 0) {
      for (const n of [m.pieces[skip].a, m.pieces[skip].b]) if (!adj.has(n)) adj.set(n, []);
    }
    const seen = new Set<string>();
    let count = 0;
    for (const s of adj.keys()) {
      if (seen.has(s)) continue;
      count++;
      const stack = [s];
      seen.add(s);
      while (stack.length) {
        const n = stack.pop()!;
        for (const w of adj.get(n)!) {
          if (seen.has(w)) continue;
          seen.add(w);
          stack.push(w);
        }
      }
    }
    return count;
  };
  const base = components(-1);
  const out = new Set<string>();
  for (const i of live) if (components(i) > base) out.add(m.pieces[i].pipe);
  return [...out].sort();
}

/** Stations each active source reaches on its own (closed valves stop it). */
export function refSupply(m: RefModel): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of m.project.layers.stations) out.set(String(s.id), []);
  for (const src of m.project.layers.heat_sources) {
    if (!['in_service', 'standby', undefined, null].includes(src.properties.status as string)) continue;
    const start = key(src.geometry.coordinates);
    const reached = new Set<string>([start]);
    const queue = [start];
    while (queue.length) {
      const n = queue.shift()!;
      if ((m.valvesAt.get(n) ?? []).some((v) => v.closed)) continue;
      for (const i of piecesAt(m, n)) {
        const w = m.pieces[i].a === n ? m.pieces[i].b : m.pieces[i].a;
        if (!reached.has(w)) {
          reached.add(w);
          queue.push(w);
        }
      }
    }
    for (const [n, ids] of m.stationAt) if (reached.has(n)) for (const id of ids) out.get(id)!.push(String(src.id));
  }
  for (const v of out.values()) v.sort();
  return out;
}

/** Loose ends and sourceless islands by the check's rules, naively. */
export function refCheck(m: RefModel): { dangling: string[]; islands: string[][] } {
  const all = new Map<string, number[]>();
  m.project.layers.pipes.forEach((p) => {
    const c = p.geometry.coordinates;
    for (const k of [key(c[0]), key(c[c.length - 1])]) all.set(k, [...(all.get(k) ?? []), 0]);
  });
  const inside = (lon: number, lat: number) =>
    m.project.layers.communities.some((c) => {
      const ring = c.geometry.coordinates[0];
      let inn = false;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
        if (ring[i][1] > lat !== ring[j][1] > lat && lon < ((ring[j][0] - ring[i][0]) * (lat - ring[i][1])) / (ring[j][1] - ring[i][1]) + ring[i][0]) inn = !inn;
      return inn;
    });
  const sources = new Set(m.project.layers.heat_sources.map((s) => key(s.geometry.coordinates)));
  const dangling: string[] = [];
  for (const p of m.project.layers.pipes) {
    const c = p.geometry.coordinates;
    for (const end of [c[0], c[c.length - 1]]) {
      const k = key(end);
      const degree = m.pieces.filter((x) => x.a === k || x.b === k).length;
      if (degree !== 1 || m.valvesAt.has(k) || m.stationAt.has(k) || sources.has(k)) continue;
      if (p.properties.level !== 'primary' && inside(end[0], end[1])) continue;
      dangling.push(String(p.id));
    }
  }
  const seen = new Set<string>();
  const islands: string[][] = [];
  const live = m.pieces.filter((p) => p.inService);
  const active = new Set(m.sourceNodes);
  for (const p of live) {
    if (seen.has(p.a)) continue;
    const stack = [p.a];
    seen.add(p.a);
    const pipes = new Set<string>();
    let sourced = false;
    while (stack.length) {
      const n = stack.pop()!;
      if (active.has(n)) sourced = true;
      for (const q of live) {
        if (q.a !== n && q.b !== n) continue;
        pipes.add(q.pipe);
        const w = q.a === n ? q.b : q.a;
        if (!seen.has(w)) {
          seen.add(w);
          stack.push(w);
        }
      }
    }
    if (!sourced) islands.push([...pipes].sort());
  }
  return { dangling: dangling.sort(), islands: islands.sort() };
}
