/**
 * Cold-wave check (DOMAIN.md §3.9, plan 三(五) and 三(六)) on a forecast.
 *
 * Rule: readings at or below `coldWaveThresholdC` in a row form a cold
 * period; each reading counts for the hours until the next one (1 h hourly,
 * 24 h daily). The warning fires when a cold period lasts MORE than
 * `coldWaveHours`; the primary flow must then be raised by the start of that
 * period minus `coldWaveLeadHours`.
 *
 * Loads at the forecast minimum temperature T:
 *   Q(T) = Q_design × (t_in − T) / (t_in − t_design)
 * with Q_design the connected design load (stations) or the stations a source
 * feeds (sources), t_in the indoor and t_design the outdoor design temperature.
 *
 * Heating curve (quality regulation: constant flow, temperatures linear in
 * the relative load φ = (t_in − T)/(t_in − t_design), φ ≥ 0):
 *   t_supply = t_in + φ·(t_supply,design − t_in)
 *   t_return = t_in + φ·(t_return,design − t_in)
 * so supply − return = φ·ΔT_design and the heat delivered follows the load.
 * Below the design temperature φ > 1 and the curve runs above design.
 *
 * Coal: reserve days = fuel_stock_t ÷ daily burn, with daily burn =
 * fuel_t_per_day_design × load ratio at T, the load ratio being load at T ÷
 * capacity (capped at 1: a boiler cannot burn more than at full output; the
 * shortfall shows as `shortMW`). Without a capacity, the ratio is φ.
 */
import type { NetworkInput } from '../network/build/base';
import type { Settings } from '../model/settings';
import { capacityVerdicts, type CapacityReport } from '../network/capacity';
import { formatIsoTime, type Forecast } from './forecast';
import { message, type Message } from '../i18n';
import { fixed } from '../format/number';

const HOUR_MS = 3_600_000;

export interface ColdPeriod {
  start: string;
  end: string;
  hours: number;
  minTemperatureC: number;
  /** Forecast lines of its first and last reading. */
  fromLine: number;
  toLine: number;
}

export interface ColdWaveRule {
  triggered: boolean;
  /** Start of the cold period minus the lead time, ISO 8601 (null when not triggered). */
  flowIncreaseBy: string | null;
  /** The lead time has already begun before the forecast's first reading: raise the flow now. */
  flowIncreaseLate: boolean;
  /** The first cold period longer than the rule's hours (null when none). */
  coldPeriod: ColdPeriod | null;
  /** Longest run at or below the threshold, h (0 when none). */
  longestColdHours: number;
}

export interface HeatingCurvePoint {
  /** Forecast day (local date), or null for the forecast-minimum row. */
  date: string | null;
  /** The row's name: the day's mean or the forecast minimum (a typed message). */
  label: Message;
  outdoorC: number;
  loadRatio: number;
  primarySupplyC: number;
  primaryReturnC: number;
  secondarySupplyC: number;
  secondaryReturnC: number;
}

export type ColdLoadStatus = 'short' | 'near_limit' | 'ok' | 'no_capacity' | 'no_load';

export interface ColdSourceLoad {
  id: string;
  name: string | null;
  isBackup: boolean;
  capacityMW: number | null;
  designLoadMW: number;
  loadAtTMW: number;
  ratio: number | null;
  shortMW: number;
  status: ColdLoadStatus;
  fuelStockT: number | null;
  dailyBurnT: number | null;
  reserveDays: number | null;
  /** Reserve below `coalReserveDays`. */
  reserveLow: boolean;
  reason: Message[];
}

export interface ColdStationLoad {
  id: string;
  name: string | null;
  capacityMW: number | null;
  designLoadMW: number;
  loadAtTMW: number;
  ratio: number | null;
  shortMW: number;
  status: ColdLoadStatus;
  reason: Message[];
}

export interface ColdWaveReport extends ColdWaveRule {
  minTemperatureC: number;
  minTemperatureAt: string;
  forecast: { from: string; to: string; resolution: Forecast['resolution']; stepHours: number; hours: number; readings: number };
  rule: { thresholdC: number; hours: number; leadHours: number; coalReserveDays: number };
  /** Relative load φ at the forecast minimum. */
  loadRatioAtMin: number;
  sources: ColdSourceLoad[];
  stations: ColdStationLoad[];
  heatingCurve: HeatingCurvePoint[];
}

/** Apply the −29 °C / 48 h rule (from settings) to a forecast. */
export function coldWaveRule(forecast: Forecast, settings: Settings): ColdWaveRule {
  const { readings, offsetMinutes } = forecast;
  let longest = 0;
  let found: ColdPeriod | null = null;
  let i = 0;
  while (i < readings.length) {
    if (readings[i].temperatureC > settings.coldWaveThresholdC) {
      i++;
      continue;
    }
    let j = i;
    let hours = 0;
    let min = Infinity;
    while (j < readings.length && readings[j].temperatureC <= settings.coldWaveThresholdC) {
      hours += readings[j].hours;
      min = Math.min(min, readings[j].temperatureC);
      j++;
    }
    longest = Math.max(longest, hours);
    if (!found && hours > settings.coldWaveHours) {
      const last = readings[j - 1];
      found = {
        start: formatIsoTime(readings[i].epochMs, offsetMinutes),
        end: formatIsoTime(last.epochMs + last.hours * HOUR_MS, offsetMinutes),
        hours,
        minTemperatureC: min,
        fromLine: readings[i].line,
        toLine: last.line,
      };
    }
    i = j;
  }
  if (!found) return { triggered: false, flowIncreaseBy: null, flowIncreaseLate: false, coldPeriod: null, longestColdHours: longest };
  const startMs = readings.find((r) => r.line === found!.fromLine)!.epochMs;
  const byMs = startMs - settings.coldWaveLeadHours * HOUR_MS;
  return {
    triggered: true,
    flowIncreaseBy: formatIsoTime(byMs, offsetMinutes),
    flowIncreaseLate: byMs < readings[0].epochMs,
    coldPeriod: found,
    longestColdHours: longest,
  };
}

/** Relative load φ = (t_in − T)/(t_in − t_design), never below 0. */
export function relativeLoad(outdoorC: number, settings: Settings): number {
  const span = settings.indoorDesignC - settings.outdoorDesignC;
  return span > 0 ? Math.max(0, (settings.indoorDesignC - outdoorC) / span) : 0;
}

/** Supply / return temperatures of both levels at an outdoor temperature (see the file comment). */
export function heatingCurveAt(outdoorC: number, settings: Settings): Omit<HeatingCurvePoint, 'date' | 'label'> {
  const phi = relativeLoad(outdoorC, settings);
  const tIn = settings.indoorDesignC;
  const at = (design: number) => tIn + phi * (design - tIn);
  return {
    outdoorC,
    loadRatio: phi,
    primarySupplyC: at(settings.primarySupplyC),
    primaryReturnC: at(settings.primaryReturnC),
    secondarySupplyC: at(settings.secondarySupplyC),
    secondaryReturnC: at(settings.secondaryReturnC),
  };
}

function status(load: number, cap: number | null, settings: Settings): { ratio: number | null; shortMW: number; status: ColdLoadStatus } {
  if (!(load > 0)) return { ratio: cap && cap > 0 ? 0 : null, shortMW: 0, status: 'no_load' };
  if (cap === null || !(cap > 0)) return { ratio: null, shortMW: 0, status: 'no_capacity' };
  const ratio = load / cap;
  return {
    ratio,
    shortMW: Math.max(0, load - cap),
    status: ratio > 1 ? 'short' : ratio >= settings.stationNearLimitRatio ? 'near_limit' : 'ok',
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The whole cold-wave report for a project and a parsed forecast. */
export function coldWaveCheck(
  data: NetworkInput,
  forecast: Forecast,
  settings: Settings = data.settings,
  capacity: Pick<CapacityReport, 'stations' | 'sources'> = capacityVerdicts(data, settings).report,
): ColdWaveReport {
  const rule = coldWaveRule(forecast, settings);
  const { readings, offsetMinutes } = forecast;
  const coldest = readings.reduce((a, r) => (r.temperatureC < a.temperatureC ? r : a), readings[0]);
  const T = coldest.temperatureC;
  const phi = relativeLoad(T, settings);

  const stations: ColdStationLoad[] = capacity.stations.map((s) => {
    const loadAtTMW = s.connectedMW * phi;
    const st = status(loadAtTMW, s.designCapacityMW, settings);
    const reason = [
      st.status === 'short'
        ? message('cold.stationShort', { t: T, mw: fixed(loadAtTMW, 2), cap: s.designCapacityMW, short: fixed(st.shortMW, 2) })
        : st.status === 'near_limit'
          ? message('cold.nearLimit', { t: T })
          : st.status === 'no_capacity'
            ? message('station.noCapacity')
            : st.status === 'no_load'
              ? message('cold.noLoad')
              : message('cold.ratio', { t: T, pct: Math.round((st.ratio ?? 0) * 100) }),
    ];
    return { id: s.id, name: s.name, capacityMW: s.designCapacityMW, designLoadMW: s.connectedMW, loadAtTMW, ...st, reason };
  });

  const sources: ColdSourceLoad[] = capacity.sources.map((s) => {
    const feat = data.layers.heat_sources.find((h) => h.id === s.id)!;
    const loadAtTMW = s.loadMW * phi;
    const st = status(loadAtTMW, s.capacityMW, settings);
    const stock = num(feat.properties.fuel_stock_t);
    const burnDesign = num(feat.properties.fuel_t_per_day_design);
    const burnRatio = s.capacityMW && s.capacityMW > 0 ? Math.min(1, loadAtTMW / s.capacityMW) : s.loadMW > 0 ? phi : 0;
    const dailyBurnT = burnDesign !== null && burnRatio > 0 ? burnDesign * burnRatio : null;
    const reserveDays = stock !== null && dailyBurnT !== null && dailyBurnT > 0 ? stock / dailyBurnT : null;
    const reserveLow = reserveDays !== null && reserveDays < settings.coalReserveDays;
    const parts: Message[] = [];
    if (st.status === 'short') parts.push(message('cold.sourceShort', { t: T, short: fixed(st.shortMW, 2) }));
    else if (st.status === 'near_limit') parts.push(message('cold.nearLimit', { t: T }));
    else if (st.status === 'no_load') parts.push(message(s.isBackup ? 'cold.standby' : 'cold.noLoad'));
    else if (st.status === 'no_capacity') parts.push(message('source.noCapacity'));
    else parts.push(message('cold.ratio', { t: T, pct: Math.round((st.ratio ?? 0) * 100) }));
    if (reserveDays !== null)
      parts.push(
        reserveLow
          ? message('cold.coalLow', { days: reserveDays.toFixed(1), min: settings.coalReserveDays })
          : message('cold.coalDays', { days: reserveDays.toFixed(1) }),
      );
    else if (stock === null && burnDesign !== null) parts.push(message('cold.noStock'));
    return {
      id: s.id,
      name: s.name,
      isBackup: s.isBackup,
      capacityMW: s.capacityMW,
      designLoadMW: s.loadMW,
      loadAtTMW,
      ...st,
      fuelStockT: stock,
      dailyBurnT,
      reserveDays,
      reserveLow,
      reason: parts,
    };
  });

  // One heating-curve row per forecast day at its mean temperature, then the forecast minimum.
  const days = new Map<string, { sum: number; hours: number }>();
  for (const r of readings) {
    const date = formatIsoTime(r.epochMs, offsetMinutes).slice(0, 10);
    const d = days.get(date) ?? { sum: 0, hours: 0 };
    d.sum += r.temperatureC * r.hours;
    d.hours += r.hours;
    days.set(date, d);
  }
  const heatingCurve: HeatingCurvePoint[] = [...days].map(([date, d]) => {
    const mean = Math.round((d.sum / d.hours) * 10) / 10;
    return { date, label: message('coldwave.curve.dailyMean', { date }), ...heatingCurveAt(mean, settings) };
  });
  heatingCurve.push({ date: null, label: message('engineering.minimum'), ...heatingCurveAt(T, settings) });

  const last = readings[readings.length - 1];
  return {
    ...rule,
    minTemperatureC: T,
    minTemperatureAt: formatIsoTime(coldest.epochMs, offsetMinutes),
    forecast: {
      from: formatIsoTime(readings[0].epochMs, offsetMinutes),
      to: formatIsoTime(last.epochMs + last.hours * HOUR_MS, offsetMinutes),
      resolution: forecast.resolution,
      stepHours: forecast.stepHours,
      hours: forecast.coverageHours,
      readings: readings.length,
    },
    rule: {
      thresholdC: settings.coldWaveThresholdC,
      hours: settings.coldWaveHours,
      leadHours: settings.coldWaveLeadHours,
      coalReserveDays: settings.coalReserveDays,
    },
    loadRatioAtMin: phi,
    sources,
    stations,
    heatingCurve,
  };
}
