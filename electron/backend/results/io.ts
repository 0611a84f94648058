/** Result schemas of the import wizard's preview and commit (core/io/prepare.ts, electron/backend/importer.ts). */
import { z } from 'zod';
import type { ImportSummary, SkippedRecord } from '../../../core/io/prepare';
import type { ImportPreview } from '../importer';
import { featureSchema, geometrySchema } from './geojson';
import { layerNameSchema, messageSchema, validationIssueSchema } from './model';
import { agree } from './agree';

const str = z.string();
const num = z.number();
const counts = z.record(str, num);

const formatSchema = z.enum(['shapefile', 'dxf', 'csv', 'gpkg', 'geojson']);
const messages = z.array(messageSchema);
const fieldGuess = z.strictObject({ target: str, source: str, evidence: messages });
const rejectedGuess = z.strictObject({ target: str, source: str, reason: messageSchema });
const mapping = z.record(str, str);

export const skippedRecordSchema = z.strictObject({ fid: num, where: messageSchema, field: str.optional(), reason: str, message: messages });

export const importSummarySchema = z.strictObject({
  file: str,
  format: formatSchema,
  layer: layerNameSchema,
  records: num,
  kinds: counts,
  features: num,
  recordsImported: num,
  otherKinds: counts,
  collectionPartsLeftOut: num,
  crs: z.strictObject({ code: str.optional(), name: str.optional(), from: str.optional(), reason: messages, datumShift: messageSchema.optional() }),
  encoding: z.strictObject({ encoding: str, reason: messages }).optional(),
  mapping: z.array(fieldGuess),
  rejectedGuesses: z.array(rejectedGuess),
  userMapping: mapping,
  badRecords: z.array(skippedRecordSchema),
  skipInvalid: z.boolean(),
  entities: z.strictObject({ read: counts, approximated: counts, skipped: counts }).optional(),
  notes: messages,
});

const crsDef = z.strictObject({
  code: str,
  name: str,
  kind: z.enum(['geographic', 'gauss-kruger', 'projected', 'gcj02']),
  datum: z.enum(['cgcs2000', 'wgs84', 'near-wgs84', 'beijing1954', 'xian1980', 'gcj02', 'other']),
  datumName: str,
  centralMeridian: num.optional(),
  zoneWidth: z.union([z.literal(3), z.literal(6)]).optional(),
  zonePrefix: num.optional(),
  proj4: str.optional(),
  towgs84: z.array(num).optional(),
});

export const importPreviewSchema = z.strictObject({
  fileName: str,
  layer: layerNameSchema,
  crs: z.strictObject({
    crs: crsDef.optional(),
    source: z.enum(['user', 'file', 'coordinates']).optional(),
    reason: messages,
    shift: z.strictObject({ towgs84: z.array(num).optional(), from: z.enum(['none', 'user', 'file', 'default']), note: messageSchema }).optional(),
    suggestions: z.array(str).optional(),
  }),
  mapping,
  guesses: z.array(fieldGuess),
  rejectedGuesses: z.array(rejectedGuess),
  sourceFields: z.array(str),
  features: z.array(featureSchema),
  coerced: z.array(
    z.strictObject({
      id: str,
      geometry: geometrySchema.nullable(),
      values: z.record(str, z.union([str, num, z.boolean(), z.null()])),
      extra: z.record(str, z.unknown()),
      issues: z.array(validationIssueSchema),
    }),
  ),
  year: num,
  sourceCount: num,
  problems: z.array(z.strictObject({ where: messageSchema.optional(), field: str.optional(), reason: str, message: messages, fid: num.optional() })),
  skipped: z.array(skippedRecordSchema),
  notes: messages,
  summary: importSummarySchema,
  format: formatSchema,
  encoding: str.optional(),
  sourceLayers: z.array(str).optional(),
  total: num,
});

agree<z.infer<typeof skippedRecordSchema>, SkippedRecord>(true);
agree<z.infer<typeof importSummarySchema>, ImportSummary>(true);
agree<z.infer<typeof importPreviewSchema>, ImportPreview>(true);
