/**
 * The map style, built from data: base layers, pipes coloured by the active
 * theme (an expression from core/style/themes), facilities, labels. Pure:
 * no map, no DOM, so a unit test validates it against the style spec.
 */
import type { LayerSpecification, StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import { FEATURE_COLORS } from '../../core/style/palette';
import { THEMES, dnWidthExpression, themeColorExpression, type ThemeId } from '../../core/style/themes';
import type { LayerName } from '../../core/model/schema';

/** The Latin glyphs we ship (assets/glyphs); CJK comes from the system font through localIdeographFontFamily. */
export const FONT = 'WarmNet Sans Regular';
export const FONT_BOLD = 'WarmNet Sans Bold';

/** Open valve wells are drawn from this zoom on (street level); closed ones at every zoom. */
export const OPEN_VALVES_MIN_ZOOM = 14.5;

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

const selected = ['boolean', ['feature-state', 'selected'], false];
const hovered = ['boolean', ['feature-state', 'hover'], false];

/** Style layers drawing each project layer, so visibility toggles and clicks know their map layers. */
export const MAP_LAYERS: Record<LayerName, string[]> = {
  coal_areas: ['coal_areas-fill', 'coal_areas-line'],
  communities: ['communities-fill', 'communities-line', 'communities-label'],
  streets: ['streets-casing', 'streets-line', 'streets-label'],
  pipes: ['pipes-casing', 'pipes-line', 'pipes-planned', 'pipes-label'],
  incidents: ['incidents-circle'],
  complaints: ['complaints-circle'],
  valves: ['valves-open', 'valves-closed'],
  stations: ['stations-symbol'],
  heat_sources: ['heat_sources-symbol'],
};

/** The map layers a click can pick a feature from, topmost first. */
export const PICKABLE: { layer: LayerName; mapLayer: string }[] = [
  { layer: 'heat_sources', mapLayer: 'heat_sources-symbol' },
  { layer: 'stations', mapLayer: 'stations-symbol' },
  { layer: 'valves', mapLayer: 'valves-closed' },
  { layer: 'valves', mapLayer: 'valves-open' },
  { layer: 'incidents', mapLayer: 'incidents-circle' },
  { layer: 'complaints', mapLayer: 'complaints-circle' },
  { layer: 'pipes', mapLayer: 'pipes-line' },
  { layer: 'pipes', mapLayer: 'pipes-planned' },
  { layer: 'streets', mapLayer: 'streets-line' },
  { layer: 'communities', mapLayer: 'communities-fill' },
  { layer: 'coal_areas', mapLayer: 'coal_areas-fill' },
];

/** The pipe colour under a theme; a selected or hovered pipe is drawn in the highlight colours (feature-state). */
export function pipeColor(theme: ThemeId): unknown {
  return ['case', selected, FEATURE_COLORS.selection, hovered, FEATURE_COLORS.hover, themeColorExpression(THEMES[theme])];
}

export function buildStyle(opts: { theme: ThemeId; glyphsUrl: string; visible?: Partial<Record<LayerName, boolean>>; lang?: 'zh' | 'en' }): StyleSpecification {
  const vis = (l: LayerName) => (opts.visible?.[l] === false ? 'none' : 'visible');
  const sources: StyleSpecification['sources'] = {};
  for (const l of Object.keys(MAP_LAYERS) as LayerName[]) sources[l] = { type: 'geojson', data: EMPTY as never, promoteId: 'id' };
  const width = dnWidthExpression();
  const pipeColorExpr = pipeColor(opts.theme);
  const abandonedOpacity = ['match', ['get', 'status'], 'abandoned', 0.35, 1];
  const valveStroke = ['interpolate', ['linear'], ['zoom'], 12, ['case', selected, 3, hovered, 2.5, 1], 16, ['case', selected, 3.5, hovered, 3, 2]];
  const textHalo = { 'text-halo-color': 'rgba(255,255,255,0.92)', 'text-halo-width': 1.4 };

  const layers: unknown[] = [
    { id: 'background', type: 'background', paint: { 'background-color': '#f3f1ec' } },
    {
      id: 'coal_areas-fill', type: 'fill', source: 'coal_areas', layout: { visibility: vis('coal_areas') },
      paint: { 'fill-color': FEATURE_COLORS.coalArea, 'fill-opacity': ['case', selected, 0.35, 0.12] },
    },
    {
      id: 'coal_areas-line', type: 'line', source: 'coal_areas', layout: { visibility: vis('coal_areas') },
      paint: { 'line-color': FEATURE_COLORS.coalArea, 'line-width': 1, 'line-dasharray': [3, 2] },
    },
    {
      id: 'communities-fill', type: 'fill', source: 'communities', layout: { visibility: vis('communities') },
      paint: {
        'fill-color': ['case', selected, '#cdeff7', hovered, '#fbf0d2', FEATURE_COLORS.community],
        'fill-opacity': 0.85,
      },
    },
    {
      id: 'communities-line', type: 'line', source: 'communities', layout: { visibility: vis('communities') },
      paint: {
        'line-color': ['case', selected, '#00a5c8', FEATURE_COLORS.communityOutline],
        'line-width': ['case', selected, 2.5, 1],
      },
    },
    {
      id: 'streets-casing', type: 'line', source: 'streets', layout: { visibility: vis('streets'), 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': FEATURE_COLORS.streetCasing,
        'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 12, 2, 15, 9, 18, 36],
      },
    },
    {
      id: 'streets-line', type: 'line', source: 'streets', layout: { visibility: vis('streets'), 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': '#ffffff',
        'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 12, 1.2, 15, 7, 18, 32],
      },
    },
    {
      id: 'pipes-casing', type: 'line', source: 'pipes', filter: ['!=', ['get', 'status'], 'planned'], minzoom: 14,
      layout: { visibility: vis('pipes'), 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': ['case', selected, '#006d80', '#ffffff'], 'line-width': dnWidthExpression(2), 'line-opacity': abandonedOpacity },
    },
    {
      id: 'pipes-line', type: 'line', source: 'pipes', filter: ['!=', ['get', 'status'], 'planned'],
      layout: { visibility: vis('pipes'), 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': pipeColorExpr, 'line-width': width, 'line-opacity': abandonedOpacity },
    },
    {
      id: 'pipes-planned', type: 'line', source: 'pipes', filter: ['==', ['get', 'status'], 'planned'],
      layout: { visibility: vis('pipes'), 'line-join': 'round' },
      paint: { 'line-color': pipeColorExpr, 'line-width': width, 'line-dasharray': [2, 1.5] },
    },
    {
      id: 'incidents-circle', type: 'circle', source: 'incidents', layout: { visibility: vis('incidents') },
      paint: {
        'circle-color': FEATURE_COLORS.incident,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 17, 6],
        'circle-stroke-color': ['case', selected, FEATURE_COLORS.selection, '#ffffff'],
        'circle-stroke-width': ['case', selected, 3, 1],
      },
    },
    {
      id: 'complaints-circle', type: 'circle', source: 'complaints', layout: { visibility: vis('complaints') },
      paint: {
        'circle-color': FEATURE_COLORS.complaint,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 17, 6],
        'circle-stroke-color': ['case', selected, FEATURE_COLORS.selection, '#ffffff'],
        'circle-stroke-width': ['case', selected, 3, 1],
      },
    },
    // A closed valve well is filled red and larger: it cuts the network, so it shows at every zoom;
    // open ones appear from street level, where they can be told apart. Two layers, so that open
    // wells are neither laid out nor drawn (transparent) below that zoom.
    {
      id: 'valves-open', type: 'circle', source: 'valves', minzoom: OPEN_VALVES_MIN_ZOOM, filter: ['!=', ['get', 'state'], 'closed'],
      layout: { visibility: vis('valves') },
      paint: {
        'circle-color': '#ffffff',
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 1.5, 16, 4.5, 18, 7],
        'circle-stroke-color': ['case', selected, FEATURE_COLORS.selection, hovered, FEATURE_COLORS.hover, FEATURE_COLORS.valveOpen],
        'circle-stroke-width': valveStroke,
      },
    },
    {
      id: 'valves-closed', type: 'circle', source: 'valves', filter: ['==', ['get', 'state'], 'closed'],
      layout: { visibility: vis('valves') },
      paint: {
        'circle-color': FEATURE_COLORS.valveClosed,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 16, 6, 18, 9],
        'circle-stroke-color': ['case', selected, FEATURE_COLORS.selection, hovered, FEATURE_COLORS.hover, '#7b1111'],
        'circle-stroke-width': valveStroke,
      },
    },
    {
      id: 'stations-symbol', type: 'symbol', source: 'stations', layout: {
        visibility: vis('stations'),
        'icon-image': 'station',
        'icon-size': ['interpolate', ['linear'], ['zoom'], 12, 0.4, 14, 0.55, 16, 0.85],
        'icon-allow-overlap': true,
        // station names only from street level: at town scale they would bury the community names
        'text-field': ['step', ['zoom'], '', 15, ['coalesce', ['get', 'name'], ['get', 'id']]],
        'text-font': [FONT],
        'text-size': 12,
        'text-offset': [0, 1.3],
        'text-anchor': 'top',
        'text-optional': true,
      },
      paint: { 'text-color': '#0b5345', ...textHalo, 'icon-opacity': 1, 'icon-halo-color': FEATURE_COLORS.selection },
    },
    {
      id: 'heat_sources-symbol', type: 'symbol', source: 'heat_sources', layout: {
        visibility: vis('heat_sources'),
        'icon-image': ['case', ['==', ['get', 'is_backup'], true], 'source-backup', ['==', ['get', 'is_backup'], 1], 'source-backup', 'source'],
        'icon-size': ['interpolate', ['linear'], ['zoom'], 12, 0.6, 16, 1],
        'icon-allow-overlap': true,
        'text-field': ['coalesce', ['get', 'name'], ['get', 'id']],
        'text-font': [FONT_BOLD],
        'text-size': 13,
        'text-offset': [0, 1.5],
        'text-anchor': 'top',
        'text-optional': true,
      },
      paint: { 'text-color': '#7b241c', ...textHalo },
    },
    {
      id: 'streets-label', type: 'symbol', source: 'streets', minzoom: 14,
      layout: {
        visibility: vis('streets'),
        'symbol-placement': 'line',
        'text-field': ['get', 'name'],
        'text-font': [FONT],
        'text-size': 11,
        'text-max-angle': 30,
      },
      paint: { 'text-color': '#707b7c', ...textHalo },
    },
    {
      id: 'communities-label', type: 'symbol', source: 'communities', layout: {
        visibility: vis('communities'),
        'text-field': ['coalesce', ['get', 'name'], ['get', 'id']],
        'text-font': [FONT],
        'text-size': ['interpolate', ['linear'], ['zoom'], 13, 10, 15, 12, 17, 15],
        'text-max-width': 6,
        'text-padding': 6,
      },
      paint: { 'text-color': '#7e5109', ...textHalo },
    },
    {
      id: 'pipes-label', type: 'symbol', source: 'pipes', minzoom: 16.5,
      layout: {
        visibility: vis('pipes'),
        'symbol-placement': 'line',
        'text-field': ['concat', ['get', 'id'], '  DN', ['to-string', ['get', 'dn']]],
        'text-font': [FONT],
        'text-size': 10,
      },
      paint: { 'text-color': '#34495e', ...textHalo },
    },
  ];

  return {
    version: 8,
    name: 'WarmNet',
    glyphs: opts.glyphsUrl,
    sources,
    layers: layers as LayerSpecification[],
  };
}
