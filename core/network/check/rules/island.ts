/**
 * An island: a connected group of in-service pipes with no active heat
 * source on it (closed valves do not split groups: the pipes are still
 * physically joined).
 */
import { otherEnd, sourceActive } from '../../graph';
import type { CheckRule, RuleFinding } from '../types';

export const island: CheckRule = {
  id: 'island',
  kind: 'island',
  run(ctx) {
    const { g } = ctx;
    const hasSource = new Uint8Array(g.nodeCount);
    g.input.layers.heat_sources.forEach((s, i) => {
      if (g.sourceNode[i] >= 0 && sourceActive(s)) hasSource[g.sourceNode[i]] = 1;
    });
    const seen = new Uint8Array(g.nodeCount);
    const stack = new Int32Array(g.nodeCount);
    const out: RuleFinding[] = [];
    for (let s = 0; s < g.nodeCount; s++) {
      ctx.tick(s);
      if (seen[s]) continue;
      let any = false;
      for (let k = g.adjStart[s]; k < g.adjStart[s + 1]; k++) if (g.edgeInService[g.adjEdge[k]]) any = true;
      if (!any) continue;
      let sp = 0;
      stack[sp++] = s;
      seen[s] = 1;
      let sourced = false;
      const pipes = new Set<number>();
      while (sp > 0) {
        const n = stack[--sp];
        if (hasSource[n]) sourced = true;
        for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
          const e = g.adjEdge[k];
          if (!g.edgeInService[e]) continue;
          pipes.add(g.edgePipe[e]);
          const w = otherEnd(g, e, n);
          if (!seen[w]) {
            seen[w] = 1;
            stack[sp++] = w;
          }
        }
      }
      if (sourced) continue;
      const ids = [...pipes].map((p) => ctx.pid(p)).sort();
      out.push({ code: 'check.island', params: { n: ids.length, status: 'in_service' }, featureIds: ids, lon: g.nodeLon[s], lat: g.nodeLat[s] });
    }
    return out;
  },
};
