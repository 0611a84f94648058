/**
 * The import wizard's channels (spread into `contract` in contract.ts). No
 * channel takes a filesystem path from the renderer: the file's bytes are
 * uploaded once (`import:upload`; a loose shapefile is several files:
 * .shp/.dbf/.prj/.cpg) or, in the desktop app, picked in the native dialog
 * of the main process (`import:choose`), and the main side answers with an
 * opaque handle that preview and commit refer to. The backend reads,
 * transforms and maps the file with the same code as `warmnet import`.
 */
import { z } from 'zod';
import { LAYER_NAMES, type LayerName } from '../../core/model/schema';
import { importPreviewSchema, importSummarySchema, skippedRecordSchema } from './results/io';
import { layerNameSchema, messageSchema } from './results/model';

const layer = z.enum(LAYER_NAMES as unknown as [LayerName, ...LayerName[]]);
/** A bare file name: the bytes are written into a private temp folder under it. */
const fileName = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !/[\\/\0]/.test(s) && s !== '.' && s !== '..', 'a file name without folders');
const sourceFile = z.object({ name: fileName, base64: z.string().max(400_000_000) }).strict();

/** A handle issued by import:upload or import:choose (32 hex digits); a path is refused. */
const handle = z.string().regex(/^[0-9a-f]{32}$/, 'a file handle from import:upload / import:choose, not a path');

const importArgs = {
  handle,
  layer,
  /** Override of the detected CRS ('EPSG:4547', 'GCJ-02', 'wgs84'). */
  crs: z.string().min(1).max(100).optional(),
  encoding: z.string().min(1).max(40).optional(),
  /** target field → source field; '=value' a constant, '=' leaves the field empty. */
  mapping: z.record(z.string().min(1).max(100), z.string().max(500)).optional(),
  sourceLayer: z.string().min(1).max(500).optional(),
  /** Datum shift to CGCS2000: 3 or 7 Helmert parameters (PROJ +towgs84). */
  towgs84: z
    .array(z.number().finite())
    .refine((v) => v.length === 3 || v.length === 7, '3 or 7 numbers')
    .optional(),
  /** Import the good records and list the bad ones (default: one bad record refuses the file). */
  skipInvalid: z.boolean().optional(),
  runId: z.string().min(1).max(100).optional(),
};

/** A file the main side holds for the wizard: the handle and the names to show. */
export const importUploadSchema = z.strictObject({
  handle: z.string(),
  /** The file that will be read (the .shp of loose parts). */
  fileName: z.string(),
  names: z.array(z.string()),
});
export type ImportUpload = z.infer<typeof importUploadSchema>;

/** What the wizard shows; `crs.suggestions` holds the project's zones when the file says nothing. */
export type ImportPreviewResult = z.infer<typeof importPreviewSchema>;

const importCommitResultSchema = z.strictObject({
  inserted: z.number(),
  layer: layerNameSchema,
  fileName: z.string(),
  /** What the reader skipped or assumed (CAD symbols on another layer, multi-part lines split). */
  notes: z.array(messageSchema),
  /** Bad records left out (skipInvalid), each with where and why (the wizard makes its CSV from them, in its language). */
  skipped: z.array(skippedRecordSchema),
  /** What was read and decided (also kept in the project's import log). */
  summary: importSummarySchema,
});
export type ImportCommitResult = z.infer<typeof importCommitResultSchema>;

export const importContract = {
  /** The bytes of the file (or a shapefile's loose parts) into a private temp folder; answers their handle. */
  'import:upload': {
    args: z.object({ files: z.array(sourceFile).min(1).max(10) }).strict(),
    result: importUploadSchema,
  },
  /** Desktop app: the native open dialog of the main process; null when cancelled. Browser mode refuses (upload instead). */
  'import:choose': { args: z.object({}).strict(), result: importUploadSchema.nullable() },
  /** Lets go of a handle (the wizard closed or took another file); uploaded bytes are deleted. */
  'import:release': { args: z.object({ handle }).strict(), result: z.boolean() },
  /** First features (EPSG:4490), detected CRS and why, guessed mapping, every problem; never writes. */
  'import:preview': {
    args: z.object(importArgs).strict(),
    result: importPreviewSchema,
  },
  /** The whole file in one transaction (one undo step), or refused naming the file, row / entity and reason; nothing written. */
  'import:commit': {
    args: z.object({ ...importArgs, mode: z.enum(['append', 'replace']).optional() }).strict(),
    result: importCommitResultSchema,
  },
} as const;

export type ImportContract = typeof importContract;
