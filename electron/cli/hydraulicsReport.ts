/**
 * `warmnet hydraulics` as text for a meeting: both sources' shares, the most
 * unfavourable station and its ΔP, the balancing summary. The headings come
 * from the catalogue (cli.hydraulics.*): Chinese beside English by default,
 * one language with `--lang`; data (file name, ids) stays as written.
 */
import { SOURCE_HYDRAULIC_ROLE_LABELS } from '../../core/model/schema';
import type { HydraulicResult } from '../../core/hydraulics/simulate';
import { sourceShares } from '../../core/hydraulics/report';
import { fixed } from '../../core/format/number';
import { t } from '../../core/i18n';
import { cliLang, gloss, label, say } from './lang';

export function hydraulicsText(file: string, r: HydraulicResult): string {
  const sc = r.scenario;
  const out: string[] = [
    `${file}: ${label('cli.hydraulics.title')} — scenario ${sc.name} (outdoor ${fixed(sc.outdoorC, 1)} °C, load ×${fixed(sc.loadFactor, 3)}${sc.sourcesOff.length ? `, off: ${sc.sourcesOff.join(', ')}` : ''}), friction ${sc.friction}${sc.twoCircuits ? ', return pipes drawn' : ', return mirrors supply'}`,
    r.converged
      ? `  ${gloss('cli.hydraulics.converged', { n: r.iterations })}`
      : `  ${gloss('cli.hydraulics.notConverged')}: ${r.reason ?? ''} (${r.iterations} iterations); the numbers below are not a solution`,
  ];
  if (!r.converged) {
    out.push(`  ${gloss('cli.hydraulics.iterationLog')}:`);
    for (const l of r.log.slice(-15)) out.push(`    #${l.iteration}  Σ|Δq|/Σ|q| ${l.relativeChange.toExponential(3)}  max Δq ${(l.maxFlowChange * 3600).toExponential(3)} m³/h  stations limited ${l.stationsLimited}`);
  }
  out.push('', `${label('cli.sources')} (${gloss('cli.hydraulics.share')}):`);
  const shares = new Map(sourceShares(r).map((s) => [s.id, s.share]));
  /** The role's Chinese label before its code, unless the text is English only. */
  const role = (code: keyof typeof SOURCE_HYDRAULIC_ROLE_LABELS | 'off'): string =>
    cliLang() === 'en' ? '' : `${code === 'off' ? t('zh', 'cli.hydraulics.off') : SOURCE_HYDRAULIC_ROLE_LABELS[code].zh} `;
  for (const s of r.sources) {
    if (!s.running) {
      out.push(`  ${s.id.padEnd(10)} ${label('cli.hydraulics.off')}`);
      continue;
    }
    out.push(
      `  ${s.id.padEnd(10)} ${role(s.role)}${s.role.padEnd(8)}  flow ${fixed(s.flowM3h, 1).padStart(8)} m³/h  heat ${fixed(s.heatMw, 2).padStart(7)} MW  share ${fixed((shares.get(s.id) ?? 0) * 100, 1).padStart(5)} %  pump head ${fixed(s.headM, 2)} m${s.checkValveClosed ? `  ${label('cli.hydraulics.checkValve')}` : ''}`,
    );
  }
  const tot = r.totals;
  out.push(
    '',
    `${label('cli.hydraulics.load')}: ${fixed(tot.loadMW, 2)} MW, served ${fixed(tot.servedMW, 2)} MW (${fixed(tot.loadMW > 0 ? (100 * tot.servedMW) / tot.loadMW : 100, 1)} %); households ${Math.round(tot.households)}, served ${Math.round(tot.servedHouseholds)}; pipe heat loss ${fixed(tot.heatLossMW, 3)} MW`,
  );
  if (r.unfavourable) {
    const st = r.stations.find((s) => s.id === r.unfavourable!.station)!;
    out.push(
      `${label('cli.hydraulics.unfavourable')}: ${st.id}  ΔP ${fixed(st.dpKpa ?? 0, 1)} kPa (minimum ${fixed(st.minDpKpa, 1)} kPa), supply ${st.supplyC === null ? '-' : fixed(st.supplyC, 2)} °C`,
      `  ${label('cli.hydraulics.path')}: ${r.unfavourable.path.join(' → ')}`,
    );
  }
  const served = r.stations.filter((s) => s.served);
  const limited = served.filter((s) => s.limited);
  const unserved = r.stations.filter((s) => !s.served && s.loadKw > 0);
  const excess = r.balancing.map((b) => b.excessDpKpa).sort((a, b) => a - b);
  out.push(
    '',
    `${label('cli.hydraulics.balancing')}: ${served.length} stations; ΔP to throttle ${excess.length ? `${fixed(Math.max(0, excess[0]), 1)}–${fixed(excess[excess.length - 1], 1)} kPa, median ${fixed(excess[Math.floor(excess.length / 2)], 1)} kPa` : '-'}`,
  );
  if (limited.length)
    out.push(`  ${gloss('cli.hydraulics.belowMinimum')} (${limited.length}): ${limited.map((s) => `${s.id} ${fixed(s.dpKpa ?? 0, 1)} kPa, short ${fixed(s.shortfallKw, 1)} kW`).join('; ')}`);
  if (unserved.length) out.push(`  ${gloss('cli.hydraulics.unserved')} (${unserved.length}): ${unserved.map((s) => s.id).join(', ')}`);
  out.push('', `  ${'station'.padEnd(10)} ${'load kW'.padStart(9)} ${'G m³/h'.padStart(8)} ${'flow'.padStart(8)} ${'ΔP kPa'.padStart(8)} ${'throttle'.padStart(9)} ${'T °C'.padStart(7)}`);
  for (const s of r.stations) {
    if (!(s.loadKw > 0)) continue;
    out.push(
      `  ${s.id.padEnd(10)} ${fixed(s.loadKw, 1).padStart(9)} ${fixed(s.demandM3h, 2).padStart(8)} ${fixed(s.flowM3h, 2).padStart(8)} ${(s.dpKpa === null ? '-' : fixed(s.dpKpa, 1)).padStart(8)} ${(s.dpKpa === null ? '-' : fixed(s.dpKpa - s.minDpKpa, 1)).padStart(9)} ${(s.supplyC === null ? '-' : fixed(s.supplyC, 2)).padStart(7)}`,
    );
  }
  out.push('', `${label('cli.hydraulics.pressure')} (${r.elevationKnown ? 'ground elevations from the data' : 'no elevation data: flat ground'}):`);
  if (!r.pressure.findings.length) out.push(`  ${gloss('cli.hydraulics.noFindings')}`);
  for (const p of r.pressure.findings) out.push(`  ${p.kind} ${p.circuit} ×${r.pressure.counts[`${p.kind}:${p.circuit}`]} nodes; worst at (${p.lon.toFixed(6)}, ${p.lat.toFixed(6)}): ${say(p.reason)}`);
  return out.join('\n') + '\n';
}
