/**
 * A meeting-ready map sheet as a display list: title band, the themed
 * network in a map frame, and a side panel with north arrow, legend (with km
 * per class), network figures, scale bar, issuing unit, date and data note.
 */
import { homeBBox } from './home';
import { DEFAULT_SETTINGS } from '../model/settings';
import type { BBox } from '../model/geojson';
import type { ProjectData } from '../model/project';
import { PIPE_LEVELS, PIPE_LEVEL_LABELS, PIPE_STATUS_LABELS, VALVE_STATE_LABELS, layerDef, type LayerName } from '../model/schema';
import { t, type Lang } from '../i18n';
import { FEATURE_COLORS } from '../style/palette';
import { INFO_THEME_KEY, THEMES, legendRows } from '../style/themes';
import { projectInfo, type ProjectInfo } from '../plan/info';
import { MM_PER_PT, fitText, textWidthMm, type DrawCommand, type Page } from './displayList';
import { INK, MUTED, graticuleTicks, northArrow, scaleBar, textBlock } from './furniture';
import { sheetLayout, type Orientation, type Paper } from './layout';
import { drawNetwork } from './network';
import { withValidGeometry } from './validGeometry';
import { bboxOfCoords, fitProjection, padBBox, roundScale, type MapProjection } from './projection';
import { pipeTheme, themeTitle, type MapTheme, type PipeTheme } from './themes';
import { pushAll } from '../arrays';
import { grouped } from '../format/number';

export interface SheetText {
  title?: string;
  subtitle?: string;
  /** Issuing unit (编制单位). */
  issuingUnit: string;
  /** Date printed on the sheet, as the user wants it read (2026-11-27). */
  date: string;
  /** Data note (数据说明): source, coordinate system, how lengths were computed. */
  dataNote: string;
}

export interface MapSheetOptions extends SheetText {
  paper: Paper;
  orientation: Orientation;
  theme: MapTheme;
  /** Reference year of the age classes. */
  year: number;
  /** Area to show; the whole project when absent. */
  bbox?: BBox;
  /** Language of the sheet furniture (titles, legend, figures); data stays as written. Default zh. */
  lang?: Lang;
  /**
   * The basemap under the network: an image of exactly the map frame's
   * lon/lat box (sheetMapView), its attribution, and the approval number
   * (审图号) its provider requires on printed maps.
   */
  basemap?: { png: Uint8Array; attribution: string; approvalNumber?: string; opacity?: number };
}

/** The lon/lat box the map frame shows and its size on paper: what a basemap image must cover. */
export function sheetMapView(project: ProjectData, opts: Pick<MapSheetOptions, 'paper' | 'orientation' | 'bbox'>): { bbox: BBox; widthMm: number; heightMm: number } {
  const L = sheetLayout(opts.paper, opts.orientation);
  const box = opts.bbox ?? projectBBox(withValidGeometry(project)) ?? ([115.02, 42.28, 115.04, 42.295] as BBox);
  const proj = fitProjection(padBBox(box, 0.04), L.map);
  return { bbox: proj.shownBBox, widthMm: L.map.w, heightMm: L.map.h };
}

/** The basemap's credit in the map frame's lower right corner, on a white box so it reads over imagery. */
export function basemapCredit(frame: { x: number; y: number; w: number; h: number }, b: { attribution: string; approvalNumber?: string }, k: number, lang: Lang): DrawCommand[] {
  const text = t(lang, 'sheet.basemapCredit', { a: b.attribution }) + (b.approvalNumber ? t(lang, 'sheet.approvalNumber', { n: b.approvalNumber }) : '');
  const size = 6.5 * k;
  // The room for the text, computed once (w − 3k would not give it back exactly, and the credit would lose its end).
  const room = Math.min(textWidthMm(text, size), frame.w - 7 * k);
  const w = room + 3 * k;
  const h = size * MM_PER_PT + 2.2 * k;
  const x = frame.x + frame.w - w - 1.5 * k;
  const y = frame.y + frame.h - h - 1.5 * k;
  return [
    { kind: 'rect', x, y, w, h, fill: { color: '#ffffff', opacity: 0.85 } },
    { kind: 'text', x: x + w - 1.5 * k, y: y + h / 2, text: fitText(text, size, room), sizePt: size, color: INK, align: 'right', baseline: 'middle' },
  ];
}

/** Issuing unit printed when the user names none. */
export function defaultIssuingUnit(lang: Lang = 'zh'): string {
  return t(lang, 'sheet.defaultUnit');
}

export function defaultTitle(theme: MapTheme, lang: Lang = 'zh'): string {
  return t(lang, 'sheet.defaultTitle', { theme: themeTitle(theme, lang) });
}

/** Bounding box of everything drawn on a map of the project (pipes, facilities, communities). */
export function projectBBox(data: ProjectData): BBox | null {
  let b: BBox | null = null;
  const L = data.layers;
  for (const p of L.pipes) b = bboxOfCoords(p.geometry.coordinates, b ?? undefined);
  for (const c of L.communities) b = bboxOfCoords(c.geometry.coordinates[0] ?? [], b ?? undefined);
  for (const s of [...L.stations, ...L.heat_sources]) b = bboxOfCoords([s.geometry.coordinates], b ?? undefined);
  return b;
}

interface Block {
  commands: DrawCommand[];
  height: number;
}

type BlockFn = (x: number, y: number, w: number) => Block;

function header(x: number, y: number, text: string, k: number): DrawCommand {
  return { kind: 'text', x, y, text, sizePt: 10.5 * k, color: INK, bold: true, baseline: 'top' };
}

function lineSwatch(x: number, y: number, w: number, color: string, width: number, dash?: number[]): DrawCommand {
  return { kind: 'polyline', points: [x, y, x + w, y], stroke: { color, widthMm: width, dashMm: dash, cap: 'butt' } };
}

/**
 * The legend: theme classes with their km, then line widths and symbols.
 * `split` returns the two parts separately (portrait sheets put them side by side).
 */
function legendBlocks(data: ProjectData, info: ProjectInfo, theme: PipeTheme, opts: MapSheetOptions, k: number, split: boolean): BlockFn[] {
  const lang = opts.lang ?? 'zh';
  const layer = (n: LayerName) => layerDef(n)!.label[lang];
  const classLegend: BlockFn = (x, y, w) => {
    const out: DrawCommand[] = [header(x, y, t(lang, 'sheet.legend'), k)];
    let cy = y + 6.5 * k;
    out.push({ kind: 'text', x, y: cy, text: t(lang, 'sheet.legendKm', { theme: theme.legendTitle }), sizePt: 8 * k, color: MUTED, baseline: 'top' });
    cy += 5 * k;
    // Same totals as `warmnet info` and the app's legend: every pipe, whatever its status.
    const stats = new Map(legendRows(THEMES[theme.id], info.themes[INFO_THEME_KEY[theme.id]]).map((r) => [r.value, r.km]));
    const row = 5.2 * k;
    const sw = 10 * k;
    const size = 8.5 * k;
    for (const c of theme.classes) {
      const km = stats.get(c.key) ?? 0;
      out.push(lineSwatch(x, cy + row / 2, sw, c.color, 1.3 * k));
      out.push({ kind: 'text', x: x + sw + 2.5 * k, y: cy + row / 2, text: fitText(c.label, size, w - sw - 18 * k), sizePt: size, color: INK, baseline: 'middle' });
      out.push({ kind: 'text', x: x + w, y: cy + row / 2, text: km.toFixed(2), sizePt: size, color: INK, align: 'right', baseline: 'middle' });
      cy += row;
    }
    if (!split) {
      cy += 2 * k;
      const rest = symbolLegend(x, cy, w);
      pushAll(out, rest.commands);
      cy += rest.height;
    }
    return { commands: out, height: cy - y };
  };
  const symbolLegend: BlockFn = (x, y) => {
    const out: DrawCommand[] = [];
    let cy = y;
    const row = 5.2 * k;
    const sw = 10 * k;
    const size = 8.5 * k;
    out.push({ kind: 'text', x, y: cy, text: t(lang, 'sheet.symbols'), sizePt: 8 * k, color: MUTED, baseline: 'top' });
    cy += 5 * k;
    const sym = (draw: (sx: number, sy: number) => DrawCommand[], label: string) => {
      pushAll(out, draw(x, cy + row / 2));
      out.push({ kind: 'text', x: x + sw + 2.5 * k, y: cy + row / 2, text: label, sizePt: size, color: INK, baseline: 'middle' });
      cy += row;
    };
    const widths: Record<string, number> = { primary: 1.1, secondary: 0.62, courtyard: 0.38 };
    for (const lv of PIPE_LEVELS) sym((sx, sy) => [lineSwatch(sx, sy, sw, INK, widths[lv] * k)], PIPE_LEVEL_LABELS[lv][lang]);
    if (data.layers.pipes.some((p) => p.properties.status === 'planned'))
      sym((sx, sy) => [lineSwatch(sx, sy, sw, INK, 0.62 * k, [2.2 * k, 1.2 * k])], t(lang, 'sheet.dashedPipes', { status: PIPE_STATUS_LABELS.planned[lang] }));
    if (data.layers.pipes.some((p) => p.properties.status === 'abandoned'))
      sym((sx, sy) => [lineSwatch(sx, sy, sw, '#9aa0a6', 0.45 * k, [0.8 * k, 0.8 * k])], t(lang, 'sheet.statusPipes', { status: PIPE_STATUS_LABELS.abandoned[lang] }));
    sym((sx, sy) => [
      { kind: 'circle', x: sx + sw / 2, y: sy, rMm: 2.0 * k, fill: { color: FEATURE_COLORS.source }, stroke: { color: '#ffffff', widthMm: 0.4 * k } },
      { kind: 'circle', x: sx + sw / 2, y: sy, rMm: 0.8 * k, fill: { color: '#ffffff' } },
    ], layer('heat_sources'));
    if (data.layers.heat_sources.some((s) => s.properties.is_backup === true || s.properties.is_backup === 1))
      sym((sx, sy) => [
        { kind: 'circle', x: sx + sw / 2, y: sy, rMm: 2.0 * k, fill: { color: FEATURE_COLORS.backupSource }, stroke: { color: '#ffffff', widthMm: 0.4 * k } },
        { kind: 'circle', x: sx + sw / 2, y: sy, rMm: 0.8 * k, fill: { color: '#ffffff' } },
      ], t(lang, 'sheet.backupSource'));
    sym((sx, sy) => [{ kind: 'rect', x: sx + sw / 2 - 1.25 * k, y: sy - 1.25 * k, w: 2.5 * k, h: 2.5 * k, fill: { color: FEATURE_COLORS.station } }], layer('stations'));
    sym((sx, sy) => [{ kind: 'circle', x: sx + sw / 2, y: sy, rMm: 0.6 * k, fill: { color: '#ffffff' }, stroke: { color: FEATURE_COLORS.valveOpen, widthMm: 0.25 * k } }], layer('valves'));
    if (data.layers.valves.some((v) => v.properties.state === 'closed'))
      sym((sx, sy) => [{ kind: 'circle', x: sx + sw / 2, y: sy, rMm: 0.6 * k, fill: { color: FEATURE_COLORS.valveClosed } }], t(lang, 'sheet.closedValve', { layer: layer('valves'), state: VALVE_STATE_LABELS.closed[lang] }));
    if (opts.theme === 'leakage' && data.layers.incidents.length)
      sym((sx, sy) => [{ kind: 'circle', x: sx + sw / 2, y: sy, rMm: 0.8 * k, fill: { color: FEATURE_COLORS.incident } }], t(lang, 'sheet.incidentPoint'));
    sym((sx, sy) => [{ kind: 'rect', x: sx, y: sy - 1.8 * k, w: sw, h: 3.6 * k, fill: { color: FEATURE_COLORS.community, opacity: 0.75 }, stroke: { color: FEATURE_COLORS.communityOutline, widthMm: 0.22 * k } }], layer('communities'));
    if (data.layers.coal_areas.length)
      sym((sx, sy) => [{ kind: 'rect', x: sx, y: sy - 1.8 * k, w: sw, h: 3.6 * k, fill: { color: FEATURE_COLORS.coalArea, opacity: 0.1 }, stroke: { color: FEATURE_COLORS.coalArea, widthMm: 0.25 * k, dashMm: [1.2 * k, 0.8 * k] } }], layer('coal_areas'));
    if (data.layers.streets.length)
      sym((sx, sy) => [lineSwatch(sx, sy, sw, FEATURE_COLORS.streetCasing, 1.7 * k), lineSwatch(sx + 0.2 * k, sy, sw - 0.4 * k, '#ffffff', 1.35 * k)], layer('streets'));
    return { commands: out, height: cy - y };
  };
  return split ? [classLegend, symbolLegend] : [classLegend];
}

function figuresBlock(data: ProjectData, info: ProjectInfo, k: number, lang: Lang): BlockFn {
  return (x, y, w) => {
    const out: DrawCommand[] = [header(x, y, t(lang, 'sheet.figures'), k)];
    let cy = y + 7 * k;
    const size = 8.5 * k;
    const row = 4.8 * k;
    const lv = info.pipes.kmByLevel;
    const households = data.layers.communities.reduce((s, c) => s + (typeof c.properties.households === 'number' ? c.properties.households : 0), 0);
    const rows: [string, string][] = [
      ...PIPE_LEVELS.map((l): [string, string] => [PIPE_LEVEL_LABELS[l][lang], `${(lv[l] ?? 0).toFixed(2)} km`]),
      [t(lang, 'sheet.pipesTotal'), `${info.pipes.km.toFixed(2)} km`],
      [t(lang, 'sheet.ofWhich', { status: PIPE_STATUS_LABELS.in_service[lang] }), `${(info.pipes.kmByStatus.in_service ?? 0).toFixed(2)} km`],
      [t(lang, 'sheet.sourcesStations'), t(lang, 'sheet.sourcesStationsN', { a: data.layers.heat_sources.length, b: data.layers.stations.length })],
      [t(lang, 'sheet.communitiesHouseholds'), t(lang, 'sheet.communitiesHouseholdsN', { a: data.layers.communities.length, b: grouped(households, 0) })],
    ];
    for (const [i, [a, b]] of rows.entries()) {
      if (i === 3) out.push({ kind: 'polyline', points: [x, cy - 0.3 * k, x + w, cy - 0.3 * k], stroke: { color: '#aab0b8', widthMm: 0.15 * k } });
      out.push({ kind: 'text', x, y: cy + row / 2, text: a, sizePt: size, color: INK, baseline: 'middle', bold: i === 3 });
      out.push({ kind: 'text', x: x + w, y: cy + row / 2, text: b, sizePt: size, color: INK, align: 'right', baseline: 'middle', bold: i === 3 });
      cy += row;
    }
    return { commands: out, height: cy - y };
  };
}

function scaleBlock(proj: MapProjection, k: number, lang: Lang): BlockFn {
  return (x, y, w) => {
    const out: DrawCommand[] = [header(x, y, t(lang, 'sheet.scale'), k)];
    out.push({ kind: 'text', x: x + w, y, text: `1:${grouped(roundScale(proj.scaleDenominator), 0)}`, sizePt: 9 * k, color: INK, align: 'right', baseline: 'top' });
    const bar = scaleBar(x + 2 * k, y + 7 * k, w - 10 * k, proj.mmPerM, k);
    pushAll(out, bar.commands);
    return { commands: out, height: 7 * k + bar.height + 1 * k };
  };
}

function footerBlock(opts: MapSheetOptions, k: number): BlockFn {
  return (x, y, w) => {
    const out: DrawCommand[] = [];
    const size = 7.5 * k;
    let cy = y;
    const lang = opts.lang ?? 'zh';
    for (const line of [t(lang, 'sheet.issuingUnit', { v: opts.issuingUnit }), t(lang, 'sheet.date', { v: opts.date })]) {
      const b = textBlock(x, cy, line, size, w);
      pushAll(out, b.commands);
      cy += b.height + 0.6 * k;
    }
    const note = textBlock(x, cy, t(lang, 'sheet.dataNote', { v: opts.dataNote }), 6.8 * k, w, MUTED);
    pushAll(out, note.commands);
    cy += note.height;
    return { commands: out, height: cy - y };
  };
}

export function buildMapSheet(project: ProjectData, opts: MapSheetOptions): Page {
  const data = withValidGeometry(project);
  const L = sheetLayout(opts.paper, opts.orientation);
  const k = L.k;
  const lang = opts.lang ?? 'zh';
  const theme = pipeTheme(opts.theme, data.settings, opts.year, lang);
  const info = projectInfo(project, opts.year);
  const box = opts.bbox ?? projectBBox(data) ?? homeBBox({ ...DEFAULT_SETTINGS, ...data.settings });
  const proj = fitProjection(padBBox(box, 0.04), L.map);
  const cmds: DrawCommand[] = [];

  cmds.push({ kind: 'rect', x: L.border.x, y: L.border.y, w: L.border.w, h: L.border.h, stroke: { color: INK, widthMm: 0.6 * k } });
  cmds.push({ kind: 'rect', x: L.border.x - 1.2 * k, y: L.border.y - 1.2 * k, w: L.border.w + 2.4 * k, h: L.border.h + 2.4 * k, stroke: { color: INK, widthMm: 0.2 * k } });

  const title = opts.title ?? defaultTitle(opts.theme, lang);
  const subtitle = opts.subtitle ?? t(lang, 'sheet.subtitle', { theme: THEMES[theme.id].label[lang] });
  cmds.push({ kind: 'text', x: L.title.x + L.title.w / 2, y: L.title.y + L.title.h * 0.42, text: title, sizePt: 22 * k, color: INK, bold: true, align: 'center', baseline: 'middle' });
  cmds.push({ kind: 'text', x: L.title.x + L.title.w / 2, y: L.title.y + L.title.h * 0.8, text: subtitle, sizePt: 9.5 * k, color: MUTED, align: 'center', baseline: 'middle' });
  cmds.push({ kind: 'polyline', points: [L.title.x, L.title.y + L.title.h, L.title.x + L.title.w, L.title.y + L.title.h], stroke: { color: INK, widthMm: 0.35 * k } });

  if (opts.basemap) {
    const f = L.map;
    cmds.push({ kind: 'clip', x: f.x, y: f.y, w: f.w, h: f.h });
    cmds.push({ kind: 'image', x: f.x, y: f.y, w: f.w, h: f.h, png: opts.basemap.png, ...(opts.basemap.opacity !== undefined ? { opacity: opts.basemap.opacity } : {}) });
    cmds.push({ kind: 'unclip' });
  }
  pushAll(cmds, drawNetwork(data, proj, theme, { k, incidents: opts.theme === 'leakage', valves: true, overBasemap: !!opts.basemap }));
  if (opts.basemap) pushAll(cmds, basemapCredit(L.map, opts.basemap, k, lang));
  pushAll(cmds, graticuleTicks(proj.shownBBox, L.map, (p) => proj.toPage(p), k));

  const pad = 5 * k;
  const p = L.panel;
  if (L.panelColumns === 1) {
    cmds.push({ kind: 'polyline', points: [p.x, p.y, p.x, p.y + p.h], stroke: { color: INK, widthMm: 0.35 * k } });
    const x = p.x + pad;
    const w = p.w - 2 * pad;
    let y = p.y + pad;
    pushAll(cmds, northArrow(x + w / 2, y, 16 * k));
    y += 16 * k + 4 * k;
    for (const block of [...legendBlocks(data, info, theme, opts, k, false), figuresBlock(data, info, k, lang), scaleBlock(proj, k, lang)]) {
      const b = block(x, y, w);
      pushAll(cmds, b.commands);
      y += b.height + 5 * k;
    }
    // The footer sits at the bottom of the panel; measure it first, then place it.
    const foot = footerBlock(opts, k)(x, 0, w);
    const fy = Math.max(y, p.y + p.h - pad - foot.height);
    cmds.push({ kind: 'polyline', points: [p.x, fy - 2.5 * k, p.x + p.w, fy - 2.5 * k], stroke: { color: '#aab0b8', widthMm: 0.2 * k } });
    pushAll(cmds, footerBlock(opts, k)(x, fy, w).commands);
  } else {
    cmds.push({ kind: 'polyline', points: [p.x, p.y, p.x + p.w, p.y], stroke: { color: INK, widthMm: 0.35 * k } });
    const colW = p.w / 4;
    const w = colW - 2 * pad;
    const col = (i: number) => p.x + i * colW + pad;
    for (let i = 1; i < 4; i++) cmds.push({ kind: 'polyline', points: [p.x + i * colW, p.y + pad, p.x + i * colW, p.y + p.h - pad], stroke: { color: '#aab0b8', widthMm: 0.2 * k } });
    const [classes, symbols] = legendBlocks(data, info, theme, opts, k, true);
    pushAll(cmds, classes(col(0), p.y + pad, w).commands);
    pushAll(cmds, symbols(col(1), p.y + pad, w).commands);
    const fig = figuresBlock(data, info, k, lang)(col(2), p.y + pad, w);
    pushAll(cmds, fig.commands);
    pushAll(cmds, scaleBlock(proj, k, lang)(col(2), p.y + pad + fig.height + 5 * k, w).commands);
    pushAll(cmds, northArrow(col(3) + w / 2, p.y + pad, 14 * k));
    pushAll(cmds, footerBlock(opts, k)(col(3), p.y + pad + 19 * k, w).commands);
  }
  return { widthMm: L.w, heightMm: L.h, commands: cmds };
}

export { MM_PER_PT };
