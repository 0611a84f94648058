/**
 * Pipe themes as data. A theme is a small versioned description (which
 * classes, which colour, which label); a pure function turns it into a
 * MapLibre expression, and the same description drives the legend and its
 * statistics, so the map, the legend and `warmnet info` cannot disagree.
 */
import { AGE_CLASSES, LEAK_CLASSES, CLASS_LABELS, ageClass, leakClass } from '../model/classes';
import { PIPE_LEVELS, PIPE_LEVEL_LABELS, RENOVATION_STATUSES, RENOVATION_STATUS_LABELS, type Label } from '../model/schema';
import type { Settings } from '../model/settings';
import { AGE_COLORS, LEAK_COLORS, LEVEL_COLORS, RENOVATION_COLORS } from './palette';
import { pair } from '../i18n';

export const THEME_VERSION = 1;

/** One legend entry: the class value a feature carries, its colour and label. */
export interface ThemeClass {
  value: string;
  color: string;
  label: Label;
}

/**
 * A theme description. `categorical` matches a value exactly; `ramp` takes
 * the first class whose `value` (a number, as text) is ≥ the feature's value —
 * kept for load ratios and scores of later issues.
 * `classifier` names a computation from core/model/classes.ts (age, leakage)
 * whose result depends on settings and the current year; otherwise the class
 * is read from `property` as stored.
 */
export interface ThemeDescription {
  version: 1;
  id: ThemeId;
  kind: 'categorical' | 'ramp';
  label: Label;
  property?: string;
  classifier?: 'age' | 'leak';
  classes: ThemeClass[];
  /** Colour for a value no class covers. */
  fallback: string;
}

export const THEME_IDS = ['age', 'leak', 'renovation', 'level'] as const;
export type ThemeId = (typeof THEME_IDS)[number];

export const THEMES: Record<ThemeId, ThemeDescription> = {
  age: {
    version: 1,
    id: 'age',
    kind: 'categorical',
    label: pair('theme.age'),
    classifier: 'age',
    classes: AGE_CLASSES.map((c) => ({ value: c, color: AGE_COLORS[c], label: CLASS_LABELS[c] })),
    fallback: AGE_COLORS.unknown,
  },
  leak: {
    version: 1,
    id: 'leak',
    kind: 'categorical',
    label: pair('theme.leak'),
    classifier: 'leak',
    classes: LEAK_CLASSES.map((c) => ({ value: c, color: LEAK_COLORS[c], label: CLASS_LABELS[c] })),
    fallback: '#9e9e9e',
  },
  renovation: {
    version: 1,
    id: 'renovation',
    kind: 'categorical',
    label: pair('theme.renovation'),
    property: 'renovation_status',
    classes: RENOVATION_STATUSES.map((c) => ({ value: c, color: RENOVATION_COLORS[c], label: RENOVATION_STATUS_LABELS[c] })),
    fallback: RENOVATION_COLORS.none,
  },
  level: {
    version: 1,
    id: 'level',
    kind: 'categorical',
    label: pair('theme.level'),
    property: 'level',
    classes: PIPE_LEVELS.map((c) => ({ value: c, color: LEVEL_COLORS[c], label: PIPE_LEVEL_LABELS[c] })),
    fallback: '#7f8c8d',
  },
};

/** The property a themed pipe carries its class in (set by `annotatePipe`). */
export function classProperty(theme: ThemeDescription): string {
  return theme.classifier ? `_class_${theme.id}` : (theme.property ?? theme.id);
}

/** Upgrades a stored description to the current version (only v1 exists; rejects anything else). */
export function upgradeTheme(raw: unknown): ThemeDescription {
  const t = raw as Partial<ThemeDescription> | null;
  if (!t || typeof t !== 'object') throw new Error('theme: not an object');
  if (t.version !== THEME_VERSION) throw new Error(`theme: unsupported version ${String(t.version)}`);
  if (t.kind !== 'categorical' && t.kind !== 'ramp') throw new Error(`theme: unknown kind ${String(t.kind)}`);
  if (!Array.isArray(t.classes) || t.classes.length === 0) throw new Error('theme: no classes');
  if (!t.property && !t.classifier) throw new Error('theme: needs a property or a classifier');
  return t as ThemeDescription;
}

/** The class of one pipe under a theme (null when the value is missing). */
export function classify(
  theme: ThemeDescription,
  props: Record<string, unknown>,
  settings: Settings,
  year: number,
): string | null {
  if (theme.classifier === 'age') return ageClass(props, settings, year);
  if (theme.classifier === 'leak') return leakClass(props, settings);
  const v = props[theme.property ?? ''];
  if (theme.kind === 'ramp') {
    if (typeof v !== 'number') return null;
    const hit = theme.classes.find((c) => v <= Number(c.value));
    return (hit ?? theme.classes[theme.classes.length - 1]).value;
  }
  return v === null || v === undefined ? null : String(v);
}

/**
 * Adds the computed class properties of every classifier theme to a pipe's
 * properties, so the map expression is a plain lookup.
 */
export function annotatePipe(props: Record<string, unknown>, settings: Settings, year: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ...props };
  for (const id of THEME_IDS) {
    const t = THEMES[id];
    if (t.classifier) out[classProperty(t)] = classify(t, props, settings, year);
  }
  return out;
}

/** MapLibre expression (JSON) for a colour: `match` for categorical, `step` for ramp. */
export function themeColorExpression(theme: ThemeDescription): unknown[] {
  const prop = classProperty(theme);
  if (theme.kind === 'ramp') {
    // step: below the first break → first colour; classes are upper bounds.
    const expr: unknown[] = ['step', ['to-number', ['get', prop], 0], theme.classes[0].color];
    for (let i = 0; i < theme.classes.length - 1; i++) expr.push(Number(theme.classes[i].value), theme.classes[i + 1].color);
    return expr;
  }
  const expr: unknown[] = ['match', ['to-string', ['get', prop]]];
  for (const c of theme.classes) expr.push(c.value, c.color);
  expr.push(theme.fallback);
  return expr;
}

/**
 * Line width (px) by DN and zoom: a DN 600 trunk reads as a trunk, a DN 50
 * service line stays visible. `extra` widens every stop (casings, halos),
 * because a zoom curve must stay the top-level expression.
 */
export function dnWidthExpression(extra = 0): unknown[] {
  const byDn = (stops: [number, number][]) => {
    const e: unknown[] = ['interpolate', ['linear'], ['to-number', ['get', 'dn'], 100]];
    for (const [dn, w] of stops) e.push(dn, w + extra);
    return e;
  };
  return [
    'interpolate',
    ['linear'],
    ['zoom'],
    12,
    byDn([[50, 0.8], [600, 3]]),
    15,
    byDn([[50, 1.8], [200, 3.5], [600, 8]]),
    18,
    byDn([[50, 4], [200, 8], [600, 18]]),
  ];
}

export interface ThemeClassStats {
  value: string;
  color: string;
  label: Label;
  count: number;
  km: number;
}

/** The key of a theme in `projectInfo().themes` (core/plan/info.ts), whose totals the legend shows. */
export const INFO_THEME_KEY: Record<ThemeId, 'age' | 'leakage' | 'renovation' | 'level'> = {
  age: 'age',
  leak: 'leakage',
  renovation: 'renovation',
  level: 'level',
};

/**
 * Legend rows of a theme from class totals (count, km) computed by
 * `projectInfo` — the numbers `warmnet info` prints — every class listed,
 * zeros included, in the theme's order.
 */
export function legendRows(theme: ThemeDescription, totals: Record<string, { count: number; km: number }>): ThemeClassStats[] {
  return theme.classes.map((c) => ({ ...c, count: totals[c.value]?.count ?? 0, km: totals[c.value]?.km ?? 0 }));
}
