/**
 * EPANET 2.2 input file of the supply side of a solved scenario, so that an
 * engineer can cross-check it in EPANET (DOMAIN.md §3 item 11):
 * - FLOWS CMH, HEADLOSS D-W, VISCOSITY as absolute m²/s (EPANET reads a value
 *   ≤ 1e-3 so), roughness in mm, diameters in mm (inner), lengths in m with
 *   the minor losses folded in (length × (1 + minor-loss fraction), minor-loss
 *   coefficients 0);
 * - link ids are pipe ids; a pipe divided at nodes inside it (valve wells,
 *   stations, sources) gives `<id>:1`, `<id>:2` … along it, Node1 at the end
 *   nearer the pipe's first vertex;
 * - a closed valve well is a closed TCV between the pipe ends that meet at it
 *   (its id, then `<id>:2` … when more than two pipes meet there);
 * - sources holding a head (the pressure-holding one, set-head ones) are
 *   reservoirs at their solved supply head; set-flow sources are negative
 *   demands; stations are demands of their solved flow;
 * - ids longer than 31 characters or with spaces, ';' or '"' get a short
 *   deterministic id (a prefix, '~', a hash), listed in the file's comments.
 * EPANET then solves the same supply network with the same boundary
 * conditions, so with `--friction swamee-jain` (EPANET's friction law and
 * g = 32.2 ft/s²) its flows and heads are ours.
 */
import type { HydraulicNetwork } from './network';
import { solvedSupply, type HydraulicResult } from './simulate';
import { pushAll } from '../arrays';

const MAX_ID = 31;

function fnv36(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}

/** Deterministic EPANET ids (≤ 31 characters, no space, ';' or '"') unique within one namespace. */
export class IdScheme {
  private used = new Set<string>();
  readonly renamed: [string, string][] = [];
  id(raw: string): string {
    let id = raw.replace(/[\s;"]/g, '_');
    if (id === '' || id.length > MAX_ID || this.used.has(id)) {
      const base = `${id.slice(0, MAX_ID - 10)}~${fnv36(raw)}`;
      id = base;
      for (let k = 2; this.used.has(id); k++) id = `${base.slice(0, MAX_ID - String(k).length - 1)}.${k}`;
    }
    if (id !== raw) this.renamed.push([raw, id]);
    this.used.add(id);
    return id;
  }
}

/** A number at full precision, as short as JavaScript writes it. */
const fmt = (x: number) => String(x === 0 ? 0 : x);

export function writeInp(net: HydraulicNetwork, result: HydraulicResult): string {
  const supply = solvedSupply(result);
  if (!supply) throw new Error('writeInp: the result does not come from simulateScenario');
  const g = net.graph;
  const s = g.input.settings;
  const L = g.input.layers;
  const nodes = new IdScheme();
  const links = new IdScheme();
  const portId = new Map<number, string>();
  const P = net.portCount;
  // Ports that the supply circuit uses.
  const used = new Uint8Array(P);
  const supplyEdges: number[] = [];
  for (const e of net.edges) {
    const a = net.edgePortFrom[e], b = net.edgePortTo[e];
    if (net.edgeCircuit[e] === 2 || !supply.activePort[a]) continue;
    supplyEdges.push(e);
    used[a] = 1;
    used[b] = 1;
  }
  for (let p = 0; p < P; p++) if (supply.activePort[p] && (supply.fixedPort[p] || supply.portDemand[p] !== 0)) used[p] = 1;
  // Reservoirs take the id of their source.
  const sourceAt = new Map<number, string>();
  L.heat_sources.forEach((h, i) => {
    const p = net.sourceSupplyPort[i];
    if (p >= 0 && supply.fixedPort[p] && !sourceAt.has(p)) sourceAt.set(p, String(h.id));
  });
  const stationAt = new Map<number, string[]>();
  L.stations.forEach((st, i) => {
    const p = net.stationSupplyPort[i];
    if (p >= 0 && used[p]) stationAt.set(p, [...(stationAt.get(p) ?? []), String(st.id)]);
  });
  for (const [p, id] of [...sourceAt].sort((a, b) => a[0] - b[0])) portId.set(p, nodes.id(id));
  for (let p = 0; p < P; p++) {
    if (!used[p] || portId.has(p)) continue;
    const n = net.portNode[p];
    portId.set(p, nodes.id(p < g.nodeCount ? `J${n}` : `J${n}.${p - g.nodeCount + 2}`));
  }

  const out: string[] = [];
  out.push('[TITLE]');
  out.push(`WarmNet supply side, scenario ${result.scenario.name}, friction ${result.scenario.friction}, outdoor ${fmt(result.scenario.outdoorC)} C`);
  const junctions: string[] = [];
  const reservoirs: string[] = [];
  const coords: string[] = [];
  for (let p = 0; p < P; p++) {
    if (!used[p]) continue;
    const id = portId.get(p)!;
    const n = net.portNode[p];
    const z = net.nodeGroundM[n];
    const note = stationAt.get(p) ? ` ;station ${stationAt.get(p)!.join(',')}` : '';
    if (supply.fixedPort[p]) reservoirs.push(`${id}\t${fmt(supply.portHead[p])}\t;source ${sourceAt.get(p)}`);
    else junctions.push(`${id}\t${fmt(z)}\t${fmt(supply.portDemand[p] * 3600)}${note}`);
    coords.push(`${id}\t${g.nodeX[n].toFixed(3)}\t${g.nodeY[n].toFixed(3)}`);
  }
  const pipes: string[] = [];
  const rough = s.roughnessMm;
  const byPipe = new Map<number, number[]>();
  for (const e of supplyEdges) {
    const i = g.edgePipe[e];
    const list = byPipe.get(i);
    if (list) list.push(e);
    else byPipe.set(i, [e]);
  }
  for (const [i, list] of [...byPipe].sort((a, b) => a[0] - b[0])) {
    const total = g.pipeEdgeStart[i + 1] - g.pipeEdgeStart[i];
    for (const e of list) {
      const part = e - g.pipeEdgeStart[i] + 1; // pipe edges are numbered in order along the pipe
      const raw = total > 1 ? `${L.pipes[i].id}:${part}` : String(L.pipes[i].id);
      const id = links.id(raw);
      const len = g.edgeLengthM[e] * (1 + s.minorLossFraction);
      const d = net.edgeDiameterM[e] * 1000;
      pipes.push(`${id}\t${portId.get(net.edgePortFrom[e])}\t${portId.get(net.edgePortTo[e])}\t${fmt(len)}\t${fmt(d)}\t${fmt(rough)}\t0\tOpen`);
    }
  }
  // Closed valve wells: closed links between the ports of their node.
  const valves: string[] = [];
  const status: string[] = [];
  const portsOfNode = new Map<number, number[]>();
  for (let p = 0; p < P; p++) {
    if (!used[p]) continue;
    const n = net.portNode[p];
    const list = portsOfNode.get(n);
    if (list) list.push(p);
    else portsOfNode.set(n, [p]);
  }
  L.valves.forEach((v, i) => {
    const n = g.valveNode[i];
    if (n < 0 || v.properties.state !== 'closed' || g.nodeValve[n] !== i) return;
    const ports = (portsOfNode.get(n) ?? []).sort((a, b) => a - b);
    for (let j = 1; j < ports.length; j++) {
      const id = links.id(j === 1 ? String(v.id) : `${v.id}:${j}`);
      const dn = Number(v.properties.dn);
      const inner = Number.isFinite(dn) && dn > 0 ? (s.innerDiameterMm[String(dn)] ?? dn) : 100;
      valves.push(`${id}\t${portId.get(ports[0])}\t${portId.get(ports[j])}\t${fmt(inner)}\tTCV\t0\t0`);
      status.push(`${id}\tClosed`);
    }
  });
  if (links.renamed.length || nodes.renamed.length) {
    out.push(';ids shortened or made unique for EPANET (original -> id):');
    for (const [a, b] of [...links.renamed, ...nodes.renamed]) out.push(`;  ${a.replace(/[\r\n]/g, ' ')} -> ${b}`);
  }
  out.push('', '[JUNCTIONS]', ';ID\tElev(m)\tDemand(m3/h)');
  pushAll(out, junctions);
  out.push('', '[RESERVOIRS]', ';ID\tHead(m)');
  pushAll(out, reservoirs);
  out.push('', '[PIPES]', ';ID\tNode1\tNode2\tLength(m)\tDiameter(mm)\tRoughness(mm)\tMinorLoss\tStatus');
  pushAll(out, pipes);
  out.push('', '[VALVES]', ';ID\tNode1\tNode2\tDiameter(mm)\tType\tSetting\tMinorLoss');
  pushAll(out, valves);
  out.push('', '[STATUS]');
  pushAll(out, status);
  out.push(
    '',
    '[OPTIONS]',
    'UNITS\tCMH',
    'HEADLOSS\tD-W',
    `VISCOSITY\t${fmt(s.waterViscosityM2s)}`,
    'SPECIFIC GRAVITY\t1',
    'TRIALS\t200',
    'ACCURACY\t0.0000001',
    'UNBALANCED\tSTOP',
    'DEMAND MULTIPLIER\t1',
  );
  out.push('', '[TIMES]', 'DURATION\t0');
  out.push('', '[COORDINATES]', ';Node\tX(m)\tY(m)');
  pushAll(out, coords);
  out.push('', '[END]', '');
  return out.join('\n');
}
