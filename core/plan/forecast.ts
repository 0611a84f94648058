/**
 * Weather-forecast CSV for the cold-wave check (DOMAIN.md §3.9): columns
 * `time` (ISO 8601) and `temperature_c`, hourly or daily, in time order,
 * covering at least the settings' forecast days. Anything malformed is
 * refused with the 1-based line number and the reason, because the planner
 * fixes the file by hand.
 *
 * Times: `2025-01-10`, `2025-01-10T06`, `2025-01-10T06:00[:00[.000]]`, a space
 * instead of `T`, and an optional zone `Z`, `+08:00` or `+0800`. Times without
 * a zone are local station time; then every row must be without a zone, and
 * results are written back the same way (no zone). Each reading holds until
 * the next one; the last holds for the typical step (so 5 daily rows or 120
 * hourly rows cover 5 days).
 */
import { roundTo } from '../format/number';

/** One row of the forecast. */
export interface ForecastReading {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  /** The time as written. */
  time: string;
  /** Instant; for zone-less times, the local wall clock read as if it were UTC. */
  epochMs: number;
  temperatureC: number;
  /** Hours this reading stands for (until the next reading). */
  hours: number;
}

export interface Forecast {
  readings: ForecastReading[];
  /** Typical step between readings, h (1 hourly, 24 daily). */
  stepHours: number;
  resolution: 'hourly' | 'daily' | 'other';
  /** Offset of the first row in minutes, or null for zone-less local times. */
  offsetMinutes: number | null;
  /** Hours from the first reading to the end of the last one. */
  coverageHours: number;
}

/** A refused forecast: where and why. */
export class ForecastError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'ForecastError';
  }
}

const HOUR_MS = 3_600_000;
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Parse an ISO 8601 date or date-time; null when it is not one (or names a day that does not exist). */
export function parseIsoTime(text: string): { epochMs: number; offsetMinutes: number | null } | null {
  const m = ISO_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const Y = +y, M = +mo, D = +d, H = +h, MI = +mi, SE = +s;
  if (M < 1 || M > 12 || D < 1 || H > 24 || MI > 59 || SE > 60) return null;
  const wall = Date.UTC(Y, M - 1, D, H, MI, SE, frac ? Math.round(Number('0.' + frac) * 1000) : 0);
  // Date.UTC rolls 31 February into March; a real day reads back unchanged.
  const check = new Date(Date.UTC(Y, M - 1, D));
  if (check.getUTCFullYear() !== Y || check.getUTCMonth() !== M - 1 || check.getUTCDate() !== D) return null;
  if (H === 24 && (MI > 0 || SE > 0)) return null;
  let offsetMinutes: number | null = null;
  if (zone) {
    if (zone.toUpperCase() === 'Z') offsetMinutes = 0;
    else {
      const digits = zone.slice(1).replace(':', '');
      const oh = +digits.slice(0, 2);
      const om = digits.length > 2 ? +digits.slice(2, 4) : 0;
      if (oh > 18 || om > 59) return null;
      offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
    }
  }
  return { epochMs: wall - (offsetMinutes ?? 0) * 60_000, offsetMinutes };
}

/** Write an instant back as ISO 8601 in the forecast's own zone (none for local times). */
export function formatIsoTime(epochMs: number, offsetMinutes: number | null): string {
  const wall = new Date(epochMs + (offsetMinutes ?? 0) * 60_000).toISOString().slice(0, 19);
  if (offsetMinutes === null) return wall;
  if (offsetMinutes === 0) return wall + 'Z';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const a = Math.abs(offsetMinutes);
  return `${wall}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

function splitRow(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** Parse and check a forecast CSV; throws ForecastError naming the line and the reason. */
export function parseForecastCsv(text: string, minDays = 5): Forecast {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) throw new ForecastError(1, 'the file is empty; expected a header with columns time,temperature_c');
  const headerLine = lines[headerIndex];
  const delimiter = headerLine.includes(',') ? ',' : headerLine.includes(';') ? ';' : headerLine.includes('\t') ? '\t' : ',';
  const header = splitRow(headerLine, delimiter).map((h) => h.toLowerCase());
  const timeCol = header.indexOf('time');
  const tempCol = header.indexOf('temperature_c');
  const missing = [timeCol < 0 ? 'time' : null, tempCol < 0 ? 'temperature_c' : null].filter(Boolean);
  if (missing.length)
    throw new ForecastError(
      headerIndex + 1,
      `missing column ${missing.join(' and ')} (header is "${headerLine.trim()}"; expected time,temperature_c)`,
    );

  const readings: ForecastReading[] = [];
  let zoned: boolean | null = null;
  let offsetMinutes: number | null = null;
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const line = i + 1;
    const cells = splitRow(raw, delimiter);
    const need = Math.max(timeCol, tempCol) + 1;
    if (cells.length < need)
      throw new ForecastError(line, `has ${cells.length} field(s), the columns time and temperature_c need ${need}`);
    const timeText = cells[timeCol];
    // A pasted "−29" often carries the typographic minus (U+2212).
    const tempText = cells[tempCol].replace(/^\u2212/, '-');
    if (timeText === '') throw new ForecastError(line, 'time is empty');
    const t = parseIsoTime(timeText);
    if (!t) throw new ForecastError(line, `time "${timeText}" is not an ISO 8601 date or date-time (e.g. 2025-01-10T06:00)`);
    if (zoned === null) {
      zoned = t.offsetMinutes !== null;
      offsetMinutes = t.offsetMinutes;
    } else if (zoned !== (t.offsetMinutes !== null))
      throw new ForecastError(
        line,
        `time "${timeText}" ${zoned ? 'has no time zone' : 'has a time zone'} while the first row ${zoned ? 'has one' : 'has none'}`,
      );
    if (tempText === '') throw new ForecastError(line, 'temperature_c is empty');
    const temperatureC = Number(tempText);
    if (!Number.isFinite(temperatureC) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(tempText))
      throw new ForecastError(line, `temperature_c "${tempText}" is not a number`);
    if (temperatureC < -90 || temperatureC > 60)
      throw new ForecastError(line, `temperature_c ${temperatureC} °C is outside −90…60 °C`);
    const prev = readings[readings.length - 1];
    if (prev && t.epochMs <= prev.epochMs)
      throw new ForecastError(line, `time "${timeText}" is not after the previous row's "${prev.time}" (line ${prev.line}); rows must be in time order`);
    readings.push({ line, time: timeText, epochMs: t.epochMs, temperatureC, hours: 0 });
  }
  if (readings.length === 0) throw new ForecastError(headerIndex + 1, 'no data rows under the header');

  const steps = readings.slice(1).map((r, k) => (r.epochMs - readings[k].epochMs) / HOUR_MS);
  const stepHours = steps.length ? mostCommon(steps) : 24;
  for (let k = 0; k < readings.length; k++) readings[k].hours = k < steps.length ? steps[k] : stepHours;
  const coverageHours = (readings[readings.length - 1].epochMs - readings[0].epochMs) / HOUR_MS + stepHours;
  const last = readings[readings.length - 1];
  if (coverageHours < minDays * 24)
    throw new ForecastError(
      last.line,
      `the forecast covers only ${roundTo(coverageHours, 1)} h (${roundTo(coverageHours / 24, 1)} days, ${readings[0].time} to ${last.time}); at least ${minDays} days are needed`,
    );
  return {
    readings,
    stepHours,
    resolution: stepHours === 1 ? 'hourly' : stepHours === 24 ? 'daily' : 'other',
    offsetMinutes,
    coverageHours,
  };
}

function mostCommon(values: number[]): number {
  const counts = new Map<number, number>();
  let best = values[0];
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > (counts.get(best) ?? 0)) best = v;
  }
  return best;
}

