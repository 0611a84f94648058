/**
 * Two pipes between the same nodes along the same vertices (each within the
 * snap tolerance, in either direction). Pipes of no length are left to
 * `zeroLength`.
 */
import type { CheckContext } from '../context';
import type { CheckRule, RuleFinding } from '../types';

function sameLine(ctx: CheckContext, p: number, q: number): boolean {
  const a = ctx.coordsOf(p).map((c) => ctx.toXY(c));
  const b = ctx.coordsOf(q).map((c) => ctx.toXY(c));
  if (a.length !== b.length) return false;
  const close = (u: number[], v: number[]) => Math.hypot(u[0] - v[0], u[1] - v[1]) <= ctx.snapTol;
  return a.every((u, i) => close(u, b[i])) || a.every((u, i) => close(u, b[b.length - 1 - i]));
}

export const duplicatePipes: CheckRule = {
  id: 'duplicatePipes',
  kind: 'duplicate',
  run(ctx) {
    const byEnds = new Map<string, number[]>();
    for (let p = 0; p < ctx.pipes.length; p++) {
      ctx.tick(p);
      if (ctx.isZeroLength(p)) continue;
      const [a, b] = ctx.pipeEnds(p);
      const k = `${Math.min(a, b)}:${Math.max(a, b)}`;
      const list = byEnds.get(k);
      if (list) list.push(p);
      else byEnds.set(k, [p]);
    }
    const out: RuleFinding[] = [];
    for (const list of byEnds.values()) {
      for (let i = 0; i < list.length; i++)
        for (let j = i + 1; j < list.length; j++) {
          if (!sameLine(ctx, list[i], list[j])) continue;
          const c = ctx.coordsOf(list[i]);
          const mid = c[Math.floor(c.length / 2)];
          const a = ctx.pid(list[i]);
          const b = ctx.pid(list[j]);
          out.push({ code: 'check.duplicatePipes', params: { a, b }, featureIds: [a, b], lon: mid[0], lat: mid[1] });
        }
    }
    return out;
  },
};
