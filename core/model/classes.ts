/**
 * Thematic classes of pipes (DOMAIN.md §4): age and leakage. Shared by the
 * map themes, `warmnet info`, charts and ledgers so the numbers always agree.
 */
import type { Settings } from './settings';

export const AGE_CLASSES = ['lt10', '10to20', '20to30', 'past_life', 'unknown'] as const;
export type AgeClass = (typeof AGE_CLASSES)[number];

export const LEAK_CLASSES = ['none', 'one', 'two_three', 'four_plus'] as const;
export type LeakClass = (typeof LEAK_CLASSES)[number];

/** Age in whole years at `year` (null when the install year is unknown). */
export function pipeAge(installYear: unknown, year: number): number | null {
  return typeof installYear === 'number' && Number.isFinite(installYear) ? Math.max(0, year - installYear) : null;
}

/**
 * Age class at `year`: <10, 10–20, 20–30 years, and "past life" once the age
 * reaches the pipe's own design life (default from settings).
 */
export function ageClass(props: Record<string, unknown>, settings: Settings, year: number): AgeClass {
  const age = pipeAge(props.install_year, year);
  if (age === null) return 'unknown';
  const life = typeof props.design_life_years === 'number' ? props.design_life_years : settings.designLifeYears;
  const [a, b] = settings.ageClassBreaks;
  if (age >= life) return 'past_life';
  if (age < a) return 'lt10';
  if (age < b) return '10to20';
  return '20to30';
}

/** Leak class from incidents in 5 years, raised to the worst class by a high water-loss rate. */
export function leakClass(props: Record<string, unknown>, settings: Settings): LeakClass {
  const n = typeof props.leak_count_5y === 'number' ? props.leak_count_5y : 0;
  const loss = typeof props.water_loss_rate === 'number' ? props.water_loss_rate : 0;
  const [one, two, four] = settings.leakClassBreaks;
  if (n >= four || loss > settings.leakWaterLossPct) return 'four_plus';
  if (n >= two) return 'two_three';
  if (n >= one) return 'one';
  return 'none';
}

export const CLASS_LABELS: Record<AgeClass | LeakClass, { zh: string; en: string }> = {
  lt10: { zh: '<10年', en: '< 10 y' },
  '10to20': { zh: '10–20年', en: '10–20 y' },
  '20to30': { zh: '20–30年', en: '20–30 y' },
  past_life: { zh: '超期服役(≥设计寿命)', en: 'Past design life' },
  unknown: { zh: '年份不详', en: 'Unknown' },
  none: { zh: '无泄漏', en: 'No leaks' },
  one: { zh: '1次', en: '1 leak' },
  two_three: { zh: '2–3次', en: '2–3 leaks' },
  four_plus: { zh: '≥4次或失水率>2%', en: '≥ 4 or water loss > 2 %' },
};
