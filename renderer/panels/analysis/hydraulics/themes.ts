/**
 * The hydraulics map themes, declared as data: pipes by flow (width, with
 * direction arrows along the line, turned by the sign of the flow), velocity,
 * R (Pa/m), supply pressure or supply temperature; stations by their ΔP
 * against the minimum (traffic light); the most unfavourable station ringed
 * and the 水压图 path drawn under the pipes.
 */
import type { Feature, FeatureCollection } from '../../../../core/model/geojson';
import { dnWidthExpression } from '../../../../core/style/themes';
import { ARROW_FLOW_SHARE, type ClassedTheme, type HydraulicsView } from '../../../../core/hydraulics/view';
import type { HydraulicsMessageKey } from '../../../i18n/messages';
import type { MapOverlay, OverlayImage, OverlayLayer } from '../../../map/overlays';
import { FONT_BOLD } from '../../../map/style';
import { compact } from '../../../../core/format/number';
import { codeMatch } from '../overlay';

export type HydTheme = 'flow' | 'velocity' | 'r' | 'pressure' | 'dp' | 'temp';
export const HYD_THEMES: [HydTheme, HydraulicsMessageKey][] = [
  ['flow', 'hydThemeFlow'],
  ['velocity', 'hydThemeVelocity'],
  ['r', 'hydThemeR'],
  ['pressure', 'hydThemePressure'],
  ['dp', 'hydThemeDp'],
  ['temp', 'hydThemeTemp'],
];

export const LIGHT_COLORS = { ok: '#1a9850', low: '#fdae61', short: '#d73027', unserved: '#7f7f7f' } as const;
export const LIGHT_KEYS: [keyof typeof LIGHT_COLORS, HydraulicsMessageKey][] = [
  ['ok', 'hydLightOk'],
  ['low', 'hydLightLow'],
  ['short', 'hydLightShort'],
  ['unserved', 'hydLightUnserved'],
];
const FLOW_COLOR = '#1f5f99';
const NEUTRAL = '#8a97a3';
const RAMP = ['#2c7bb6', '#abd9e9', '#fee090', '#fdae61', '#d7191c'];

export interface ThemeClass {
  color: string;
  label: string;
}

const valueOf = (theme: HydTheme, p: HydraulicsView['pipes'][number]): number | null =>
  theme === 'velocity' ? p.velocityMs : theme === 'r' ? p.rPam : theme === 'pressure' ? p.supplyPressureKpa : theme === 'temp' ? p.supplyInC : null;

/** The class breaks of a theme, as the backend made them over all pipes (core/hydraulics/view.ts themeBreaks). */
const breaksOf = (view: HydraulicsView, theme: HydTheme): number[] => (theme === 'flow' || theme === 'dp' ? [] : view.legend.breaks[theme as ClassedTheme]);

/** The legend of a pipe theme (its classes with their colours). */
export function themeClasses(view: HydraulicsView, theme: HydTheme, unit: string): ThemeClass[] {
  if (theme === 'flow' || theme === 'dp') return [];
  const b = breaksOf(view, theme);
  const colors = b.length ? rampOf(b.length + 1) : [RAMP[0]];
  return colors.map((color, i) => ({
    color,
    label: b.length === 0 ? '' : i === 0 ? `< ${compact(b[0])} ${unit}` : i === b.length ? `≥ ${compact(b[b.length - 1])} ${unit}` : `${compact(b[i - 1])}–${compact(b[i])} ${unit}`,
  }));
}

/** n colours spread over the ramp (low blue … high red). */
const rampOf = (n: number) => (n >= RAMP.length ? RAMP : Array.from({ length: n }, (_, i) => RAMP[Math.round((i * (RAMP.length - 1)) / Math.max(1, n - 1))]));

function colourOf(value: number | null, b: number[], ramp: string[]): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  let i = 0;
  while (i < b.length && value >= b[i]) i++;
  return ramp[Math.min(i, ramp.length - 1)];
}

/** A small arrow pointing along +x (the line's direction), dark with a white rim; 2× for crisp edges. */
export function arrowImage(): OverlayImage {
  const w = 28, h = 20;
  const data = new Uint8ClampedArray(w * h * 4);
  const inside = (x: number, y: number, grow: number) => {
    // triangle (4,2) – (24,10) – (4,18), grown by `grow` pixels
    const cx = 11, cy = 10;
    const px = cx + (x - cx) / (1 + grow / 10), py = cy + (y - cy) / (1 + grow / 8);
    const d1 = (24 - 4) * (py - 2) - (10 - 2) * (px - 4);
    const d2 = (4 - 24) * (py - 10) - (18 - 10) * (px - 24);
    const d3 = (4 - 4) * (py - 18) - (2 - 18) * (px - 4);
    return d1 >= 0 && d2 >= 0 && d3 >= 0;
  };
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const k = (y * w + x) * 4;
      if (inside(x + 0.5, y + 0.5, 0)) data.set([11, 60, 93, 255], k);
      else if (inside(x + 0.5, y + 0.5, 3)) data.set([255, 255, 255, 235], k);
    }
  return { width: w, height: h, data, pixelRatio: 2 };
}

export const HYD_PIPES = 'hydraulics-pipes';
export const HYD_STATIONS = 'hydraulics-stations';
export const HYD_PATH = 'hydraulics-path';

/** The overlay of a hydraulic result in a theme (pipes from the app's layer, numbers from the result). */
export function hydraulicsOverlay(view: HydraulicsView, pipes: FeatureCollection | undefined, theme: HydTheme, showPath: boolean, tiled = false): MapOverlay {
  if (tiled) return tiledHydraulicsOverlay(view, theme, showPath);
  const byId = new Map(view.pipes.map((p) => [p.id, p]));
  const b = breaksOf(view, theme);
  const ramp = rampOf(b.length + 1);
  const qmax = view.legend.flowMaxM3h;
  const features: Feature[] = [];
  const path: Feature[] = [];
  const onPath = new Set(showPath ? (view.profile?.pipes ?? []) : []);
  for (const f of pipes?.features ?? []) {
    const id = String(f.id ?? f.properties?.id);
    const p = byId.get(id);
    if (!p) continue;
    const q = p.flowM3h;
    const colour = theme === 'flow' ? FLOW_COLOR : theme === 'dp' ? NEUTRAL : colourOf(valueOf(theme, p), b, ramp) ?? NEUTRAL;
    features.push({
      type: 'Feature',
      id,
      geometry: f.geometry,
      properties: { id, dn: p.dn, q, _c: colour, _w: 1.2 + 11 * Math.sqrt(Math.abs(q) / qmax), _arrow: Math.abs(q) > qmax * ARROW_FLOW_SHARE },
    });
    if (onPath.has(id)) path.push({ type: 'Feature', geometry: f.geometry, properties: { dn: p.dn } });
  }
  const stations: Feature[] = [];
  for (const s of view.stations) {
    if (s.lon === null || s.lat === null) continue;
    stations.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: { id: s.id, light: s.light, _c: LIGHT_COLORS[s.light], _unfav: view.unfavourable?.station === s.id, dp: s.dpKpa },
    });
  }
  const width = theme === 'flow' ? (['get', '_w'] as never) : (dnWidthExpression(0.7) as never);
  const layers: OverlayLayer[] = [
    {
      id: 'hydraulics-path-halo', type: 'line', source: HYD_PATH, before: 'incidents-circle',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#ffd92f', 'line-width': dnWidthExpression(9) as never, 'line-opacity': 0.75 },
    },
    {
      id: 'hydraulics-pipe-line', type: 'line', source: HYD_PIPES, before: 'incidents-circle',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': ['get', '_c'], 'line-width': width },
    },
  ];
  if (theme === 'flow')
    layers.push({
      id: 'hydraulics-flow-arrows', type: 'symbol', source: HYD_PIPES, filter: ['==', ['get', '_arrow'], true],
      layout: {
        'symbol-placement': 'line', 'symbol-spacing': 90, 'icon-image': 'hydraulics-arrow', 'icon-size': 1,
        'icon-rotate': ['case', ['<', ['get', 'q'], 0], 180, 0], 'icon-rotation-alignment': 'map', 'icon-allow-overlap': true, 'icon-ignore-placement': true,
      },
    });
  layers.push(
    {
      id: 'hydraulics-station', type: 'circle', source: HYD_STATIONS,
      paint: {
        'circle-radius': theme === 'dp' ? 8 : 4,
        'circle-color': theme === 'dp' ? ['get', '_c'] : '#ffffff',
        'circle-stroke-color': theme === 'dp' ? '#1d1d1d' : ['get', '_c'],
        'circle-stroke-width': 2,
      },
    },
    {
      id: 'hydraulics-unfavourable', type: 'circle', source: HYD_STATIONS, filter: ['==', ['get', '_unfav'], true],
      paint: { 'circle-radius': 13, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#d7263d', 'circle-stroke-width': 3 },
    },
    {
      id: 'hydraulics-unfavourable-label', type: 'symbol', source: HYD_STATIONS, filter: ['==', ['get', '_unfav'], true],
      layout: {
        'text-field': ['concat', ['get', 'id'], ' ', ['to-string', ['round', ['get', 'dp']]], ' kPa'], 'text-font': [FONT_BOLD], 'text-size': 12,
        'text-offset': [0, -1.9], 'text-allow-overlap': true, 'text-ignore-placement': true,
      },
      paint: { 'text-color': '#d7263d', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
    },
  );
  return {
    sources: {
      [HYD_PATH]: { type: 'FeatureCollection', features: path },
      [HYD_PIPES]: { type: 'FeatureCollection', features },
      [HYD_STATIONS]: { type: 'FeatureCollection', features: stations },
    },
    layers,
    images: { 'hydraulics-arrow': arrowImage() },
  };
}

/** The source of a run's result tiles (the pipes layer's tiles with the run's numbers as `hyd_*` properties). */
export const HYD_TILES = 'hydraulics-pipe-tiles';

/** A tile property of each classed theme (electron/backend/tiles.ts). */
const TILE_PROPERTY: Record<ClassedTheme, string> = { velocity: 'hyd_v', r: 'hyd_r', pressure: 'hyd_p', temp: 'hyd_t' };

/**
 * The colour of a pipe of the result's tiles in a theme, as a style expression: the class of
 * its number (`step` over the breaks: a value ≥ break i is past class i, as colourOf), grey
 * where the pipe has none.
 */
export function tileColourExpression(view: HydraulicsView, theme: HydTheme): unknown {
  if (theme === 'flow') return FLOW_COLOR;
  if (theme === 'dp') return NEUTRAL;
  const b = breaksOf(view, theme);
  const ramp = rampOf(b.length + 1);
  const prop = TILE_PROPERTY[theme as ClassedTheme];
  const step: unknown[] = ['step', ['get', prop], ramp[0]];
  b.forEach((x, i) => step.push(x, ramp[Math.min(i + 1, ramp.length - 1)]));
  return ['case', ['has', prop], b.length ? step : ramp[0], NEUTRAL];
}

/**
 * The overlay of a hydraulic result when the pipes come as tiles (no GeoJSON of them here,
 * no number per pipe in the answer): the backend cuts the result's tiles, the pipes with the
 * run's numbers as properties (`hyd_q`, `hyd_v`, …), and the themes are style expressions on
 * them with the breaks and the largest flow the answer brings: the same colours, widths and
 * arrows as the GeoJSON overlay. The 水压图's path (a few pipes) is listed by code.
 */
function tiledHydraulicsOverlay(view: HydraulicsView, theme: HydTheme, showPath: boolean): MapOverlay {
  const token = view.pipeTiles?.token;
  const qmax = view.legend.flowMaxM3h;
  const src = { source: HYD_TILES, 'source-layer': 'pipes' } as const;
  const line = { 'line-cap': 'round', 'line-join': 'round' } as const;
  const layers: OverlayLayer[] = [];
  const path = showPath ? (view.profile?.pipes ?? []) : [];
  const absQ = ['abs', ['get', 'hyd_q']];
  if (token) {
    if (path.length)
      layers.push({
        id: 'hydraulics-path-halo-tiled', type: 'line', ...src, before: 'incidents-circle', filter: codeMatch([[true, [...new Set(path)]]], false) as never, layout: line,
        paint: { 'line-color': '#ffd92f', 'line-width': dnWidthExpression(9) as never, 'line-opacity': 0.75 },
      });
    const width = theme === 'flow' ? ['+', 1.2, ['*', 11, ['sqrt', ['/', absQ, qmax]]]] : dnWidthExpression(0.7);
    layers.push({
      id: 'hydraulics-pipe-line-tiled', type: 'line', ...src, before: 'incidents-circle', filter: ['has', 'hyd_q'] as never, layout: line,
      paint: { 'line-color': tileColourExpression(view, theme) as never, 'line-width': width as never },
    });
    if (theme === 'flow')
      layers.push({
        id: 'hydraulics-flow-arrows-tiled', type: 'symbol', ...src, filter: ['all', ['has', 'hyd_q'], ['>', absQ, qmax * ARROW_FLOW_SHARE]] as never,
        layout: {
          'symbol-placement': 'line', 'symbol-spacing': 90, 'icon-image': 'hydraulics-arrow', 'icon-size': 1,
          'icon-rotate': ['case', ['<', ['get', 'hyd_q'], 0], 180, 0], 'icon-rotation-alignment': 'map', 'icon-allow-overlap': true, 'icon-ignore-placement': true,
        },
      });
  }
  // the stations are points of the result, as for small projects
  const small = hydraulicsOverlay(view, undefined, theme, false);
  return {
    sources: { [HYD_STATIONS]: small.sources[HYD_STATIONS] },
    ...(token ? { tiles: { [HYD_TILES]: { layer: 'pipes' as const, variant: `hyd-${token}` } } } : {}),
    layers: [...layers, ...small.layers.filter((l) => 'source' in l && l.source === HYD_STATIONS)],
    images: small.images,
  };
}
