/**
 * The hydraulics result as the command line's `--json` prints it (numbers at
 * full precision) and as text for a meeting: both sources' shares, the most
 * unfavourable station and its ΔP, the balancing summary.
 */
import { SOURCE_HYDRAULIC_ROLE_LABELS, type SourceHydraulicRole } from '../model/schema';
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

const f = (x: number, d = 1) => x.toFixed(d);

/** Sources' share of the heat delivered, each running source. */
export function sourceShares(r: HydraulicResult): { id: string; heatMw: number; share: number }[] {
  const total = r.sources.reduce((a, s) => a + Math.max(0, s.heatMw), 0);
  return r.sources.filter((s) => s.running).map((s) => ({ id: s.id, heatMw: s.heatMw, share: total > 0 ? Math.max(0, s.heatMw) / total : 0 }));
}

/**
 * The meeting text. `englishOnly` (the command line's `--lang en`) leaves out the Chinese words
 * that otherwise stand beside the English ones; data (file name, ids) stays as written.
 */
export function hydraulicsText(file: string, r: HydraulicResult, englishOnly = false): string {
  /** A Chinese word with its separating space, or nothing in English-only text. */
  const z = (zh: string): string => (englishOnly ? '' : zh);
  const sc = r.scenario;
  const out: string[] = [
    `${file}: ${z('水力计算 ')}Hydraulics — scenario ${sc.name} (outdoor ${f(sc.outdoorC)} °C, load ×${f(sc.loadFactor, 3)}${sc.sourcesOff.length ? `, off: ${sc.sourcesOff.join(', ')}` : ''}), friction ${sc.friction}${sc.twoCircuits ? ', return pipes drawn' : ', return mirrors supply'}`,
    r.converged
      ? `  converged in ${r.iterations} iterations${z(' 收敛')}`
      : `  NOT CONVERGED${z(' 未收敛')}: ${r.reason ?? ''} (${r.iterations} iterations); the numbers below are not a solution`,
  ];
  if (!r.converged) {
    out.push(`  iteration log${z(' 迭代记录')}:`);
    for (const l of r.log.slice(-15)) out.push(`    #${l.iteration}  Σ|Δq|/Σ|q| ${l.relativeChange.toExponential(3)}  max Δq ${(l.maxFlowChange * 3600).toExponential(3)} m³/h  stations limited ${l.stationsLimited}`);
  }
  out.push('', `${z('热源 ')}Sources (share of heat${z(' 供热份额')}):`);
  const shares = new Map(sourceShares(r).map((s) => [s.id, s.share]));
  const roleZh = { ...Object.fromEntries(Object.entries(SOURCE_HYDRAULIC_ROLE_LABELS).map(([k, l]) => [k, l.zh])), off: '停运' } as Record<SourceHydraulicRole | 'off', string>;
  for (const s of r.sources) {
    if (!s.running) {
      out.push(`  ${s.id.padEnd(10)} ${z(`${roleZh.off} `)}off`);
      continue;
    }
    out.push(
      `  ${s.id.padEnd(10)} ${z(`${roleZh[s.role]} `)}${s.role.padEnd(8)}  flow ${f(s.flowM3h).padStart(8)} m³/h  heat ${f(s.heatMw, 2).padStart(7)} MW  share ${f((shares.get(s.id) ?? 0) * 100).padStart(5)} %  pump head ${f(s.headM, 2)} m${s.checkValveClosed ? `  ${z('止回阀关闭 ')}closed by its non-return valve` : ''}`,
    );
  }
  const t = r.totals;
  out.push(
    '',
    `${z('负荷 ')}Load: ${f(t.loadMW, 2)} MW, served ${f(t.servedMW, 2)} MW (${f(t.loadMW > 0 ? (100 * t.servedMW) / t.loadMW : 100)} %); households ${Math.round(t.households)}, served ${Math.round(t.servedHouseholds)}; pipe heat loss ${f(t.heatLossMW, 3)} MW`,
  );
  if (r.unfavourable) {
    const st = r.stations.find((s) => s.id === r.unfavourable!.station)!;
    out.push(
      `${z('最不利站 ')}Most unfavourable station: ${st.id}  ΔP ${f(st.dpKpa ?? 0)} kPa (minimum ${f(st.minDpKpa)} kPa), supply ${st.supplyC === null ? '-' : f(st.supplyC, 2)} °C`,
      `  ${z('最不利环路 ')}path from the source: ${r.unfavourable.path.join(' → ')}`,
    );
  }
  const served = r.stations.filter((s) => s.served);
  const limited = served.filter((s) => s.limited);
  const unserved = r.stations.filter((s) => !s.served && s.loadKw > 0);
  const excess = r.balancing.map((b) => b.excessDpKpa).sort((a, b) => a - b);
  out.push(
    '',
    `${z('水力平衡 ')}Balancing: ${served.length} stations; ΔP to throttle ${excess.length ? `${f(Math.max(0, excess[0]))}–${f(excess[excess.length - 1])} kPa, median ${f(excess[Math.floor(excess.length / 2)])} kPa` : '-'}`,
  );
  if (limited.length)
    out.push(`  below their minimum ΔP${z(' 资用压头不足')} (${limited.length}): ${limited.map((s) => `${s.id} ${f(s.dpKpa ?? 0)} kPa, short ${f(s.shortfallKw)} kW`).join('; ')}`);
  if (unserved.length) out.push(`  not reached by a running source${z(' 无热源')} (${unserved.length}): ${unserved.map((s) => s.id).join(', ')}`);
  out.push('', `  ${'station'.padEnd(10)} ${'load kW'.padStart(9)} ${'G m³/h'.padStart(8)} ${'flow'.padStart(8)} ${'ΔP kPa'.padStart(8)} ${'throttle'.padStart(9)} ${'T °C'.padStart(7)}`);
  for (const s of r.stations) {
    if (!(s.loadKw > 0)) continue;
    out.push(
      `  ${s.id.padEnd(10)} ${f(s.loadKw).padStart(9)} ${f(s.demandM3h, 2).padStart(8)} ${f(s.flowM3h, 2).padStart(8)} ${(s.dpKpa === null ? '-' : f(s.dpKpa)).padStart(8)} ${(s.dpKpa === null ? '-' : f(s.dpKpa - s.minDpKpa)).padStart(9)} ${(s.supplyC === null ? '-' : f(s.supplyC, 2)).padStart(7)}`,
    );
  }
  out.push('', `${z('压力校核 ')}Pressure checks (${r.elevationKnown ? 'ground elevations from the data' : 'no elevation data: flat ground'}):`);
  if (!r.pressure.findings.length) out.push(`  none${z(' 无超限')}`);
  for (const p of r.pressure.findings) out.push(`  ${p.kind} ${p.circuit} ×${r.pressure.counts[`${p.kind}:${p.circuit}`]} nodes; worst at (${p.lon.toFixed(6)}, ${p.lat.toFixed(6)}): ${englishOnly ? p.reason.en : `${p.reason.zh} / ${p.reason.en}`}`);
  return out.join('\n') + '\n';
}
