/**
 * What the topological analyses draw on the map, declared as data (the map
 * controller registers it): two GeoJSON sources of our own on
 * top of the app's layers: a pipe theme (N-1 风险, 供热溯源, 负荷匹配) whose
 * colour is written on each feature, and marks (valves to close, isolated
 * pipes, cut communities, dashed loop options with their rank). The app's
 * pipe layers stay underneath, so picking and selection work as before.
 *
 * When the pipes are drawn from vector tiles (large projects) the renderer holds
 * no GeoJSON of them: a pipe theme and the isolated pipes are then style layers
 * on the app's own tiled `pipes` source, picking the pipes by their code with a
 * `match` on `id` (a lookup, not a scan), so nothing of the whole layer is loaded.
 */
import type { Feature, FeatureCollection } from '../../../core/model/geojson';
import type { LayerName } from '../../../core/model/schema';
import type { MapOverlay, OverlayLayer } from '../../map/overlays';
import type { AnalysisContext } from './types';
import { dnWidthExpression } from '../../../core/style/themes';
import { FONT_BOLD } from '../../map/style';
import { t, type Lang } from '../../../core/i18n';

export const THEME_SOURCE = 'analysis-theme';
export const MARKS_SOURCE = 'analysis-marks';
/** The app layer the themes go under. */
const BELOW = 'incidents-circle';
export const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Colours of the marks; the panel's legend uses the same. */
export const MARK_COLORS = {
  isolated: '#e31a1c',
  community: '#fb6a4a',
  valveToClose: '#ffd92f',
  valveRing: '#1d1d1d',
  alreadyClosed: '#7b1111',
  option: '#6a3d9a',
  chosen: '#d7263d',
  finding: '#ff7f00',
} as const;

/** The two sources' layers, as data (the map controller adds them); the valve mark's word in `lang`. */
export const analysisLayers = (lang: Lang): OverlayLayer[] => [
  // Under the point symbols, so valves, stations and sources stay readable on top of the theme.
  {
    id: 'analysis-theme-line', type: 'line', source: THEME_SOURCE, before: BELOW,
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': ['get', '_c'], 'line-width': dnWidthExpression(0.6) as never },
  },
  {
    id: 'analysis-community-fill', type: 'fill', source: MARKS_SOURCE, before: BELOW, filter: ['==', ['get', '_mark'], 'community'],
    paint: { 'fill-color': MARK_COLORS.community, 'fill-opacity': 0.45, 'fill-outline-color': MARK_COLORS.isolated },
  },
  {
    id: 'analysis-isolated-halo', type: 'line', source: MARKS_SOURCE, before: BELOW, filter: ['==', ['get', '_mark'], 'isolated'],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': MARK_COLORS.isolated, 'line-width': dnWidthExpression(7) as never, 'line-opacity': 0.35 },
  },
  {
    id: 'analysis-isolated-line', type: 'line', source: MARKS_SOURCE, before: BELOW, filter: ['==', ['get', '_mark'], 'isolated'],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': MARK_COLORS.isolated, 'line-width': dnWidthExpression(1) as never },
  },
  // Options and marks go on top of everything.
  {
    id: 'analysis-option-line', type: 'line', source: MARKS_SOURCE, filter: ['==', ['get', '_mark'], 'option'],
    layout: { 'line-cap': 'butt' },
    paint: {
      'line-color': ['case', ['get', '_chosen'], MARK_COLORS.chosen, MARK_COLORS.option],
      'line-width': ['case', ['get', '_active'], 6, 4],
      'line-dasharray': [2, 1.2],
    },
  },
  {
    id: 'analysis-option-label', type: 'symbol', source: MARKS_SOURCE, filter: ['==', ['get', '_mark'], 'option'],
    layout: {
      'symbol-placement': 'line-center', 'text-field': ['concat', '#', ['to-string', ['get', '_rank']]], 'text-font': [FONT_BOLD],
      'text-size': 13, 'text-allow-overlap': true, 'text-offset': [0, -0.9],
    },
    paint: { 'text-color': ['case', ['get', '_chosen'], MARK_COLORS.chosen, MARK_COLORS.option], 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
  },
  {
    id: 'analysis-point', type: 'circle', source: MARKS_SOURCE, filter: ['==', ['geometry-type'], 'Point'],
    paint: {
      'circle-radius': ['match', ['get', '_mark'], 'valve', 9, 'closed', 7, 'finding', 8, 'end', 5, 6],
      'circle-color': ['case', ['has', '_c'], ['get', '_c'], ['match', ['get', '_mark'], 'valve', MARK_COLORS.valveToClose, 'closed', MARK_COLORS.alreadyClosed, 'finding', 'rgba(0,0,0,0)', 'end', '#ffffff', '#ffffff']],
      'circle-stroke-color': ['match', ['get', '_mark'], 'finding', MARK_COLORS.finding, 'end', MARK_COLORS.option, MARK_COLORS.valveRing],
      'circle-stroke-width': ['match', ['get', '_mark'], 'valve', 3, 'finding', 3, 2],
    },
  },
  // A bar across the valve symbol reads as "close this valve" (the usual valve-shut sign).
  {
    id: 'analysis-valve-label', type: 'symbol', source: MARKS_SOURCE, filter: ['==', ['get', '_mark'], 'valve'],
    layout: { 'text-field': t(lang, 'analysis.mark.closeValve'), 'text-font': [FONT_BOLD], 'text-size': 11, 'text-allow-overlap': true, 'text-ignore-placement': true },
    paint: { 'text-color': MARK_COLORS.valveRing },
  },
];

/** The overlay of the topological analyses: a pipe theme and marks (either may be empty), and layers on the tiled pipes. */
export function analysisOverlay(theme: FeatureCollection | null, marks: Feature[] | FeatureCollection | null, lang: Lang, tiled: OverlayLayer[] = []): MapOverlay {
  const m = Array.isArray(marks) ? { type: 'FeatureCollection' as const, features: marks } : (marks ?? EMPTY);
  let layers = analysisLayers(lang);
  if (tiled.length) {
    // the tiled layers take the place of their GeoJSON twins (same order in the style)
    const at = layers.findIndex((l) => l.id === 'analysis-option-line');
    layers = layers.slice(0, at).concat(tiled, layers.slice(at));
  }
  return { sources: { [THEME_SOURCE]: theme ?? EMPTY, [MARKS_SOURCE]: m }, layers };
}

/** The app's source (and its source layer) of the pipes when they are drawn from tiles. */
export const TILED_PIPES = 'pipes';

/** Whether the pipes are drawn from tiles (no GeoJSON of them in the renderer). */
export const pipesTiled = (ctx: Pick<AnalysisContext, 'tiled'>) => ctx.tiled?.has('pipes') ?? false;

/** A `match` on the pipe code: each colour's codes, else `otherwise`. */
export function codeMatch(groups: Iterable<[unknown, string[]]>, otherwise: unknown): unknown {
  const expr: unknown[] = ['match', ['to-string', ['get', 'id']]];
  for (const [value, ids] of groups) expr.push(ids, value);
  expr.push(otherwise);
  return expr;
}

/** The ids of a colour map grouped by colour (a `match` takes a list of labels per output). */
function byColour(colours: ReadonlyMap<string, string>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [id, c] of colours) {
    const g = groups.get(c);
    if (g) g.push(id);
    else groups.set(c, [id]);
  }
  return groups;
}

/**
 * A pipe theme on the tiled pipes: the pipes in `colours` drawn in their colour over the app's
 * pipes; with `others`, every other pipe in that colour (no list of them needed).
 */
export function tiledThemeLayers(colours: ReadonlyMap<string, string>, others?: string): OverlayLayer[] {
  if (!colours.size && !others) return [];
  const layer: OverlayLayer = {
    id: 'analysis-theme-tiled', type: 'line', source: TILED_PIPES, 'source-layer': TILED_PIPES, before: BELOW,
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': (colours.size ? codeMatch(byColour(colours), others ?? 'rgba(0,0,0,0)') : others) as never,
      'line-width': dnWidthExpression(0.6) as never,
    },
  };
  if (!others) layer.filter = codeMatch([[true, [...colours.keys()]]], false) as never;
  return [layer];
}

/** The isolated pipes of a burst on the tiled pipes (halo and line, as their GeoJSON marks). */
export function tiledIsolatedLayers(ids: readonly string[]): OverlayLayer[] {
  if (!ids.length) return [];
  const filter = codeMatch([[true, [...new Set(ids)]]], false) as never;
  const base = { type: 'line' as const, source: TILED_PIPES, 'source-layer': TILED_PIPES, before: BELOW, filter, layout: { 'line-cap': 'round' as const, 'line-join': 'round' as const } };
  return [
    { ...base, id: 'analysis-isolated-halo-tiled', paint: { 'line-color': MARK_COLORS.isolated, 'line-width': dnWidthExpression(7) as never, 'line-opacity': 0.35 } },
    { ...base, id: 'analysis-isolated-line-tiled', paint: { 'line-color': MARK_COLORS.isolated, 'line-width': dnWidthExpression(1) as never } },
  ];
}

/**
 * The overlay of a pipe theme given as a colour per pipe code (and, with `others`, one colour for
 * every pipe not listed): from the GeoJSON held in memory, or on the tiled source when the pipes
 * come as tiles.
 */
export function pipeThemeOverlay(
  ctx: Pick<AnalysisContext, 'layers' | 'tiled' | 'lang'>,
  colours: ReadonlyMap<string, string> | null,
  marks: Feature[] | null,
  others?: string,
): MapOverlay {
  if (colours && pipesTiled(ctx)) return analysisOverlay(null, marks, ctx.lang, tiledThemeLayers(colours, others));
  return analysisOverlay(colours ? colouredPipes(ctx.layers.pipes, (id) => colours.get(id) ?? others ?? null) : null, marks, ctx.lang);
}

/** A point mark. */
export const pointMark = (lon: number, lat: number, props: Record<string, unknown>): Feature => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: props });

/** A feature of a layer by its code. */
export const featureById = (layers: Partial<Record<LayerName, FeatureCollection>>, l: LayerName, id: string) =>
  layers[l]?.features.find((x) => String(x.id ?? x.properties?.id) === id);

/** Pipes of a collection with a colour each (null colour → left out, so the base theme shows). */
export function colouredPipes(pipes: FeatureCollection | undefined, colour: (id: string, f: Feature) => string | null): FeatureCollection {
  const features: Feature[] = [];
  for (const f of pipes?.features ?? []) {
    const id = String(f.id ?? f.properties?.id);
    const c = colour(id, f);
    if (c) features.push({ type: 'Feature', id, geometry: f.geometry, properties: { id, dn: f.properties?.dn ?? null, _c: c } });
  }
  return { type: 'FeatureCollection', features };
}
