import { describe, expect, it } from 'vitest';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { DEFAULT_SETTINGS } from '../model/settings';
import { THEMES, THEME_IDS, annotatePipe, classify, dnWidthExpression, themeColorExpression, legendRows, upgradeTheme, type ThemeDescription } from './themes';

function styleWith(color: unknown, width: unknown) {
  return {
    version: 8 as const,
    sources: { pipes: { type: 'geojson' as const, data: { type: 'FeatureCollection', features: [] } } },
    layers: [{ id: 'pipes', type: 'line' as const, source: 'pipes', paint: { 'line-color': color, 'line-width': width } }],
  };
}


describe('pipe themes', () => {
  it.each(THEME_IDS)('theme %s compiles to an expression the style spec accepts', (id) => {
    const errors = validateStyleMin(styleWith(themeColorExpression(THEMES[id]), dnWidthExpression()) as never);
    expect(errors).toEqual([]);
  });

  it('a ramp theme compiles to a valid step expression', () => {
    const ramp: ThemeDescription = {
      version: 1, id: 'level', kind: 'ramp', label: { zh: '负荷率', en: 'Load ratio' }, property: 'ratio', fallback: '#000',
      classes: [{ value: '0.9', color: '#0a0', label: { zh: 'a', en: 'a' } }, { value: '1', color: '#fa0', label: { zh: 'b', en: 'b' } }, { value: '99', color: '#f00', label: { zh: 'c', en: 'c' } }],
    };
    expect(validateStyleMin(styleWith(themeColorExpression(ramp), 2) as never)).toEqual([]);
    expect(classify(ramp, { ratio: 0.95 }, DEFAULT_SETTINGS, 2026)).toBe('1');
  });

  it('the style spec catches a broken expression (the check is live)', () => {
    const errors = validateStyleMin(styleWith(['match', ['get', 'x'], 'a'], 2) as never);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('the age expression colours each class with its legend colour', () => {
    const expr = themeColorExpression(THEMES.age);
    for (const c of THEMES.age.classes) {
      const i = expr.indexOf(c.value);
      expect(expr[i + 1]).toBe(c.color);
    }
  });

  it('annotates pipes with the age class of core/model/classes', () => {
    const a = annotatePipe({ install_year: 1990, design_life_years: 30 }, DEFAULT_SETTINGS, 2026);
    expect(a._class_age).toBe('past_life');
    expect(annotatePipe({ install_year: 2020 }, DEFAULT_SETTINGS, 2026)._class_age).toBe('lt10');
    expect(annotatePipe({ leak_count_5y: 5 }, DEFAULT_SETTINGS, 2026)._class_leak).toBe('four_plus');
  });

  it('legend rows list every class in order with the totals given, zeros included', () => {
    const rows = legendRows(THEMES.renovation, { candidate: { count: 2, km: 2.5 }, none: { count: 1, km: 0.1 } });
    expect(rows.map((r) => r.value)).toEqual(THEMES.renovation.classes.map((c) => c.value));
    expect(rows.find((r) => r.value === 'candidate')).toMatchObject({ count: 2, km: 2.5, color: THEMES.renovation.classes[1].color });
    expect(rows.find((r) => r.value === 'planned')).toMatchObject({ count: 0, km: 0 });
  });

  it('rejects theme descriptions of an unknown version', () => {
    expect(() => upgradeTheme({ ...THEMES.age, version: 2 })).toThrow(/version 2/);
    expect(upgradeTheme(JSON.parse(JSON.stringify(THEMES.leak))).id).toBe('leak');
  });
});
