/**
 * Channels of the presentation mode and the export dialog (to be spread into
 * `contract` in electron/backend/contract.ts like editContract). The renderer
 * imports types only.
 */
import { z } from 'zod';
import { chartDataSchema, keyFiguresSchema } from '../results/plan';

const year = z.number().int().min(1900).max(2200);

export const presentContract = {
  /** The four meeting charts (pipe km by age and level, incidents per year, renovation per month, station load). */
  'present:charts': { args: z.object({ year: year.optional(), planYear: year.optional(), lang: z.enum(['zh', 'en']).optional() }).strict(), result: z.array(chartDataSchema) },
  /** Key figures: km renewed against the plan, budget, stations overloaded, loop options found. */
  'present:figures': { args: z.object({ planYear: year.optional(), loops: z.boolean().optional() }).strict(), result: keyFiguresSchema },
} as const;

export type PresentContract = typeof presentContract;
