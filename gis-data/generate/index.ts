/**
 * The Mingantu sample project (示例数据，非实测): a deterministic, seeded
 * generator of a county-town heating network at 明安图镇 (about 115.030 E,
 * 42.287 N) shaped to exercise every analysis — two coal-fired sources with
 * separate primary networks close enough to be linked, a backup source,
 * overloaded stations, undersized pipes, leaky old pipes, and the 2024
 * projects of the plan (0.8 km primary + 10.5 km secondary/courtyard,
 * 1,800 万元 for pipes and a 100 万元 boiler upgrade).
 *
 * Everything is laid out in a local metric frame (x east, y north, metres)
 * on a 500 m super-block grid: primary mains run along the main streets, a
 * station sits at the centre of each heated super-block, its secondary
 * pipes never leave the block, so primary and secondary meet only at
 * stations. Pure: no I/O, no clock, no Math.random.
 */
import type { Feature, ProjectData, ProjectFeatureRow, ProjectRow } from '../../core/model/project';
import { DEFAULT_SETTINGS, unitCostWanPerKm, type Settings } from '../../core/model/settings';
import { layerDef, type LayerName, type PipeLevel, type RenovationStatus } from '../../core/model/schema';
import type { LineStringGeom, PointGeom, PolygonGeom } from '../../core/model/types';
import { lineLengthM } from '../../core/geo/length';
import { levelLimits, pipeHydraulics } from '../../core/network/hydraulics';
import { localFrame, type LocalFrame, type XY } from './frame';
import { mulberry32, type Rng } from './prng';
import { accumulateLoads, cutRuns, frameLength, nodeKey, splitPiece, type PipePiece, type PipeRun } from './network';
import { EAST_WEST_STREETS, NEW_COMMUNITY_NAMES, NORTH_SOUTH_STREETS, OLD_COMMUNITY_NAMES } from './names';

export interface GenerateOptions {
  seed?: number;
}

export const DEFAULT_SEED = 20240301;
/** The mark carried by every feature (`note`), project and the README. */
export const SAMPLE_NOTE = '示例数据，非实测';
const TAG = '（示例）';
/** Year the sample's survey describes (排查阶段 2024-01 … 03); ages and conditions are as of then. */
export const SURVEY_YEAR = 2024;
/**
 * Incidents lie in the three heating seasons 2021-12 … 2024-03, so "the last
 * five years" counts all of them both at the survey date and today.
 */
const INCIDENT_WINDOWS: readonly [string, string, number][] = [
  ['2021-12-01', '2022-03-31', 0.26],
  ['2022-09-01', '2022-09-30', 0.06],
  ['2022-11-01', '2023-03-31', 0.3],
  ['2023-09-01', '2023-09-30', 0.06],
  ['2023-11-01', '2024-03-31', 0.32],
];
const INCIDENT_WINDOW_YEARS = 2.33;

/** The 2024 targets of the plan (方案 三(三)). */
const PLAN_2024 = { primaryM: 800, secondaryCourtyardM: 10500, pipeBudgetWan: 1800, boilerBudgetWan: 100 };

const BLOCK = 500;
const COLS = 8;
const ROWS = 4;
const X0 = -2000;
const Y0 = -1000;
/** Super-blocks without a station (school, park, market, government yard). */
const UNHEATED = new Set(['0,0', '1,3', '2,0', '5,0', '7,0', '6,3', '7,3']);
/** Stations with a closed reserve outlet (预留接口) on their secondary side. */
const RESERVE_OUTLET_BLOCKS = new Set(['5,2', '6,1']);
const LANE_OFFSET = 125;
const LANE_LENGTH = 200;
const STUB_POSITIONS = [40, 80, 120, 160, 200];
const STUB_LENGTH = 90;
const SPUR_VALVE_M = 5;

const SOURCES = {
  W: { id: 'S-1', xy: [-3200, 0] as XY, name: `明安图镇第一热源厂${TAG}`, units: 3, capacity: 87, year: 1996 },
  E: { id: 'S-2', xy: [3200, 0] as XY, name: `明安图镇第二热源厂${TAG}`, units: 2, capacity: 58, year: 2011 },
};
const BACKUP = { id: 'S-B', xy: [-1000, 0] as XY, name: `城西备用锅炉房${TAG}`, units: 1, capacity: 14, year: 2005 };
const RESPONSIBLE = '明安图镇热力有限公司（示例）；旗住建局督办';

type Net = 'W' | 'E';
type QuadrantKind = 'one' | 'two' | 'none';

interface Community {
  id: string;
  name: string;
  ring: XY[];
  year: number;
  energySaving: boolean;
  areaM2: number;
  households: number;
  buildings: number;
  stationId: string;
  stubs: number;
  lowTemp: number;
  block: Block;
  /** Far corner distance, used to spread complaint points inside. */
  box: [number, number, number, number];
}

interface Block {
  col: number;
  row: number;
  cx: number;
  cy: number;
  net: Net;
  mainY: number;
  /** +1 when the block lies north of its main street. */
  dir: number;
  era: number;
  heated: boolean;
  quadrants: { sx: number; sy: number; kind: QuadrantKind; communities: Community[] }[];
  stationId: string;
  stationName: string;
  loadMW: number;
  designMW: number;
}

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

function heatIndex(energySaving: boolean, s: Settings): number {
  return energySaving ? s.heatIndexEnergySavingWm2 : s.heatIndexOldWm2;
}

/**
 * Ground elevation (m) of the sample's terrain at a point of the local frame: the plateau falls
 * about 3 m per km from west to east around 1,350 m, with gentle swells of a few metres.
 */
export function groundElevationM([x, y]: XY): number {
  return Math.round((1350 - 0.003 * x + 4 * Math.sin(x / 900 + 0.5) * Math.cos(y / 650)) * 100) / 100;
}

function communityLoadMW(c: Community, s: Settings): number {
  return (c.areaM2 * heatIndex(c.energySaving, s)) / 1e6;
}

/** Every schema field of the layer (null where unset), then the sample mark. */
function properties(layer: LayerName, values: Record<string, unknown>): Record<string, unknown> {
  const def = layerDef(layer)!;
  const out: Record<string, unknown> = {};
  for (const f of def.fields) out[f.name] = values[f.name] ?? null;
  for (const k of Object.keys(values)) if (!(k in out)) throw new Error(`sample: ${layer} has no field ${k}`);
  out.note = SAMPLE_NOTE;
  return out;
}

function pointFeature(frame: LocalFrame, layer: LayerName, id: string, xy: XY, values: Record<string, unknown>): Feature<PointGeom> {
  return { type: 'Feature', id, geometry: { type: 'Point', coordinates: frame.toLonLat(xy) }, properties: properties(layer, { id, ...values }) };
}

function rectRing(x1: number, y1: number, x2: number, y2: number): XY[] {
  const [ax, bx] = x1 < x2 ? [x1, x2] : [x2, x1];
  const [ay, by] = y1 < y2 ? [y1, y2] : [y2, y1];
  return [
    [ax, ay],
    [bx, ay],
    [bx, by],
    [ax, by],
    [ax, ay],
  ];
}

function dateOfDay(day: number): string {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}
const dayOf = (iso: string): number => Math.round(Date.parse(`${iso}T00:00:00Z`) / 86400000);

function randomDate(rng: Rng, from: string, to: string): string {
  return dateOfDay(rng.int(dayOf(from), dayOf(to)));
}

/**
 * Smallest DN of the level's range whose R and velocity stay within a design
 * margin of the limits. Primary trunks and mains keep to the economic R;
 * station spurs may use more of the allowed R, as branch lines are sized by
 * the pressure left at their tee.
 */
function sizeDn(level: PipeLevel, loadMW: number, s: Settings, branch = false): number {
  const range = level === 'primary' ? [100, 125, 150, 200, 250, 300, 350, 400, 450, 500] : level === 'secondary' ? [80, 100, 125, 150, 200, 250] : [50, 65, 80, 100];
  const limits = levelLimits(level, s);
  const maxR = level === 'primary' && !branch ? s.primaryEconomicRMaxPam : 0.8 * limits.maxRPaM;
  for (const dn of range) {
    const h = pipeHydraulics(loadMW, dn, level, s);
    if (h.rPaM <= maxR && h.velocityMs <= 0.8 * limits.maxVelocityMs) return dn;
  }
  return range[range.length - 1];
}

const DN_STEPS = [50, 65, 80, 100, 125, 150, 200, 250, 300, 350, 400, 450, 500];

/** A clearly undersized DN: step down until R is well past the level's limit. */
function undersize(level: PipeLevel, loadMW: number, dn: number, s: Settings): number {
  const limit = levelLimits(level, s).maxRPaM;
  let i = DN_STEPS.indexOf(dn);
  let steps = 0;
  while (i > 0 && (steps < 2 || pipeHydraulics(loadMW, DN_STEPS[i], level, s).rPaM < 1.4 * limit)) {
    i--;
    steps++;
  }
  return DN_STEPS[i];
}

export function generateSample(opts: GenerateOptions = {}): ProjectData {
  const seed = opts.seed ?? DEFAULT_SEED;
  const rng = mulberry32(seed);
  const frame = localFrame();
  const settings: Settings = JSON.parse(JSON.stringify(DEFAULT_SETTINGS));
  const ll = (xy: XY) => frame.toLonLat(xy);

  // ---- super-blocks, communities, stations -------------------------------------------------
  const blocks: Block[] = [];
  for (let col = 0; col < COLS; col++) {
    for (let row = 0; row < ROWS; row++) {
      const net: Net = col < COLS / 2 ? 'W' : 'E';
      const cx = X0 + BLOCK * col + BLOCK / 2;
      const cy = Y0 + BLOCK * row + BLOCK / 2;
      const mainY = row < 2 ? -500 : 500;
      const core = net === 'W' && (col === 2 || col === 3) && (row === 1 || row === 2);
      let era: number;
      if (net === 'W') era = core ? 1993 + rng.int(0, 3) : col === 0 ? 2004 + rng.int(0, 4) : 1998 + rng.int(0, 5);
      else era = col === 4 && (row === 1 || row === 2) ? 2006 + rng.int(0, 3) : col <= 5 ? 2010 + rng.int(0, 4) : 2014 + rng.int(0, 7);
      blocks.push({
        col, row, cx, cy, net, mainY, dir: Math.sign(cy - mainY), era,
        heated: !UNHEATED.has(`${col},${row}`),
        quadrants: [], stationId: '', stationName: '', loadMW: 0, designMW: 0,
      });
    }
  }
  const heated = blocks.filter((b) => b.heated);
  heated.forEach((b, i) => (b.stationId = `HS-${String(i + 1).padStart(2, '0')}`));

  const oldNames = rng.shuffle(OLD_COMMUNITY_NAMES);
  const newNames = rng.shuffle(NEW_COMMUNITY_NAMES);
  const usedNames = new Set<string>();
  const takeName = (old: boolean): string => {
    const list = old ? oldNames : newNames;
    const spare = old ? newNames : oldNames;
    const name = list.shift() ?? spare.shift() ?? `第${usedNames.size + 1}小区`;
    usedNames.add(name);
    return name;
  };

  const communities: Community[] = [];
  for (const b of heated) {
    let kinds: QuadrantKind[];
    do {
      kinds = [0, 1, 2, 3].map(() => {
        const r = rng.next();
        return r < 0.55 ? 'one' : r < 0.67 ? 'two' : 'none';
      });
    } while (kinds.filter((k) => k !== 'none').length < 2);
    const quads: [number, number][] = [[-1, -1], [1, -1], [-1, 1], [1, 1]];
    quads.forEach(([sx, sy], qi) => {
      const kind = kinds[qi];
      const q = { sx, sy, kind, communities: [] as Community[] };
      b.quadrants.push(q);
      if (kind === 'none') return;
      const lx = b.cx + sx * LANE_OFFSET;
      const yA = b.cy + sy * 12;
      const yB = b.cy + sy * 238;
      const parts: [number, number][] = kind === 'one' ? [[b.cx + sx * 12, b.cx + sx * 238]] : [[b.cx + sx * 12, lx - sx * 6], [lx + sx * 6, b.cx + sx * 238]];
      for (const [xA, xB] of parts) {
        const year = Math.max(1993, b.era + rng.int(-2, 2));
        const energySaving = year >= 2008 || (year >= 2003 && rng.chance(0.4));
        const footprint = Math.abs(xB - xA) * Math.abs(yB - yA);
        const far = b.era < 2000 ? rng.range(0.55, 0.85) : rng.range(0.7, 1.1);
        const c: Community = {
          id: '', name: '', ring: rectRing(xA, yA, xB, yB), year, energySaving,
          areaM2: footprint * far, households: 0, buildings: 0, stationId: b.stationId,
          stubs: kind === 'one' ? 2 * STUB_POSITIONS.length : STUB_POSITIONS.length,
          lowTemp: 0, block: b, box: [Math.min(xA, xB), Math.min(yA, yB), Math.max(xA, xB), Math.max(yA, yB)],
        };
        q.communities.push(c);
        communities.push(c);
      }
    });
  }
  communities.forEach((c, i) => {
    c.id = `C-${String(i + 1).padStart(3, '0')}`;
    c.name = takeName(c.year < 2005);
  });

  // Scale the heated area of each network so its load suits its source (W ≈ 64 MW, E ≈ 53 MW).
  for (const [net, target] of [['W', rng.range(62, 66)], ['E', rng.range(51.5, 54.5)]] as const) {
    const mine = communities.filter((c) => c.block.net === net);
    const load = mine.reduce((a, c) => a + communityLoadMW(c, settings), 0);
    for (const c of mine) {
      c.areaM2 = round((c.areaM2 * target) / load, -1);
      c.households = Math.round(c.areaM2 / rng.range(78, 92));
      c.buildings = Math.max(2, Math.round(c.areaM2 / rng.range(3200, 4600)));
    }
  }
  for (const b of heated) {
    const mine = communities.filter((c) => c.block === b);
    b.loadMW = (mine.reduce((a, c) => a + communityLoadMW(c, settings), 0) * settings.simultaneity);
    b.stationName = `${mine[0].name}换热站`;
  }

  // Station design capacities: three old-core stations overloaded (小马拉大车), two near the limit.
  const coreStations = rng.shuffle(heated.filter((b) => b.net === 'W' && b.era < 1998));
  const overloaded = new Set(coreStations.slice(0, 3));
  const nearPool = rng.shuffle(heated.filter((b) => !overloaded.has(b)));
  const nearLimit = new Set([nearPool.find((b) => b.net === 'W')!, nearPool.find((b) => b.net === 'E')!]);
  for (const b of heated) {
    const ratio = overloaded.has(b) ? rng.range(1.08, 1.22) : nearLimit.has(b) ? rng.range(0.92, 0.97) : rng.range(0.55, 0.84);
    b.designMW = round(b.loadMW / ratio, 1);
  }

  // ---- pipe runs -----------------------------------------------------------------------------
  const runs: PipeRun[] = [];
  const extraCuts = new Map<string, XY[]>();
  const cut = (system: string, p: XY) => {
    const l = extraCuts.get(system);
    if (l) l.push(p);
    else extraCuts.set(system, [p]);
  };
  interface ValveSpec {
    system: string;
    xy: XY;
    closed?: boolean;
    label: string;
  }
  const valveSpecs: ValveSpec[] = [];
  const valve = (system: string, xy: XY, label: string, closed = false) => {
    valveSpecs.push({ system, xy, label, closed });
    cut(system, xy);
  };

  for (const net of ['W', 'E'] as Net[]) {
    const s = net === 'W' ? -1 : 1; // east is the mirror image of west
    const src = SOURCES[net];
    const sideName = net === 'W' ? '西' : '东';
    const year = src.year;
    const edge = 2000 * s;
    const sink = 250 * s;
    runs.push({ system: net, level: 'primary', role: 'trunk', pts: [src.xy, [edge, 0]], name: `${sideName}区一级供热主干线`, year, blockEra: year });
    for (const x of [3195, 2800, 2400]) valve(net, [x * s, 0], `${sideName}区主干线分段阀`);
    for (const mainY of [-500, 500]) {
      const mainName = mainY < 0 ? `民族路一级干线(${sideName})` : `文化路一级干线(${sideName})`;
      runs.push({ system: net, level: 'primary', role: 'main', pts: [[edge, 0], [edge, mainY], [sink, mainY]], name: mainName, year: net === 'W' ? (mainY < 0 ? 1996 : 1998) : year, blockEra: year });
      valve(net, [edge, Math.sign(mainY) * SPUR_VALVE_M], `${mainName}起点阀`);
      const tees = heated.filter((b) => b.net === net && b.mainY === mainY).map((b) => b.cx);
      tees.push(1000 * s);
      for (const x of [...new Set(tees)]) if (x !== sink) valve(net, [x - s * SPUR_VALVE_M, mainY], `${mainName}分段阀`);
    }
    const cx = 1000 * s;
    const connectorName = net === 'W' ? '察哈尔路一级联络线' : '星河路一级联络线';
    runs.push({ system: net, level: 'primary', role: 'connector', pts: [[cx, -500], [cx, 500]], name: connectorName, year: net === 'W' ? 2005 : 2016, tie: true, blockEra: 2005 });
    valve(net, [cx, -495], `${connectorName}端阀`);
    valve(net, [cx, 495], `${connectorName}端阀`);
    if (net === 'W') {
      cut('W', BACKUP.xy);
      valve('W', [cx, -5], '备用锅炉房出口阀');
      valve('W', [cx, 5], '备用锅炉房出口阀');
    } else {
      // Normally-open-point of the east loop: the tie valve is kept closed.
      valve('E', [cx, 0], `${connectorName}联络阀(常闭)`, true);
    }
  }

  for (const b of heated) {
    const station: XY = [b.cx, b.cy];
    const spurYear = Math.max(SOURCES[b.net].year, b.era);
    runs.push({ system: b.net, level: 'primary', role: 'spur', pts: [[b.cx, b.mainY], station], name: `${b.stationName}一级支线`, year: spurYear, blockEra: b.era });
    valve(b.net, [b.cx, b.mainY + b.dir * SPUR_VALVE_M], `${b.stationName}一级支线阀`);
    valve(b.net, [b.cx, b.cy - b.dir * SPUR_VALVE_M], `${b.stationName}一次网进口阀`);
    cut(b.net, station);

    const sys = b.stationId;
    cut(sys, station);
    for (const sx of [-1, 1]) {
      const quads = b.quadrants.filter((q) => q.sx === sx && q.kind !== 'none');
      if (quads.length === 0) continue;
      const lx = b.cx + sx * LANE_OFFSET;
      runs.push({ system: sys, level: 'secondary', role: 'street', pts: [station, [lx, b.cy]], name: `${b.stationName}二级干线`, year: b.era, blockEra: b.era });
      valve(sys, [b.cx + sx * SPUR_VALVE_M, b.cy], `${b.stationName}二次网出口阀`);
      for (const q of quads) {
        const laneYear = Math.min(...q.communities.map((c) => c.year));
        runs.push({ system: sys, level: 'secondary', role: 'lane', pts: [[lx, b.cy], [lx, b.cy + q.sy * LANE_LENGTH]], name: `${q.communities[0].name}二级支线`, year: laneYear, blockEra: b.era });
        valve(sys, [lx, b.cy + q.sy * SPUR_VALVE_M], `${q.communities[0].name}入口阀`);
        for (const k of STUB_POSITIONS) {
          for (const d of [-1, 1]) {
            const c = q.kind === 'one' ? q.communities[0] : d === -sx ? q.communities[0] : q.communities[1];
            const y = b.cy + q.sy * k;
            runs.push({
              system: sys, level: 'courtyard', role: 'stub', pts: [[lx, y], [lx + d * STUB_LENGTH, y]],
              name: `${c.name}庭院管网`, year: c.year, sinkMW: (communityLoadMW(c, settings) * settings.simultaneity) / c.stubs, blockEra: b.era,
            });
          }
        }
      }
    }
    if (RESERVE_OUTLET_BLOCKS.has(`${b.col},${b.row}`)) {
      runs.push({ system: sys, level: 'secondary', role: 'reserve', pts: [station, [b.cx, b.cy + b.dir * 30]], name: `${b.stationName}预留接口`, year: Math.max(b.era, 2018), blockEra: b.era });
      // The outlet ends in a valve well with its valve closed, so the stub is capped, not a loose end.
      valve(sys, [b.cx, b.cy + b.dir * 30], `${b.stationName}预留接口阀(关闭)`, true);
    }
  }

  const pieces = cutRuns(runs, extraCuts);

  // ---- loads and DN ---------------------------------------------------------------------------
  const systems = new Map<string, PipePiece[]>();
  for (const p of pieces) {
    const l = systems.get(p.run.system);
    if (l) l.push(p);
    else systems.set(p.run.system, [p]);
  }
  const bfsOrder = new Map<string, PipePiece[]>();
  for (const net of ['W', 'E'] as Net[]) {
    const sinks = new Map(heated.filter((b) => b.net === net).map((b) => [nodeKey([b.cx, b.cy]), b.loadMW] as const));
    bfsOrder.set(net, accumulateLoads(systems.get(net)!, nodeKey(SOURCES[net].xy), sinks).order);
  }
  for (const b of heated) {
    const mine = systems.get(b.stationId)!;
    const sinks = new Map<string, number>();
    for (const p of mine) if (p.run.sinkMW) sinks.set(nodeKey(p.pts[p.pts.length - 1]), p.run.sinkMW);
    bfsOrder.set(b.stationId, accumulateLoads(mine, nodeKey([b.cx, b.cy]), sinks).order);
  }
  for (const p of pieces) {
    // Loop ties carry what the backup boiler (or the other half of the loop) would send through them.
    const load = p.run.tie ? BACKUP.capacity : p.loadMW;
    p.dn = p.run.role === 'reserve' ? 150 : sizeDn(p.run.level, load, settings, p.run.role === 'spur');
    if (p.run.tie) p.loadMW = 0;
  }

  // A few pipes clearly too small for their load (热负荷不匹配): two core station spurs, a main piece, four lanes.
  const undersized = new Set<PipePiece>();
  const shrink = (p: PipePiece) => {
    p.dn = undersize(p.run.level, p.loadMW, p.dn, settings);
    undersized.add(p);
  };
  const overloadedList = [...overloaded];
  for (const b of overloadedList.slice(0, 2)) for (const p of systems.get(b.net)!) if (p.run.role === 'spur' && p.run.name.startsWith(b.stationName)) shrink(p);
  const westSouthMain = systems.get('W')!.filter((p) => p.run.role === 'main' && p.run.pts[1][1] === -500);
  const mismatchedMain = westSouthMain.find((p) => p.pts[0][0] === -995);
  if (mismatchedMain) shrink(mismatchedMain);
  const laneCandidates = rng.shuffle(pieces.filter((p) => p.run.role === 'lane' && p.run.blockEra < 2002 && p.loadMW > 1 && frameLength(p.pts) > 30));
  for (const p of laneCandidates.slice(0, 4)) shrink(p);

  // Renewals before 2024 in the mid-aged districts (never in the old core, whose pipes the 2024 plan renews).
  for (const p of pieces) {
    if (p.run.level === 'primary') {
      if (p.run.role === 'main' && p.run.system === 'W' && Math.max(...p.pts.map((q) => q[0])) <= -1750) p.year = 2013;
    } else if (p.run.blockEra >= 1998 && p.run.blockEra < 2010 && rng.chance(0.15)) {
      p.year = rng.int(Math.max(p.year + 8, 2012), 2023);
    }
  }

  // ---- projects: which pipes the 2024 plan renews --------------------------------------------
  const geoLen = (p: PipePiece) => lineLengthM(p.pts.map(ll));
  const projectOf = new Map<PipePiece, string>();
  const replacePiece = (old: PipePiece, parts: PipePiece[]) => {
    const i = pieces.indexOf(old);
    pieces.splice(i, 1, ...parts);
    for (const list of bfsOrder.values()) {
      const j = list.indexOf(old);
      if (j >= 0) list.splice(j, 1, ...parts);
    }
    if (undersized.delete(old)) for (const q of parts) undersized.add(q);
  };
  /** Take pieces in order until `targetM` (geodesic) is reached, splitting the last one to land on it. */
  const takeLength = (ordered: PipePiece[], targetM: number, projectId: string): number => {
    let total = 0;
    for (const p of ordered) {
      if (projectOf.has(p)) continue;
      const len = geoLen(p);
      if (total + len <= targetM + 0.05) {
        projectOf.set(p, projectId);
        total += len;
        if (targetM - total < 0.05) break;
        continue;
      }
      const need = targetM - total;
      // A sliver of a few centimetres is not worth a pipe: within tolerance either way.
      if (need < 1) break;
      if (len - need < 1) {
        projectOf.set(p, projectId);
        total += len;
        break;
      }
      let at = need * (frameLength(p.pts) / len);
      const [first] = splitPiece(p, at);
      at += (need - geoLen(first)) * (frameLength(p.pts) / len);
      const [a, b] = splitPiece(p, at);
      replacePiece(p, [a, b]);
      projectOf.set(a, projectId);
      total += geoLen(a);
      break;
    }
    return total;
  };

  interface PlannedProject {
    row: ProjectRow;
    pieces: PipePiece[];
    links: { layer: LayerName; ids: string[] }[];
  }
  const pipeProjects: { id: string; year: number; status: ProjectRow['status']; title: string; stationBlock?: Block; targetKm?: number }[] = [];

  // Primary: the old 民族路 main of the west network, east of 健康路, including its undersized piece.
  const primaryOrdered = westSouthMain.filter((p) => p.pts[0][0] >= -1750).sort((a, b) => a.pts[0][0] - b.pts[0][0]);
  takeLength(primaryOrdered, PLAN_2024.primaryM, 'PRJ-2024-01');
  pipeProjects.push({ id: 'PRJ-2024-01', year: 2024, status: 'building', title: `民族路一级管网更新改造工程${TAG}` });

  // Secondary + courtyard: the oldest station networks, whole, the last one in part.
  const byAge = heated.slice().sort((a, b) => a.era - b.era || a.stationId.localeCompare(b.stationId));
  const statuses: ProjectRow['status'][] = ['accepted', 'completed', 'building', 'approved', 'planned'];
  let remaining = PLAN_2024.secondaryCourtyardM;
  let k = 0;
  for (const b of byAge) {
    if (remaining < 1) break;
    const id = `PRJ-2024-${String(k + 2).padStart(2, '0')}`;
    const ordered = bfsOrder.get(b.stationId)!.filter((p) => p.run.role !== 'reserve');
    const got = takeLength(ordered, remaining, id);
    remaining -= got;
    pipeProjects.push({ id, year: 2024, status: statuses[k % statuses.length], title: `${b.stationName}二级及庭院管网改造工程${TAG}`, stationBlock: b });
    k++;
  }
  // 2025: the next old station network, about 2 km, planned.
  const next2025 = byAge.find((b) => !bfsOrder.get(b.stationId)!.some((p) => projectOf.has(p)))!;
  let taken = 0;
  for (const p of bfsOrder.get(next2025.stationId)!) {
    if (taken > 2000 || p.run.role === 'reserve') break;
    projectOf.set(p, 'PRJ-2025-01');
    taken += geoLen(p);
  }
  pipeProjects.push({ id: 'PRJ-2025-01', year: 2025, status: 'planned', title: `${next2025.stationName}二级管网改造工程${TAG}`, stationBlock: next2025 });

  // ---- pipe ids, incidents, condition ---------------------------------------------------------
  const pipeIds = new Map<PipePiece, string>();
  pieces.forEach((p, i) => pipeIds.set(p, `P-${String(i + 1).padStart(4, '0')}`));
  const incidents: Feature<PointGeom>[] = [];
  const incidentCount = new Map<PipePiece, number>();
  const windowDays = INCIDENT_WINDOWS.map(([a, b, w]) => [dayOf(a), dayOf(b), w] as const);
  const pickIncidentDate = (): string => {
    let r = rng.next();
    for (const [a, b, w] of windowDays) {
      if (r < w) return dateOfDay(rng.int(a, b));
      r -= w;
    }
    const [a, b] = windowDays[windowDays.length - 1];
    return dateOfDay(rng.int(a, b));
  };
  const incidentRate = (p: PipePiece): number => {
    const age = SURVEY_YEAR - p.year;
    const primary = p.run.level === 'primary';
    const perKmYear = age >= 27 ? (primary ? 1.2 : 2.6) : age >= 20 ? (primary ? 0.4 : 0.8) : age >= 10 ? (primary ? 0.1 : 0.2) : primary ? 0.01 : 0.02;
    const boost = projectOf.get(p)?.startsWith('PRJ-2024') ? 1.6 : 1;
    return perKmYear * boost;
  };
  const pointAlong = (pts: readonly XY[], f: number): XY => {
    const total = frameLength(pts);
    let m = total * f;
    for (let i = 1; i < pts.length; i++) {
      const seg = Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]);
      if (m <= seg) return [pts[i - 1][0] + ((pts[i][0] - pts[i - 1][0]) * m) / seg, pts[i - 1][1] + ((pts[i][1] - pts[i - 1][1]) * m) / seg];
      m -= seg;
    }
    return pts[pts.length - 1];
  };
  const incidentDrafts: { piece: PipePiece; date: string; xy: XY; kind: string }[] = [];
  for (const p of pieces) {
    const lenKm = frameLength(p.pts) / 1000;
    const n = rng.poisson(lenKm * incidentRate(p) * INCIDENT_WINDOW_YEARS);
    incidentCount.set(p, n);
    for (let i = 0; i < n; i++) {
      const r = rng.next();
      incidentDrafts.push({ piece: p, date: pickIncidentDate(), xy: pointAlong(p.pts, rng.range(0.1, 0.9)), kind: r < 0.65 ? 'leak' : r < 0.9 ? 'burst' : 'valve_failure' });
    }
  }
  incidentDrafts.sort((a, b) => a.date.localeCompare(b.date) || pipeIds.get(a.piece)!.localeCompare(pipeIds.get(b.piece)!));
  incidentDrafts.forEach((d, i) => {
    const id = `IN-${String(i + 1).padStart(4, '0')}`;
    const burst = d.kind === 'burst';
    incidents.push(
      pointFeature(frame, 'incidents', id, d.xy, {
        pipe_id: pipeIds.get(d.piece),
        date: d.date,
        kind: d.kind,
        repair_hours: round(burst ? rng.range(6, 26) : d.kind === 'leak' ? rng.range(2, 9) : rng.range(3, 10), 1),
        water_lost_t: round(burst ? rng.range(40, 220) : d.kind === 'leak' ? rng.range(5, 45) : rng.range(2, 20), 1),
      }),
    );
  });

  const waterLoss = new Map<PipePiece, number>();
  const condition = new Map<PipePiece, number>();
  for (const p of pieces) {
    const age = SURVEY_YEAR - p.year;
    const n = incidentCount.get(p)!;
    let loss: number;
    if (p.run.level === 'primary') loss = rng.range(0.1, 0.6) + (age >= 25 ? 0.4 : 0);
    else loss = age >= 27 ? rng.range(1.2, 3.2) : age >= 20 ? rng.range(0.6, 1.8) : age >= 10 ? rng.range(0.3, 0.9) : rng.range(0.05, 0.4);
    waterLoss.set(p, round(Math.min(8, loss + 0.25 * n), 2));
    let cond = age < 10 ? 1 : age < 20 ? 2 : age < 27 ? 3 : 4;
    if (n >= 3 || (age >= 27 && n >= 2)) cond++;
    const r = rng.next();
    if (r < 0.1) cond--;
    else if (r > 0.9) cond++;
    condition.set(p, Math.min(5, Math.max(1, cond)));
  }

  // Renewal candidates: old, leaky pipes not yet in any project.
  const candidates = pieces
    .filter((p) => !projectOf.has(p) && SURVEY_YEAR - p.year >= 25 && (incidentCount.get(p)! >= 2 || waterLoss.get(p)! > 2))
    .sort((a, b) => incidentCount.get(b)! - incidentCount.get(a)! || waterLoss.get(b)! - waterLoss.get(a)! || pipeIds.get(a)!.localeCompare(pipeIds.get(b)!))
    .slice(0, 24);
  const candidateSet = new Set(candidates);

  const projectStatus = new Map(pipeProjects.map((p) => [p.id, p.status]));
  const renovationOf = (p: PipePiece): RenovationStatus => {
    const pid = projectOf.get(p);
    if (pid) {
      const st = projectStatus.get(pid)!;
      return st === 'completed' || st === 'accepted' ? 'completed' : st === 'building' ? 'in_progress' : 'planned';
    }
    return candidateSet.has(p) ? 'candidate' : 'none';
  };

  const pipes: Feature<LineStringGeom>[] = pieces.map((p) => {
    const id = pipeIds.get(p)!;
    const coords = p.pts.map(ll);
    const old = p.year < 2003;
    const level = p.run.level;
    const laying = level === 'primary' ? (old ? 'trench' : 'buried') : old ? (level === 'courtyard' && rng.chance(0.06) ? 'overhead' : rng.chance(0.6) ? 'trench' : 'buried') : 'buried';
    return {
      type: 'Feature',
      id,
      geometry: { type: 'LineString', coordinates: coords },
      properties: properties('pipes', {
        id,
        name: p.run.name,
        level,
        dn: p.dn,
        material: level === 'primary' ? (p.dn >= 300 ? '螺旋焊缝钢管' : '无缝钢管') : old ? '焊接钢管' : '无缝钢管',
        insulation: laying === 'buried' ? '聚氨酯预制直埋保温' : laying === 'overhead' ? '岩棉+镀锌铁皮' : '岩棉/玻璃棉(管沟)',
        laying,
        install_year: p.year,
        design_life_years: settings.designLifeYears,
        leak_count_5y: incidentCount.get(p)!,
        water_loss_rate: waterLoss.get(p)!,
        condition: condition.get(p)!,
        status: 'in_service',
        renovation_status: renovationOf(p),
        project_id: projectOf.get(p) ?? null,
        length_m: round(lineLengthM(coords), 3),
        circuit: 'pair',
        elevation_start_m: groundElevationM(p.pts[0]),
        elevation_end_m: groundElevationM(p.pts[p.pts.length - 1]),
      }),
    };
  });

  // ---- valves ---------------------------------------------------------------------------------
  const piecesAtNode = new Map<string, PipePiece[]>();
  for (const p of pieces) {
    for (const end of [p.pts[0], p.pts[p.pts.length - 1]]) {
      const key = `${p.run.system}|${nodeKey(end)}`;
      const l = piecesAtNode.get(key);
      if (l) l.push(p);
      else piecesAtNode.set(key, [p]);
    }
  }
  const valveDrafts = valveSpecs.map((v) => {
    const touching = piecesAtNode.get(`${v.system}|${nodeKey(v.xy)}`) ?? [];
    if (touching.length === 0) throw new Error(`sample: valve ${v.label} is off its network`);
    return { ...v, dn: Math.max(...touching.map((p) => p.dn)), year: Math.min(...touching.map((p) => p.year)) };
  });
  const inoperable = new Set(rng.shuffle(valveDrafts.filter((v) => v.year < 2000 && !v.closed)).slice(0, 5));
  const valves = valveDrafts.map((v, i) => {
    const id = `V-${String(i + 1).padStart(3, '0')}`;
    const stuck = inoperable.has(v);
    return pointFeature(frame, 'valves', id, v.xy, {
      name: v.label,
      kind: v.dn >= 300 ? 'butterfly' : v.dn <= 50 ? 'ball' : 'gate',
      dn: v.dn,
      state: v.closed ? 'closed' : 'open',
      operable: stuck ? 'no' : 'yes',
      install_year: v.year,
      last_inspected: stuck ? randomDate(rng, '2021-06-01', '2022-10-31') : randomDate(rng, '2023-06-01', '2023-09-15'),
    });
  });

  // ---- stations, sources ------------------------------------------------------------------------
  const stations = heated.map((b) => {
    const installYear = Math.max(b.era, SOURCES[b.net].year - 1);
    return pointFeature(frame, 'stations', b.stationId, [b.cx, b.cy], {
      name: b.stationName,
      design_capacity_mw: b.designMW,
      automation: installYear < 2005 ? 'manual' : installYear < 2015 ? (rng.chance(0.5) ? 'local' : 'manual') : rng.chance(0.6) ? 'remote' : 'local',
      install_year: installYear,
      last_overhaul: installYear < 2018 ? rng.int(Math.max(installYear + 5, 2012), 2023) : null,
      elevation_m: groundElevationM([b.cx, b.cy]),
    });
  });
  // Design coal burn at full output: MW × 86.4 GJ/d ÷ (20.9 GJ/t × 75 % boiler efficiency).
  const coalTPerDay = (mw: number) => Math.round((mw * 86.4) / (20.9 * 0.75));
  const reserveDays = { W: rng.range(16, 18), E: rng.range(12.5, 14.2), B: rng.range(15, 20) };
  const heatSources = [
    ...(['W', 'E'] as Net[]).map((net) => {
      const s = SOURCES[net];
      const burn = coalTPerDay(s.capacity);
      return pointFeature(frame, 'heat_sources', s.id, s.xy, {
        name: s.name, kind: 'coal_boiler', capacity_mw: s.capacity, units: s.units, is_backup: false,
        fuel_stock_t: Math.round((burn * reserveDays[net]) / 10) * 10, fuel_t_per_day_design: burn,
        commissioned_year: s.year, status: 'in_service', elevation_m: groundElevationM(s.xy),
      });
    }),
    pointFeature(frame, 'heat_sources', BACKUP.id, BACKUP.xy, {
      name: BACKUP.name, kind: 'coal_boiler', capacity_mw: BACKUP.capacity, units: BACKUP.units, is_backup: true,
      fuel_stock_t: Math.round((coalTPerDay(BACKUP.capacity) * reserveDays.B) / 10) * 10,
      fuel_t_per_day_design: coalTPerDay(BACKUP.capacity), commissioned_year: BACKUP.year, status: 'in_service',
      elevation_m: groundElevationM(BACKUP.xy),
    }),
  ];

  // ---- communities, complaints, coal areas ---------------------------------------------------
  const farEast = heated.filter((b) => b.net === 'E').sort((a, b) => b.cx - a.cx || a.row - b.row)[0];
  for (const c of communities) {
    const cold = (overloaded.has(c.block) && rng.chance(0.7)) || (c.block === farEast && c === communities.find((x) => x.block === farEast));
    if (cold) c.lowTemp = Math.max(3, Math.round(c.households * rng.range(0.02, 0.08)));
  }
  if (!communities.some((c) => c.lowTemp > 0)) communities[0].lowTemp = 5;
  const communityFeatures: Feature<PolygonGeom>[] = communities.map((c) => ({
    type: 'Feature',
    id: c.id,
    geometry: { type: 'Polygon', coordinates: [c.ring.map(ll)] },
    properties: properties('communities', {
      id: c.id,
      name: c.name,
      households: c.households,
      buildings: c.buildings,
      heated_area_m2: c.areaM2,
      year_built: c.year,
      energy_saving: c.energySaving ? 'yes' : 'no',
      station_id: c.stationId,
      low_temp_households: c.lowTemp,
      survey_date: randomDate(rng, '2024-01-08', '2024-03-29'),
      survey_note:
        SAMPLE_NOTE +
        (c.lowTemp > 0
          ? `；低温户${c.lowTemp}户，${overloaded.has(c.block) ? '换热站负荷超设计(小马拉大车)' : '位于管网末端，资用压头不足'}`
          : c.year < 2000
            ? '；管网老化，室内立管腐蚀'
            : '；供热正常'),
    }),
  }));

  const complaints: Feature<PointGeom>[] = [];
  const complaintCommunities = communities.filter((c) => c.lowTemp > 0);
  for (const c of complaintCommunities) {
    const n = rng.int(2, 4);
    for (let i = 0; i < n; i++) {
      const [x1, y1, x2, y2] = c.box;
      const xy: XY = [round(rng.range(x1 + 5, x2 - 5), 1), round(rng.range(y1 + 5, y2 - 5), 1)];
      const temp = rng.chance(0.8) ? round(rng.range(13.5, 17.8), 1) : round(rng.range(18.1, 19.2), 1);
      const category = temp < 18 ? rng.pick(['室温不达标', '暖气不热', '室温不达标']) : rng.pick(['供热不稳定', '暖气漏水']);
      complaints.push(
        pointFeature(frame, 'complaints', `CP-${String(complaints.length + 1).padStart(3, '0')}`, xy, {
          date: randomDate(rng, '2023-11-10', '2024-03-10'),
          community_id: c.id,
          category,
          indoor_temp_c: temp,
          status: rng.pick(['open', 'closed', 'processing']),
        }),
      );
    }
  }

  const villageRing = (cx: number, cy: number, r: number): XY[] => {
    const ring: XY[] = [];
    for (let i = 0; i < 7; i++) {
      const a = (i / 7) * 2 * Math.PI;
      const rr = r * rng.range(0.8, 1.15);
      ring.push([round(cx + rr * Math.cos(a), 1), round(cy + rr * Math.sin(a), 1)]);
    }
    ring.push(ring[0]);
    return ring;
  };
  const coalAreas: Feature<PolygonGeom>[] = [
    { id: 'CA-01', village: `西沙窝村${TAG}`, ring: villageRing(-2700, 1500, 220) },
    { id: 'CA-02', village: `东滩村${TAG}`, ring: villageRing(2650, -1500, 200) },
  ].map((v) => ({
    type: 'Feature',
    id: v.id,
    geometry: { type: 'Polygon', coordinates: [v.ring.map(ll)] },
    properties: properties('coal_areas', { id: v.id, village: v.village, households: rng.int(80, 190), status: 'burning' }),
  }));

  // ---- streets --------------------------------------------------------------------------------
  const streetDrafts: { name: string; cls: string; pts: XY[] }[] = [];
  for (const s of EAST_WEST_STREETS) streetDrafts.push({ name: s.name, cls: s.cls, pts: s.y === 0 ? [[-3300, 0], [3300, 0]] : [[X0, s.y], [-X0, s.y]] });
  for (const s of NORTH_SOUTH_STREETS) streetDrafts.push({ name: s.name, cls: s.cls, pts: [[s.x, Y0], [s.x, -Y0]] });
  const laneCount = new Map<string, number>();
  for (const b of heated) {
    const street = EAST_WEST_STREETS.find((s) => s.y === b.cy)!.name;
    for (const q of b.quadrants) {
      if (q.kind === 'none') continue;
      const n = (laneCount.get(street) ?? 0) + 1;
      laneCount.set(street, n);
      const lx = b.cx + q.sx * LANE_OFFSET;
      streetDrafts.push({ name: `${street}${n}巷`, cls: 'lane', pts: [[lx, b.cy], [lx, b.cy + q.sy * LANE_LENGTH]] });
    }
  }
  const streets: Feature<LineStringGeom>[] = streetDrafts.map((s, i) => {
    const id = `RD-${String(i + 1).padStart(3, '0')}`;
    return { type: 'Feature', id, geometry: { type: 'LineString', coordinates: s.pts.map(ll) }, properties: properties('streets', { id, name: s.name, class: s.cls }) };
  });

  // ---- project ledger ---------------------------------------------------------------------------
  const projectPieces = (id: string) => pieces.filter((p) => projectOf.get(p) === id);
  const costOf = (list: PipePiece[]) => list.reduce((a, p) => a + (geoLen(p) / 1000) * unitCostWanPerKm(settings, p.dn), 0);
  const pipe2024 = pipeProjects.filter((p) => p.year === 2024);
  const estimates = pipe2024.map((p) => costOf(projectPieces(p.id)));
  const estTotal = estimates.reduce((a, b) => a + b, 0);
  const budgets = estimates.map((e) => Math.round((e * PLAN_2024.pipeBudgetWan) / estTotal));
  budgets[budgets.length - 1] = PLAN_2024.pipeBudgetWan - budgets.slice(0, -1).reduce((a, b) => a + b, 0);

  const planned: PlannedProject[] = [];
  const kmText = (list: PipePiece[]) => (list.reduce((a, p) => a + geoLen(p), 0) / 1000).toFixed(2);
  pipeProjects.forEach((pp, i) => {
    const list = projectPieces(pp.id);
    const leaks = list.reduce((a, p) => a + incidentCount.get(p)!, 0);
    const years = list.map((p) => p.year);
    const minYear = Math.min(...years);
    const primary = pp.id === 'PRJ-2024-01';
    const maxDn = Math.max(...list.map((p) => p.dn));
    planned.push({
      row: {
        id: pp.id,
        name: pp.title,
        year: pp.year,
        kind: 'pipe',
        problem: primary
          ? `民族路一级干线${minYear}年管沟敷设，保温层老化脱落，近5年泄漏${leaks}次；部分管段管径偏小、热负荷不匹配，已接近设计使用年限`
          : `${pp.stationBlock!.stationName}供热区域二级及庭院管网${minYear}年敷设，腐蚀严重、失水率居高不下，近5年泄漏${leaks}次，低温投诉集中`,
        task: primary ? `更新改造一级管网${kmText(list)}公里` : `更新改造二级及庭院管网${kmText(list)}公里`,
        measure: primary
          ? `采用DN${maxDn}及以下预制直埋保温管替换原管沟敷设管道，按负荷复核放大不匹配管段管径，同步更换分段阀门井`
          : '更换为预制直埋保温管，更换楼前阀门及腐蚀庭院支管，完工后注水打压、水力平衡调试',
        responsible: RESPONSIBLE,
        deadline: pp.year === 2024 ? (i % 2 === 0 ? '2024-09-30' : '2024-08-31') : '2025-09-30',
        status: pp.status,
        budget_wan: pp.year === 2024 ? budgets[i] : Math.round(costOf(list)),
      },
      pieces: list,
      links: [{ layer: 'pipes', ids: list.map((p) => pipeIds.get(p)!) }],
    });
  });
  planned.push({
    row: {
      id: `PRJ-2024-${String(pipe2024.length + 1).padStart(2, '0')}`,
      name: `第一热源厂1号锅炉技术改造${TAG}`,
      year: 2024,
      kind: 'boiler',
      problem: '1号29MW链条炉排热水锅炉运行年久，热效率偏低，炉排、省煤器磨损，不能满足高峰负荷',
      task: '对1台锅炉进行技术改造，恢复额定出力',
      measure: '更换炉排及省煤器，加装烟气余热回收与燃烧自动控制，完成后热态试运行',
      responsible: RESPONSIBLE,
      deadline: '2024-09-15',
      status: 'completed',
      budget_wan: PLAN_2024.boilerBudgetWan,
    },
    pieces: [],
    links: [{ layer: 'heat_sources', ids: [SOURCES.W.id] }],
  });
  const overloadedIds = heated.filter((b) => overloaded.has(b)).map((b) => b.stationId);
  planned.push({
    row: {
      id: 'PRJ-2025-02',
      name: `老城区换热站扩容改造${TAG}`,
      year: 2025,
      kind: 'station',
      problem: `${overloadedIds.join('、')}接入负荷超过设计负荷(小马拉大车)，设备老化、自控水平低`,
      task: '更换板式换热器及循环泵，扩容并实现无人值守远程监控',
      measure: '按实测负荷重新选型，加装气候补偿与远传室温监测',
      responsible: RESPONSIBLE,
      deadline: '2025-09-30',
      status: 'approved',
      budget_wan: 90 * overloadedIds.length,
    },
    pieces: [],
    links: [{ layer: 'stations', ids: overloadedIds }],
  });
  planned.push({
    row: {
      id: 'PRJ-2025-03',
      name: `智慧供热监管平台建设${TAG}`,
      year: 2025,
      kind: 'smart',
      problem: '热源、换热站运行数据靠人工抄表，无法按日调度室外温度与供回水温度曲线',
      task: '建设供热信息化监管平台，接入全部换热站及热源运行数据',
      measure: '换热站加装远传仪表与通讯模块，平台对接12345热线投诉数据',
      responsible: RESPONSIBLE,
      deadline: '2025-10-15',
      status: 'planned',
      budget_wan: 160,
    },
    pieces: [],
    links: [],
  });
  planned.sort((a, b) => a.row.id.localeCompare(b.row.id));
  const projects = planned.map((p) => p.row);
  const projectFeatures: ProjectFeatureRow[] = planned.flatMap((p) => p.links.flatMap((l) => l.ids.map((feature_id) => ({ project_id: p.row.id, layer: l.layer, feature_id }))));

  return {
    layers: {
      heat_sources: heatSources,
      pipes,
      valves,
      stations,
      communities: communityFeatures,
      incidents,
      complaints,
      coal_areas: coalAreas,
      streets,
    },
    projects,
    projectFeatures,
    settings,
  };
}
