/**
 * A loose end: a node with one pipe and no valve, station or source on it,
 * not lying on another pipe (that is `endOnPipe`). A secondary or courtyard
 * pipe ending inside a community polygon is a building connection, not a
 * loose end; a primary pipe must end at a station, source or valve.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import Flatbush from 'flatbush';
import type { Feature, PolygonGeom } from '../../../model/types';
import { LEVEL_PRIMARY } from '../../graph';
import { ON_NOTHING } from '../context';
import type { CheckRule, RuleFinding } from '../types';

/** Whether a point (lon, lat) lies inside one of the communities. */
function communityTest(comms: Feature<PolygonGeom>[]): (lon: number, lat: number) => boolean {
  const index = new Flatbush(Math.max(1, comms.length));
  for (const c of comms) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const q of c.geometry?.coordinates?.[0] ?? []) {
      x0 = Math.min(x0, q[0]);
      y0 = Math.min(y0, q[1]);
      x1 = Math.max(x1, q[0]);
      y1 = Math.max(y1, q[1]);
    }
    if (!Number.isFinite(x0)) x0 = y0 = x1 = y1 = 0;
    index.add(x0, y0, x1, y1);
  }
  if (!comms.length) index.add(0, 0, 0, 0);
  index.finish();
  return (lon, lat) => index.search(lon, lat, lon, lat).some((i) => i < comms.length && !!comms[i].geometry && booleanPointInPolygon([lon, lat], comms[i].geometry));
}

export const dangling: CheckRule = {
  id: 'dangling',
  kind: 'dangling',
  run(ctx) {
    const { g } = ctx;
    const ends = ctx.looseEnds();
    let inCommunity: ((lon: number, lat: number) => boolean) | null = null;
    const out: RuleFinding[] = [];
    for (let n = 0; n < g.nodeCount; n++) {
      if (ends[n] !== ON_NOTHING) continue;
      const e = g.adjEdge[g.adjStart[n]];
      const lon = g.nodeLon[n];
      const lat = g.nodeLat[n];
      if (g.edgeLevel[e] !== LEVEL_PRIMARY) {
        inCommunity ??= communityTest(g.input.layers.communities as Feature<PolygonGeom>[]);
        if (inCommunity(lon, lat)) continue;
      }
      const pipe = ctx.pid(g.edgePipe[e]);
      out.push({ code: 'check.dangling', params: { pipe }, featureIds: [pipe], lon, lat });
    }
    return out;
  },
};
