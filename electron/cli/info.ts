/** `warmnet info <file.gpkg | postgres://…?schema=NAME> [--json] [--year N]`: what a project holds, in numbers. */
import type { Command } from './command';
import { flag, num, positional, printJson } from './args';
import { readProjectAt, isPgUrl } from '../backend/store/location';
import { redact } from '../backend/store/pg/url';
import { projectInfo, type ClassTotal, type ProjectInfo } from '../../core/plan/info';
import { CLASS_LABELS } from '../../core/model/classes';
import { fieldDef, layerDef } from '../../core/model/schema';
import { gloss, label, one, pairLabel } from './lang';
import { pushAll } from '../../core/arrays';
import { fixed } from '../../core/format/number';

/** A coded value as the command line shows it: both words of the vocabulary. */
function coded(owner: string, field: string, k: string): string {
  const l = fieldDef(owner, field)?.labels?.[k];
  return l ? pairLabel(l) : k;
}

/** Terminal width of a label: CJK characters take two columns. */
function pad(label: string, width: number): string {
  let w = 0;
  for (const ch of label) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return label + ' '.repeat(Math.max(0, width - w));
}

function classLines(title: string, t: Record<string, ClassTotal>, label: (k: string) => string): string[] {
  return [
    title,
    ...Object.entries(t)
      .filter(([, v]) => v.count > 0)
      .map(([k, v]) => `  ${pad(label(k), 34)} ${String(v.count).padStart(6)}  ${fixed(v.km, 3).padStart(10)} km`),
  ];
}

function text(path: string, description: string | null, i: ProjectInfo): string {
  const lines: string[] = [`${path}${description ? `  (${description})` : ''}`, '', `${label('cli.features')}:`];
  for (const [layer, n] of Object.entries(i.features)) {
    const d = layerDef(layer)!;
    lines.push(`  ${pad(pairLabel(d.label), 34)} ${String(n).padStart(6)}`);
  }
  lines.push(`  ${pad(label('cli.projects'), 34)} ${String(i.projects).padStart(6)}`, '');
  lines.push(`${label('cli.pipesTotal')}: ${i.pipes.count} segments, ${fixed(i.pipes.km, 3)} km (geodesic, CGCS2000 ellipsoid)`);
  const cls = (k: string) => (CLASS_LABELS as Record<string, { zh: string; en: string }>)[k] ? pairLabel(CLASS_LABELS[k as keyof typeof CLASS_LABELS]) : k;
  pushAll(lines, classLines(`  ${label('cli.byLevel')}:`, i.themes.level, (k) => coded('pipes', 'level', k)));
  pushAll(lines, classLines(`  ${label('cli.byAge')} (${i.year}):`, i.themes.age, cls));
  pushAll(lines, classLines(`  ${label('cli.byLeakage')}:`, i.themes.leakage, cls));
  pushAll(lines, classLines(`  ${label('cli.byRenovation')}:`, i.themes.renovation, (k) => coded('pipes', 'renovation_status', k)));
  lines.push(`  ${label('cli.byStatus')}:`);
  for (const [k, v] of Object.entries(i.pipes.kmByStatus)) if (v > 0) lines.push(`    ${pad(coded('pipes', 'status', k), 32)} ${fixed(v, 3).padStart(17)} km`);
  lines.push('', `${label('cli.extent')}: ${i.bbox ? i.bbox.map((v) => fixed(v, 6)).join(', ') : '(empty)'}`, '', `${label('cli.planByYear')}:`);
  if (i.plan.length === 0) lines.push('  (no projects)');
  for (const p of i.plan) {
    lines.push(
      `  ${p.year}: ${p.projects} projects, budget ${fixed(p.budgetWan, 1)} ${one('unit.wan')}; pipes ${fixed(p.km.primary ?? 0, 3)} km ${gloss('cli.primaryShort')}, ` +
        `${fixed(p.secondaryCourtyardKm, 3)} km ${gloss('cli.secCourt')} (total ${fixed(p.totalKm, 3)} km)` +
        (p.target ? `; target ${p.target.primaryKm} + ${p.target.secondaryCourtyardKm} km, ${p.target.budgetWan} ${one('unit.wan')}` : ''),
    );
  }
  return lines.join('\n') + '\n';
}

export const info: Command = {
  usage: '<file.gpkg> [--json] [--year N]',
  options: { json: {}, year: { value: true } },
  async run(args) {
    const path = positional(args, 0, 'the project (a .gpkg file or postgres://…?schema=NAME)');
    const year = num(args, 'year') ?? new Date().getFullYear();
    const { data, description } = await readProjectAt(path);
    const result = projectInfo(data, year);
    const shown = isPgUrl(path) ? redact(path) : path;
    if (flag(args, 'json')) printJson({ file: shown, description, ...result });
    else process.stdout.write(text(shown, description, result));
  },
};
