/**
 * The hydraulics result as the command line's `--json` prints it (numbers at
 * full precision) and as text for a meeting: both sources' shares, the most
 * unfavourable station and its ΔP, the balancing summary.
 */
import { say } from '../i18n';
import { SOURCE_HYDRAULIC_ROLE_LABELS, type SourceHydraulicRole } from '../model/schema';
import type { HydraulicResult } from './simulate';
import { fixed } from '../format/number';

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

/**
 * The meeting text. `englishOnly` (the command line's `--lang en`) leaves out the Chinese words
 * that otherwise stand beside the English ones; data (file name, ids) stays as written.
 */
export function hydraulicsText(file: string, r: HydraulicResult, englishOnly = false): string {
  /** A Chinese word with its separating space, or nothing in English-only text. */
  const z = (zh: string): string => (englishOnly ? '' : zh);
  const sc = r.scenario;
  const out: string[] = [
    `${file}: ${z('水力计算 ')}Hydraulics — scenario ${sc.name} (outdoor ${fixed(sc.outdoorC, 1)} °C, load ×${fixed(sc.loadFactor, 3)}${sc.sourcesOff.length ? `, off: ${sc.sourcesOff.join(', ')}` : ''}), friction ${sc.friction}${sc.twoCircuits ? ', return pipes drawn' : ', return mirrors supply'}`,
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
      `  ${s.id.padEnd(10)} ${z(`${roleZh[s.role]} `)}${s.role.padEnd(8)}  flow ${fixed(s.flowM3h, 1).padStart(8)} m³/h  heat ${fixed(s.heatMw, 2).padStart(7)} MW  share ${fixed((shares.get(s.id) ?? 0) * 100, 1).padStart(5)} %  pump head ${fixed(s.headM, 2)} m${s.checkValveClosed ? `  ${z('止回阀关闭 ')}closed by its non-return valve` : ''}`,
    );
  }
  const t = r.totals;
  out.push(
    '',
    `${z('负荷 ')}Load: ${fixed(t.loadMW, 2)} MW, served ${fixed(t.servedMW, 2)} MW (${fixed(t.loadMW > 0 ? (100 * t.servedMW) / t.loadMW : 100, 1)} %); households ${Math.round(t.households)}, served ${Math.round(t.servedHouseholds)}; pipe heat loss ${fixed(t.heatLossMW, 3)} MW`,
  );
  if (r.unfavourable) {
    const st = r.stations.find((s) => s.id === r.unfavourable!.station)!;
    out.push(
      `${z('最不利站 ')}Most unfavourable station: ${st.id}  ΔP ${fixed(st.dpKpa ?? 0, 1)} kPa (minimum ${fixed(st.minDpKpa, 1)} kPa), supply ${st.supplyC === null ? '-' : fixed(st.supplyC, 2)} °C`,
      `  ${z('最不利环路 ')}path from the source: ${r.unfavourable.path.join(' → ')}`,
    );
  }
  const served = r.stations.filter((s) => s.served);
  const limited = served.filter((s) => s.limited);
  const unserved = r.stations.filter((s) => !s.served && s.loadKw > 0);
  const excess = r.balancing.map((b) => b.excessDpKpa).sort((a, b) => a - b);
  out.push(
    '',
    `${z('水力平衡 ')}Balancing: ${served.length} stations; ΔP to throttle ${excess.length ? `${fixed(Math.max(0, excess[0]), 1)}–${fixed(excess[excess.length - 1], 1)} kPa, median ${fixed(excess[Math.floor(excess.length / 2)], 1)} kPa` : '-'}`,
  );
  if (limited.length)
    out.push(`  below their minimum ΔP${z(' 资用压头不足')} (${limited.length}): ${limited.map((s) => `${s.id} ${fixed(s.dpKpa ?? 0, 1)} kPa, short ${fixed(s.shortfallKw, 1)} kW`).join('; ')}`);
  if (unserved.length) out.push(`  not reached by a running source${z(' 无热源')} (${unserved.length}): ${unserved.map((s) => s.id).join(', ')}`);
  out.push('', `  ${'station'.padEnd(10)} ${'load kW'.padStart(9)} ${'G m³/h'.padStart(8)} ${'flow'.padStart(8)} ${'ΔP kPa'.padStart(8)} ${'throttle'.padStart(9)} ${'T °C'.padStart(7)}`);
  for (const s of r.stations) {
    if (!(s.loadKw > 0)) continue;
    out.push(
      `  ${s.id.padEnd(10)} ${fixed(s.loadKw, 1).padStart(9)} ${fixed(s.demandM3h, 2).padStart(8)} ${fixed(s.flowM3h, 2).padStart(8)} ${(s.dpKpa === null ? '-' : fixed(s.dpKpa, 1)).padStart(8)} ${(s.dpKpa === null ? '-' : fixed(s.dpKpa - s.minDpKpa, 1)).padStart(9)} ${(s.supplyC === null ? '-' : fixed(s.supplyC, 2)).padStart(7)}`,
    );
  }
  out.push('', `${z('压力校核 ')}Pressure checks (${r.elevationKnown ? 'ground elevations from the data' : 'no elevation data: flat ground'}):`);
  if (!r.pressure.findings.length) out.push(`  none${z(' 无超限')}`);
  for (const p of r.pressure.findings) out.push(`  ${p.kind} ${p.circuit} ×${r.pressure.counts[`${p.kind}:${p.circuit}`]} nodes; worst at (${p.lon.toFixed(6)}, ${p.lat.toFixed(6)}): ${englishOnly ? say('en', p.reason) : `${say('zh', p.reason)} / ${say('en', p.reason)}`}`);
  return out.join('\n') + '\n';
}
