/** The N-1 theme the map draws: every pipe keeps its class colour, the most common class unlisted. */
import { describe, expect, it } from 'vitest';
import { generateNetwork } from '../../../../core/network/fixtures';
import { prepareNetwork, runAnalysis } from '../../../../core/network/analyses';
import { riskColours, riskTheme } from './view';

describe('riskTheme', () => {
  it('lists only the pipes whose colour is not the most common one, which every other pipe gets', () => {
    const gen = generateNetwork({ seed: 7, side: 14, areas: 3, valveProb: 0.4, stationProb: 0.3, secondary: true });
    const r = runAnalysis('criticality', prepareNetwork(gen.project), {});
    const all = riskColours(r);
    const { colours, others } = riskTheme(r);
    expect(others).toBeDefined();
    const count = new Map<string, number>();
    for (const c of all.values()) count.set(c, (count.get(c) ?? 0) + 1);
    expect(count.get(others!)).toBe(Math.max(...count.values()));
    expect(count.size).toBeGreaterThan(1);
    expect(colours.size).toBe(all.size - count.get(others!)!);
    for (const [id, c] of all) expect(colours.get(id) ?? others).toBe(c);
  });
});
