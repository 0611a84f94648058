import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../model/settings';
import { net } from '../network/capacity.fixture';
import { coldWaveCheck, coldWaveRule, heatingCurveAt, relativeLoad } from './coldwave';
import { parseForecastCsv } from './forecast';
import { say } from '../i18n';

const S: Settings = DEFAULT_SETTINGS;
const fixture = (name: string) => parseForecastCsv(readFileSync(new URL(`../../tests/fixtures/forecasts/${name}`, import.meta.url), 'utf8'));

/** 7 days hourly from 2025-01-10T00:00+08:00 at −20 °C with `hours` at `tempC` from hour 80. */
function hourly(tempC: number, hours: number, from = 80) {
  const start = Date.parse('2025-01-10T00:00:00+08:00');
  const rows = ['time,temperature_c'];
  for (let h = 0; h < 168; h++) {
    const t = h >= from && h < from + hours ? tempC : -20;
    rows.push(`${new Date(start + h * 3600e3).toISOString()},${t}`);
  }
  return parseForecastCsv(rows.join('\n'));
}

describe('cold-wave rule: −29 °C for more than 48 h, 72 h lead', () => {
  it('does not fire at −28.9 °C, fires at −29.0 and −29.1 °C (72 h long)', () => {
    expect(coldWaveRule(fixture('hourly-above-threshold.csv'), S).triggered).toBe(false);
    expect(coldWaveRule(fixture('hourly-above-threshold.csv'), S).longestColdHours).toBe(0);
    expect(coldWaveRule(fixture('hourly-at-threshold.csv'), S).triggered).toBe(true);
    expect(coldWaveRule(fixture('hourly-below-threshold.csv'), S).triggered).toBe(true);
    expect(coldWaveRule(hourly(-28.9, 100), S).triggered).toBe(false);
    expect(coldWaveRule(hourly(-29, 100), S).triggered).toBe(true);
  });

  it('does not fire for 48 h, fires for 49 h', () => {
    const r48 = coldWaveRule(fixture('hourly-48h.csv'), S);
    expect(r48).toMatchObject({ triggered: false, flowIncreaseBy: null, coldPeriod: null, longestColdHours: 48 });
    const r49 = coldWaveRule(fixture('hourly-49h.csv'), S);
    expect(r49.triggered).toBe(true);
    expect(r49.longestColdHours).toBe(49);
    // Cold from hour 80 = 2025-01-13T08:00+08:00; 72 h earlier = 2025-01-10T08:00+08:00.
    expect(r49.coldPeriod).toEqual({
      start: '2025-01-13T08:00:00+08:00',
      end: '2025-01-15T09:00:00+08:00',
      hours: 49,
      minTemperatureC: -30,
      fromLine: 82,
      toLine: 130,
    });
    expect(r49.flowIncreaseBy).toBe('2025-01-10T08:00:00+08:00');
    expect(r49.flowIncreaseLate).toBe(false);
  });

  it('counts a daily reading as 24 h: two cold days (48 h) do not fire, three (72 h) do', () => {
    const two = coldWaveRule(fixture('daily-2days.csv'), S);
    expect(two.triggered).toBe(false);
    expect(two.longestColdHours).toBe(48);
    const three = coldWaveRule(fixture('daily-3days.csv'), S);
    expect(three.triggered).toBe(true);
    expect(three.coldPeriod).toMatchObject({ start: '2025-01-11T00:00:00', end: '2025-01-14T00:00:00', hours: 72, minTemperatureC: -31.5 });
    expect(three.flowIncreaseBy).toBe('2025-01-08T00:00:00');
    expect(three.flowIncreaseLate).toBe(true);
  });

  it('says when the lead time began before the forecast', () => {
    const r = coldWaveRule(fixture('hourly-5days-late.csv'), S);
    expect(r.triggered).toBe(true);
    expect(r.flowIncreaseLate).toBe(true);
    expect(r.flowIncreaseBy).toBe('2025-01-08T16:00:00+08:00');
  });

  it('takes threshold, hours and lead from settings', () => {
    const f = fixture('hourly-48h.csv');
    expect(coldWaveRule(f, { ...S, coldWaveHours: 47 }).triggered).toBe(true);
    expect(coldWaveRule(f, { ...S, coldWaveThresholdC: -31 }).triggered).toBe(false);
    expect(coldWaveRule(fixture('hourly-49h.csv'), { ...S, coldWaveLeadHours: 24 }).flowIncreaseBy).toBe('2025-01-12T08:00:00+08:00');
  });
});

describe('heating curve', () => {
  it('is linear in the relative load between t_in and design', () => {
    // φ(−26) = 1: design temperatures.
    expect(heatingCurveAt(-26, S)).toMatchObject({ loadRatio: 1, primarySupplyC: 110, primaryReturnC: 70, secondarySupplyC: 55, secondaryReturnC: 45 });
    // φ(−4) = (18 + 4)/(18 + 26) = 0.5: 18 + 0.5·(110 − 18) = 64, 18 + 0.5·52 = 44, 18 + 0.5·37 = 36.5, 18 + 0.5·27 = 31.5.
    const half = heatingCurveAt(-4, S);
    expect(half.loadRatio).toBeCloseTo(0.5, 12);
    expect(half.primarySupplyC).toBeCloseTo(64, 9);
    expect(half.primaryReturnC).toBeCloseTo(44, 9);
    expect(half.secondarySupplyC).toBeCloseTo(36.5, 9);
    expect(half.secondaryReturnC).toBeCloseTo(31.5, 9);
    expect(heatingCurveAt(25, S).primarySupplyC).toBe(18);
    expect(relativeLoad(-30, S)).toBeCloseTo(48 / 44, 12);
  });
});

describe('cold-wave check on a project', () => {
  // S1 6 MW feeds HS1 (3.72 MW design load, 3.5 MW capacity) and HS2 (0.90 of 1.0 MW).
  const project = () =>
    net()
      .source('S1', 0, 0, { capacity_mw: 6, fuel_stock_t: 600, fuel_t_per_day_design: 100 })
      .source('S2', 1000, 0, { capacity_mw: 3, is_backup: true, fuel_stock_t: 100, fuel_t_per_day_design: 50 })
      .station('HS1', 500, 0, { design_capacity_mw: 3.5 })
      .station('HS2', 1000, 0, { design_capacity_mw: 1.0 })
      .pipe('P1', 'primary', [[0, 0], [500, 0]], { dn: 200 })
      .pipe('P2', 'primary', [[500, 0], [1000, 0]], { dn: 150 })
      .community('C1', 'HS1', [400, 250, 600, 350], { heated_area_m2: 60_000, energy_saving: 'no' })
      .community('C2', 'HS2', [1100, 100, 1200, 200], { heated_area_m2: 20_000, energy_saving: 'yes' })
      .build();

  it('loads at the forecast minimum, shortfalls, coal reserve days and the daily curve', () => {
    const r = coldWaveCheck(project(), fixture('hourly-49h.csv'));
    expect(r.minTemperatureC).toBe(-30);
    expect(r.minTemperatureAt).toBe('2025-01-13T08:00:00+08:00');
    // φ = (18 + 30)/(18 + 26) = 48/44 = 1.0909
    expect(r.loadRatioAtMin).toBeCloseTo(1.090909, 6);
    const hs1 = r.stations.find((s) => s.id === 'HS1')!;
    // 3.72 × 1.0909 = 4.0582 MW against 3.5 MW: short by 0.5582 MW.
    expect(hs1.loadAtTMW).toBeCloseTo(4.058182, 5);
    expect(hs1.status).toBe('short');
    expect(hs1.shortMW).toBeCloseTo(0.558182, 5);
    const hs2 = r.stations.find((s) => s.id === 'HS2')!;
    // 0.9 × 1.0909 = 0.9818 of 1.0: near the limit.
    expect(hs2.status).toBe('near_limit');
    const s1 = r.sources.find((s) => s.id === 'S1')!;
    // 4.62 × 1.0909 = 5.04 MW of 6 → ratio 0.84; burn 100 × 0.84 = 84 t/d; 600 / 84 = 7.14 days < 15.
    expect(s1.loadAtTMW).toBeCloseTo(5.04, 9);
    expect(s1.ratio).toBeCloseTo(0.84, 9);
    expect(s1.dailyBurnT).toBeCloseTo(84, 9);
    expect(s1.reserveDays).toBeCloseTo(600 / 84, 9);
    expect(s1.reserveLow).toBe(true);
    expect(say('zh', s1.reason)).toMatch(/储煤仅够 7\.1 天 < 15 天/);
    const s2 = r.sources.find((s) => s.id === 'S2')!;
    expect(s2.status).toBe('no_load');
    expect(s2.reserveDays).toBeNull();
    // 7 days → 7 daily rows, then the minimum.
    expect(r.heatingCurve).toHaveLength(8);
    expect(r.heatingCurve[0]).toMatchObject({ date: '2025-01-10', outdoorC: -20 });
    expect(r.heatingCurve[7]).toMatchObject({ date: null, outdoorC: -30 });
    expect(r.heatingCurve[7].primarySupplyC).toBeCloseTo(18 + (48 / 44) * 92, 9);
    expect(r.forecast).toMatchObject({ from: '2025-01-10T00:00:00+08:00', to: '2025-01-17T00:00:00+08:00', resolution: 'hourly', readings: 168 });
  });

  it('caps the burn at full output and reserve days follow the stock', () => {
    const p = project();
    p.layers.heat_sources[0].properties.capacity_mw = 4;
    p.layers.heat_sources[0].properties.fuel_stock_t = 2000;
    const s1 = coldWaveCheck(p, fixture('hourly-49h.csv')).sources[0];
    expect(s1.status).toBe('short');
    expect(s1.shortMW).toBeCloseTo(1.04, 9);
    expect(s1.dailyBurnT).toBe(100);
    expect(s1.reserveDays).toBe(20);
    expect(s1.reserveLow).toBe(false);
  });
});
