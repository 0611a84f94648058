/**
 * Pipe themes of printed maps: a thin view of core/style/themes.ts (the
 * app's theme descriptions), so a printed map, the app's map, its legend and
 * the charts classify and colour a pipe the same way.
 */
import type { Settings } from '../model/settings';
import { THEMES, classify, type ThemeId } from '../style/themes';
import { t, type Lang } from '../i18n';

/** Theme names as the command line spells them. */
export const MAP_THEMES = ['age', 'leakage', 'renovation', 'level'] as const;
export type MapTheme = (typeof MAP_THEMES)[number];

export function isMapTheme(v: string): v is MapTheme {
  return (MAP_THEMES as readonly string[]).includes(v);
}

const THEME_ID: Record<MapTheme, ThemeId> = { age: 'age', leakage: 'leak', renovation: 'renovation', level: 'level' };

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

/** Title of a theme on a printed sheet, in `lang`. */
export function themeTitle(theme: MapTheme, lang: Lang): string {
  return t(lang, `sheet.theme.${theme}`);
}

export function pipeTheme(theme: MapTheme, settings: Settings, year: number, lang: Lang = 'zh'): PipeTheme {
  const d = THEMES[THEME_ID[theme]];
  return {
    theme,
    id: d.id,
    title: themeTitle(theme, lang),
    legendTitle: d.label[lang],
    classes: d.classes.map((c) => ({ key: c.value, label: c.label[lang], color: c.color })),
    fallback: d.fallback,
    classOf: (p) => classify(d, p, settings, year),
  };
}
