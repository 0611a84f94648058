import { describe, expect, it } from 'vitest';
import { net } from '../network/fixtures';
import { buildGraph } from '../network/graph';
import { buildHydraulicNetwork } from './network';
import { simulateScenario } from './simulate';
import { hydraulicProfile } from './profile';

describe('水压图 profile along the path from the source', () => {
  // S → A → B (station HB) with a branch A → C (station HC); a loop B–C.
  const build = () =>
    net()
      .node('S', 0, 0)
      .node('A', 400, 0)
      .node('B', 800, 0)
      .node('C', 400, 400)
      .source('S1', 'S', { capacity_mw: 30, elevation_m: 1350 })
      .pipe('P1', 'S', 'A', { dn: 250, elevation_start_m: 1350, elevation_end_m: 1354 })
      .pipe('P2', 'A', 'B', { dn: 200, elevation_start_m: 1354, elevation_end_m: 1360 })
      .pipe('P3', 'A', 'C', { dn: 150, elevation_start_m: 1354, elevation_end_m: 1352 })
      .pipe('P4', 'C', 'B', { dn: 100, elevation_start_m: 1352, elevation_end_m: 1360 })
      .station('HB', 'B')
      .station('HC', 'C')
      .community('CB', 'HB', { heated_area_m2: 120000 }, 'B')
      .community('CC', 'HC', { heated_area_m2: 60000 }, 'C')
      .build();

  it('runs from the source to the station along the main feeder, with heads, ground and static line', () => {
    const hn = buildHydraulicNetwork(buildGraph(build()));
    const r = simulateScenario(hn, { scenario: 'design' });
    const prof = hydraulicProfile(hn, r, 'HB')!;
    expect(prof.source).toBe('S1');
    expect(prof.pipes).toEqual(['P1', 'P2']);
    const [first, , last] = prof.points;
    expect(first.distanceM).toBe(0);
    expect(first.features).toContain('S1');
    expect(last.features).toContain('HB');
    expect(last.distanceM).toBeCloseTo(prof.lengthM, 9);
    expect(prof.lengthM).toBeGreaterThan(790);
    expect(first.supplyHeadM).toBeCloseTo(r.sources[0].supplyHeadM!, 9);
    expect(first.returnHeadM).toBeCloseTo(r.sources[0].returnHeadM!, 9);
    expect(last.groundM).toBeCloseTo(1360, 9);
    // Supply falls and return rises toward the station; the gap at the end is the station's ΔP.
    for (let k = 1; k < prof.points.length; k++) {
      expect(prof.points[k].supplyHeadM).toBeLessThan(prof.points[k - 1].supplyHeadM);
      expect(prof.points[k].returnHeadM).toBeGreaterThan(prof.points[k - 1].returnHeadM);
      expect(prof.points[k].staticHeadM).toBe(first.staticHeadM);
    }
    const dpHead = last.supplyHeadM - last.returnHeadM;
    expect(((dpHead * 975 * 9.80665) / 1000)).toBeCloseTo(prof.dpKpa!, 6);
    // Default: the most unfavourable station.
    expect(hydraulicProfile(hn, r)!.station).toBe(r.unfavourable!.station);
    expect(hydraulicProfile(hn, r, 'NOPE')).toBeNull();
  });
});
