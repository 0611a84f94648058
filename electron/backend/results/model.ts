/**
 * Result schemas of the model's shared shapes: labels, typed messages, layer
 * names, settings, renovation-project rows, validation issues, theme classes,
 * the journal and the saved view state. Each checked against its core type.
 */
import { z } from 'zod';
import { LAYER_NAMES, type Label, type LayerName } from '../../../core/model/schema';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/model/settings';
import type { ProjectRow } from '../../../core/model/project';
import { ISSUE_TEMPLATES, type IssueCode, type ValidationIssue } from '../../../core/model/validate';
import type { ThemeClassStats } from '../../../core/style/themes';
import type { ViewState } from '../../../core/basemap/view';
import { zh } from '../../../core/i18n/zh';
import type { Message, MessageKey, Param } from '../../../core/i18n';
import type { JournalEntry } from '../store/api';
import { bboxSchema } from './geojson';
import { agree } from './agree';

export const layerNameSchema = z.enum(LAYER_NAMES as unknown as [LayerName, ...LayerName[]]);
export const labelSchema = z.strictObject({ zh: z.string(), en: z.string() });
/** Counts or values per layer: every layer present. */
export const perLayer = <T extends z.ZodType>(value: T) => z.record(layerNameSchema, value);

/** A message inside a message's parameters (a refusal's place and reason): said where it stands. */
const nestedMessageSchema = z.strictObject({
  code: z.string(),
  get params(): z.ZodOptional<typeof paramsSchema> {
    return paramsSchema.optional();
  },
});

/** A message's parameters (core/i18n's Params). */
export const paramsSchema: z.ZodRecord<z.ZodString, z.ZodType<Param>> = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.null(), z.undefined(), nestedMessageSchema, z.array(nestedMessageSchema), z.strictObject({ lines: z.array(nestedMessageSchema) })]),
);

export const messageSchema = z.strictObject({
  code: z.enum(Object.keys(zh) as [MessageKey, ...MessageKey[]]),
  params: paramsSchema.optional(),
});

/** Keys of `T` whose values are of type `V`. */
type KeysOf<T, V> = { [K in keyof T]: T[K] extends V ? K : never }[keyof T];
type NumberSetting = KeysOf<Settings, number>;
/** Every plain-number setting, read off the defaults (so a new one needs no line here). */
const numberSettings = Object.fromEntries(
  (Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]).filter((k) => typeof DEFAULT_SETTINGS[k] === 'number').map((k) => [k, z.number()]),
) as Record<NumberSetting, z.ZodNumber>;
const numberRecord = z.record(z.string(), z.number());

export const settingsSchema = z.strictObject({
  ...numberSettings,
  innerDiameterMm: numberRecord,
  ageClassBreaks: z.array(z.number()),
  leakClassBreaks: z.array(z.number()),
  unitCostWanPerKm: z.array(z.strictObject({ maxDn: z.number(), wanPerKm: z.number() })),
  planTargets: z.array(
    z.strictObject({ year: z.number(), primaryKm: z.number(), secondaryCourtyardKm: z.number(), budgetWan: z.number(), pipeBudgetWan: z.number() }),
  ),
  datumShiftBeijing1954: z.array(z.number()),
  datumShiftXian1980: z.array(z.number()),
  heatLossWmK: numberRecord,
  heatLossLayingFactor: numberRecord,
  tiandituApprovalNumber: z.string(),
});

export const projectRowSchema = z.strictObject({
  id: z.string(),
  name: z.string().nullable(),
  year: z.number(),
  kind: z.string(),
  problem: z.string().nullable(),
  task: z.string().nullable(),
  measure: z.string().nullable(),
  responsible: z.string().nullable(),
  deadline: z.string().nullable(),
  status: z.string(),
  budget_wan: z.number().nullable(),
});

export const validationIssueSchema = z.strictObject({
  file: z.string().optional(),
  index: z.number().optional(),
  featureId: z.string().optional(),
  field: z.string().optional(),
  message: z.string(),
  code: z.enum(Object.keys(ISSUE_TEMPLATES) as [IssueCode, ...IssueCode[]]).optional(),
  params: z.record(z.string(), z.string()).optional(),
});

export const themeClassStatsSchema = z.strictObject({ value: z.string(), color: z.string(), label: labelSchema, count: z.number(), km: z.number() });

export const journalEntrySchema = z.strictObject({ seq: z.number(), label: z.string(), at: z.string() });

export const viewStateSchema = z.strictObject({
  basemap: z.string(),
  opacity: z.number(),
  muted: z.boolean(),
  views: z.array(z.strictObject({ name: z.string(), bbox: bboxSchema, theme: z.string() })),
});

agree<z.infer<typeof labelSchema>, Label>(true);
agree<z.infer<typeof messageSchema>, Message>(true);
agree<z.infer<typeof settingsSchema>, Settings>(true);
agree<z.infer<typeof projectRowSchema>, ProjectRow>(true);
agree<z.infer<typeof validationIssueSchema>, ValidationIssue>(true);
agree<z.infer<typeof themeClassStatsSchema>, ThemeClassStats>(true);
agree<z.infer<typeof journalEntrySchema>, JournalEntry>(true);
agree<z.infer<typeof viewStateSchema>, ViewState>(true);
