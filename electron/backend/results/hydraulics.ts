/** Result schema of a hydraulic run as the app shows it (core/hydraulics/view.ts), checked against the core type. */
import { z } from 'zod';
import { SCENARIOS, type ScenarioName } from '../../../core/hydraulics/simulate';
import type { HydraulicsPipeView, HydraulicsView } from '../../../core/hydraulics/view';
import type { HydraulicProfile } from '../../../core/hydraulics/profile';
import { messageSchema } from './model';
import { agree } from './agree';

const str = z.string();
const num = z.number();
const ids = z.array(str);
const numOrNull = num.nullable();

export const hydraulicProfileSchema = z.strictObject({
  station: str,
  source: str.nullable(),
  pipes: ids,
  points: z.array(
    z.strictObject({
      distanceM: num,
      node: num,
      lon: num,
      lat: num,
      groundM: num,
      supplyHeadM: num,
      returnHeadM: num,
      staticHeadM: num,
      supplyKpa: num,
      returnKpa: num,
      pipe: str.nullable(),
      features: ids,
    }),
  ),
  dpKpa: numOrNull,
  minDpKpa: num,
  lengthM: num,
});

/** One pipe's numbers of a run. */
export const hydraulicsPipeViewSchema = z.strictObject({
  id: str,
  flowM3h: num,
  velocityMs: num,
  rPam: num,
  headLossM: num,
  supplyInC: numOrNull,
  supplyOutC: numOrNull,
  parts: z.array(z.strictObject({ id: str, flowM3h: num, headLossM: num })).optional(),
  dn: numOrNull,
  supplyPressureKpa: numOrNull,
});

export const hydraulicsViewSchema = z.strictObject({
  converged: z.boolean(),
  iterations: num,
  reason: str.optional(),
  log: z.array(z.strictObject({ iteration: num, relativeChange: num, maxFlowChange: num, stationsLimited: num })),
  scenario: z.strictObject({
    name: z.enum(SCENARIOS as unknown as [ScenarioName, ...ScenarioName[]]),
    outdoorC: num,
    loadFactor: num,
    sourcesOff: ids,
    friction: z.enum(['colebrook', 'swamee-jain']),
    twoCircuits: z.boolean(),
  }),
  settings: z.record(str, z.union([num, str, z.record(str, num)])),
  pipes: z.array(hydraulicsPipeViewSchema),
  pipeCount: num,
  legend: z.strictObject({
    breaks: z.strictObject({ velocity: z.array(num), r: z.array(num), pressure: z.array(num), temp: z.array(num) }),
    flowMaxM3h: num,
  }),
  pipeTiles: z.strictObject({ token: str }).nullable(),
  stations: z.array(
    z.strictObject({
      id: str,
      loadKw: num,
      demandM3h: num,
      flowM3h: num,
      dpKpa: numOrNull,
      supplyC: numOrNull,
      shortfallKw: num,
      minDpKpa: num,
      served: z.boolean(),
      limited: z.boolean(),
      households: num,
      unbalancedFlowM3h: num.optional(),
      lon: numOrNull,
      lat: numOrNull,
      light: z.enum(['ok', 'low', 'short', 'unserved']),
    }),
  ),
  sources: z.array(
    z.strictObject({
      id: str,
      flowM3h: num,
      heatMw: num,
      headM: num,
      role: z.enum(['pressure', 'head', 'flow', 'off']),
      running: z.boolean(),
      checkValveClosed: z.boolean(),
      supplyHeadM: numOrNull,
      returnHeadM: numOrNull,
      returnC: numOrNull,
      share: num,
    }),
  ),
  unfavourable: z.strictObject({ station: str, path: ids }).nullable(),
  balancing: z.array(
    z.strictObject({
      station: str,
      excessDpKpa: num,
      dpKpa: num,
      minDpKpa: num,
      designFlowM3h: num,
      unbalancedFlowM3h: num.optional(),
      deviationPct: num.optional(),
    }),
  ),
  totals: z.strictObject({ loadMW: num, servedMW: num, households: num, servedHouseholds: num, minDpKpa: numOrNull, heatLossMW: num }),
  pressure: z.strictObject({
    findings: z.array(
      z.strictObject({
        kind: z.enum(['boiling', 'vacuum', 'overpressure']),
        circuit: z.enum(['supply', 'return', 'static']),
        node: num,
        lon: num,
        lat: num,
        groundM: num,
        pressureKpa: num,
        limitKpa: num,
        reason: messageSchema,
      }),
    ),
    counts: z.record(str, num),
  }),
  elevationKnown: z.boolean(),
  profile: hydraulicProfileSchema.nullable(),
  designHeads: z.record(str, num),
});

agree<z.infer<typeof hydraulicProfileSchema>, HydraulicProfile>(true);
agree<z.infer<typeof hydraulicsViewSchema>, HydraulicsView>(true);
agree<z.infer<typeof hydraulicsPipeViewSchema>, HydraulicsPipeView>(true);
