import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ForecastError, formatIsoTime, parseForecastCsv, parseIsoTime } from './forecast';

const fixture = (name: string) => readFileSync(new URL(`../../tests/fixtures/forecasts/${name}`, import.meta.url), 'utf8');

function refusal(text: string): ForecastError {
  try {
    parseForecastCsv(text);
  } catch (e) {
    if (e instanceof ForecastError) return e;
    throw e;
  }
  throw new Error('the forecast was accepted');
}

const days5 = ['2025-01-10', '2025-01-11', '2025-01-12', '2025-01-13', '2025-01-14'];

describe('forecast CSV', () => {
  it('reads an hourly forecast with zone and keeps the zone for output', () => {
    const f = parseForecastCsv(fixture('hourly-49h.csv'));
    expect(f.readings).toHaveLength(168);
    expect(f.resolution).toBe('hourly');
    expect(f.stepHours).toBe(1);
    expect(f.offsetMinutes).toBe(480);
    expect(f.coverageHours).toBe(168);
    expect(f.readings[0]).toMatchObject({ line: 2, temperatureC: -20, hours: 1 });
    expect(formatIsoTime(f.readings[1].epochMs, f.offsetMinutes)).toBe('2025-01-10T01:00:00+08:00');
  });

  it('reads a daily forecast: each day holds 24 h, five days cover 120 h', () => {
    const f = parseForecastCsv(fixture('daily-3days.csv'));
    expect(f.resolution).toBe('daily');
    expect(f.readings.map((r) => r.hours)).toEqual([24, 24, 24, 24, 24]);
    expect(f.coverageHours).toBe(120);
    expect(f.offsetMinutes).toBeNull();
    expect(formatIsoTime(f.readings[2].epochMs, null)).toBe('2025-01-12T00:00:00');
  });

  it('accepts extra columns in any order, quotes, semicolons, CRLF and a BOM', () => {
    const rows = days5.map((d, i) => `"x${i}";${-20 - i};${d} 06:00`);
    const f = parseForecastCsv('\uFEFFstation;temperature_c;time\r\n' + rows.join('\r\n') + '\r\n');
    expect(f.readings.map((r) => r.temperatureC)).toEqual([-20, -21, -22, -23, -24]);
  });

  it('refuses a missing column, naming it and line 1', () => {
    const e = refusal(fixture('bad-missing-column.csv'));
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/^line 1: missing column temperature_c/);
  });

  it('refuses text in a number with its line', () => {
    const e = refusal(fixture('bad-text-number.csv'));
    expect(e.line).toBe(4);
    expect(e.reason).toBe('temperature_c "minus 25" is not a number');
  });

  it('refuses fewer than five days with the last line', () => {
    const e = refusal(fixture('bad-four-days.csv'));
    expect(e.line).toBe(5);
    expect(e.reason).toMatch(/covers only 96 h \(4 days.*at least 5 days/);
  });

  it('refuses an unparsable time with its line', () => {
    const e = refusal(fixture('bad-time.csv'));
    expect(e.line).toBe(3);
    expect(e.reason).toMatch(/time "2025-13-11" is not an ISO 8601/);
  });

  it('refuses rows out of order, empty cells, short rows, mixed zones and impossible dates', () => {
    const h = 'time,temperature_c\n';
    expect(refusal(h + '2025-01-11,-20\n2025-01-10,-20\n').reason).toMatch(/not after the previous row/);
    expect(refusal(h + '2025-01-10,\n').reason).toBe('temperature_c is empty');
    expect(refusal(h + '2025-01-10\n').reason).toMatch(/has 1 field/);
    expect(refusal(h + '2025-01-10T00:00Z,-20\n2025-01-11T00:00,-20\n').line).toBe(3);
    expect(refusal(h + '2025-02-30,-20\n').reason).toMatch(/not an ISO 8601/);
    expect(refusal(h + '2025-01-10,12abc\n').reason).toMatch(/not a number/);
    expect(refusal('').line).toBe(1);
    expect(refusal(h).reason).toMatch(/no data rows/);
  });

  it('accepts the typographic minus of pasted text', () => {
    const f = parseForecastCsv('time,temperature_c\n' + days5.map((d) => `${d},\u221229.5`).join('\n'));
    expect(f.readings[0].temperatureC).toBe(-29.5);
  });

  it('uses the minimum days it is given', () => {
    const text = 'time,temperature_c\n' + days5.slice(0, 3).map((d) => `${d},-20`).join('\n');
    expect(parseForecastCsv(text, 3).coverageHours).toBe(72);
  });

  it('parses ISO 8601 forms and zones', () => {
    expect(parseIsoTime('2025-01-10T06:30:00Z')).toEqual({ epochMs: Date.UTC(2025, 0, 10, 6, 30), offsetMinutes: 0 });
    expect(parseIsoTime('2025-01-10T06+0800')!.epochMs).toBe(Date.UTC(2025, 0, 9, 22));
    expect(parseIsoTime('2025-01-10 06:00:00.5-05:30')!.offsetMinutes).toBe(-330);
    expect(parseIsoTime('10/01/2025')).toBeNull();
    expect(formatIsoTime(Date.UTC(2025, 0, 9, 22), -330)).toBe('2025-01-09T16:30:00-05:30');
  });
});
