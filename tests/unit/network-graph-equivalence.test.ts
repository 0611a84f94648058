/**
 * The graph builder gives the same graph as the builder it replaced (kept in
 * core/network/build/reference.fixture.ts), array for array: on the sample
 * project read back from a GeoPackage, on the network benchmark's generated
 * network and on 40 untidy generated networks (ends near but not on each
 * other, bent pipes, pipes of one vertex or none or with a vertex that is not a
 * number, features near nodes, inside
 * pipes and off the network, repeated ids, numeric ids).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../gis-data/generate/index';
import { ProjectStore } from '../../electron/backend/store/index';
import { emptyLayers, type ProjectData } from '../../core/model/project';
import { DEFAULT_SETTINGS } from '../../core/model/settings';
import type { Feature } from '../../core/model/types';
import { buildGraph } from '../../core/network/graph';
import { buildGraphReference } from '../../core/network/build/reference.fixture';
import { lonLatAt, rng } from '../../core/network/fixtures';
import { benchNetwork } from '../bench/network.bench';
import { openReader, readNetworkInput } from '../../electron/backend/analysis/readNetwork';
import { keepPipeColumns, takePipeColumns } from '../../core/network/build/snap';

/** Whether columns are kept for `pipes` (looked at and put back). */
function takePipeColumnsPeek(pipes: readonly Feature[]): boolean {
  const cols = takePipeColumns(pipes);
  if (cols) keepPipeColumns(pipes, cols);
  return cols !== undefined;
}

const ARRAYS = [
  'nodeLon', 'nodeLat', 'nodeX', 'nodeY', 'nodeFlags', 'nodeValve', 'edgeFrom', 'edgeTo', 'edgePipe', 'edgeLengthM', 'edgeLevel',
  'edgeInService', 'adjStart', 'adjEdge', 'pipeEdgeStart', 'pipeEdge', 'pipeStartNode', 'pipeEndNode', 'valveNode', 'stationNode',
  'sourceNode', 'valveAttachM', 'stationAttachM', 'sourceAttachM',
] as const;

function expectSameGraph(p: ProjectData): void {
  const a = buildGraph(p);
  const b = buildGraphReference(p);
  expect([a.nodeCount, a.endNodeCount, a.edgeCount]).toEqual([b.nodeCount, b.endNodeCount, b.edgeCount]);
  expect(a.proj).toEqual(b.proj);
  for (const k of ARRAYS) {
    const x = a[k] as ArrayLike<number>;
    const y = b[k] as ArrayLike<number>;
    expect(x.length, k).toBe(y.length);
    let firstDiff = -1;
    for (let i = 0; i < x.length && firstDiff < 0; i++) if (!Object.is(x[i], y[i])) firstDiff = i;
    expect(firstDiff, `${k} differs at ${firstDiff}: ${x[firstDiff]} vs ${y[firstDiff]}`).toBe(-1);
  }
  for (const [index, ref, layer] of [
    [a.pipeIndex, b.pipeIndex, p.layers.pipes],
    [a.stationIndex, b.stationIndex, p.layers.stations],
  ] as const) {
    expect(index.size).toBe(ref.size);
    for (const f of layer) expect(index.get(String(f.id))).toBe(ref.get(String(f.id)));
    expect(index.get('no such id')).toBeUndefined();
    expect([...index.keys()]).toEqual([...ref.keys()]);
  }
}

/** A grid network made untidy on purpose. */
function untidy(seed: number): ProjectData {
  const r = rng(seed);
  const side = 4 + Math.floor(r() * 14);
  const layers = emptyLayers();
  const jitter = () => (r() < 0.3 ? (r() - 0.5) * 1.6 : 0); // around the 0.5 m snap tolerance
  const at = (i: number, j: number) => lonLatAt(i * 50 + jitter(), j * 50 + jitter());
  let pc = 0;
  const id = (prefix: string, n: number) => (r() < 0.05 ? n : r() < 0.03 ? `${prefix}0` : `${prefix}${n}`);
  const pipe = (coords: number[][]) => {
    const n = pc++;
    const props: Record<string, unknown> = { level: ['primary', 'secondary', 'courtyard', undefined][Math.floor(r() * 4)] };
    if (r() < 0.5) props.length_m = 10 + r() * 100;
    if (r() < 0.1) props.status = r() < 0.5 ? 'planned' : 'in_service';
    const geometry = r() < 0.02 ? (null as never) : { type: 'LineString' as const, coordinates: coords };
    layers.pipes.push({ type: 'Feature', id: id('P', n), geometry, properties: props } as (typeof layers.pipes)[number]);
  };
  for (let i = 0; i < side; i++)
    for (let j = 0; j < side; j++) {
      if (i + 1 < side && r() < 0.8) {
        const mid = r() < 0.3 ? [lonLatAt(i * 50 + 25, j * 50 + (r() - 0.5) * 10)] : [];
        pipe([at(i, j), ...mid, at(i + 1, j)]);
      }
      if (j + 1 < side && r() < 0.8) pipe([at(i, j), at(i, j + 1)]);
      if (r() < 0.02) pipe([at(i, j)]);
      if (r() < 0.02) pipe([]);
      if (r() < 0.01) pipe([at(i, j), [Number.NaN, Number.NaN], at(i, j + 1)]);
    }
  const point = (layer: Feature[], prefix: string, n: number, c: number[], props: Record<string, unknown>) =>
    layer.push({ type: 'Feature', id: id(prefix, n), geometry: { type: 'Point', coordinates: c }, properties: props } as Feature);
  const somewhere = () => {
    const i = Math.floor(r() * side), j = Math.floor(r() * side);
    const k = r();
    // on a node, beside it, inside a pipe (near or on its line), or off the network
    if (k < 0.4) return lonLatAt(i * 50 + (r() - 0.5) * 3, j * 50 + (r() - 0.5) * 3);
    if (k < 0.8) return lonLatAt(i * 50 + 5 + r() * 40, j * 50 + (r() - 0.5) * 4);
    if (k < 0.9) return lonLatAt(i * 50 + r() * 50, j * 50 + r() * 50);
    return r() < 0.5 ? [Number.NaN, 0] : lonLatAt(-500, -500);
  };
  const features = Math.floor(side * side * 0.6);
  for (let n = 0; n < features; n++)
    point(layers.valves, 'V', n, somewhere(), { state: r() < 0.2 ? 'closed' : 'open', operable: r() < 0.2 ? 'no' : 'yes' });
  for (let n = 0; n < features / 3; n++) point(layers.stations, 'HS', n, somewhere(), {});
  for (let n = 0; n < 3; n++) point(layers.heat_sources, 'S', n, somewhere(), { status: r() < 0.7 ? 'in_service' : 'retired' });
  const settings = structuredClone(DEFAULT_SETTINGS);
  if (seed % 5 === 0) settings.snapToleranceM = 1.2;
  if (seed % 7 === 0) settings.attachToleranceM = 6;
  return { layers, projects: [], projectFeatures: [], settings };
}

const dir = mkdtempSync(join(tmpdir(), 'warmnet-graph-eq-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('graph builder: the same graph as the builder it replaced', () => {
  it('on the sample project read back from its GeoPackage', () => {
    const path = join(dir, 'mingantu.gpkg');
    const store = ProjectStore.createFromData(path, generateSample());
    try {
      expectSameGraph(store.snapshot());
    } finally {
      store.close();
    }
  });

  it('on the network benchmark’s generated network', () => {
    expectSameGraph(benchNetwork(20000));
  });

  // The analysis worker's read fills the pipes' columns row by row; the build then starts from them.
  it.each([
    ['the sample project', () => generateSample()],
    ['the network benchmark’s generated network', () => benchNetwork(5000)],
  ] as const)('on %s as the analysis worker reads it from its GeoPackage', (name, make) => {
    const path = join(dir, `worker-${name.length}.gpkg`);
    ProjectStore.createFromData(path, make()).close();
    const db = openReader(path);
    try {
      const input = readNetworkInput(db);
      expect(takePipeColumnsPeek(input.layers.pipes)).toBe(true);
      expectSameGraph(input as ProjectData);
      // taken by the build: a second build walks the features, with the same result
      expect(takePipeColumnsPeek(input.layers.pipes)).toBe(false);
      expectSameGraph(input as ProjectData);
    } finally {
      db.close();
    }
  });

  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('on untidy generated network %i', (seed) => {
    expectSameGraph(untidy(seed));
  });
});
