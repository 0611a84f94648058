import { describe, expect, it } from 'vitest';
import { createExpression } from '@maplibre/maplibre-gl-style-spec';
import { themeColorExpression, type ThemeDescription } from '../../../core/style/themes';
import { capacityAnswer, capacityCheck } from '../../../core/network/capacity';
import { net } from '../../../core/network/capacity.fixture';
import { annotateLoadMatch, annotateStationLoad, LOAD_MATCH_THEME, loadMatchColours, loadMatchLegend, stationLoadTheme, STATION_LOAD_THEME } from './themes';

const project = () =>
  net()
    .source('S1', 0, 0)
    .station('HS1', 500, 0, { design_capacity_mw: 3.5 })
    .pipe('P1', 'primary', [[0, 0], [500, 0]], { dn: 100 })
    .pipe('P2', 'primary', [[0, 0], [0, 300]], { dn: 100 })
    .community('C1', 'HS1', [400, 250, 600, 350], { heated_area_m2: 60_000 })
    .build();

const colour = (theme: unknown, props: Record<string, unknown>) => {
  const e = createExpression(themeColorExpression(theme as ThemeDescription) as never, { type: 'color' } as never);
  if (e.result !== 'success') throw new Error(JSON.stringify(e.value));
  return (e.value as { evaluate(g: unknown, f: unknown): { toString(): string } }).evaluate({ zoom: 14 }, { properties: props }).toString();
};

describe('engineering map themes', () => {
  it('compile to valid MapLibre colour expressions and colour by verdict and ratio', () => {
    const r = capacityCheck(project());
    const pipes = annotateLoadMatch({ type: 'FeatureCollection', features: project().layers.pipes }, r);
    const p1 = pipes.features.find((f) => f.id === 'P1')!.properties!;
    const p2 = pipes.features.find((f) => f.id === 'P2')!.properties!;
    expect(p1._class_load_match).toBe('mismatched');
    expect(p2._class_load_match).toBe('no_load');
    expect(colour(LOAD_MATCH_THEME, p1)).toBe(colour(LOAD_MATCH_THEME, { _class_load_match: 'mismatched' }));
    expect(colour(LOAD_MATCH_THEME, p1)).not.toBe(colour(LOAD_MATCH_THEME, p2));
    const stations = annotateStationLoad({ type: 'FeatureCollection', features: project().layers.stations }, r);
    const hs1 = stations.features[0].properties!;
    expect(hs1._load_ratio).toBeCloseTo(3.72 / 3.5, 9);
    const over = colour(STATION_LOAD_THEME, hs1);
    expect(over).toBe(colour(STATION_LOAD_THEME, { _load_ratio: 1.0 }));
    expect(colour(STATION_LOAD_THEME, { _load_ratio: 0.95 })).not.toBe(over);
    expect(colour(STATION_LOAD_THEME, { _load_ratio: 0.5 })).not.toBe(colour(STATION_LOAD_THEME, { _load_ratio: 0.95 }));
    // Thresholds from settings move the breaks.
    expect(colour(stationLoadTheme(0.9, 1.2), { _load_ratio: 1.1 })).toBe(colour(STATION_LOAD_THEME, { _load_ratio: 0.95 }));
  });

  it('legend totals count every pipe once', () => {
    const r = capacityCheck(project());
    const rows = loadMatchLegend(r);
    expect(rows.reduce((a, b) => a + b.count, 0)).toBe(2);
    expect(rows.find((x) => x.value === 'mismatched')!.count).toBe(1);
  });

  it("colour the listed pipes by class and every other pipe in the unlisted class's colour", () => {
    const r = capacityCheck(project());
    const a = capacityAnswer(r);
    const { byPipe, others } = loadMatchColours(a);
    const colourOf = new Map(LOAD_MATCH_THEME.classes.map((c) => [c.value, c.color]));
    expect(others).toBe(colourOf.get(a.rest));
    for (const p of r.pipes) {
      const k = p.status === 'ok' && p.loadMW <= 0 ? 'no_load' : p.status;
      expect(byPipe.get(p.id) ?? others).toBe(colourOf.get(k));
    }
    // with mismatched unlisted (a network under strain), the others are listed and mismatched is the default
    const flipped = loadMatchColours({ ...a, rest: 'mismatched', classes: { ...a.classes, mismatched: [], ok: ['P-OK'] } });
    expect(flipped.others).toBe(colourOf.get('mismatched'));
    expect(flipped.byPipe.get('P-OK')).toBe(colourOf.get('ok'));
  });
});
