/**
 * Network analysis benchmark: graph build, burst isolation (p50 / p95), full
 * N-1 criticality, loop options, bridges and connected components (then the
 * capacity check on the same graph, its time and memory printed apart) on
 * generated 10k / 100k / 1M-pipe networks, each size in its own child
 * process so that its peak memory (max RSS) is its own; networkx (Debian
 * python3-networkx) computes bridges and connected components on the same
 * primary graph in the same run, and the ratios are printed.
 *
 * Sizes: BENCH_NETWORK_SIZES=10000,100000,1000000 (default); networkx is
 * skipped above BENCH_NETWORKX_MAX pipes (default 5,000,000).
 *
 * "graph" is buildGraph over the generated features in memory. The app's
 * analysis worker instead reads the layers from the project's GeoPackage
 * (electron/backend/analysis/readNetwork.ts) and builds from what it read:
 * for sizes up to BENCH_NETWORK_FILE_MAX pipes (default 100,000; writing a
 * 1M-pipe file takes minutes) the network is also written to a temporary
 * GeoPackage and a fresh process times that read and that build apart.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lineLengthM } from '../../core/geo/length';
import { emptyLayers, type ProjectData } from '../../core/model/project';
import { DEFAULT_SETTINGS } from '../../core/model/settings';
import type { Feature, LineStringGeom, PointGeom, PolygonGeom } from '../../core/model/types';
import { LEVEL_PRIMARY, buildGraph, otherEnd, type NetworkGraph } from '../../core/network/graph';
import { buildSegments } from '../../core/network/segments';
import { isolatePipe } from '../../core/network/isolate';
import { bridgeEdges, criticality } from '../../core/network/criticality';
import { loopOptions } from '../../core/network/loops';
import { capacityAnswer, capacityCheck, capacityVerdicts } from '../../core/network/capacity';
import { lonLatAt, rng } from '../../core/network/fixtures';
import { ProjectStore } from '../../electron/backend/store/index';
import { openReader, readNetworkInput } from '../../electron/backend/analysis/readNetwork';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Two primary networks side by side (left and right halves of a grid), each
 * a comb: a spine column fed by a source, rows hanging off it, plus random
 * cross links making loops. Valves on 30 % of nodes and inside 5 % of pipes
 * (2 % closed, 10 % inoperable); a station with a secondary pipe and a
 * community on 8 % of nodes.
 */
export function benchNetwork(targetPipes: number, seed = 1): ProjectData {
  const r = rng(seed);
  const side = Math.max(4, Math.round(Math.sqrt(targetPipes / 1.27)));
  const half = Math.floor(side / 2);
  const spacing = 100;
  const layers = emptyLayers();
  const pt = (x: number, y: number) => lonLatAt(x, y);
  const pointFeature = (id: string, c: number[], props: Record<string, unknown>): Feature<PointGeom> => ({
    type: 'Feature',
    id,
    geometry: { type: 'Point', coordinates: c },
    properties: { id, ...props },
  });
  let pc = 0;
  const pipe = (a: number[], b: number[], level: string, dn: number) => {
    const id = `P${pc++}`;
    const geometry: LineStringGeom = { type: 'LineString', coordinates: [a, b] };
    // length_m as the store writes it on every pipe (the app's graph reads it, not measures it).
    layers.pipes.push({ type: 'Feature', id, geometry, properties: { id, level, dn, status: 'in_service', length_m: lineLengthM(geometry.coordinates) } });
  };
  const spineOf = (i: number) => (i < half ? 0 : half);
  for (let i = 0; i < side; i++)
    for (let j = 0; j < side; j++) {
      const here = pt(i * spacing, j * spacing);
      // Spine (vertical) at each half's first column; rows (horizontal) within a half.
      if (i === spineOf(i) && j + 1 < side) pipe(here, pt(i * spacing, (j + 1) * spacing), 'primary', 300);
      if (i + 1 < side && spineOf(i + 1) === spineOf(i)) pipe(here, pt((i + 1) * spacing, j * spacing), 'primary', 200);
      // Loops: a vertical link between rows.
      if (i !== spineOf(i) && j + 1 < side && r() < 0.27) pipe(here, pt(i * spacing, (j + 1) * spacing), 'primary', 150);
    }
  let vc = 0;
  const valve = () => ({ state: r() < 0.02 ? 'closed' : 'open', operable: r() < 0.1 ? 'no' : 'yes' });
  let sc = 0;
  for (let i = 0; i < side; i++)
    for (let j = 0; j < side; j++) {
      const at = pt(i * spacing, j * spacing);
      if (r() < 0.3) layers.valves.push(pointFeature(`V${vc++}`, at, valve()));
      else if (r() < 0.07) layers.valves.push(pointFeature(`V${vc++}`, pt(i * spacing + 50, j * spacing), valve()));
      if (r() < 0.08 && !(i === spineOf(i) && j === 0)) {
        const id = `HS${sc++}`;
        layers.stations.push(pointFeature(id, at, { design_capacity_mw: 3 }));
        const c = [i * spacing + 30, j * spacing + 30];
        pipe(at, pt(c[0], c[1]), 'secondary', 100);
        const ring = [
          [c[0] - 10, c[1] - 10],
          [c[0] + 10, c[1] - 10],
          [c[0] + 10, c[1] + 10],
          [c[0] - 10, c[1] + 10],
          [c[0] - 10, c[1] - 10],
        ].map(([x, y]) => pt(x, y));
        const geometry: PolygonGeom = { type: 'Polygon', coordinates: [ring] };
        layers.communities.push({
          type: 'Feature',
          id: `C${id}`,
          geometry,
          properties: { id: `C${id}`, station_id: id, households: 200, heated_area_m2: 20000, energy_saving: r() < 0.5 ? 'yes' : 'no' },
        });
      }
    }
  layers.heat_sources.push(pointFeature('S-left', pt(0, 0), { capacity_mw: 1e6, status: 'in_service' }));
  layers.heat_sources.push(pointFeature('S-right', pt(half * spacing, 0), { capacity_mw: 1e6, status: 'in_service' }));
  return { layers, projects: [], projectFeatures: [], settings: structuredClone(DEFAULT_SETTINGS) };
}

function components(g: NetworkGraph, keep: (e: number) => boolean): number {
  const seen = new Uint8Array(g.nodeCount);
  const stack = new Int32Array(g.nodeCount);
  let count = 0;
  for (let s = 0; s < g.nodeCount; s++) {
    if (seen[s]) continue;
    let has = false;
    for (let k = g.adjStart[s]; k < g.adjStart[s + 1]; k++) if (keep(g.adjEdge[k])) has = true;
    if (!has) continue;
    count++;
    let sp = 0;
    stack[sp++] = s;
    seen[s] = 1;
    while (sp) {
      const n = stack[--sp];
      for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
        const e = g.adjEdge[k];
        if (!keep(e)) continue;
        const w = otherEnd(g, e, n);
        if (!seen[w]) {
          seen[w] = 1;
          stack[sp++] = w;
        }
      }
    }
  }
  return count;
}

const ms = (t0: number) => performance.now() - t0;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

/** Wall-clock and CPU milliseconds of one call (CPU time is what an idle machine would show; this one is shared). */
function timed<T>(f: () => T): { value: T; wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = f();
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  return { value, wall, cpu: (d.user + d.system) / 1000 };
}

/** One size, in this process: prints one JSON line of figures. */
async function child(size: number): Promise<void> {
  const out: Record<string, unknown> = { size };
  const project = timed(() => benchNetwork(size)).value;
  out.pipes = project.layers.pipes.length;
  const graph = timed(() => buildGraph(project));
  const g = graph.value;
  out.graph = [graph.wall, graph.cpu];
  const seg = timed(() => buildSegments(g));
  const m = seg.value;
  out.segments = [seg.wall, seg.cpu];
  out.nodes = g.nodeCount;
  out.edges = g.edgeCount;
  out.valveSegments = m.segCount;

  const r = rng(7);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const runs = size >= 1_000_000 ? 40 : 200;
  const pick = () => String(project.layers.pipes[Math.floor(r() * project.layers.pipes.length)].id);
  isolatePipe(m, pick()); // first call computes the no-burst baseline once per model
  const iso = timed(() => {
    for (let i = 0; i < runs; i++) {
      const id = pick();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      isolatePipe(m, id);
      times.push(ms(t0));
      const dc = process.cpuUsage(c0);
      cpuTimes.push((dc.user + dc.system) / 1000);
    }
  });
  out.isolate = [pct(times, 0.5), pct(times, 0.95), pct(cpuTimes, 0.5), pct(cpuTimes, 0.95), iso.cpu / runs];

  const crit = timed(() => criticality(m));
  out.criticality = [crit.wall, crit.cpu];
  out.loadAtRiskMWkm = crit.value.loadAtRiskMWkm;

  const loops = timed(() => loopOptions(m, {}));
  out.loops = [loops.wall, loops.cpu];
  out.loopOptions = loops.value.options.length;

  const primary = (e: number) => g.edgeInService[e] === 1 && g.edgeLevel[e] === LEVEL_PRIMARY;
  // Best of 5 (the machine is shared; the first run also warms the JIT).
  const best = <T>(f: () => T) => {
    let b = timed(f);
    for (let i = 0; i < 4; i++) {
      const t = timed(f);
      if (t.wall < b.wall) b = t;
    }
    return b;
  };
  const br = best(() => bridgeEdges(g, primary));
  out.bridges = [br.wall, br.cpu];
  let nb = 0;
  for (let e = 0; e < g.edgeCount; e++) nb += br.value[e];
  out.bridgeEdges = nb;
  const cc = best(() => components(g, primary));
  out.components = cc.value;
  out.cc = [cc.wall, cc.cpu];

  // The same primary graph for networkx.
  const dir = mkdtempSync(join(tmpdir(), 'warmnet-bench-'));
  const file = join(dir, 'edges.txt');
  const lines: string[] = [];
  for (let e = 0; e < g.edgeCount; e++) if (primary(e)) lines.push(`${g.edgeFrom[e]} ${g.edgeTo[e]}`);
  writeFileSync(file, lines.join('\n') + '\n');
  out.edgeFile = file;
  out.edgeDir = dir;
  out.maxRssMB = process.resourceUsage().maxRSS / 1024;

  // The capacity check (工程校核: primary and secondary flow simulations, a verdict per pipe) on the same
  // graph, last: the peak above is the other analyses'; this one's is printed apart.
  const cap = timed(() => capacityCheck(project, project.settings, g));
  out.capacity = [cap.wall, cap.cpu];
  out.capacityFlows = `${cap.value.flows.primary} / ${cap.value.flows.secondary}`;
  out.capacityRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify(out) + '\n');
}

/**
 * The capacity check alone in this fresh process, as the analysis worker runs and holds it: the
 * generated project, its graph, the verdicts kept as numbers and the app's answer (the figure above
 * is the command line's whole report, after every other analysis in the same process).
 */
function capacityChild(size: number): void {
  const project = benchNetwork(size);
  const g = buildGraph(project);
  const before = process.resourceUsage().maxRSS / 1024;
  const cap = timed(() => {
    const verdicts = capacityVerdicts(project, project.settings, g);
    return { verdicts, answer: capacityAnswer(verdicts) };
  });
  const answerMB = JSON.stringify(cap.value.answer).length / 1048576;
  const out = { wall: cap.wall, cpu: cap.cpu, before, maxRssMB: process.resourceUsage().maxRSS / 1024, heapMB: process.memoryUsage().heapUsed / 1048576, answerMB, pipes: cap.value.verdicts.ids.length };
  process.stdout.write(JSON.stringify(out) + '\n');
}

/** Writes the generated network of `size` to a GeoPackage at `path` (not timed). */
function writeChild(size: number, path: string): void {
  ProjectStore.createFromData(path, benchNetwork(size)).close();
}

/** The analysis worker's path in this fresh process: read the network layers from `path`, then build the graph. */
function readChild(path: string): void {
  const db = openReader(path);
  const read = timed(() => readNetworkInput(db));
  const graph = timed(() => buildGraph(read.value));
  db.close();
  const out = { read: [read.wall, read.cpu], graph: [graph.wall, graph.cpu], nodes: graph.value.nodeCount, maxRssMB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(out) + '\n');
}

/** This bench file run in a child process with `args` (4 GB of heap allowed). */
function selfChild(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(here, 'network.bench.ts'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=4096` },
  });
}

/** The worker's read + build of `size` from a temporary GeoPackage, or why not. */
function fileFigures(size: number, nodes: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'warmnet-bench-gpkg-'));
  const path = join(dir, 'network.gpkg');
  try {
    const w = selfChild(['--write-gpkg', String(size), path]);
    if (w.status !== 0) return `write failed (${w.status}) ${w.stderr.slice(-500)}`;
    const r = selfChild(['--read-gpkg', path]);
    if (r.status !== 0) return `read failed (${r.status}) ${r.stderr.slice(-500)}`;
    const o = JSON.parse(r.stdout.trim().split('\n').pop()!);
    const same = o.nodes === nodes ? 'same nodes' : `MISMATCH: ${o.nodes} nodes, in memory ${nodes}`;
    return `read ${fmt(o.read[0], 0)} / ${fmt(o.read[1], 0)}, graph ${fmt(o.graph[0], 0)} / ${fmt(o.graph[1], 0)} (${same}), peak RSS ${fmt(o.maxRssMB, 0)} MB`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fmt(x: unknown, d = 1): string {
  return typeof x === 'number' ? x.toFixed(d) : String(x);
}

export default async function bench(): Promise<void> {
  const sizes = (process.env.BENCH_NETWORK_SIZES ?? '10000,100000,1000000').split(',').map(Number).filter((n) => n > 0);
  const nxMax = Number(process.env.BENCH_NETWORKX_MAX ?? 5_000_000);
  const fileMax = Number(process.env.BENCH_NETWORK_FILE_MAX ?? 100_000);
  console.log('Times are wall / CPU ms (CPU = this process only; the machine is shared, so wall-clock includes waiting).');
  console.log('size | pipes | graph | segments | isolate p50 / p95 wall (cpu p50 / p95) | criticality | loops | bridges | components | networkx bridges / cc (s) | ratio bridges / cc (wall) | peak RSS MB');
  for (const size of sizes) {
    const res = selfChild(['--child', String(size)]);
    if (res.status !== 0) {
      console.log(`${size}: failed (${res.status}) ${res.stderr.slice(-2000)}`);
      continue;
    }
    const o = JSON.parse(res.stdout.trim().split('\n').pop()!);
    let nx = 'skipped';
    let ratio = '';
    if (o.pipes <= nxMax) {
      const py = spawnSync('python3', [join(here, 'networkx_ref.py'), o.edgeFile], { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (py.status === 0) {
        const n = JSON.parse(py.stdout.trim().split('\n').pop()!);
        nx = `${fmt(n.bridgesS, 3)} / ${fmt(n.componentsS, 3)}`;
        ratio = `${fmt((n.bridgesS * 1000) / o.bridges[0])}× / ${fmt((n.componentsS * 1000) / o.cc[0])}×`;
        if (n.bridges !== o.bridgeEdges || n.components !== o.components)
          ratio += ` MISMATCH (networkx ${n.bridges} bridges, ${n.components} components; ours ${o.bridgeEdges}, ${o.components})`;
        else ratio += ` (same ${n.bridges} bridges, ${n.components} components)`;
      } else nx = `failed: ${py.stderr.slice(-300)}`;
    }
    rmSync(o.edgeDir, { recursive: true, force: true });
    const pair = (x: number[]) => `${fmt(x[0], 0)} / ${fmt(x[1], 0)}`;
    console.log(
      `${size} | ${o.pipes} | ${pair(o.graph)} | ${pair(o.segments)} | ${fmt(o.isolate[0], 2)} / ${fmt(o.isolate[1], 2)} (${fmt(o.isolate[2], 2)} / ${fmt(o.isolate[3], 2)}) | ` +
        `${pair(o.criticality)} | ${pair(o.loops)} | ${fmt(o.bridges[0], 1)} / ${fmt(o.bridges[1], 1)} | ${fmt(o.cc[0], 1)} / ${fmt(o.cc[1], 1)} | ${nx} | ${ratio} | ${fmt(o.maxRssMB, 0)}`,
    );
    console.log(`    (${o.nodes} nodes, ${o.edges} edges, ${o.valveSegments} valve segments, ${o.loopOptions} loop options, load at risk ${fmt(o.loadAtRiskMWkm, 1)} MW·km)`);
    console.log(`    capacity check on the same graph (flows primary / secondary: ${o.capacityFlows}): ${pair(o.capacity)} ms wall / CPU, process peak after it ${fmt(o.capacityRssMB, 0)} MB`);
    const alone = selfChild(['--capacity-child', String(size)]);
    if (alone.status === 0) {
      const c = JSON.parse(alone.stdout.trim().split('\n').pop()!);
      console.log(`    capacity check alone in a fresh process, as the analysis worker runs it (project + graph + verdicts + the app's answer): ${pair([c.wall, c.cpu])} ms, peak RSS ${fmt(c.before, 0)} MB before it, ${fmt(c.maxRssMB, 0)} MB with it (heap ${fmt(c.heapMB, 0)} MB holding both; answer ${fmt(c.answerMB, 1)} MB of JSON)`);
    } else console.log(`    capacity check alone: failed (${alone.status}) ${alone.stderr.slice(-500)}`);
    if (size <= fileMax) console.log(`    analysis worker's path from a GeoPackage (wall / CPU ms): ${fileFigures(size, o.nodes)}`);
  }
  console.log('Goals: graph ≤ 3 s at 1M; isolation p95 ≤ 10 ms at 100k; criticality at 100k ≤ 5 s; loops at 100k ≤ 2 s; bridges ≥ 10× networkx; 1M within 2 GB.');
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) await child(Number(process.argv[childAt + 1]));
const writeAt = process.argv.indexOf('--write-gpkg');
if (writeAt >= 0) writeChild(Number(process.argv[writeAt + 1]), process.argv[writeAt + 2]);
const capAt = process.argv.indexOf('--capacity-child');
if (capAt >= 0) capacityChild(Number(process.argv[capAt + 1]));
const readAt = process.argv.indexOf('--read-gpkg');
if (readAt >= 0) readChild(process.argv[readAt + 1]);
