/**
 * Phase 1 of the graph build, snap: the pipes read once into flat columns
 * (their vertices in local metres and lon/lat, and the few properties later
 * phases ask), and a node for every pipe end, ends within the snap tolerance
 * of an earlier node taking that node.
 */
import type { Settings } from '../../model/settings';
import type { Position } from '../../model/geojson';
import type { Feature, LineStringGeom } from '../../model/types';
import { eachLineVertex } from '../../geo/gpkgGeometry';
import { Arena, plainArena } from './arena';
import { levelCode, localProjection, Vertices, type LocalProjection } from './base';
import { NodeSet } from './nodes';

/** Every pipe's vertices, flat: pipe i has vertices [start[i], start[i + 1]). */
export interface PipeVertices {
  proj: LocalProjection;
  start: Int32Array;
  lon: Float64Array;
  lat: Float64Array;
  x: Float64Array;
  y: Float64Array;
}

/**
 * The pipes as the later phases read them: vertices in lon/lat (local metres
 * are computed where needed, (lon - lon0) · kx as pipeVertices has them: a
 * second pair of arrays would cost more in fresh memory than the arithmetic)
 * and the few properties asked.
 */
export interface PipeColumns extends Omit<PipeVertices, 'x' | 'y'> {
  /** levelCode of its level. */
  level: Uint8Array;
  /** Its stored length_m where that is a number ≥ 0, else -1 (measured from the vertices). */
  storedLengthM: Float64Array;
  /** 1 when its status is in service (pipeInService). */
  inService: Uint8Array;
  /** String(id) of each pipe. */
  ids: string[];
}

export interface Snapped {
  nodes: NodeSet;
  /** Node at each pipe's start / end; -1 for a pipe with fewer than two vertices. */
  pipeStartNode: Int32Array;
  pipeEndNode: Int32Array;
  /** Nodes made so far, all pipe ends (later phases add nodes inside pipes). */
  endNodeCount: number;
}

/**
 * An empty array already of the kind that holds strings. An array made as
 * `[]` changes kind at its first string; `add`'s code, compiled for the last
 * read's array, would then be thrown away at the first pipe of every read.
 */
function emptyStringArray(): string[] {
  const a = [''];
  a.pop();
  return a;
}

/**
 * The pipes' columns, filled one feature at a time (readPipes walks a layer;
 * the analysis worker adds each pipe as it reads its row, while the row is
 * still in the processor's cache): vertices (lon/lat and their box), level,
 * stored length, status and id; `finish` then projects the vertices into
 * local metres around the box's centre.
 */
export class PipeReader {
  private n = 0;
  private k = 0;
  private minLon = Infinity;
  private minLat = Infinity;
  private maxLon = -Infinity;
  private maxLat = -Infinity;
  private start: Int32Array;
  private level: Uint8Array;
  private storedLengthM: Float64Array;
  private inService: Uint8Array;
  private ids = emptyStringArray();
  private lon: Float64Array;
  private lat: Float64Array;

  /** `pipes`: how many will be added (the per-pipe arrays grow past it); `vertexGuess`: vertices expected (likewise). */
  constructor(
    pipes: number,
    private arena: Arena = plainArena(),
    vertexGuess = 2 * pipes,
  ) {
    this.start = arena.i32(pipes + 1);
    this.level = arena.u8(pipes);
    this.storedLengthM = arena.f64(pipes);
    this.inService = arena.u8(pipes);
    this.lon = arena.f64(Math.max(16, vertexGuess));
    this.lat = arena.f64(this.lon.length);
  }

  private growPipes(): void {
    const cap = Math.max(16, this.level.length * 2);
    const start = new Int32Array(cap + 1);
    start.set(this.start);
    this.start = start;
    const level = new Uint8Array(cap);
    level.set(this.level);
    this.level = level;
    const stored = new Float64Array(cap);
    stored.set(this.storedLengthM);
    this.storedLengthM = stored;
    const inService = new Uint8Array(cap);
    inService.set(this.inService);
    this.inService = inService;
  }

  private growVertices(need: number): void {
    const cap = Math.max(this.lon.length * 2, need);
    const lon = new Float64Array(cap);
    const lat = new Float64Array(cap);
    lon.set(this.lon);
    lat.set(this.lat);
    this.lon = lon;
    this.lat = lat;
  }

  add(f: Feature): void {
    if (f instanceof ColumnPipe) return this.addColumnPipe(f);
    const i = this.n++;
    if (i >= this.level.length) this.growPipes();
    let k = this.k;
    this.start[i] = k;
    this.attributes(i, String(f.id), f.properties);
    const c = (f.geometry as LineStringGeom | null)?.coordinates;
    if (!c) return;
    if (k + c.length > this.lon.length) this.growVertices(k + c.length);
    const { lon, lat } = this;
    let minLon = this.minLon, minLat = this.minLat, maxLon = this.maxLon, maxLat = this.maxLat;
    for (let j = 0; j < c.length; j++) {
      const q = c[j];
      const a = q[0];
      const b = q[1];
      if (a < minLon) minLon = a;
      if (a > maxLon) maxLon = a;
      if (b < minLat) minLat = b;
      if (b > maxLat) maxLat = b;
      lon[k] = a;
      lat[k] = b;
      k++;
    }
    this.minLon = minLon;
    this.minLat = minLat;
    this.maxLon = maxLon;
    this.maxLat = maxLat;
    this.k = k;
  }

  /**
   * Adds a pipe from its stored row: code, properties and GeoPackage blob, the
   * vertices read straight from the bytes (no coordinate arrays are made).
   * False, and nothing added, when the blob holds something other than a
   * LineString: the caller then decodes it and calls `add`.
   */
  addRow(id: string, p: Record<string, unknown>, blob: Uint8Array): boolean {
    const i = this.n;
    if (i >= this.level.length) this.growPipes();
    this.start[i] = this.k;
    if (!eachLineVertex(blob, this.vertex)) return false;
    this.n++;
    this.attributes(i, id, p);
    return true;
  }

  /** A pipe of an earlier read (a network caught up after an edit): its vertices copied from that read's columns, no line made. */
  private addColumnPipe(f: ColumnPipe): void {
    const i = this.n++;
    if (i >= this.level.length) this.growPipes();
    this.start[i] = this.k;
    this.attributes(i, f.id, f.properties);
    f.eachVertex(this.vertex);
  }

  private readonly vertex = (a: number, b: number): void => {
    const k = this.k;
    if (k >= this.lon.length) this.growVertices(k + 1);
    this.lon[k] = a;
    this.lat[k] = b;
    if (a < this.minLon) this.minLon = a;
    if (a > this.maxLon) this.maxLon = a;
    if (b < this.minLat) this.minLat = b;
    if (b > this.maxLat) this.maxLat = b;
    this.k = k + 1;
  };

  private attributes(i: number, id: string, p: Record<string, unknown> | null | undefined): void {
    this.ids.push(id);
    this.level[i] = levelCode(p?.level);
    const stored = p?.length_m;
    this.storedLengthM[i] = typeof stored === 'number' && stored >= 0 ? stored : -1;
    const s = p?.status;
    this.inService[i] = s === undefined || s === null || s === '' || s === 'in_service' ? 1 : 0;
  }

  finish(): PipeColumns {
    const { n, k } = this;
    this.start[n] = k;
    let { minLon, minLat, maxLon, maxLat } = this;
    if (!Number.isFinite(minLon)) {
      // No vertices at all: the local projection is never asked for a point; any origin will do.
      minLon = maxLon = 0;
      minLat = maxLat = 0;
    }
    const proj = localProjection((minLon + maxLon) / 2, (minLat + maxLat) / 2);
    return {
      proj,
      start: this.start.subarray(0, n + 1),
      lon: this.lon.subarray(0, k),
      lat: this.lat.subarray(0, k),
      level: this.level.subarray(0, n),
      storedLengthM: this.storedLengthM.subarray(0, n),
      inService: this.inService.subarray(0, n),
      ids: this.ids,
    };
  }
}

/** The pipes' columns in one walk over their features (PipeReader). */
export function readPipes(pipes: readonly Feature[], arena: Arena = plainArena(), vertexGuess = 2 * pipes.length): PipeColumns {
  const r = new PipeReader(pipes.length, arena, vertexGuess);
  for (let i = 0; i < pipes.length; i++) r.add(pipes[i]);
  return r.finish();
}

/** Where ColumnPipes read their lines: the vertices of the pipes of one read, set once the read is done. */
export interface PipeLines {
  lines: { start: Int32Array; lon: Float64Array; lat: Float64Array } | null;
}

/** The read's vertices copied to arrays of their exact length, for the features to keep (the reader's arrays have room to spare). */
export function keptLines(cols: PipeColumns): NonNullable<PipeLines['lines']> {
  return { start: cols.start.slice(), lon: cols.lon.slice(), lat: cols.lat.slice() };
}

/**
 * A pipe feature whose line is made from the read's vertex columns when it is
 * asked for, not held: nested coordinate arrays cost about 240 bytes a pipe,
 * a quarter of a gigabyte at a million pipes, for a line the analyses read
 * once or twice. Its code and properties are its own. It reads like any
 * feature (`geometry` is a getter, a new line each time) and writes itself
 * out as a plain one (toJSON); structuredClone and spreading copy only its
 * own fields (type, id, properties), so such features stay inside the
 * analysis worker, which makes them (readNetwork.ts).
 */
export class ColumnPipe implements Feature<LineStringGeom> {
  readonly type = 'Feature' as const;
  readonly #at: PipeLines;
  readonly #i: number;
  constructor(
    public id: string,
    public properties: Record<string, unknown>,
    at: PipeLines,
    i: number,
  ) {
    this.#at = at;
    this.#i = i;
  }

  get geometry(): LineStringGeom {
    const { start, lon, lat } = this.#at.lines!;
    const coordinates: Position[] = [];
    for (let k = start[this.#i]; k < start[this.#i + 1]; k++) coordinates.push([lon[k], lat[k]]);
    return { type: 'LineString', coordinates };
  }

  /** Calls `visit` with each vertex of its line, read from the columns (no line is made). */
  eachVertex(visit: (lon: number, lat: number) => void): void {
    const { start, lon, lat } = this.#at.lines!;
    for (let k = start[this.#i]; k < start[this.#i + 1]; k++) visit(lon[k], lat[k]);
  }

  toJSON(): Feature<LineStringGeom> {
    return { type: 'Feature', id: this.id, geometry: this.geometry, properties: this.properties };
  }
}

/**
 * Columns read together with a layer's features (the analysis worker's read),
 * for buildGraph to take instead of walking the features again. Keyed by the
 * layer's array: a project derived with other pipes (a what-if) has another
 * array and is read afresh. Such an array must not be edited in place.
 */
const readAlready = new WeakMap<readonly Feature[], PipeColumns>();

export function keepPipeColumns(pipes: readonly Feature[], cols: PipeColumns): void {
  if (cols.start.length !== pipes.length + 1) throw new Error('pipe columns do not match the pipes');
  readAlready.set(pipes, cols);
}

/** The columns kept for `pipes` (once: they are let go, as only the build needs them), when they still match its length. */
export function takePipeColumns(pipes: readonly Feature[]): PipeColumns | undefined {
  const cols = readAlready.get(pipes);
  readAlready.delete(pipes);
  return cols && cols.start.length === pipes.length + 1 ? cols : undefined;
}

/** Vertices per pipe the vertex arrays are first sized for (they grow past it). */
export const VERTEX_GUESS = 4;

/** Bytes of the arena a PipeReader of `pipes` pipes takes its arrays from (build/arena.ts). */
export function pipeReaderBytes(pipes: number): number {
  return (4 + 1 + 8 + 1) * pipes + 4 + 2 * 8 * (VERTEX_GUESS * pipes + 16) + 64 * 8;
}

/** A PipeReader for about `pipes` pipes with an arena of its own. */
export function pipeReader(pipes: number): PipeReader {
  return new PipeReader(pipes, new Arena(pipeReaderBytes(pipes)), VERTEX_GUESS * pipes + 16);
}

/** The vertices of `pipes` in the local projection centred on their bounding box. */
export function pipeVertices(pipes: readonly Feature[]): PipeVertices & PipeColumns {
  const cols = readPipes(pipes);
  const { lon, lat } = cols;
  const { lon0, lat0, kx, ky } = cols.proj;
  const x = new Float64Array(lon.length);
  const y = new Float64Array(lon.length);
  for (let j = 0; j < lon.length; j++) {
    x[j] = (lon[j] - lon0) * kx;
    y[j] = (lat[j] - lat0) * ky;
  }
  return { ...cols, x, y };
}

/**
 * Nodes for the pipe ends. The node hash's cell follows the larger tolerance,
 * as attaching asks it too. `expectedNodes` sizes the hash (it grows; pipe
 * ends mostly meet, so a network has about as many nodes as pipes) and
 * `maxNodes` the node arrays (they grow past it).
 */
export function snapPipeEnds(
  v: Pick<PipeColumns, 'proj' | 'start' | 'lon' | 'lat'>,
  settings: Pick<Settings, 'snapToleranceM' | 'attachToleranceM'>,
  expectedNodes = 0,
  arenas: { kept: Arena; scratch: Arena; maxNodes: number } = { kept: plainArena(), scratch: plainArena(), maxNodes: 0 },
): Snapped {
  const pipeCount = v.start.length - 1;
  const snapTol = settings.snapToleranceM;
  const expected = Math.max(expectedNodes, pipeCount + 1);
  // Cells four times the larger tolerance: most look-ups then stay in one cell (the answer is the same for any cell size).
  const nodes = new NodeSet(4 * Math.max(snapTol, settings.attachToleranceM, 1e-3), Math.max(expected, arenas.maxNodes), expected, arenas.kept, arenas.scratch);
  const pipeStartNode = arenas.kept.i32(pipeCount).fill(-1);
  const pipeEndNode = arenas.kept.i32(pipeCount).fill(-1);
  const ends = new EndSnapper(v, nodes, snapTol);
  for (let i = 0; i < pipeCount; i++) {
    if (!ends.pipe(i)) continue;
    pipeStartNode[i] = ends.startNode;
    pipeEndNode[i] = ends.endNode;
  }
  return { nodes, pipeStartNode, pipeEndNode, endNodeCount: nodes.count };
}

/**
 * The nodes of one pipe's ends at a time (a function called per pipe: called
 * once per build, a long loop inside snapPipeEnds would run part of every
 * call unoptimised). It remembers the two ends of the pipe before and the
 * nodes they took: pipes drawn one after another mostly start where the one
 * before started or ended. A point equal to one of them takes its node when
 * that node lies exactly there: no node can be nearer, and any made since has
 * a higher index (so cannot win the tie).
 */
class EndSnapper extends Vertices {
  private readonly remember: boolean;
  private ax0 = NaN;
  private ay0 = NaN;
  private an0 = -1;
  private ax1 = NaN;
  private ay1 = NaN;
  private an1 = -1;
  /** The last pipe's nodes (set by `pipe`). */
  startNode = -1;
  endNode = -1;

  constructor(
    v: Pick<PipeColumns, 'proj' | 'start' | 'lon' | 'lat'>,
    private readonly nodes: NodeSet,
    private readonly snapTol: number,
  ) {
    super(v);
    this.remember = snapTol >= 0;
  }

  /** Nodes for pipe i's ends into startNode / endNode; false for a pipe with fewer than two vertices. */
  pipe(i: number): boolean {
    const a = this.start[i];
    const b = this.start[i + 1] - 1;
    if (b - a < 1) return false;
    const { lon, lat, lon0, lat0, kx, ky, nodes } = this;
    const xa = (lon[a] - lon0) * kx, ya = (lat[a] - lat0) * ky, xb = (lon[b] - lon0) * kx, yb = (lat[b] - lat0) * ky;
    const na = this.node(a, xa, ya);
    const nb = this.node(b, xb, yb);
    this.startNode = na;
    this.endNode = nb;
    this.ax0 = xa;
    this.ay0 = ya;
    this.an0 = this.remember && nodes.x[na] === xa && nodes.y[na] === ya ? na : -1;
    this.ax1 = xb;
    this.ay1 = yb;
    this.an1 = this.remember && nodes.x[nb] === xb && nodes.y[nb] === yb ? nb : -1;
    return true;
  }

  /** The node of vertex k at (x, y): a remembered end's, else the nearest within the tolerance, else a new one. */
  private node(k: number, x: number, y: number): number {
    if (x === this.ax0 && y === this.ay0 && this.an0 >= 0) return this.an0;
    if (x === this.ax1 && y === this.ay1 && this.an1 >= 0) return this.an1;
    const hit = this.nodes.nearestNode(x, y, this.snapTol);
    return hit >= 0 ? hit : this.nodes.add(this.lon[k], this.lat[k], x, y);
  }
}
