/**
 * `warmnet loops <file.gpkg> [--max-length 800] [--budget 万元] [--topological] [--json]`:
 * loop-connection options (DOMAIN.md §3.5), valued by the outage simulation
 * they are for (core/hydraulics/optionValue.ts; `--topological` skips it),
 * ranked, with a greedy choice within the budget. Each option carries `pipe`,
 * the pipe it stands for along its route (add it as an in-service primary
 * pipe to get exactly riskReducedMWkm) and `hydraulic`, the outage before and
 * after.
 */
import type { Command } from './command';
import { CliError, flag, num, positional, printJson } from './args';
import { readProjectAt } from '../backend/store/location';
import { prepareNetwork, runAnalysis } from '../../core/network/analyses';
import { NoSourceError } from '../../core/network/isolate';
import type { LoopOption, LoopsResult } from '../../core/network/loops';
import type { ValuedOption } from '../../core/hydraulics/optionValue';
import { cliLang, label, one, say } from './lang';
import { paragraph, type Lang } from '../../core/i18n';
import { fixed, lonLatText } from '../../core/format/number';

const end = ({ node: _node, ...rest }: LoopOption['from']) => rest;

export function loopsJson(r: LoopsResult) {
  return {
    options: r.options.map((o) => ({
      ...o,
      from: end(o.from),
      to: end(o.to),
      pipe: { type: 'LineString', coordinates: o.geometry },
    })),
    chosen: r.chosen,
    loadAtRiskMWkm: r.loadAtRiskMWkm,
    budgetWan: r.budgetWan,
    totalCostWan: r.totalCostWan,
  };
}

/** The outage simulation's verdict in one line: load served before → after. */
function hydraulicNote(o: ValuedOption): string {
  const h = o.hydraulic;
  if (!h) return o.hydraulicError ? `  (no hydraulic valuation: ${say(o.hydraulicError)})` : '';
  return `  outage: served ${h.before.servedMW.toFixed(2)} → ${h.after.servedMW.toFixed(2)} MW, min ΔP ${h.before.minDpKpa?.toFixed(1) ?? '-'} → ${h.after.minDpKpa?.toFixed(1) ?? '-'} kPa`;
}

function text(r: LoopsResult): string {
  const lines = [`${label('cli.loadAtRiskNow')}: ${r.loadAtRiskMWkm.toFixed(3)} MW·km`, ''];
  if (!r.options.length) lines.push(label('cli.noOptions'));
  for (const o of r.options) {
    const mark = r.chosen.includes(o.rank) ? '★' : ' ';
    lines.push(
      `${mark}${String(o.rank).padStart(3)}. ${(o.kind === 'interconnect' ? label('cli.interconnect') : label('cli.loop')).padEnd(17)}  ` +
        `${o.from.source} (${lonLatText(o.from.lon, o.from.lat)}) → ${o.to.source} (${lonLatText(o.to.lon, o.to.lat)})  ` +
        `${o.lengthM.toFixed(0)} m${o.route === 'streets' ? ' (streets)' : ''} DN${o.dn} ${fixed(o.costWan, 1)} ${one('unit.wan')}  backup ${o.backupMW.toFixed(2)} MW  N-1 risk reduced ${o.riskReducedMWkm.toFixed(3)} MW·km` +
        hydraulicNote(o),
    );
    const langs: Lang[] = cliLang() === 'both' ? ['zh', 'en'] : [cliLang() as Lang];
    const explanations = langs.map((l) => paragraph(l, o.explanation));
    for (const e of explanations) lines.push(`       ${e}`);
  }
  lines.push('', `★ ${label('cli.chosen')}: ${r.chosen.join(', ') || '—'}  (${fixed(r.totalCostWan, 1)} ${one('unit.wan')}${r.budgetWan !== null ? ` of ${r.budgetWan} ${one('unit.wan')}` : ''})`);
  return lines.join('\n') + '\n';
}

export const loops: Command = {
  usage: '<file.gpkg> [--max-length 800] [--budget CNY-10k] [--topological] [--json]',
  options: { 'max-length': { value: true }, budget: { value: true }, topological: {}, json: {} },
  async run(args) {
    const path = positional(args, 0, 'the project (a .gpkg file or postgres://…?schema=NAME)');
    const project = (await readProjectAt(path)).data;
    let result: LoopsResult;
    try {
      result = runAnalysis('loops', prepareNetwork(project), {
        maxLengthM: num(args, 'max-length'),
        budgetWan: num(args, 'budget'),
        ...(flag(args, 'topological') ? { hydraulic: false } : {}),
      });
    } catch (err) {
      if (err instanceof NoSourceError) throw new CliError(err.message);
      throw err;
    }
    if (flag(args, 'json')) printJson(loopsJson(result));
    else process.stdout.write(text(result));
  },
};
