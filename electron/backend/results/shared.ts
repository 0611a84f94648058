/** Result schemas of the shared (PostgreSQL) project: role, check-out, check-in and announced changes. */
import { z } from 'zod';
import type { CheckinResult, CheckoutInfo } from '../store/pg/checkout';
import type { ChangeEvent, Role } from '../store/pg/store';
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

export const checkinResultSchema = z.strictObject({
  committed: z.boolean(),
  changes: num,
  inserted: num,
  updated: num,
  deleted: num,
  merged: num,
  resolved: num,
  conflicts: z.array(
    z.strictObject({
      layer: layerNameSchema,
      id: str,
      kind: z.enum(['changed', 'deleted', 'exists']),
      baseVersion: num.nullable(),
      theirVersion: num.nullable(),
      fields: z.array(z.strictObject({ field: str, mine: z.unknown(), theirs: z.unknown(), base: z.unknown().optional() })),
      mine: featureSchema.nullable(),
      theirs: featureSchema.nullable(),
    }),
  ),
});

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
agree<z.infer<typeof changeEventSchema>, ChangeEvent>(true);
