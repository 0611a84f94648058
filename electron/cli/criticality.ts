/**
 * `warmnet criticality <file.gpkg> [--json] [--top N]`: N-1 sweep (DOMAIN.md
 * §3.4) — load lost per valve segment, load at risk (MW·km), the worst
 * segment, and the bridges of the primary network.
 */
import type { Command } from './command';
import { CliError, flag, num, positional, printJson } from './args';
import { readProjectAt } from '../backend/store/location';
import { criticalityOn, prepareNetwork } from '../../core/network/analyses';
import { NoSourceError } from '../../core/network/isolate';
import type { CriticalityResult } from '../../core/network/criticality';
import { label, one } from './lang';

function text(r: CriticalityResult, top: number): string {
  const worst = [...r.segments].sort((a, b) => b.riskMWkm - a.riskMWkm).slice(0, top);
  const lines = [
    `${label('cli.loadAtRisk')}: ${r.loadAtRiskMWkm.toFixed(3)} MW·km over ${r.segments.length} valve segments`,
    '',
    `${label('cli.riskiest')} (top ${worst.length}):`,
    ...worst.map(
      (s, i) =>
        `  ${String(i + 1).padStart(2)}. ${s.riskMWkm.toFixed(3).padStart(9)} MW·km  ${s.loadLostMW.toFixed(3).padStart(8)} MW  ${String(s.households).padStart(6)} ${one('cli.households')}  ${s.lengthM.toFixed(0).padStart(6)} m  ${s.pipes.join(', ')}`,
    ),
    '',
    `${label('cli.primaryBridges')} (${r.bridges.length}): ${r.bridges.join(', ') || '—'}`,
  ];
  return lines.join('\n') + '\n';
}

export const criticalityCommand: Command = {
  usage: '<file.gpkg> [--json] [--top N]',
  options: { json: {}, top: { value: true } },
  async run(args) {
    const path = positional(args, 0, 'the project (a .gpkg file or postgres://…?schema=NAME)');
    const project = (await readProjectAt(path)).data;
    let result: CriticalityResult;
    try {
      result = criticalityOn(prepareNetwork(project));
    } catch (err) {
      if (err instanceof NoSourceError) throw new CliError(err.message);
      throw err;
    }
    if (flag(args, 'json')) printJson(result);
    else process.stdout.write(text(result, num(args, 'top') ?? 10));
  },
};
