/**
 * The network-analysis and engineering-check channels of the contract
 * (spread into `contract` in contract.ts), plus the settings writes. Heavy
 * analyses run in the worker runner; a call may carry a `runId` so the
 * renderer can follow its `analysis:progress` events and cancel it.
 */
import { z } from 'zod';
import type { Settings } from '../../core/model/settings';
import { SCENARIOS, type ScenarioName } from '../../core/hydraulics/simulate';
import { DEFAULT_SETTINGS } from '../../core/model/settings';
import {
  candidatesAnswerSchema,
  capacityAnswerSchema,
  checkResultSchema,
  criticalityAnswerSchema,
  isolationResultSchema,
  loopsResultSchema,
  supplyTraceSchema,
  valuedOptionSchema,
} from './results/network';
import { coldWaveReportSchema } from './results/plan';
import { hydraulicsPipeViewSchema, hydraulicsViewSchema } from './results/hydraulics';
import { settingsSchema } from './results/model';

const featureId = z.string().min(1).max(200);
const runId = z.string().min(1).max(100).optional();
const lon = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);
const settingKey = z.enum(Object.keys(DEFAULT_SETTINGS) as [keyof Settings, ...(keyof Settings)[]]);
const loopsArgs = {
  maxLengthM: z.number().finite().positive().max(100_000).optional(),
  budgetWan: z.number().finite().nonnegative().max(10_000_000).optional(),
};

/** Before → after of the N-1 load at risk with one loop option added to an in-memory copy of the network. */
const whatIfResultSchema = z.strictObject({
  option: valuedOptionSchema,
  before: z.number(),
  after: z.number(),
  /** before − after, MW·km (equals the option's riskReducedMWkm). */
  reducedMWkm: z.number(),
  afterResult: criticalityAnswerSchema,
});
export type WhatIfResult = z.infer<typeof whatIfResultSchema>;

/** A cold-wave check, or the forecast line that was refused and why. */
const coldWaveAnswerSchema = z.union([
  z.strictObject({ report: coldWaveReportSchema }),
  z.strictObject({ error: z.strictObject({ line: z.number(), reason: z.string() }) }),
]);
export type ColdWaveAnswer = z.infer<typeof coldWaveAnswerSchema>;

/** Payload of the `analysis:progress` backend event. */
export interface AnalysisProgress {
  runId: string;
  channel: string;
  fraction: number;
}

/** A hydraulic scenario (warmnet hydraulics' options); shared by the analysis and the balancing export. */
export const hydraulicsArgs = {
  scenario: z.enum(SCENARIOS as unknown as [ScenarioName, ...ScenarioName[]]),
  outdoorC: z.number().finite().min(-60).max(30).optional(),
  sourcesOff: z.array(featureId).max(100).optional(),
  openValves: z.array(featureId).max(1000).optional(),
  options: z.array(z.number().int().min(1).max(100_000)).max(50).optional(),
  friction: z.enum(['colebrook', 'swamee-jain']).optional(),
  profileStation: featureId.optional(),
};

export const analysisContract = {
  /** 网络检查: topology findings, each with feature ids, a location and a reason. */
  'analysis:check': { args: z.object({ runId }).strict(), result: checkResultSchema },
  /** Supply trace: which sources feed each pipe, station and community. */
  'analysis:trace': { args: z.object({ runId }).strict(), result: supplyTraceSchema },
  /** 爆管分析: isolate a whole pipe, or the valve segment at a point on a pipe. */
  'analysis:isolate': {
    args: z
      .object({ pipeId: featureId.optional(), lon: lon.optional(), lat: lat.optional(), runId })
      .strict()
      .superRefine((a, ctx) => {
        const point = a.lon !== undefined || a.lat !== undefined;
        if (a.pipeId === undefined && !point) ctx.addIssue({ code: 'custom', path: ['pipeId'], message: 'give a pipe id or a point (lon, lat)' });
        else if (a.pipeId !== undefined && point) ctx.addIssue({ code: 'custom', path: ['pipeId'], message: 'give a pipe id or a point, not both' });
        else if (point && (a.lon === undefined || a.lat === undefined)) ctx.addIssue({ code: 'custom', path: [a.lon === undefined ? 'lon' : 'lat'], message: 'a point needs lon and lat' });
      }),
    result: isolationResultSchema,
  },
  /** N-1 风险: load lost per valve segment, load at risk MW·km, bridges of the primary network. */
  'analysis:criticality': { args: z.object({ runId }).strict(), result: criticalityAnswerSchema },
  /** Read the network and build its graph in the worker ahead of the first analysis (the app asks once the map is drawn). */
  'analysis:prepare': { args: z.object({}).strict(), result: z.boolean() },
  /** 联网方案: ranked interconnect / loop options and the set chosen within the budget. */
  'analysis:loops': { args: z.object({ ...loopsArgs, runId }).strict(), result: loopsResultSchema },
  /** What if the option of this rank were built: criticality before and after. */
  'analysis:whatif': {
    args: z.object({ optionRank: z.number().int().min(1).max(100_000), ...loopsArgs, runId }).strict(),
    result: whatIfResultSchema,
  },
  /** 负荷匹配 and station overload, as `warmnet capacity`. */
  'analysis:capacity': { args: z.object({ runId }).strict(), result: capacityAnswerSchema },
  /** 改造候选 as of a date (default today), as `warmnet candidates`. */
  'analysis:candidates': {
    args: z.object({ asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), runId }).strict(),
    result: candidatesAnswerSchema,
  },
  /** 极寒天气: a pasted forecast CSV checked against the cold-wave rule. */
  'analysis:coldwave': { args: z.object({ csv: z.string().min(1).max(2_000_000), runId }).strict(), result: coldWaveAnswerSchema },
  /** 水力计算: one scenario's flows, pressures, temperatures, 水压图 profile and balancing table (cached per revision and scenario). */
  'analysis:hydraulics': {
    args: z
      .object({ ...hydraulicsArgs, runId })
      .strict()
      .superRefine((a, ctx) => {
        if (a.scenario === 'now' && a.outdoorC === undefined) ctx.addIssue({ code: 'custom', path: ['outdoorC'], message: 'the "now" scenario needs the outdoor temperature' });
      }),
    result: hydraulicsViewSchema,
  },
  /** One pipe's numbers of the hydraulic run whose result tiles carry `token` (null: no such pipe, or a later run replaced it). */
  'analysis:hydraulicsPipe': {
    args: z.object({ token: z.string().regex(/^[0-9a-f]{16}$/), pipeId: featureId }).strict(),
    result: hydraulicsPipeViewSchema.nullable(),
  },
  /** Stop a running analysis; true when something was running under that id. */
  'analysis:cancel': { args: z.object({ runId: featureId }).strict(), result: z.boolean() },
  /** Change engineering settings (each value checked against its definition); returns all settings. */
  'settings:set': { args: z.object({ patch: z.partialRecord(settingKey, z.unknown()) }).strict(), result: settingsSchema },
  /** Back to the defaults (the keys given, or all). */
  'settings:reset': { args: z.object({ keys: z.array(settingKey).max(200).optional() }).strict(), result: settingsSchema },
} as const;

export type AnalysisContract = typeof analysisContract;
