/**
 * `warmnet check <file.gpkg> [--json]`: topology QA of the network (DOMAIN.md
 * §3.1); one rule a file in core/network/check/rules. The JSON gives each
 * finding's catalogue `code` and `params`, and its `reason` in both languages.
 * `warmnet check <file.gpkg> --supply [--json]`: the supply trace instead
 * (§3.2, §3.4) — which sources feed each station and community, and each
 * source's load against its capacity.
 */
import type { Command } from './command';
import { flag, positional, printJson } from './args';
import { readProjectAt } from '../backend/store/location';
import { prepareNetwork, runAnalysis } from '../../core/network/analyses';
import { supplyTrace, type SupplyTrace } from '../../core/network/supply';
import { findingText, type Finding } from '../../core/network/check';
import { label, pairLabel } from './lang';
import { fixed, lonLatText, percent } from '../../core/format/number';

function supplyText(t: Omit<SupplyTrace, 'edgeArea'>): string {
  const lines = [`${label('cli.supplyAreas')}:`];
  for (const a of t.areas)
    lines.push(`  ${a.sources.join('+').padEnd(16)} ${a.stations.length} stations, load ${fixed(a.loadMW, 2)} MW of ${fixed(a.capacityMW, 2)} MW`);
  lines.push('', `${label('cli.sources')}:`);
  for (const s of t.sources)
    lines.push(`  ${s.id.padEnd(12)} ${fixed(s.loadMW, 2).padStart(8)} / ${fixed(s.capacityMW, 2).padStart(8)} MW  ${percent(s.loadRatio, 0, '')}${s.active ? '' : '  (not in service / off the network)'}`);
  lines.push('', `${label('cli.stations')}:`);
  for (const s of t.stations) lines.push(`  ${s.id.padEnd(12)} ${fixed(s.loadMW, 3).padStart(8)} MW  ← ${s.sources.join(', ') || label('cli.noSource')}`);
  return lines.join('\n') + '\n';
}

export const check: Command = {
  usage: '<file.gpkg> [--supply] [--json]',
  options: { json: {}, supply: {} },
  async run(args) {
    const path = positional(args, 0, 'the project (a .gpkg file or postgres://…?schema=NAME)');
    const net = prepareNetwork((await readProjectAt(path)).data);
    if (flag(args, 'supply')) {
      const { edgeArea: _drop, ...trace } = supplyTrace(net.graph);
      if (flag(args, 'json')) printJson(trace);
      else process.stdout.write(supplyText(trace));
      return;
    }
    const result = runAnalysis('check', net, {});
    const reason = (f: Finding) => ({ zh: findingText('zh', f), en: findingText('en', f) });
    if (flag(args, 'json')) {
      printJson({ ...result, findings: result.findings.map((f) => ({ ...f, reason: reason(f) })) });
      return;
    }
    const lines = [`${label('cli.findings', { n: result.findings.length })}: ` + Object.entries(result.counts).map(([k, n]) => `${k} ${n}`).join(', ')];
    for (const f of result.findings) {
      lines.push(`  ${f.kind.padEnd(13)} ${f.featureIds.slice(0, 6).join(', ')}${f.featureIds.length > 6 ? ` …(+${f.featureIds.length - 6})` : ''}  @ ${lonLatText(f.lon, f.lat)}`);
      lines.push(`      ${pairLabel(reason(f), ' / ')}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
  },
};
