/** Result schemas of the shared (PostgreSQL) project: role, check-out, check-in and announced changes. */
import { z } from 'zod';
import type { CheckinResult, CheckoutInfo } from '../store/pg/checkout';
import type { ChangeEvent, Conflict, Role } from '../store/pg/store';
import { featureSchema } from './geojson';
import { layerNameSchema } from './model';
import { agree } from './agree';

const str = z.string();
const num = z.number();

export const roleSchema = z.enum(['viewer', 'editor', 'admin']);

export const checkoutInfoSchema = z.strictObject({
  checkoutId: str,
  serverUrl: str,
  schema: str,
  serverSeq: num,
  bbox: z.tuple([num, num, num, num]).nullable(),
  user: str,
  at: str,
  checkedInAt: str.nullable(),
});

/** A save or check-in that met others' newer edits: per field mine, theirs and the value both started from. */
export const conflictSchema = z.strictObject({
  layer: z.union([layerNameSchema, z.literal('projects'), z.literal('settings')]),
  id: str,
  kind: z.enum(['changed', 'deleted', 'exists']),
  baseVersion: num.nullable(),
  theirVersion: num.nullable(),
  fields: z.array(z.strictObject({ field: str, mine: z.unknown(), theirs: z.unknown(), base: z.unknown().optional() })),
  mine: featureSchema.nullable(),
  theirs: featureSchema.nullable(),
});

export const checkinResultSchema = z.strictObject({
  committed: z.boolean(),
  changes: num,
  inserted: num,
  updated: num,
  deleted: num,
  merged: num,
  resolved: num,
  projects: num,
  links: num,
  settings: num,
  conflicts: z.array(conflictSchema),
});

/** A shared project opened live: where (no password), as whom, with which role. */
export const liveInfoSchema = z.strictObject({ url: str, schema: str, user: str, role: roleSchema });

export const changeEventSchema = z.strictObject({
  layer: str,
  id: str,
  op: z.enum(['insert', 'update', 'delete']),
  version: num,
  user: str,
  seq: num,
});

agree<z.infer<typeof roleSchema>, Role>(true);
agree<z.infer<typeof checkoutInfoSchema>, CheckoutInfo>(true);
agree<z.infer<typeof checkinResultSchema>, CheckinResult>(true);
agree<z.infer<typeof conflictSchema>, Conflict>(true);
agree<z.infer<typeof changeEventSchema>, ChangeEvent>(true);
