/** `warmnet coldwave` on the Mingantu sample with the forecast fixtures. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../backend/store/index';
import { generateSample } from '../../gis-data/generate/index';
import { runCli, spawnCli } from './testing';

const dir = mkdtempSync(join(tmpdir(), 'warmnet-coldwave-'));
const samplePath = join(dir, 'mingantu.gpkg');
const fx = (name: string) => join('tests', 'fixtures', 'forecasts', name);

const run = (forecast: string, ...more: string[]) => runCli(['coldwave', samplePath, '--forecast', forecast, ...more]);
const json = async (forecast: string) => JSON.parse((await run(forecast, '--json')).stdout);

beforeAll(() => ProjectStore.createFromData(samplePath, generateSample()).close());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('warmnet coldwave', () => {
  it('fires for 49 h at −30 °C, with the flow increase 72 h before, loads and coal days per source', async () => {
    const r = await json(fx('hourly-49h.csv'));
    expect(r.triggered).toBe(true);
    expect(r.flowIncreaseBy).toBe('2025-01-10T08:00:00+08:00');
    expect(r.coldPeriod).toMatchObject({ start: '2025-01-13T08:00:00+08:00', hours: 49 });
    expect(r.minTemperatureC).toBe(-30);
    expect(r.sources.length).toBeGreaterThan(0);
    expect(r.stations.length).toBeGreaterThan(0);
    const phi = (18 + 30) / (18 + 26);
    for (const s of r.stations) expect(s.loadAtTMW).toBeCloseTo(s.designLoadMW * phi, 9);
    for (const s of r.sources.filter((x: { reserveDays: number | null }) => x.reserveDays !== null))
      expect(s.reserveDays).toBeCloseTo(s.fuelStockT / s.dailyBurnT, 9);
    expect(r.heatingCurve.at(-1)).toMatchObject({ outdoorC: -30, date: null });
  });

  it('does not fire for 48 h, and reports flowIncreaseBy null', async () => {
    const r = await json(fx('hourly-48h.csv'));
    expect(r.triggered).toBe(false);
    expect(r.flowIncreaseBy).toBeNull();
    expect(r.coldPeriod).toBeNull();
  });

  it('refuses malformed forecasts with the line and the reason, exit code 1', async () => {
    const cases: [string, RegExp][] = [
      ['bad-missing-column.csv', /line 1: missing column temperature_c/],
      ['bad-text-number.csv', /line 4: temperature_c "minus 25" is not a number/],
      ['bad-four-days.csv', /line 5: the forecast covers only 96 h .*at least 5 days/],
      ['bad-time.csv', /line 3: time "2025-13-11" is not an ISO 8601/],
    ];
    for (const [file, message] of cases) {
      const out = await run(fx(file));
      expect(out.status).toBe(1);
      expect(out.stderr).toMatch(message);
      expect(out.stdout).toBe('');
    }
    expect((await run(fx('nope.csv'))).status).toBe(1);
    // The same through the installed command.
    const bin = spawnCli(['coldwave', samplePath, '--forecast', fx('bad-text-number.csv')]);
    expect(bin.status).toBe(1);
    expect(bin.stderr).toMatch(/line 4: temperature_c "minus 25" is not a number/);
  });
});
