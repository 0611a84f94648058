/** The N-1 theme the map draws: every pipe keeps its class's colour, the most common class unlisted. */
import { describe, expect, it } from 'vitest';
import { generateNetwork } from '../../../../core/network/fixtures';
import { criticalityOn, prepareNetwork } from '../../../../core/network/analyses';
import { criticalityAnswer } from '../../../../core/network/criticality';
import { riskColor, riskTheme } from './view';

describe('riskTheme', () => {
  it('gives each pipe the colour of the largest loss among its segments; only pipes of other classes than the most common are listed', () => {
    const gen = generateNetwork({ seed: 7, side: 14, areas: 3, valveProb: 0.4, stationProb: 0.3, secondary: true });
    const report = criticalityOn(prepareNetwork(gen.project));
    const lost = new Map<string, number>();
    for (const s of report.segments) for (const p of s.pipes) lost.set(p, Math.max(lost.get(p) ?? 0, s.loadLostMW));
    const { colours, others } = riskTheme(criticalityAnswer(report));
    const count = new Map<string, number>();
    for (const mw of lost.values()) count.set(riskColor(mw), (count.get(riskColor(mw)) ?? 0) + 1);
    expect(count.size).toBeGreaterThan(1);
    expect(count.get(others)).toBe(Math.max(...count.values()));
    expect(colours.size).toBe(lost.size - count.get(others)!);
    for (const [id, mw] of lost) expect(colours.get(id) ?? others).toBe(riskColor(mw));
  });
});
