/**
 * Network check, topology QA (DOMAIN.md §3 item 1). Every finding names its
 * features, a point to fly to, and a reason in Chinese and English.
 *
 * Rules:
 * - dangling: a node with one pipe and no valve, station or source on it,
 *   and not lying on another pipe (that is reported as a crossing instead);
 *   a secondary or courtyard pipe ending inside a community polygon is a
 *   building connection, not a loose end (a primary pipe must end at a
 *   station, source or valve).
 * - crossing: two pipes whose lines cross or touch away from a shared node,
 *   including a pipe ending on another pipe's interior without a node.
 * - duplicate: two pipes between the same nodes with the same vertices (within
 *   the snap tolerance, either direction); two valves / stations / sources at
 *   the same place.
 * - zero_length: a pipe shorter than 1 cm, one whose two ends snap to one node
 *   while it is no longer than twice the snap tolerance, or a broken geometry.
 * - off_network: a valve, station or source farther than the attach tolerance
 *   from every node and pipe.
 * - levels_joined: a node where a primary pipe meets a secondary or courtyard
 *   pipe without a station on it.
 * - island: a connected group of in-service pipes with no active source on it
 *   (closed valves do not split groups: they are still physically joined).
 */
import { segmentT } from '../geo/clamp';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import Flatbush from 'flatbush';
import type { Feature, LineStringGeom, PolygonGeom } from '../model/types';
import {
  LEVEL_PRIMARY,
  NODE_SOURCE,
  NODE_STATION,
  NODE_VALVE,
  checkAborted,
  otherEnd,
  sourceActive,
  type AnalysisOptions,
  type NetworkGraph,
} from './graph';
import { PIPE_STATUS_LABELS } from '../model/schema';
import { lineLengthM } from '../geo/length';

export type FindingKind =
  | 'dangling'
  | 'crossing'
  | 'duplicate'
  | 'zero_length'
  | 'off_network'
  | 'levels_joined'
  | 'island';

export interface Finding {
  kind: FindingKind;
  featureIds: string[];
  lon: number;
  lat: number;
  reason: { zh: string; en: string };
}

export interface CheckResult {
  findings: Finding[];
  counts: Record<FindingKind, number>;
}

const KINDS: FindingKind[] = ['dangling', 'crossing', 'duplicate', 'zero_length', 'off_network', 'levels_joined', 'island'];

export function checkNetwork(g: NetworkGraph, opts?: AnalysisOptions): CheckResult {
  const findings: Finding[] = [];
  const L = g.input.layers;
  const pipes = L.pipes;
  const snapTol = g.input.settings.snapToleranceM;
  const pid = (p: number) => String(pipes[p].id);
  const toXY = (c: number[]) => [(c[0] - g.proj.lon0) * g.proj.kx, (c[1] - g.proj.lat0) * g.proj.ky];
  const coordsOf = (p: number): number[][] => (pipes[p].geometry as LineStringGeom)?.coordinates ?? [];

  // Segment index over every pipe's straight pieces, in local metres.
  let segCount = 0;
  for (let p = 0; p < pipes.length; p++) segCount += Math.max(0, coordsOf(p).length - 1);
  const segPipe = new Int32Array(segCount);
  const segIdx = new Int32Array(segCount);
  const sx = new Float64Array(segCount * 4);
  const index = new Flatbush(Math.max(1, segCount));
  {
    let s = 0;
    for (let p = 0; p < pipes.length; p++) {
      const c = coordsOf(p);
      for (let i = 1; i < c.length; i++) {
        const [ax, ay] = toXY(c[i - 1]);
        const [bx, by] = toXY(c[i]);
        sx.set([ax, ay, bx, by], s * 4);
        segPipe[s] = p;
        segIdx[s] = i - 1;
        index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
        s++;
      }
    }
    if (segCount === 0) index.add(0, 0, 0, 0);
    index.finish();
  }
  opts?.onProgress?.(0.1);

  const pipeEnds = (p: number) => [g.pipeStartNode[p], g.pipeEndNode[p]];
  const lonLatOfXY = (x: number, y: number) => [g.proj.lon0 + x / g.proj.kx, g.proj.lat0 + y / g.proj.ky];

  // A node lying on another pipe's interior (within snap tolerance) without being one of its nodes.
  const onPipeInterior = (n: number): number => {
    const x = g.nodeX[n];
    const y = g.nodeY[n];
    for (const s of index.search(x - snapTol, y - snapTol, x + snapTol, y + snapTol)) {
      if (s >= segCount) continue;
      const p = segPipe[s];
      if (pipeEnds(p).includes(n)) continue;
      const [ax, ay, bx, by] = sx.subarray(s * 4, s * 4 + 4);
      const dx = bx - ax, dy = by - ay;
      const t = segmentT(x, y, ax, ay, dx, dy);
      if (Math.hypot(ax + t * dx - x, ay + t * dy - y) <= snapTol) return p;
    }
    return -1;
  };

  // Communities for the building-connection rule.
  const comms = L.communities as Feature<PolygonGeom>[];
  const commIndex = new Flatbush(Math.max(1, comms.length));
  for (const c of comms) {
    const ring = c.geometry?.coordinates?.[0] ?? [];
    let a = Infinity, b = Infinity, cc = -Infinity, d = -Infinity;
    for (const q of ring) {
      a = Math.min(a, q[0]);
      b = Math.min(b, q[1]);
      cc = Math.max(cc, q[0]);
      d = Math.max(d, q[1]);
    }
    if (!Number.isFinite(a)) a = b = cc = d = 0;
    commIndex.add(a, b, cc, d);
  }
  if (!comms.length) commIndex.add(0, 0, 0, 0);
  commIndex.finish();
  const inCommunity = (lon: number, lat: number) =>
    commIndex.search(lon, lat, lon, lat).some((i) => i < comms.length && comms[i].geometry && booleanPointInPolygon([lon, lat], comms[i].geometry));

  const pipesAt = (n: number): number[] => {
    const out: number[] = [];
    for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
      const p = g.edgePipe[g.adjEdge[k]];
      if (!out.includes(p)) out.push(p);
    }
    return out;
  };

  // Nodes: dangling ends, ends on a pipe interior, levels joined without a station.
  for (let n = 0; n < g.nodeCount; n++) {
    if ((n & 4095) === 0) checkAborted(opts);
    const deg = g.adjStart[n + 1] - g.adjStart[n];
    const lon = g.nodeLon[n];
    const lat = g.nodeLat[n];
    if (deg === 1 && !(g.nodeFlags[n] & (NODE_VALVE | NODE_STATION | NODE_SOURCE))) {
      const p = g.edgePipe[g.adjEdge[g.adjStart[n]]];
      const host = onPipeInterior(n);
      if (host >= 0) {
        findings.push({
          kind: 'crossing',
          featureIds: [pid(p), pid(host)],
          lon,
          lat,
          reason: {
            zh: `管线 ${pid(p)} 的端点落在管线 ${pid(host)} 中间，但没有节点连接`,
            en: `pipe ${pid(p)} ends on pipe ${pid(host)} without a node joining them`,
          },
        });
      } else if (g.edgeLevel[g.adjEdge[g.adjStart[n]]] === LEVEL_PRIMARY || !inCommunity(lon, lat)) {
        findings.push({
          kind: 'dangling',
          featureIds: [pid(p)],
          lon,
          lat,
          reason: {
            zh: `管线 ${pid(p)} 的端点悬空：没有连接其他管线、阀门、换热站或热源，也不在小区内`,
            en: `pipe ${pid(p)} has a loose end: no other pipe, valve, station or source there, and not inside a community`,
          },
        });
      }
    }
    if (!(g.nodeFlags[n] & NODE_STATION) && deg > 1) {
      let primary = -1;
      let other = -1;
      for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
        const e = g.adjEdge[k];
        if (g.edgeLevel[e] === LEVEL_PRIMARY) primary = e;
        else other = e;
      }
      if (primary >= 0 && other >= 0) {
        const ids = pipesAt(n).map(pid);
        findings.push({
          kind: 'levels_joined',
          featureIds: ids,
          lon,
          lat,
          reason: {
            zh: `一级管网与二级/庭院管网在此直接相连，没有换热站 (${ids.join(', ')})`,
            en: `primary pipe meets a secondary/courtyard pipe here without a station (${ids.join(', ')})`,
          },
        });
      }
    }
  }
  opts?.onProgress?.(0.3);

  // Crossings away from shared nodes.
  const seen = new Set<string>();
  for (let s = 0; s < segCount; s++) {
    if ((s & 4095) === 0) checkAborted(opts);
    const [ax, ay, bx, by] = sx.subarray(s * 4, s * 4 + 4);
    const p = segPipe[s];
    for (const t of index.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by))) {
      if (t <= s || t >= segCount) continue;
      const q = segPipe[t];
      if (q === p) continue;
      const [cx, cy, dx, dy] = sx.subarray(t * 4, t * 4 + 4);
      const rX = bx - ax, rY = by - ay, sX = dx - cx, sY = dy - cy;
      const den = rX * sY - rY * sX;
      if (den === 0) continue; // parallel: overlaps are duplicates' business
      const u = ((cx - ax) * sY - (cy - ay) * sX) / den;
      const v = ((cx - ax) * rY - (cy - ay) * rX) / den;
      if (u < 0 || u > 1 || v < 0 || v > 1) continue;
      const x = ax + u * rX;
      const y = ay + u * rY;
      // Joined at a shared node: the crossing point is that node.
      const shared = pipeEnds(p).filter((n) => n >= 0 && pipeEnds(q).includes(n));
      if (shared.some((n) => Math.hypot(g.nodeX[n] - x, g.nodeY[n] - y) <= snapTol)) continue;
      // A pipe end on the other pipe: reported from the node pass (or a valid
      // end-to-end join within the snap tolerance).
      const nearEnd = [...pipeEnds(p), ...pipeEnds(q)].some(
        (n) => n >= 0 && Math.hypot(g.nodeX[n] - x, g.nodeY[n] - y) <= snapTol,
      );
      if (nearEnd) continue;
      const key = `${Math.min(p, q)}:${Math.max(p, q)}:${Math.round(x)}:${Math.round(y)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const [lon, lat] = lonLatOfXY(x, y);
      findings.push({
        kind: 'crossing',
        featureIds: [pid(p), pid(q)],
        lon,
        lat,
        reason: {
          zh: `管线 ${pid(p)} 与 ${pid(q)} 交叉但没有节点`,
          en: `pipes ${pid(p)} and ${pid(q)} cross without a node`,
        },
      });
    }
  }
  opts?.onProgress?.(0.6);

  // Zero-length and duplicate pipes.
  const byEnds = new Map<string, number[]>();
  for (let p = 0; p < pipes.length; p++) {
    const c = coordsOf(p);
    const [a, b] = pipeEnds(p);
    const len = c.length >= 2 ? lineLengthM(c) : 0;
    if (c.length < 2 || len < 0.01 || (a === b && len <= 2 * snapTol)) {
      const at = c[0] ?? [g.proj.lon0, g.proj.lat0];
      findings.push({
        kind: 'zero_length',
        featureIds: [pid(p)],
        lon: at[0],
        lat: at[1],
        reason: {
          zh: `管线 ${pid(p)} 长度为零或几何无效 (${len.toFixed(3)} m)`,
          en: `pipe ${pid(p)} has zero length or a broken geometry (${len.toFixed(3)} m)`,
        },
      });
      continue;
    }
    const k = `${Math.min(a, b)}:${Math.max(a, b)}`;
    const list = byEnds.get(k);
    if (list) list.push(p);
    else byEnds.set(k, [p]);
  }
  const sameLine = (p: number, q: number) => {
    const a = coordsOf(p).map(toXY);
    const b = coordsOf(q).map(toXY);
    if (a.length !== b.length) return false;
    const close = (u: number[], v: number[]) => Math.hypot(u[0] - v[0], u[1] - v[1]) <= snapTol;
    return a.every((u, i) => close(u, b[i])) || a.every((u, i) => close(u, b[b.length - 1 - i]));
  };
  for (const list of byEnds.values()) {
    if (list.length < 2) continue;
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        if (!sameLine(list[i], list[j])) continue;
        const c = coordsOf(list[i]);
        const mid = c[Math.floor(c.length / 2)];
        findings.push({
          kind: 'duplicate',
          featureIds: [pid(list[i]), pid(list[j])],
          lon: mid[0],
          lat: mid[1],
          reason: {
            zh: `管线 ${pid(list[i])} 与 ${pid(list[j])} 重复（同一位置）`,
            en: `pipes ${pid(list[i])} and ${pid(list[j])} are duplicates (same place)`,
          },
        });
      }
  }

  // Point features: duplicates and off-network.
  const pointLayers: [string, string, Feature[], Int32Array][] = [
    ['阀门', 'valve', L.valves, g.valveNode],
    ['换热站', 'station', L.stations, g.stationNode],
    ['热源', 'heat source', L.heat_sources, g.sourceNode],
  ];
  for (const [zh, en, features, nodeOf] of pointLayers) {
    const cells = new Map<string, number[]>();
    features.forEach((f, i) => {
      const c = (f.geometry as { coordinates?: number[] })?.coordinates;
      if (!c) return;
      const id = String(f.id);
      if (nodeOf[i] < 0) {
        findings.push({
          kind: 'off_network',
          featureIds: [id],
          lon: c[0],
          lat: c[1],
          reason: {
            zh: `${zh} ${id} 不在管网上（距最近的节点和管线超过 ${g.input.settings.attachToleranceM} m）`,
            en: `${en} ${id} is off the network (more than ${g.input.settings.attachToleranceM} m from any node or pipe)`,
          },
        });
      }
      const [x, y] = toXY(c);
      const key = `${Math.round(x / snapTol)}:${Math.round(y / snapTol)}`;
      const prev = cells.get(key);
      if (prev) {
        for (const j of prev) {
          const cj = (features[j].geometry as { coordinates: number[] }).coordinates;
          const [xj, yj] = toXY(cj);
          if (Math.hypot(x - xj, y - yj) <= snapTol) {
            findings.push({
              kind: 'duplicate',
              featureIds: [String(features[j].id), id],
              lon: c[0],
              lat: c[1],
              reason: {
                zh: `${zh} ${features[j].id} 与 ${id} 位置重复`,
                en: `${en}s ${features[j].id} and ${id} are at the same place`,
              },
            });
          }
        }
        prev.push(i);
      } else cells.set(key, [i]);
    });
  }
  opts?.onProgress?.(0.8);

  // Islands: in-service pipe groups without an active source.
  const hasSource = new Uint8Array(g.nodeCount);
  L.heat_sources.forEach((s, i) => {
    if (g.sourceNode[i] >= 0 && sourceActive(s)) hasSource[g.sourceNode[i]] = 1;
  });
  const seenNode = new Uint8Array(g.nodeCount);
  const stack = new Int32Array(g.nodeCount);
  for (let s = 0; s < g.nodeCount; s++) {
    if (seenNode[s]) continue;
    let any = false;
    for (let k = g.adjStart[s]; k < g.adjStart[s + 1]; k++) if (g.edgeInService[g.adjEdge[k]]) any = true;
    if (!any) continue;
    let sp = 0;
    stack[sp++] = s;
    seenNode[s] = 1;
    let sourced = false;
    const islandPipes = new Set<number>();
    while (sp > 0) {
      const n = stack[--sp];
      if (hasSource[n]) sourced = true;
      for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
        const e = g.adjEdge[k];
        if (!g.edgeInService[e]) continue;
        islandPipes.add(g.edgePipe[e]);
        const w = otherEnd(g, e, n);
        if (!seenNode[w]) {
          seenNode[w] = 1;
          stack[sp++] = w;
        }
      }
    }
    if (sourced) continue;
    const ids = [...islandPipes].map(pid).sort();
    findings.push({
      kind: 'island',
      featureIds: ids,
      lon: g.nodeLon[s],
      lat: g.nodeLat[s],
      reason: {
        zh: `${ids.length} 条${PIPE_STATUS_LABELS.in_service.zh}管线组成孤立管网，没有热源`,
        en: `${ids.length} in-service pipes form an island with no heat source`,
      },
    });
  }
  opts?.onProgress?.(1);

  const counts = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<FindingKind, number>;
  for (const f of findings) counts[f.kind]++;
  return { findings, counts };
}
