/**
 * Two pipes whose straight pieces cross or touch away from a shared node and
 * away from either pipe's ends (an end on another pipe is `endOnPipe`; ends
 * within the snap tolerance of each other are joined). Parallel overlaps are
 * left to `duplicatePipes`.
 */
import type { CheckRule, RuleFinding } from '../types';

export const crossing: CheckRule = {
  id: 'crossing',
  kind: 'crossing',
  run(ctx) {
    const { g, snapTol } = ctx;
    const { count, pipe, xy, index } = ctx.segments();
    const near = (n: number, x: number, y: number) => n >= 0 && Math.hypot(g.nodeX[n] - x, g.nodeY[n] - y) <= snapTol;
    const seen = new Set<string>();
    const out: RuleFinding[] = [];
    for (let s = 0; s < count; s++) {
      ctx.tick(s);
      const ax = xy[s * 4], ay = xy[s * 4 + 1], bx = xy[s * 4 + 2], by = xy[s * 4 + 3];
      const p = pipe[s];
      for (const t of index.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by))) {
        if (t <= s || t >= count) continue;
        const q = pipe[t];
        if (q === p) continue;
        const cx = xy[t * 4], cy = xy[t * 4 + 1], dx = xy[t * 4 + 2], dy = xy[t * 4 + 3];
        const rX = bx - ax, rY = by - ay, sX = dx - cx, sY = dy - cy;
        const den = rX * sY - rY * sX;
        if (den === 0) continue;
        const u = ((cx - ax) * sY - (cy - ay) * sX) / den;
        const v = ((cx - ax) * rY - (cy - ay) * rX) / den;
        if (u < 0 || u > 1 || v < 0 || v > 1) continue;
        const x = ax + u * rX;
        const y = ay + u * rY;
        const pe = ctx.pipeEnds(p);
        const qe = ctx.pipeEnds(q);
        // At a shared node, or at an end of either pipe: joined, or reported by endOnPipe.
        if (pe.some((n) => near(n, x, y)) || qe.some((n) => near(n, x, y))) continue;
        const key = `${Math.min(p, q)}:${Math.max(p, q)}:${Math.round(x)}:${Math.round(y)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const [lon, lat] = ctx.lonLatOfXY(x, y);
        const a = ctx.pid(p);
        const b = ctx.pid(q);
        out.push({ code: 'check.crossing', params: { a, b }, featureIds: [a, b], lon, lat });
      }
    }
    return out;
  },
};
