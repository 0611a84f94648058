/** The 供热溯源 theme the map draws: each pipe its sources' colour as before, with the most numerous group unlisted. */
import { describe, expect, it } from 'vitest';
import { generateNetwork } from '../../../../core/network/fixtures';
import { buildGraph } from '../../../../core/network/graph';
import { sourcesKey, supplyAnswer, supplyTrace } from '../../../../core/network/supply';
import { traceTheme } from './view';

describe('traceTheme', () => {
  it('gives each pipe the colour of the sources reaching it, and none to pipes no source reaches', () => {
    const gen = generateNetwork({ seed: 5, side: 14, areas: 3, valveProb: 0.4, stationProb: 0.3, secondary: true });
    const t = supplyTrace(buildGraph(gen.project));
    const ids = gen.project.layers.pipes.map((p) => String(p.id));
    const answer = supplyAnswer(t, ids);
    const { colours, others } = traceTheme(answer);
    // the colours as the view gave them from the whole pipe → sources table
    const keys = [...new Set(Object.values(t.pipeSources).map(sourcesKey))].sort();
    const palette = ['#1f78b4', '#33a02c', '#ff7f00', '#e7298a', '#6a3d9a', '#b15928', '#1b9e77', '#a6761d'];
    const before = (id: string) => (t.pipeSources[id] ? palette[keys.indexOf(sourcesKey(t.pipeSources[id])) % palette.length] : null);
    const shown = (id: string) => {
      const c = colours.get(id) ?? others ?? null;
      return c === 'rgba(0,0,0,0)' ? null : c;
    };
    expect(ids.some((id) => before(id) === null)).toBe(true);
    for (const id of ids) expect(shown(id)).toBe(before(id));
    expect(colours.size).toBeLessThan(ids.length);
  });
});
