/**
 * The project's features as draw commands inside one map frame: base layers,
 * themed pipes, facilities and their labels. Used by the map sheet and by
 * every page of the community atlas.
 */
import type { ProjectData } from '../model/project';
import type { Position } from '../model/geojson';
import { FEATURE_COLORS } from '../style/palette';
import { MM_PER_PT, textWidthMm, type DrawCommand } from './displayList';
import type { MapProjection } from './projection';
import type { PipeTheme } from './themes';
import { pushAll } from '../arrays';

export interface NetworkStyleOptions {
  /** Size factor for line widths and symbols (1 = A3 sheet). */
  k: number;
  /** A basemap is drawn under the network: no paper fill, lighter community fills so the imagery shows. */
  overBasemap?: boolean;
  /** Draw incident points (leakage theme, atlas pages). */
  incidents?: boolean;
  complaints?: boolean;
  /** Label communities with their names. */
  communityLabels?: boolean;
  /** Draw one community stronger than the rest (atlas). */
  focusCommunityId?: string;
  /** Draw valve wells (cluttered at town scale on small paper). */
  valves?: boolean;
}

const LEVEL_WIDTH: Record<string, number> = { primary: 1.1, secondary: 0.62, courtyard: 0.38 };
const LEVEL_ORDER: Record<string, number> = { courtyard: 0, secondary: 1, primary: 2 };
const ABANDONED_COLOR = '#9aa0a6';

function inFrame(proj: MapProjection, pts: number[]): boolean {
  const f = proj.frame;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < pts.length; i += 2) {
    if (pts[i] < minX) minX = pts[i];
    if (pts[i] > maxX) maxX = pts[i];
    if (pts[i + 1] < minY) minY = pts[i + 1];
    if (pts[i + 1] > maxY) maxY = pts[i + 1];
  }
  return maxX >= f.x && minX <= f.x + f.w && maxY >= f.y && minY <= f.y + f.h;
}

function pointIn(proj: MapProjection, x: number, y: number): boolean {
  const f = proj.frame;
  return x >= f.x && x <= f.x + f.w && y >= f.y && y <= f.y + f.h;
}

/** Area-weighted centroid of a ring in lon/lat (good enough for a label at town scale). */
export function ringCentroid(ring: readonly Position[]): Position {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += f;
    cx += (ring[j][0] + ring[i][0]) * f;
    cy += (ring[j][1] + ring[i][1]) * f;
  }
  if (Math.abs(a) < 1e-18) return ring[0] ?? [0, 0];
  return [cx / (3 * a), cy / (3 * a)];
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Page box of a label from the approximate text width (with a little air around it). */
function textBox(t: Extract<DrawCommand, { kind: 'text' }>): Box {
  const w = textWidthMm(t.text, t.sizePt);
  const h = t.sizePt * MM_PER_PT;
  const x0 = t.align === 'center' ? t.x - w / 2 : t.align === 'right' ? t.x - w : t.x;
  const y0 = t.baseline === 'middle' ? t.y - h / 2 : t.baseline === 'bottom' ? t.y - h : t.y;
  const air = h * 0.12;
  return { x0: x0 - air, y0: y0 - air, x1: x0 + w + air, y1: y0 + h + air };
}

function squarePolygon(x: number, y: number, half: number): number[] {
  return [x - half, y - half, x + half, y - half, x + half, y + half, x - half, y + half];
}

export function drawNetwork(data: ProjectData, proj: MapProjection, theme: PipeTheme, o: NetworkStyleOptions): DrawCommand[] {
  const k = o.k;
  const out: DrawCommand[] = [];
  const f = proj.frame;
  out.push({ kind: 'clip', x: f.x, y: f.y, w: f.w, h: f.h });
  if (!o.overBasemap) out.push({ kind: 'rect', x: f.x, y: f.y, w: f.w, h: f.h, fill: { color: '#fbfbf7' } });

  for (const area of data.layers.coal_areas) {
    const rings = area.geometry.coordinates.map((r) => proj.line(r));
    if (!rings.length || !inFrame(proj, rings[0])) continue;
    out.push({
      kind: 'polygon',
      rings,
      fill: { color: FEATURE_COLORS.coalArea, opacity: 0.1 },
      stroke: { color: FEATURE_COLORS.coalArea, widthMm: 0.25 * k, dashMm: [1.2 * k, 0.8 * k] },
    });
  }
  for (const c of data.layers.communities) {
    const rings = c.geometry.coordinates.map((r) => proj.line(r));
    if (!rings.length || !inFrame(proj, rings[0])) continue;
    const focus = o.focusCommunityId !== undefined && c.id === o.focusCommunityId;
    const dim = o.focusCommunityId !== undefined && !focus;
    out.push({
      kind: 'polygon',
      rings,
      fill: { color: FEATURE_COLORS.community, opacity: (dim ? 0.35 : 0.75) * (o.overBasemap ? 0.5 : 1) },
      stroke: focus
        ? { color: '#b9770e', widthMm: 0.7 * k }
        : { color: FEATURE_COLORS.communityOutline, widthMm: 0.22 * k, opacity: dim ? 0.6 : 1 },
    });
  }
  for (const s of data.layers.streets) {
    const pts = proj.line(s.geometry.coordinates);
    if (pts.length < 4 || !inFrame(proj, pts)) continue;
    const main = s.properties.class === 'primary' || s.properties.class === 'main' || s.properties.class === 'trunk';
    out.push({ kind: 'polyline', points: pts, stroke: { color: FEATURE_COLORS.streetCasing, widthMm: (main ? 2.4 : 1.7) * k, cap: 'round', join: 'round' } });
  }
  for (const s of data.layers.streets) {
    const pts = proj.line(s.geometry.coordinates);
    if (pts.length < 4 || !inFrame(proj, pts)) continue;
    const main = s.properties.class === 'primary' || s.properties.class === 'main' || s.properties.class === 'trunk';
    out.push({ kind: 'polyline', points: pts, stroke: { color: '#ffffff', widthMm: (main ? 2.0 : 1.35) * k, cap: 'round', join: 'round' } });
  }

  // Primary pipes last so the trunk reads on top of the distribution network.
  const pipes = [...data.layers.pipes].sort(
    (a, b) => (LEVEL_ORDER[String(a.properties.level)] ?? 1) - (LEVEL_ORDER[String(b.properties.level)] ?? 1),
  );
  const colorOf = new Map(theme.classes.map((c) => [c.key, c.color]));
  const fallback = theme.fallback;
  const drawn: { pts: number[]; width: number; color: string; dash?: number[] }[] = [];
  for (const p of pipes) {
    const pts = proj.line(p.geometry.coordinates);
    if (pts.length < 4 || !inFrame(proj, pts)) continue;
    const width = (LEVEL_WIDTH[String(p.properties.level)] ?? 0.6) * k;
    const status = p.properties.status;
    if (status === 'abandoned') {
      drawn.push({ pts, width: width * 0.7, color: ABANDONED_COLOR, dash: [0.8 * k, 0.8 * k] });
      continue;
    }
    const cls = theme.classOf(p.properties);
    const color = (cls !== null && colorOf.get(cls)) || fallback;
    drawn.push({ pts, width, color, dash: status === 'planned' ? [2.2 * k, 1.2 * k] : undefined });
  }
  for (const d of drawn) {
    if (d.dash) continue;
    out.push({ kind: 'polyline', points: d.pts, stroke: { color: '#ffffff', widthMm: d.width + 0.35 * k, cap: 'round', join: 'round' } });
  }
  for (const d of drawn) {
    out.push({ kind: 'polyline', points: d.pts, stroke: { color: d.color, widthMm: d.width, dashMm: d.dash, cap: d.dash ? 'butt' : 'round', join: 'round' } });
  }

  if (o.valves !== false) {
    for (const v of data.layers.valves) {
      const [x, y] = proj.toPage(v.geometry.coordinates);
      if (!pointIn(proj, x, y)) continue;
      const closed = v.properties.state === 'closed';
      out.push({
        kind: 'circle', x, y, rMm: 0.42 * k,
        fill: { color: closed ? FEATURE_COLORS.valveClosed : '#ffffff' },
        stroke: { color: closed ? FEATURE_COLORS.valveClosed : FEATURE_COLORS.valveOpen, widthMm: 0.18 * k },
      });
    }
  }
  if (o.incidents) {
    for (const inc of data.layers.incidents) {
      const [x, y] = proj.toPage(inc.geometry.coordinates);
      if (!pointIn(proj, x, y)) continue;
      out.push({ kind: 'circle', x, y, rMm: 0.95 * k, fill: { color: FEATURE_COLORS.incident, opacity: 0.9 }, stroke: { color: '#ffffff', widthMm: 0.2 * k } });
    }
  }
  if (o.complaints) {
    for (const cp of data.layers.complaints) {
      const [x, y] = proj.toPage(cp.geometry.coordinates);
      if (!pointIn(proj, x, y)) continue;
      const h = 0.8 * k;
      out.push({ kind: 'polygon', rings: [[x, y - h, x + h, y + h * 0.8, x - h, y + h * 0.8]], fill: { color: FEATURE_COLORS.complaint }, stroke: { color: '#ffffff', widthMm: 0.15 * k } });
    }
  }

  // Labels are placed greedily by importance (sources, stations, communities);
  // one that would overlap a placed label or symbol, or leave the frame, is dropped.
  const placed: Box[] = [];
  const labels: DrawCommand[] = [];
  const place = (cands: DrawCommand[]): void => {
    for (const c of cands) {
      if (c.kind !== 'text') continue;
      const b = textBox(c);
      if (b.x0 < f.x + 0.5 || b.x1 > f.x + f.w - 0.5 || b.y0 < f.y + 0.5 || b.y1 > f.y + f.h - 0.5) continue;
      if (placed.some((p) => overlaps(p, b))) continue;
      placed.push(b);
      labels.push(c);
      return;
    }
  };
  const sourcePts = data.layers.heat_sources.map((s) => ({ s, xy: proj.toPage(s.geometry.coordinates) })).filter(({ xy }) => pointIn(proj, xy[0], xy[1]));
  const stationPts = data.layers.stations.map((s) => ({ s, xy: proj.toPage(s.geometry.coordinates) })).filter(({ xy }) => pointIn(proj, xy[0], xy[1]));
  const half = 1.25 * k;
  for (const { xy: [x, y] } of sourcePts) placed.push({ x0: x - 2.5 * k, y0: y - 2.5 * k, x1: x + 2.5 * k, y1: y + 2.5 * k });
  for (const { xy: [x, y] } of stationPts) placed.push({ x0: x - half, y0: y - half, x1: x + half, y1: y + half });
  for (const { s, xy: [x, y] } of sourcePts) {
    const backup = s.properties.is_backup === true || s.properties.is_backup === 1;
    const color = backup ? FEATURE_COLORS.backupSource : FEATURE_COLORS.source;
    const base = { kind: 'text' as const, text: String(s.properties.name ?? s.id), sizePt: 8.5 * k, color, bold: true, halo: '#ffffff' };
    place([
      { ...base, x, y: y - 3.2 * k, align: 'center', baseline: 'bottom' },
      { ...base, x, y: y + 3.2 * k, align: 'center', baseline: 'top' },
      { ...base, x: x + 3.2 * k, y, align: 'left', baseline: 'middle' },
      { ...base, x: x - 3.2 * k, y, align: 'right', baseline: 'middle' },
    ]);
  }
  for (const { s, xy: [x, y] } of stationPts) {
    const base = { kind: 'text' as const, text: String(s.properties.name ?? s.id), sizePt: 6.8 * k, color: FEATURE_COLORS.station, bold: true, halo: '#ffffff' };
    const d = half + 0.8 * k;
    place([
      { ...base, x: x + d, y, align: 'left', baseline: 'middle' },
      { ...base, x: x - d, y, align: 'right', baseline: 'middle' },
      { ...base, x, y: y - d, align: 'center', baseline: 'bottom' },
      { ...base, x, y: y + d, align: 'center', baseline: 'top' },
    ]);
  }
  if (o.communityLabels !== false) {
    for (const c of data.layers.communities) {
      const ring = c.geometry.coordinates[0];
      if (!ring || ring.length < 3) continue;
      const [x, y] = proj.toPage(ringCentroid(ring));
      if (!pointIn(proj, x, y)) continue;
      const focus = c.id === o.focusCommunityId;
      const base = { kind: 'text' as const, text: String(c.properties.name ?? c.id), sizePt: (focus ? 9 : 6.2) * k, color: '#7e5109', bold: focus, halo: '#fbf3dc' };
      place([
        { ...base, x, y, align: 'center', baseline: 'middle' },
        { ...base, x, y: y - 2.2 * k, align: 'center', baseline: 'middle' },
        { ...base, x, y: y + 2.2 * k, align: 'center', baseline: 'middle' },
      ]);
    }
  }
  for (const { xy: [x, y] } of stationPts) {
    out.push({ kind: 'polygon', rings: [squarePolygon(x, y, half)], fill: { color: FEATURE_COLORS.station }, stroke: { color: '#ffffff', widthMm: 0.3 * k } });
  }
  for (const { s, xy: [x, y] } of sourcePts) {
    const backup = s.properties.is_backup === true || s.properties.is_backup === 1;
    const color = backup ? FEATURE_COLORS.backupSource : FEATURE_COLORS.source;
    out.push({ kind: 'circle', x, y, rMm: 2.3 * k, fill: { color }, stroke: { color: '#ffffff', widthMm: 0.45 * k } });
    out.push({ kind: 'circle', x, y, rMm: 0.9 * k, fill: { color: '#ffffff' } });
  }
  pushAll(out, labels);
  out.push({ kind: 'unclip' });
  out.push({ kind: 'rect', x: f.x, y: f.y, w: f.w, h: f.h, stroke: { color: '#34495e', widthMm: 0.35 * k } });
  return out;
}
