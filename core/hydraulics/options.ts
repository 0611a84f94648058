/**
 * Loop options (core/network/loops.ts) as pipes to build into a hydraulic
 * scenario (`--option RANK`).
 */
import type { Feature, LineStringGeom } from '../model/types';
import type { NetworkInput } from '../network/graph';
import { prepareNetwork, runAnalysis } from '../network/analyses';
import { optionPipe, type LoopsResult } from '../network/loops';
import { HydraulicInputError } from './network';

/** The pipes of the loop options of these ranks (ranked as `warmnet loops` ranks them). */
export function optionPipesOf(project: NetworkInput, ranks: number[], loops?: LoopsResult): Feature<LineStringGeom>[] {
  if (!ranks.length) return [];
  const r = loops ?? runAnalysis('loops', prepareNetwork(project), {});
  return ranks.map((rank) => {
    const o = r.options.find((x) => x.rank === rank);
    if (!o)
      throw new HydraulicInputError('hydraulics/unknown-feature', { layer: 'loops', id: String(rank) }, `--option: no loop option of rank ${rank} (there are ${r.options.length}) / 无此联网方案`);
    return optionPipe(o, `LOOP-${rank}`);
  });
}
