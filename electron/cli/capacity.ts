/**
 * `warmnet capacity <file.gpkg> [--json] [--all]`: heat-load mismatch of pipes,
 * station overload ("小马拉大车") and source load against capacity and backup.
 * Text lists the pipes that are mismatched or oversized (all with --all).
 */
import type { Command } from './command';
import { flag, positional, printJson } from './args';
import { readProjectAt, shownLocation } from '../backend/store/location';
import { capacityCheck, type CapacityReport } from '../../core/network/capacity';
import { say } from './lang';
import { gloss, label } from './lang';
import { fixed } from '../../core/format/number';



function text(path: string, r: CapacityReport, all: boolean): string {
  const s = r.summary;
  const out: string[] = [
    `${shownLocation(path)}: ${gloss('cli.capacityCheck')}`,
    `  pipes ${s.pipes}: ${s.mismatched} ${gloss('engineering.status.mismatched')}, ${s.oversized} ${gloss('engineering.status.oversized')}`,
    `  stations ${r.stations.length}: ${s.stationsOverloaded} ${gloss('engineering.status.overloaded')}, ${s.stationsNearLimit} ${gloss('engineering.status.near_limit')}`,
    `  sources ${r.sources.length}: ${s.sourcesOverloaded} overloaded`,
    '',
    `${label('cli.pipes')} (${all ? 'all' : 'mismatched and oversized'}):`,
    `  ${'id'.padEnd(12)} ${'level'.padEnd(10)} ${'DN'.padStart(4)} ${'load MW'.padStart(8)} ${'G kg/s'.padStart(8)} ${'v m/s'.padStart(6)} ${'R Pa/m'.padStart(8)}  status      reason`,
  ];
  const order = { mismatched: 0, oversized: 1, ok: 2 } as const;
  const pipes = r.pipes.filter((p) => all || p.status !== 'ok').sort((a, b) => order[a.status] - order[b.status] || b.rPaM - a.rPaM);
  if (pipes.length === 0) out.push('  (none)');
  for (const p of pipes)
    out.push(
      `  ${p.id.padEnd(12)} ${p.level.padEnd(10)} ${String(p.dn).padStart(4)} ${fixed(p.loadMW, 3).padStart(8)} ${fixed(p.flowKgS, 2).padStart(8)} ${fixed(p.velocityMs, 2).padStart(6)} ${fixed(p.rPaM, 1).padStart(8)}  ${p.status.padEnd(10)}  ${say(p.reason)}`,
    );
  out.push('', `${label('cli.stations')}:`, `  ${'id'.padEnd(10)} ${'load MW'.padStart(8)} ${'cap MW'.padStart(7)} ${'ratio'.padStart(6)}  status       reason`);
  for (const st of [...r.stations].sort((a, b) => (b.ratio ?? -1) - (a.ratio ?? -1)))
    out.push(
      `  ${st.id.padEnd(10)} ${fixed(st.connectedMW, 3).padStart(8)} ${(st.designCapacityMW ?? '-').toString().padStart(7)} ${(st.ratio === null ? '-' : fixed(st.ratio, 2)).padStart(6)}  ${st.status.padEnd(11)}  ${say(st.reason)}`,
    );
  out.push('', `${label('cli.sources')}:`);
  for (const so of r.sources)
    out.push(
      `  ${so.id.padEnd(10)} ${so.isBackup ? 'backup ' : 'main   '} load ${fixed(so.loadMW, 3)} MW / capacity ${so.capacityMW ?? '-'} MW  ${so.status.padEnd(11)} ${say(so.reason)}`,
    );
  if (r.stationsUnfed.length) out.push('', `${gloss('cli.noSourceReaches')}: ${r.stationsUnfed.join(', ')}`);
  const unattached = r.communities.filter((c) => c.rule === 'unattached');
  if (unattached.length) out.push('', `${gloss('cli.unattached')}: ${unattached.map((c) => `${c.id} (${say(c.reason)})`).join('; ')}`);
  return out.join('\n') + '\n';
}

export const capacityCommand: Command = {
  usage: '<file.gpkg> [--json] [--all]',
  options: { json: {}, all: {} },
  async run(args) {
    const path = positional(args, 0, 'the project (a .gpkg file or postgres://…?schema=NAME)');
    const data = (await readProjectAt(path)).data;
    const r = capacityCheck(data);
    if (flag(args, 'json')) printJson({ file: shownLocation(path), ...r });
    else process.stdout.write(text(path, r, flag(args, 'all')));
  },
};
