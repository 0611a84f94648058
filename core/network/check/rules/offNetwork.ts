/** A valve, station or heat source farther than the attach tolerance from every node and pipe. */
import type { CheckRule, RuleFinding } from '../types';
import { pointLayers, pointOf } from './points';

export const offNetwork: CheckRule = {
  id: 'offNetwork',
  kind: 'off_network',
  run(ctx) {
    const toleranceM = ctx.g.input.settings.attachToleranceM;
    const out: RuleFinding[] = [];
    for (const { layer, features, nodeOf, offNetwork: code } of pointLayers(ctx.g))
      features.forEach((f, i) => {
        const c = pointOf(f);
        if (!c || nodeOf[i] >= 0) return;
        const id = String(f.id);
        out.push({ code, params: { layer, id, toleranceM }, featureIds: [id], lon: c[0], lat: c[1] });
      });
    return out;
  },
};
