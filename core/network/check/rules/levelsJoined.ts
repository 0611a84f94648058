/** A node where a primary pipe meets a secondary or courtyard pipe without a station on it. */
import { LEVEL_PRIMARY, NODE_STATION } from '../../graph';
import type { CheckRule, RuleFinding } from '../types';

export const levelsJoined: CheckRule = {
  id: 'levelsJoined',
  kind: 'levels_joined',
  run(ctx) {
    const { g } = ctx;
    const out: RuleFinding[] = [];
    for (let n = 0; n < g.nodeCount; n++) {
      ctx.tick(n);
      if (g.nodeFlags[n] & NODE_STATION || g.adjStart[n + 1] - g.adjStart[n] < 2) continue;
      let primary = false;
      let other = false;
      for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
        if (g.edgeLevel[g.adjEdge[k]] === LEVEL_PRIMARY) primary = true;
        else other = true;
      }
      if (!primary || !other) continue;
      const ids = ctx.pipesAt(n).map((p) => ctx.pid(p));
      out.push({ code: 'check.levelsJoined', params: { ids: ids.join(', ') }, featureIds: ids, lon: g.nodeLon[n], lat: g.nodeLat[n] });
    }
    return out;
  },
};
