/**
 * Channels of the shared project (spread into `contract` in contract.ts): the
 * connection form (saved connections never hold a password), the role the
 * server gives, check-out of a server project into a GeoPackage next to the
 * open one, and check-in of the open project with the user's answers to conflicts.
 */
import { z } from 'zod';
import { changeEventSchema, checkinResultSchema, checkoutInfoSchema, conflictSchema, liveInfoSchema, roleSchema } from './results/shared';
import { layerNameSchema } from './results/model';

export type { ChangeEvent, Conflict, FieldConflict, Resolution, Role } from './store/pg/store';
export type { CheckinResult, CheckoutInfo } from './store/pg/checkout';

const name = z.string().min(1).max(63);
export const connectionSchema = z
  .object({
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65535),
    database: name,
    user: name,
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,47}$/, 'lower-case letters, digits and _'),
  })
  .strict();
export type SharedConnection = z.infer<typeof connectionSchema>;
const savedConnectionSchema = z.strictObject({
  ...connectionSchema.shape,
  label: z.string(),
  /** The desktop app keeps its password in the OS keychain. */
  passwordSaved: z.boolean().optional(),
});
export type SavedConnection = z.infer<typeof savedConnectionSchema>;

const password = z.string().max(1000);
const layer = layerNameSchema;
const bbox = z.tuple([z.number().finite(), z.number().finite(), z.number().finite(), z.number().finite()]);
const fieldChoice = z.union([z.literal('mine'), z.literal('theirs'), z.object({ value: z.unknown() }).strict()]);
const resolution = z.union([z.literal('mine'), z.literal('theirs'), z.record(z.string().min(1).max(100), fieldChoice)]);

/** A shared project opened live: where (no password), as whom, with which role. */
export type LiveInfo = z.infer<typeof liveInfoSchema>;

const sharedStatusSchema = z.strictObject({
  /** The open project's check-out, or null when it was not taken from a server. */
  checkout: checkoutInfoSchema.nullable(),
  /** What the server lets this user do (null when not asked or not reachable). */
  role: roleSchema.nullable(),
  /** Why the server could not be asked. */
  error: z.string().optional(),
});
export type SharedStatus = z.infer<typeof sharedStatusSchema>;

export const sharedContract = {
  /** Saved connections (host, port, database, user, schema; never a password). */
  'shared:connections': { args: z.object({}).strict(), result: z.strictObject({ connections: z.array(savedConnectionSchema), keychain: z.boolean() }) },
  /** Save a connection; `rememberPassword` goes to the OS keychain where there is one (the desktop app), else it is refused. */
  'shared:saveConnection': {
    args: z.object({ label: z.string().min(1).max(100), connection: connectionSchema, rememberPassword: password.optional() }).strict(),
    result: z.array(savedConnectionSchema),
  },
  /** Connect and ask the server which role this user has on the project. */
  'shared:connect': {
    /** An empty password with the label of a saved connection: the one the keychain keeps. */
    args: z.object({ connection: connectionSchema, password, label: z.string().min(1).max(100).optional() }).strict(),
    result: z.strictObject({ role: roleSchema, description: z.string().nullable(), features: z.number() }),
  },
  /** Take the server project (or an area) into a new GeoPackage beside the open project. */
  'shared:checkout': {
    args: z
      .object({
        connection: connectionSchema,
        password,
        label: z.string().min(1).max(100).optional(),
        fileName: z.string().min(1).max(200).regex(/^[^\\/\0]+\.gpkg$/, 'a file name ending .gpkg, without folders'),
        bbox: bbox.optional(),
      })
      .strict(),
    result: z.strictObject({ path: z.string(), features: z.record(z.string(), z.number()), checkoutId: z.string() }),
  },
  /** The open project's check-out and, given the password, the user's role on the server. */
  'shared:status': { args: z.object({ password: password.optional() }).strict(), result: sharedStatusSchema },
  /** Send the open project's edits back; conflicts without an answer write nothing and come back. */
  'shared:checkin': {
    args: z
      .object({
        password: password.optional(),
        prefer: z.enum(['mine', 'theirs']).optional(),
        resolutions: z.record(z.string().min(1).max(300), resolution).optional(),
      })
      .strict(),
    result: checkinResultSchema,
  },
  /**
   * Listen (LISTEN/NOTIFY) to the server of the open checked-out project:
   * others' committed edits are collected as they are announced.
   */
  'shared:watch': { args: z.object({ password: password.optional() }).strict(), result: z.strictObject({ watching: z.boolean() }) },
  /** Edits announced since the given sequence number (the renderer asks about once a second). */
  /**
   * Open the server project live in place of the open GeoPackage: the map,
   * tables, analyses and edits then work on the server (each edit a versioned
   * save; a stale one comes back as a `conflict` failure carrying the conflict).
   */
  'shared:openLive': {
    args: z.object({ connection: connectionSchema, password, label: z.string().min(1).max(100).optional() }).strict(),
    result: liveInfoSchema,
  },
  /** Back to the GeoPackage the window opened. */
  'shared:closeLive': { args: z.object({}).strict(), result: z.strictObject({ closed: z.boolean() }) },
  /** Save a conflict of a live edit as the user chose (mine / theirs / a value per field), against the server's version now. */
  'shared:resolve': {
    args: z
      .object({
        conflict: z
          .object({
            layer,
            id: z.string().min(1).max(200),
            kind: z.enum(['changed', 'deleted', 'exists']),
            baseVersion: z.number().int().nullable(),
            theirVersion: z.number().int().nullable(),
            fields: z.array(z.object({ field: z.string().min(1).max(100), mine: z.unknown(), theirs: z.unknown(), base: z.unknown().optional() }).strict()).max(500),
            mine: z.unknown(),
            theirs: z.unknown(),
          })
          .strict(),
        resolution,
      })
      .strict(),
    result: z.strictObject({ saved: z.boolean(), conflict: conflictSchema.optional() }),
  },
  'shared:remote': {
    args: z.object({ since: z.number().int().min(0) }).strict(),
    result: z.strictObject({ events: z.array(changeEventSchema.extend({ at: z.string() })), watching: z.boolean() }),
  },
} as const;

export type SharedContract = typeof sharedContract;
