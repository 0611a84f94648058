/**
 * The import wizard's channels (spread into `contract` in contract.ts). The
 * renderer sends the file's bytes (base64; a loose shapefile is several
 * files: .shp/.dbf/.prj/.cpg) or, in Electron, a path; the backend reads,
 * transforms and maps it with the same code as `warmnet import`.
 */
import { z } from 'zod';
import { LAYER_NAMES, type LayerName } from '../../core/model/schema';
import type { ImportPreview } from './importer';
import type { ImportSummary, SkippedRecord } from '../../core/io/prepare';

const layer = z.enum(LAYER_NAMES as unknown as [LayerName, ...LayerName[]]);
/** A bare file name: the bytes are written into a private temp folder under it. */
const fileName = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !/[\\/\0]/.test(s) && s !== '.' && s !== '..', 'a file name without folders');
const sourceFile = z.object({ name: fileName, base64: z.string().max(400_000_000) }).strict();

const importArgs = {
  files: z.array(sourceFile).min(1).max(10).optional(),
  /** Electron only: a file the user picked in the native dialog. */
  path: z.string().min(1).max(4096).optional(),
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

const oneSource = (a: { files?: unknown; path?: unknown }, ctx: z.RefinementCtx) => {
  if ((a.files === undefined) === (a.path === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['files'], message: 'give either files (bytes) or path, not both and not neither' });
  }
};

/** What the wizard shows; `crs.suggestions` holds the project's zones when the file says nothing. */
export type ImportPreviewResult = ImportPreview;

export interface ImportCommitResult {
  inserted: number;
  layer: LayerName;
  fileName: string;
  /** What the reader skipped or assumed (CAD symbols on another layer, multi-part lines split). */
  notes: string[];
  /** Bad records left out (skipInvalid), each with where and why. */
  skipped: SkippedRecord[];
  /** The same as CSV, for the wizard's download. */
  reportCsv?: string;
  /** What was read and decided (also kept in the project's import log). */
  summary: ImportSummary;
}

export const importContract = {
  /** First features (EPSG:4490), detected CRS and why, guessed mapping, every problem; never writes. */
  'import:preview': {
    args: z.object(importArgs).strict().superRefine(oneSource),
    result: null as unknown as ImportPreviewResult,
  },
  /** The whole file in one transaction (one undo step), or refused naming the file, row / entity and reason; nothing written. */
  'import:commit': {
    args: z.object({ ...importArgs, mode: z.enum(['append', 'replace']).optional() }).strict().superRefine(oneSource),
    result: null as unknown as ImportCommitResult,
  },
} as const;

export type ImportContract = typeof importContract;
