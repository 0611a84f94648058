/**
 * Pipe themes of printed maps: a thin view of core/style/themes.ts (the
 * app's theme descriptions), so a printed map, the app's map, its legend and
 * the charts classify and colour a pipe the same way.
 */
import type { Settings } from '../model/settings';
import { THEMES, classify, type ThemeId } from '../style/themes';

/** Theme names as the command line spells them. */
export const MAP_THEMES = ['age', 'leakage', 'renovation', 'level'] as const;
export type MapTheme = (typeof MAP_THEMES)[number];

export function isMapTheme(v: string): v is MapTheme {
  return (MAP_THEMES as readonly string[]).includes(v);
}

const THEME_ID: Record<MapTheme, ThemeId> = { age: 'age', leakage: 'leak', renovation: 'renovation', level: 'level' };

/** Title of each theme on a printed sheet. */
export const THEME_TITLES: Record<MapTheme, string> = {
  age: '管龄分布图',
  leakage: '管网泄漏分布图',
  renovation: '管网改造进度图',
  level: '管网分级图',
};

export const PROJECT_STATUS_LABELS: Record<string, string> = {
  planned: '计划',
  approved: '已批复',
  building: '在建',
  completed: '已完工',
  accepted: '已验收',
};

export interface ThemeClass {
  key: string;
  label: string;
  color: string;
}

export interface PipeTheme {
  theme: MapTheme;
  id: ThemeId;
  title: string;
  /** Name of the classification shown above the legend (管龄, 泄漏 …). */
  legendTitle: string;
  classes: ThemeClass[];
  fallback: string;
  classOf(props: Record<string, unknown>): string | null;
}

export function pipeTheme(theme: MapTheme, settings: Settings, year: number): PipeTheme {
  const d = THEMES[THEME_ID[theme]];
  return {
    theme,
    id: d.id,
    title: THEME_TITLES[theme],
    legendTitle: d.label.zh,
    classes: d.classes.map((c) => ({ key: c.value, label: c.label.zh, color: c.color })),
    fallback: d.fallback,
    classOf: (p) => classify(d, p, settings, year),
  };
}
