/** Result schemas of the network analyses (core/network/), each checked against its core type. */
import { z } from 'zod';
import { PIPE_LEVELS } from '../../../core/model/schema';
import type { CheckMessageKey, CheckResult, FindingKind } from '../../../core/network/check';
import { zh } from '../../../core/i18n/zh';
import type { SupplyAnswer } from '../../../core/network/supply';
import type { IsolationResult } from '../../../core/network/isolate';
import type { CriticalityAnswer } from '../../../core/network/criticality';
import type { LoopOption, LoopsResult } from '../../../core/network/loops';
import type { ValuedOption } from '../../../core/hydraulics/optionValue';
import type { CapacityAnswer } from '../../../core/network/capacity';
import type { CandidatesAnswer } from '../../../core/network/candidates';
import { messageSchema, paramsSchema } from './model';
import { positionSchema } from './geojson';
import { agree } from './agree';

const str = z.string();
const num = z.number();
const ids = z.array(str);
const numOrNull = num.nullable();
const strOrNull = str.nullable();

const FINDING_KINDS = ['dangling', 'crossing', 'duplicate', 'zero_length', 'off_network', 'levels_joined', 'island'] as const satisfies readonly FindingKind[];
const findingKind = z.enum(FINDING_KINDS);
/** The catalogue keys a check rule speaks with (those under `check.`). */
const CHECK_CODES = Object.keys(zh).filter((k): k is CheckMessageKey => k.startsWith('check.')) as [CheckMessageKey, ...CheckMessageKey[]];
export const checkResultSchema = z.strictObject({
  findings: z.array(z.strictObject({ kind: findingKind, rule: str, code: z.enum(CHECK_CODES), params: paramsSchema, featureIds: ids, lon: num, lat: num })),
  counts: z.record(findingKind, num),
});

/** The supply trace as the channel answers it: without the per-edge typed array. */
export const supplyTraceSchema = z.strictObject({
  areas: z.array(z.strictObject({ sources: ids, stationCount: num, loadMW: num, capacityMW: num })),
  sources: z.array(z.strictObject({ id: str, capacityMW: num, loadMW: num, loadRatio: numOrNull, stationCount: num, active: z.boolean() })),
  pipeGroups: z.array(z.strictObject({ sources: ids, pipes: ids })),
  rest: num,
});

export const isolationResultSchema = z.strictObject({
  valvesToClose: ids,
  alreadyClosed: ids,
  pipesIsolated: ids,
  stationsCut: ids,
  communitiesCut: ids,
  households: num,
  heatedAreaM2: num,
  loadMW: num,
  lengthM: num,
  cannotClose: ids.optional(),
});

const segmentRow = z.strictObject({ pipes: ids, pipeCount: num, loadLostMW: num, households: num, lengthM: num, riskMWkm: num });
/** What the app gets of a criticality report (core/network/criticality.ts criticalityAnswer). */
export const criticalityAnswerSchema = z.strictObject({
  loadAtRiskMWkm: num,
  segmentCount: num,
  classes: z.array(z.strictObject({ segments: num, lengthM: num })),
  worst: z.array(segmentRow),
  worstSegment: segmentRow.nullable(),
  bridgeCount: num,
  bridges: ids,
  pipeClasses: z.array(ids),
  rest: num,
});

const loopEnd = z.strictObject({ lon: num, lat: num, source: str, sources: ids, node: num });
export const loopOptionSchema = z.strictObject({
  rank: num,
  kind: z.enum(['interconnect', 'loop']),
  from: loopEnd,
  to: loopEnd,
  lengthM: num,
  straightM: num,
  route: z.enum(['streets', 'straight']),
  geometry: z.array(positionSchema),
  dn: num,
  costWan: num,
  backupMW: num,
  riskReducedMWkm: num,
  benefitPerWan: num,
  designLoadMW: num,
  capacityMW: num,
  explanation: z.array(messageSchema),
});
const outageFigures = z.strictObject({
  servedMW: num,
  servedHouseholds: num,
  loadMW: num,
  households: num,
  minDpKpa: numOrNull,
  stationsShort: num,
  converged: z.boolean(),
});
/** An option as the channel answers it: valued by its outage simulated without and with it (core/hydraulics/optionValue.ts). */
export const valuedOptionSchema = loopOptionSchema.extend({
  hydraulic: z
    .strictObject({
      outage: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('sources'), sourcesOff: ids }),
        z.strictObject({ kind: z.literal('segment'), valvesClosed: ids, pipes: ids }),
      ]),
      before: outageFigures,
      after: outageFigures,
      servedGainMW: num,
      householdsGain: num,
      backupMW: num,
    })
    .optional(),
  hydraulicError: messageSchema.optional(),
});
export const loopsResultSchema = z.strictObject({
  options: z.array(valuedOptionSchema),
  chosen: z.array(num),
  loadAtRiskMWkm: num,
  budgetWan: numOrNull,
  totalCostWan: num,
});

const reasons = z.array(messageSchema);
const loadStatus = z.enum(['overloaded', 'near_limit', 'ok', 'no_capacity']);
const hydraulicOrTree = z.enum(['hydraulic', 'tree']);
/** What the app gets of a capacity check (core/network/capacity.ts capacityAnswer). */
export const capacityAnswerSchema = z.strictObject({
  pipes: z.array(
    z.strictObject({
      id: str,
      level: z.enum(PIPE_LEVELS),
      dn: num,
      lengthM: num,
      loadMW: num,
      flowKgS: num,
      velocityMs: num,
      rPaM: num,
      status: z.enum(['ok', 'mismatched', 'oversized']),
      reason: reasons,
      fedBy: strOrNull,
    }),
  ),
  stations: z.array(
    z.strictObject({
      id: str,
      name: strOrNull,
      connectedMW: num,
      designCapacityMW: numOrNull,
      ratio: numOrNull,
      status: loadStatus,
      communities: ids,
      households: num,
      heatedAreaM2: num,
      reason: reasons,
    }),
  ),
  sources: z.array(
    z.strictObject({
      id: str,
      name: strOrNull,
      kind: strOrNull,
      isBackup: z.boolean(),
      capacityMW: numOrNull,
      loadMW: num,
      ratio: numOrNull,
      status: loadStatus,
      stations: ids,
      backup: z.strictObject({ sources: ids, spareMW: num, coverageRatio: numOrNull }),
      reason: reasons,
    }),
  ),
  classes: z.strictObject({ ok: ids, no_load: ids, mismatched: ids, oversized: ids }),
  rest: z.enum(['ok', 'no_load', 'mismatched', 'oversized']),
  stationsUnfed: ids,
  flows: z.strictObject({ primary: hydraulicOrTree, secondary: hydraulicOrTree, note: z.array(messageSchema) }),
  summary: z.strictObject({
    pipes: num,
    mismatched: num,
    oversized: num,
    stationsOverloaded: num,
    stationsNearLimit: num,
    sourcesOverloaded: num,
  }),
});

/** What the app gets of a renewal ranking (core/network/candidates.ts candidatesAnswer). */
export const candidatesAnswerSchema = z.strictObject({
  asOf: str,
  weights: z.strictObject({ age: num, leaks: num, waterLoss: num, condition: num, mismatch: num }),
  minScore: num,
  pipes: z.array(
    z.strictObject({
      rank: num,
      id: str,
      level: str,
      dn: numOrNull,
      lengthM: num,
      installYear: numOrNull,
      ageYears: numOrNull,
      designLifeYears: num,
      incidents5y: num,
      bursts5y: num,
      waterLossRate: numOrNull,
      condition: numOrNull,
      mismatched: z.boolean(),
      score: num,
      candidate: z.boolean(),
      reasons: z.array(
        z.strictObject({
          code: z.enum(['past_life', 'near_life', 'leaks', 'water_loss', 'poor_condition', 'mismatch']),
          params: messageSchema.shape.params.unwrap(),
          points: num,
        }),
      ),
      costWan: num,
      renovationStatus: strOrNull,
      projects: ids,
    }),
  ),
  scored: num,
  candidates: num,
  candidateIds: ids,
});

agree<z.infer<typeof checkResultSchema>, CheckResult>(true);
agree<z.infer<typeof supplyTraceSchema>, SupplyAnswer>(true);
agree<z.infer<typeof isolationResultSchema>, IsolationResult>(true);
agree<z.infer<typeof criticalityAnswerSchema>, CriticalityAnswer>(true);
agree<z.infer<typeof loopOptionSchema>, LoopOption>(true);
agree<z.infer<typeof valuedOptionSchema>, ValuedOption>(true);
agree<z.infer<typeof loopsResultSchema>, LoopsResult & { options: ValuedOption[] }>(true);
agree<z.infer<typeof capacityAnswerSchema>, CapacityAnswer>(true);
agree<z.infer<typeof candidatesAnswerSchema>, CandidatesAnswer>(true);
