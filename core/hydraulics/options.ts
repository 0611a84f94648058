/**
 * Loop options (core/network/loops.ts) as pipes to build into a hydraulic
 * scenario (`--option RANK`).
 */
import { message } from '../i18n';
import type { Feature, LineStringGeom } from '../model/types';
import { optionPipe, type LoopsResult } from '../network/loops';
import { HydraulicInputError } from './network';

/** The pipes of the loop options of these ranks in `loops` (the project's loop options, as `warmnet loops` ranks them). */
export function optionPipesOf(ranks: number[], loops: LoopsResult): Feature<LineStringGeom>[] {
  if (!ranks.length) return [];
  const r = loops;
  return ranks.map((rank) => {
    const o = r.options.find((x) => x.rank === rank);
    if (!o)
      throw new HydraulicInputError('hydraulics/unknown-feature', { layer: 'loops', id: String(rank) }, message('hydraulics.err.noOption', { rank, n: r.options.length }));
    return optionPipe(o, `LOOP-${rank}`);
  });
}
