/**
 * A pipe of no length: shorter than 1 cm, both ends snapped to one node while
 * no longer than twice the snap tolerance, or a broken geometry.
 */
import type { CheckRule, RuleFinding } from '../types';

export const zeroLength: CheckRule = {
  id: 'zeroLength',
  kind: 'zero_length',
  run(ctx) {
    const { g } = ctx;
    const lengths = ctx.pipeLengths();
    const out: RuleFinding[] = [];
    for (let p = 0; p < ctx.pipes.length; p++) {
      ctx.tick(p);
      if (!ctx.isZeroLength(p)) continue;
      const at = ctx.coordsOf(p)[0] ?? [g.proj.lon0, g.proj.lat0];
      const pipe = ctx.pid(p);
      out.push({ code: 'check.zeroLength', params: { pipe, lengthM: lengths[p] }, featureIds: [pipe], lon: at[0], lat: at[1] });
    }
    return out;
  },
};
