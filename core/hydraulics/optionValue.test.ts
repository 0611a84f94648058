import { paragraph } from '../i18n';
import { describe, expect, it } from 'vitest';
import { generateNetwork, twoNetworks } from '../network/fixtures';
import { prepareNetwork, runAnalysis } from '../network/analyses';
import { loopOptions, withOption } from '../network/loops';
import { runHydraulics } from './scenario';
import type { ValuedOption } from './optionValue';

describe('loop options valued by the outage simulation', () => {
  it('an interconnect: the failed side served through the link, within the helping side’s spare capacity; ranked by it', () => {
    const p = twoNetworks().build();
    const r = runAnalysis('loops', prepareNetwork(p), {});
    const opts = r.options as ValuedOption[];
    expect(opts.length).toBeGreaterThan(0);
    for (const o of opts) {
      const h = o.hydraulic!;
      expect(h.outage.kind).toBe('sources');
      expect(h.after.servedMW).toBeGreaterThan(h.before.servedMW);
      expect(h.backupMW).toBeLessThanOrEqual(h.servedGainMW + 1e-9);
      expect(o.benefitPerWan).toBeCloseTo(h.backupMW / o.costWan, 12);
      // The figures are those of the outage run with the option built.
      if (h.outage.kind === 'sources') {
        const direct = runHydraulics(withOption(p, o, `LOOP-${o.rank}`), { scenario: 'outage', sourcesOff: h.outage.sourcesOff }, { designHeads: runHydraulics(p, { scenario: 'design' }).designHeads });
        expect(direct.result.totals.servedMW).toBeCloseTo(h.after.servedMW, 9);
      }
    }
    for (let i = 1; i < opts.length; i++) expect(opts[i - 1].benefitPerWan).toBeGreaterThanOrEqual(opts[i].benefitPerWan * 0.99 - 1e-12);
    // Without the simulation the ranking is the topological one.
    const topo = runAnalysis('loops', prepareNetwork(p), { hydraulic: false });
    expect((topo.options[0] as ValuedOption).hydraulic).toBeUndefined();
    expect(topo.options.map((o) => o.riskReducedMWkm).sort()).toEqual(opts.map((o) => o.riskReducedMWkm).sort());
  });

  it('a loop inside one network: the burst of the segment it protects, before and after', () => {
    const p = generateNetwork({ seed: 5, side: 6, areas: 1, loopProb: 0.02, valveProb: 0.6, interiorValveProb: 0.1, closedProb: 0, inoperableProb: 0, sources: 1, stationProb: 0.5, dnChoices: [150, 200, 250] }).project;
    const topo = loopOptions(prepareNetwork(p).segments);
    expect(topo.options.some((o) => o.kind === 'loop')).toBe(true);
    const r = runAnalysis('loops', prepareNetwork(p), {});
    const loop = (r.options as ValuedOption[]).find((o) => o.kind === 'loop')!;
    const h = loop.hydraulic!;
    expect(h.outage.kind).toBe('segment');
    expect(h.after.servedMW).toBeGreaterThan(h.before.servedMW);
    expect(h.before.servedMW).toBeLessThan(h.before.loadMW);
    expect(paragraph('zh', loop.explanation)).toContain('水力计算：关闭');
    expect(paragraph('en', loop.explanation)).toMatch(/ Hydraulics: with the burst segment isolated \(.+ closed\), heat served /);
    expect(loop.benefitPerWan).toBeCloseTo((loop.riskReducedMWkm * Math.min(1, h.servedGainMW / loop.designLoadMW)) / loop.costWan, 12);
  });

  it('above the setting’s pipe count: ranked by topology, each option saying why, nothing simulated', () => {
    const p = twoNetworks().build();
    const n = p.layers.pipes.length;
    const valued = runAnalysis('loops', prepareNetwork(p), {}).options as ValuedOption[];
    expect(valued.every((o) => o.hydraulic && !o.hydraulicError)).toBe(true);
    // at the limit it is still valued
    const atLimit = runAnalysis('loops', prepareNetwork({ ...p, settings: { ...p.settings, loopHydraulicMaxPipes: n } }), {}).options as ValuedOption[];
    expect(atLimit.map((o) => o.hydraulic?.backupMW)).toEqual(valued.map((o) => o.hydraulic?.backupMW));
    const over = runAnalysis('loops', prepareNetwork({ ...p, settings: { ...p.settings, loopHydraulicMaxPipes: n - 1 } }), {}).options as ValuedOption[];
    const topo = runAnalysis('loops', prepareNetwork(p), { hydraulic: false }).options;
    expect(over.map((o) => [o.rank, o.riskReducedMWkm, o.benefitPerWan])).toEqual(topo.map((o) => [o.rank, o.riskReducedMWkm, o.benefitPerWan]));
    for (const o of over) {
      expect(o.hydraulic).toBeUndefined();
      expect(o.hydraulicError).toEqual({ code: 'loops.err.tooLargeToSimulate', params: { pipes: n, max: n - 1 } });
    }
  });
});
