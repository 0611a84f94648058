import { describe, expect, it } from 'vitest';
import type { HydraulicProfile } from '../hydraulics/profile';
import { PROFILE_COLORS, profilePage } from './profileChart';

const labels = { profile: '水压图', minimum: '最小', supply: '供水压力线', return: '回水压力线', ground: '地形线', static: '静水压线', distance: '距热源 m', head: '水头 m' };

/** A source, a valve and a station along 1.2 km of pipe, ground rising 6 m. */
function profile(): HydraulicProfile {
  const pt = (d: number, z: number, hs: number, hr: number, features: string[]) => ({
    distanceM: d, node: d, lon: 0, lat: 0, groundM: z, supplyHeadM: hs, returnHeadM: hr, staticHeadM: z0 + 30, supplyKpa: 0, returnKpa: 0, pipe: d ? 'P' : null, features,
  });
  const z0 = 1340;
  return {
    station: 'HS-9', source: 'S-1', pipes: ['P-1', 'P-2'], dpKpa: 160, minDpKpa: 100, lengthM: 1200,
    points: [pt(0, z0, z0 + 90, z0 + 20, ['S-1']), pt(500, z0 + 3, z0 + 70, z0 + 35, ['V-1']), pt(1200, z0 + 6, z0 + 55, z0 + 39, ['HS-9'])],
  };
}

describe('水压图 page', () => {
  it('draws supply above return, the ground filled below, the static line dashed, and every word given', () => {
    const page = profilePage(profile(), labels);
    const lines = page.commands.filter((c) => c.kind === 'polyline') as { points: number[]; stroke: { color: string; dashMm?: number[] } }[];
    const supply = lines.filter((l) => l.stroke.color === PROFILE_COLORS.supply && l.points.length === 6)[0];
    const ret = lines.filter((l) => l.stroke.color === PROFILE_COLORS.return && l.points.length === 6)[0];
    const stat = lines.filter((l) => l.stroke.color === PROFILE_COLORS.static && l.points.length === 6)[0];
    expect(supply && ret && stat).toBeTruthy();
    expect(stat.stroke.dashMm).toBeDefined();
    // y grows downwards on the page: the supply line is above the return line at each point
    for (let i = 1; i < 6; i += 2) expect(supply.points[i]).toBeLessThan(ret.points[i]);
    // x runs with the distance: the valve sits 500/1200 of the way between source and station
    const frac = (supply.points[2] - supply.points[0]) / (supply.points[4] - supply.points[0]);
    expect(frac).toBeCloseTo(500 / 1200, 9);
    expect(page.commands.some((c) => c.kind === 'polygon' && c.fill?.color === PROFILE_COLORS.groundFill)).toBe(true);
    const texts = page.commands.filter((c) => c.kind === 'text').map((c) => (c as { text: string }).text);
    for (const w of [labels.supply, labels.return, labels.ground, labels.static, labels.distance, labels.head]) expect(texts).toContain(w);
    expect(texts).toContain('水压图 S-1 → HS-9 · ΔP 160 kPa (最小 100 kPa)');
    expect(texts).toContain('HS-9');
    expect(texts).toContain('S-1');
    // the valve on the way is a tick across the supply line
    expect(lines.filter((l) => l.points.length === 4 && l.points[0] === l.points[2] && l.points[0] === supply.points[2])).toHaveLength(1);
  });

  it('a path of one point draws the frame and legend only', () => {
    const p = profile();
    p.points = p.points.slice(0, 1);
    const page = profilePage(p, labels);
    expect(page.commands.filter((c) => c.kind === 'polyline' && (c as { stroke: { color: string } }).stroke.color === PROFILE_COLORS.supply && (c as { points: number[] }).points.length > 4)).toHaveLength(0);
  });
});
