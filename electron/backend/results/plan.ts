/** Result schemas of the plan figures (core/plan/): cold-wave check, meeting charts, key figures, plan progress. */
import { z } from 'zod';
import type { ColdWaveReport } from '../../../core/plan/coldwave';
import type { ChartData, KeyFigures } from '../../../core/plan/charts';
import type { PlanProgress, ProjectLength, YearTotals } from '../../../core/plan/progress';
import { messageSchema } from './model';
import { agree } from './agree';

const str = z.string();
const num = z.number();
const numOrNull = num.nullable();
const strOrNull = str.nullable();
const kmPerLevel = z.record(str, num);

const coldStatus = z.enum(['short', 'near_limit', 'ok', 'no_capacity', 'no_load']);
export const coldWaveReportSchema = z.strictObject({
  triggered: z.boolean(),
  flowIncreaseBy: strOrNull,
  flowIncreaseLate: z.boolean(),
  coldPeriod: z.strictObject({ start: str, end: str, hours: num, minTemperatureC: num, fromLine: num, toLine: num }).nullable(),
  longestColdHours: num,
  minTemperatureC: num,
  minTemperatureAt: str,
  forecast: z.strictObject({ from: str, to: str, resolution: z.enum(['hourly', 'daily', 'other']), stepHours: num, hours: num, readings: num }),
  rule: z.strictObject({ thresholdC: num, hours: num, leadHours: num, coalReserveDays: num }),
  loadRatioAtMin: num,
  sources: z.array(
    z.strictObject({
      id: str,
      name: strOrNull,
      isBackup: z.boolean(),
      capacityMW: numOrNull,
      designLoadMW: num,
      loadAtTMW: num,
      ratio: numOrNull,
      shortMW: num,
      status: coldStatus,
      fuelStockT: numOrNull,
      dailyBurnT: numOrNull,
      reserveDays: numOrNull,
      reserveLow: z.boolean(),
      reason: z.array(messageSchema),
    }),
  ),
  stations: z.array(
    z.strictObject({
      id: str,
      name: strOrNull,
      capacityMW: numOrNull,
      designLoadMW: num,
      loadAtTMW: num,
      ratio: numOrNull,
      shortMW: num,
      status: coldStatus,
      reason: z.array(messageSchema),
    }),
  ),
  heatingCurve: z.array(
    z.strictObject({
      date: strOrNull,
      label: messageSchema,
      outdoorC: num,
      loadRatio: num,
      primarySupplyC: num,
      primaryReturnC: num,
      secondarySupplyC: num,
      secondaryReturnC: num,
    }),
  ),
});

export const chartDataSchema = z.strictObject({
  id: z.enum(['pipe-age-level', 'incidents-per-year', 'renovation-progress', 'station-load']),
  title: str,
  unit: str,
  categories: z.array(str),
  categoriesAreData: z.boolean().optional(),
  series: z.array(z.strictObject({ key: str, label: str, color: str, values: z.array(num) })),
  barColors: z.array(str).optional(),
  references: z.array(z.strictObject({ value: num, label: str, color: str })).optional(),
  cumulative: z.strictObject({ label: str, color: str, values: z.array(num) }).optional(),
  note: str.optional(),
});

export const keyFiguresSchema = z.strictObject({
  planYear: num,
  plannedKm: num,
  completedKm: num,
  targetKm: numOrNull,
  budgetWan: num,
  targetBudgetWan: numOrNull,
  stationsOverloaded: num,
  stationsNearLimit: num,
  loopOptions: numOrNull,
});

export const projectLengthSchema = z.strictObject({ id: str, km: kmPerLevel, totalKm: num, pipes: z.array(str) });
export const yearTotalsSchema = z.strictObject({ year: num, projects: num, budgetWan: num, km: kmPerLevel, totalKm: num });

export const planProgressSchema = z.strictObject({
  year: num,
  km: kmPerLevel,
  secondaryCourtyardKm: num,
  kmByStatus: z.record(str, num),
  budgetWan: num,
  target: z.strictObject({ primaryKm: num, secondaryCourtyardKm: num, budgetWan: num }).nullable(),
  ratio: z.strictObject({ primary: numOrNull, secondaryCourtyard: numOrNull, budget: numOrNull }),
  overdue: z.array(z.strictObject({ id: str, name: strOrNull, deadline: str, status: str, daysLate: num })),
  projects: num,
});

agree<z.infer<typeof coldWaveReportSchema>, ColdWaveReport>(true);
agree<z.infer<typeof chartDataSchema>, ChartData>(true);
agree<z.infer<typeof keyFiguresSchema>, KeyFigures>(true);
agree<z.infer<typeof projectLengthSchema>, ProjectLength>(true);
agree<z.infer<typeof yearTotalsSchema>, YearTotals>(true);
agree<z.infer<typeof planProgressSchema>, PlanProgress>(true);
