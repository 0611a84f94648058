/**
 * The editing, journal, renovation-project and plan channels of the contract
 * (spread into `contract` in contract.ts). Same rules: `area:verb`, a zod
 * schema for the arguments, the result's type; the renderer imports types only.
 */
import { z } from 'zod';
import { LAYER_NAMES, type LayerName } from '../../core/model/schema';
import type { JournalEntry } from './store/api';
import { geoFeatureSchema } from './results/geojson';
import { journalEntrySchema, projectRowSchema as projectRowResult, validationIssueSchema } from './results/model';
import { planProgressSchema, projectLengthSchema, yearTotalsSchema } from './results/plan';

export type { JournalEntry };

const layer = z.enum(LAYER_NAMES as unknown as [LayerName, ...LayerName[]]);
const featureId = z.string().min(1).max(200);
const none = z.object({}).strict();
const lon = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);
const position = z.tuple([lon, lat]);
const geometry = z.union([
  z.object({ type: z.literal('Point'), coordinates: position }).strict(),
  z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2).max(10_000) }).strict(),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position).min(4)).min(1) }).strict(),
]);
const properties = z.record(z.string(), z.unknown());
const projectRow = z
  .object({
    id: featureId,
    name: z.string().max(500).nullable().optional(),
    year: z.number().int().optional(),
    kind: z.string().optional(),
    problem: z.string().max(4000).nullable().optional(),
    task: z.string().max(4000).nullable().optional(),
    measure: z.string().max(4000).nullable().optional(),
    responsible: z.string().max(500).nullable().optional(),
    deadline: z.string().nullable().optional(),
    status: z.string().optional(),
    budget_wan: z.number().nullable().optional(),
  })
  .strict();

/** The journal as the undo/redo buttons show it, plus what the last step did. */
const journalStateSchema = z.strictObject({
  undo: z.array(journalEntrySchema),
  redo: z.array(journalEntrySchema),
  /** The entry just undone or redone (null when there was nothing to do). */
  done: journalEntrySchema.nullable().optional(),
});
export type JournalState = z.infer<typeof journalStateSchema>;

/** The renovation projects panel: rows, their km per level, totals per year. */
const projectListSchema = z.strictObject({
  projects: z.array(projectRowResult),
  lengths: z.array(projectLengthSchema),
  totals: z.array(yearTotalsSchema),
});
export type ProjectList = z.infer<typeof projectListSchema>;

export const editContract = {
  /** Issues an edit form shows before saving (schema + unique id); empty when the feature may be saved. */
  'edit:validate': {
    args: z.object({ layer, properties, geometry: geometry.optional(), currentId: featureId.optional() }).strict(),
    result: z.array(validationIssueSchema),
  },
  /** The next free feature code of a layer (P-0124). */
  'edit:nextId': { args: z.object({ layer }).strict(), result: z.string() },
  /** Add a feature (code generated when missing); a pipe may be drawn straight into a renovation project. */
  'edit:insert': {
    args: z.object({ layer, geometry, properties, projectId: featureId.optional() }).strict(),
    result: geoFeatureSchema,
  },
  /**
   * Change attributes and/or geometry (move or delete vertices) of one feature.
   * `base`: the attributes as the form read them; on a shared project opened
   * live only the fields that differ from it are saved, and one that someone
   * else changed meanwhile is a conflict (a GeoPackage project saves `properties` as given).
   */
  'edit:update': {
    args: z.object({ layer, id: featureId, properties: properties.optional(), geometry: geometry.optional(), base: properties.optional() }).strict(),
    result: geoFeatureSchema,
  },
  /** Delete features (one undo step). */
  'edit:delete': { args: z.object({ layer, ids: z.array(featureId).min(1).max(10_000) }).strict(), result: z.number() },
  /** Split a pipe at the point nearest to `at`: two pipes replace it. */
  'edit:split': {
    args: z.object({ pipeId: featureId, at: position, ids: z.tuple([featureId, featureId]).optional() }).strict(),
    result: z.array(geoFeatureSchema),
  },
  /** Place a valve well or a station on the nearest pipe (within the attach tolerance). */
  'edit:place': {
    args: z.object({ layer: z.enum(['valves', 'stations']), at: position, properties: properties.optional() }).strict(),
    result: geoFeatureSchema,
  },
  /** Supply trace of the current file for some pipes: pipe id → ids of the sources reaching it. */
  'edit:trace': { args: z.object({ pipeIds: z.array(featureId).min(1).max(1000) }).strict(), result: z.record(z.string(), z.array(z.string())) },
  'journal:get': { args: none, result: journalStateSchema },
  'journal:undo': { args: none, result: journalStateSchema },
  'journal:redo': { args: none, result: journalStateSchema },
  /** Renovation projects with their km per level and the totals per year. */
  'project:list': { args: none, result: projectListSchema },
  /** Create or change a renovation project (validated; a status change recolours its pipes). */
  'project:save': { args: z.object({ row: projectRow }).strict(), result: projectRowResult },
  'project:delete': { args: z.object({ id: featureId }).strict(), result: projectListSchema },
  /** Link pipes by ids (click) or by a box / lasso polygon (outer ring); returns the pipe ids newly linked. */
  'project:link': {
    args: z.object({ projectId: featureId, pipeIds: z.array(featureId).max(10_000).optional(), polygon: z.array(position).min(3).max(10_000).optional() }).strict(),
    result: z.array(z.string()),
  },
  'project:unlink': { args: z.object({ projectId: featureId, pipeIds: z.array(featureId).min(1).max(10_000) }).strict(), result: projectListSchema },
  /** Plan progress of one year against settings.planTargets; `today` (YYYY-MM-DD) decides what is overdue. */
  'plan:progress': {
    args: z.object({ year: z.number().int().min(2000).max(2100), today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }).strict(),
    result: planProgressSchema,
  },
} as const;

export type EditContract = typeof editContract;
