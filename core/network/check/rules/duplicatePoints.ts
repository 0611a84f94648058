/** Two valves, two stations or two heat sources at the same place (within the snap tolerance). */
import type { CheckRule, RuleFinding } from '../types';
import { pointLayers, pointOf } from './points';

export const duplicatePoints: CheckRule = {
  id: 'duplicatePoints',
  kind: 'duplicate',
  run(ctx) {
    const tol = ctx.snapTol;
    const out: RuleFinding[] = [];
    for (const { layer, features, duplicate: code } of pointLayers(ctx.g)) {
      // Features by grid cell of the tolerance's size; a match is looked for among earlier ones in the same cell.
      const cells = new Map<string, number[]>();
      features.forEach((f, i) => {
        const c = pointOf(f);
        if (!c) return;
        const [x, y] = ctx.toXY(c);
        const key = `${Math.round(x / tol)}:${Math.round(y / tol)}`;
        const prev = cells.get(key);
        if (!prev) {
          cells.set(key, [i]);
          return;
        }
        const id = String(f.id);
        for (const j of prev) {
          const [xj, yj] = ctx.toXY(pointOf(features[j])!);
          if (Math.hypot(x - xj, y - yj) > tol) continue;
          const first = String(features[j].id);
          out.push({ code, params: { layer, a: first, b: id }, featureIds: [first, id], lon: c[0], lat: c[1] });
        }
        prev.push(i);
      });
    }
    return out;
  },
};
