/**
 * The hydraulics result as the command line's `--json` prints it (numbers at
 * full precision), and each running source's share of the heat. The text for
 * people is the command line's (electron/cli/hydraulicsReport.ts).
 */
import type { HydraulicResult } from './simulate';

export function hydraulicsJson(r: HydraulicResult) {
  return {
    converged: r.converged,
    iterations: r.iterations,
    ...(r.converged ? {} : { reason: r.reason ?? 'not converged', log: r.log }),
    scenario: r.scenario,
    settings: r.settings,
    pipes: r.pipes.map((p) => ({
      id: p.id,
      flowM3h: p.flowM3h,
      velocityMs: p.velocityMs,
      rPam: p.rPam,
      headLossM: p.headLossM,
      supplyInC: p.supplyInC,
      supplyOutC: p.supplyOutC,
      ...(p.parts ? { parts: p.parts } : {}),
    })),
    stations: r.stations.map((s) => ({
      id: s.id,
      loadKw: s.loadKw,
      demandM3h: s.demandM3h,
      flowM3h: s.flowM3h,
      dpKpa: s.dpKpa,
      supplyC: s.supplyC,
      shortfallKw: s.shortfallKw,
    })),
    sources: r.sources.map((s) => ({ id: s.id, flowM3h: s.flowM3h, heatMw: s.heatMw, headM: s.headM, checkValveClosed: s.checkValveClosed })),
    unfavourable: r.unfavourable ? { station: r.unfavourable.station, path: r.unfavourable.path } : null,
    balancing: r.balancing.map((b) => ({ station: b.station, excessDpKpa: b.excessDpKpa })),
  };
}

/** Sources' share of the heat delivered, each running source. */
export function sourceShares(r: HydraulicResult): { id: string; heatMw: number; share: number }[] {
  const total = r.sources.reduce((a, s) => a + Math.max(0, s.heatMw), 0);
  return r.sources.filter((s) => s.running).map((s) => ({ id: s.id, heatMw: s.heatMw, share: total > 0 ? Math.max(0, s.heatMw) / total : 0 }));
}
