/**
 * Channels of the app's export dialog (map sheet, ledger, atlas): argument and
 * result schemas only, so the contract stays free of Node imports. The
 * handlers are in exportChannels.ts beside this file.
 */
import { z } from 'zod';
import { MAP_THEMES } from '../../../core/carto/themes';
import { THEME_IDS } from '../../../core/style/themes';
import { hydraulicsArgs } from '../analysis.contract';

const runId = z.string().min(1).max(100).optional();
const text = (max: number) => z.string().trim().min(1).max(max).optional();
const lng = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);

/** One written file: name as offered to the user, MIME type and content. */
const exportedFileSchema = z.strictObject({ name: z.string(), mime: z.string(), base64: z.string(), bytes: z.number() });
export type ExportedFile = z.infer<typeof exportedFileSchema>;
const exportResultSchema = z.strictObject({
  files: z.array(exportedFileSchema),
  /** Pages (atlas) or sheets (ledger) written. */
  count: z.number(),
  seconds: z.number(),
});
export type ExportResult = z.infer<typeof exportResultSchema>;

/** Language of the sheet furniture, ledger headers and file names (data stays as written); zh when absent. */
const lang = z.enum(['zh', 'en']).optional();

export const exportContract = {
  /** A map sheet of a theme: paper, orientation, dpi (PNG), title and issuing unit; optionally of a given area. */
  'export:map': {
    args: z
      .object({
        format: z.enum(['pdf', 'png']),
        paper: z.enum(['A4', 'A3']),
        orientation: z.enum(['landscape', 'portrait']),
        dpi: z.number().int().min(150).max(300),
        // the app's theme ids (leak) and the sheet's (leakage) are both accepted
        theme: z.enum([...new Set<string>([...THEME_IDS, ...MAP_THEMES])] as [string, ...string[]]),
        title: text(120),
        unit: text(120),
        bbox: z.tuple([lng, lat, lng, lat]).optional(),
        lang,
        runId,
      })
      .strict(),
    result: exportResultSchema,
  },
  /** The ledger: project list and 一小区一清单 sheets, as one .xlsx or one .csv per sheet. */
  'export:ledger': { args: z.object({ format: z.enum(['xlsx', 'csv']), lang, runId }).strict(), result: exportResultSchema },
  /** The balancing table (水力平衡) of a hydraulic scenario as .xlsx. */
  'export:balancing': { args: z.object({ ...hydraulicsArgs, lang, runId }).strict(), result: exportResultSchema },
  /** The 水压图 of a hydraulic scenario (to its unfavourable or a chosen station) as a PDF or PNG figure; the words come from the app's language. */
  'export:profile': {
    args: z
      .object({
        ...hydraulicsArgs,
        format: z.enum(['pdf', 'png']),
        dpi: z.number().int().min(72).max(600).optional(),
        labels: z
          .object({ profile: z.string().max(80), minimum: z.string().max(80), supply: z.string().max(80), return: z.string().max(80), ground: z.string().max(80), static: z.string().max(80), distance: z.string().max(80), head: z.string().max(80) })
          .strict()
          .optional(),
        lang,
        runId,
      })
      .strict(),
    result: exportResultSchema,
  },
  /** One PDF page per community with its map and ledger. */
  'export:atlas': { args: z.object({ lang, runId }).strict(), result: exportResultSchema },
} as const;

export type ExportContract = typeof exportContract;
