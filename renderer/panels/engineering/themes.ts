/**
 * Map themes of the engineering checks, as data in the same shape as
 * core/style/themes.ts: 负荷匹配 (pipes by capacity verdict) and 换热站负荷率
 * (stations by load ratio). The classes come from the CapacityReport, written
 * onto each feature as a property, so the colour is a plain lookup.
 *
 * To mount in the map: pass the pipes / stations FeatureCollection through
 * `annotateLoadMatch` / `annotateStationLoad`, give it to
 * `MapController.setLayerData`, and use `themeColorExpression(LOAD_MATCH_THEME)`
 * as the pipe line colour (or add 'load_match' to THEME_IDS with this
 * description); stations take `themeColorExpression(STATION_LOAD_THEME)` as
 * their circle colour.
 */
import type { FeatureCollection } from '../../../core/model/geojson';
import { loadMatchClassOf, type CapacityAnswer, type CapacityReport } from '../../../core/network/capacity';
import type { ThemeDescription } from '../../../core/style/themes';
import { pair } from '../../../core/i18n';

/** Same fields as a core theme; the id is outside core's ThemeId union until the theme is registered there. */
export type EngineeringTheme = Omit<ThemeDescription, 'id'> & { id: 'load_match' | 'station_load' };

export const LOAD_MATCH_PROPERTY = '_class_load_match';
export const STATION_LOAD_PROPERTY = '_load_ratio';

export const LOAD_MATCH_THEME: EngineeringTheme = {
  version: 1,
  id: 'load_match',
  kind: 'categorical',
  label: pair('engineering.loadMatch'),
  property: LOAD_MATCH_PROPERTY,
  classes: [
    { value: 'mismatched', color: '#d7301f', label: pair('theme.loadMatch.mismatched') },
    { value: 'oversized', color: '#6a51a3', label: pair('theme.loadMatch.oversized') },
    { value: 'ok', color: '#31a354', label: pair('theme.loadMatch.ok') },
    { value: 'no_load', color: '#bdbdbd', label: pair('theme.loadMatch.noLoad') },
  ],
  fallback: '#bdbdbd',
};

/** Ramp on the load ratio: classes are upper bounds (≤ 0.9 ok, < 1.0 near the limit, above overloaded). */
export const STATION_LOAD_THEME: EngineeringTheme = {
  version: 1,
  id: 'station_load',
  kind: 'ramp',
  label: pair('engineering.stationLoadRatio'),
  property: STATION_LOAD_PROPERTY,
  classes: [
    { value: '0.9', color: '#31a354', label: pair('theme.stationLoad.ok') },
    { value: '1.0', color: '#fd8d3c', label: pair('theme.stationLoad.near') },
    { value: '1000', color: '#d7301f', label: pair('theme.stationLoad.over') },
  ],
  fallback: '#bdbdbd',
};

/** Ramp breaks from the project's thresholds (settings), so the map follows a changed setting. */
export function stationLoadTheme(nearLimit: number, overload: number): EngineeringTheme {
  const t = structuredClone(STATION_LOAD_THEME);
  // `step` switches at the break value itself, matching "≥ threshold".
  t.classes[0].value = String(nearLimit);
  t.classes[1].value = String(overload);
  return t;
}

/** Class of each pipe under 负荷匹配: its status, or no_load when it carries nothing. */
export function loadMatchClass(report: CapacityReport): Map<string, string> {
  return new Map(report.pipes.map((p) => [p.id, loadMatchClassOf(p)]));
}

/**
 * The 负荷匹配 colours from the app's answer: a colour per pipe of each class listed, and the colour
 * of the unlisted class (`rest`, the most numerous) for every other pipe.
 */
export function loadMatchColours(answer: Pick<CapacityAnswer, 'classes' | 'rest'>): { byPipe: Map<string, string>; others: string } {
  const colour = new Map(LOAD_MATCH_THEME.classes.map((c) => [c.value, c.color]));
  const byPipe = new Map<string, string>();
  for (const [k, ids] of Object.entries(answer.classes)) {
    if (k === answer.rest) continue;
    const c = colour.get(k)!;
    for (const id of ids) byPipe.set(id, c);
  }
  return { byPipe, others: colour.get(answer.rest)! };
}

export function annotateLoadMatch(pipes: FeatureCollection, report: CapacityReport): FeatureCollection {
  const cls = loadMatchClass(report);
  return {
    ...pipes,
    features: pipes.features.map((f) => ({ ...f, properties: { ...f.properties, [LOAD_MATCH_PROPERTY]: cls.get(String(f.id ?? f.properties?.id)) ?? null } })),
  };
}

export function annotateStationLoad(stations: FeatureCollection, report: CapacityReport): FeatureCollection {
  const ratio = new Map(report.stations.map((s) => [s.id, s.ratio]));
  return {
    ...stations,
    features: stations.features.map((f) => ({ ...f, properties: { ...f.properties, [STATION_LOAD_PROPERTY]: ratio.get(String(f.id ?? f.properties?.id)) ?? null } })),
  };
}

/** Legend rows of 负荷匹配: count and km per class, from the same report as the list. */
export function loadMatchLegend(report: CapacityReport): { value: string; color: string; label: { zh: string; en: string }; count: number; km: number }[] {
  const cls = loadMatchClass(report);
  const totals = new Map<string, { count: number; km: number }>();
  for (const p of report.pipes) {
    const c = cls.get(p.id)!;
    const t = totals.get(c) ?? { count: 0, km: 0 };
    t.count++;
    t.km += p.lengthM / 1000;
    totals.set(c, t);
  }
  return LOAD_MATCH_THEME.classes.map((c) => ({ ...c, count: totals.get(c.value)?.count ?? 0, km: totals.get(c.value)?.km ?? 0 }));
}
