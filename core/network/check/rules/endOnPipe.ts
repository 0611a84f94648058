/**
 * A pipe ending on another pipe's interior (within the snap tolerance) with
 * no node joining them: reported as a crossing without a node.
 */
import type { CheckRule, RuleFinding } from '../types';
import { ON_NOTHING, NOT_LOOSE } from '../context';

export const endOnPipe: CheckRule = {
  id: 'endOnPipe',
  kind: 'crossing',
  run(ctx) {
    const { g } = ctx;
    const ends = ctx.looseEnds();
    const out: RuleFinding[] = [];
    for (let n = 0; n < g.nodeCount; n++) {
      const host = ends[n];
      if (host === NOT_LOOSE || host === ON_NOTHING) continue;
      const pipe = ctx.pid(g.edgePipe[g.adjEdge[g.adjStart[n]]]);
      out.push({ code: 'check.endOnPipe', params: { pipe, host: ctx.pid(host) }, featureIds: [pipe, ctx.pid(host)], lon: g.nodeLon[n], lat: g.nodeLat[n] });
    }
    return out;
  },
};
