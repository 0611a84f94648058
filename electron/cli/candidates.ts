/**
 * `warmnet candidates <file.gpkg> [--json] [--as-of YYYY-MM-DD] [--top N] [--all] [--add-to PROJECT]`:
 * renewal candidates ranked by score with readable reasons (超期服役, 近5年泄漏3次 …).
 * Text lists the proposed candidates (every scored pipe with --all, the first N with --top).
 * --add-to links the proposed candidates (or the first N with --top) to a
 * project in one journaled edit, as the app's "add to project" does.
 */
import type { Command } from './command';
import { flag, num, positional, printJson, str, UsageError } from './args';
import { readProjectAt, shownLocation } from '../backend/store/location';
import { ProjectStore } from '../backend/store/index';
import { linkPipes } from '../backend/editing';
import { reasonMessages, renewalCandidates, type CandidatesReport } from '../../core/network/candidates';
import { gloss, one, say } from './lang';
import { fixed } from '../../core/format/number';

function text(path: string, r: CandidatesReport, all: boolean, top: number | undefined): string {
  let list = all ? r.pipes : r.pipes.filter((p) => p.candidate);
  if (top !== undefined) list = r.pipes.slice(0, top);
  const out = [
    `${shownLocation(path)}: ${gloss('cli.renewalCandidates')} (as of ${r.asOf}; ${r.candidates} of ${r.pipes.length} in-service pipes score ≥ ${r.minScore})`,
    `  weights: age ${r.weights.age}, leaks ${r.weights.leaks}, water loss ${r.weights.waterLoss}, condition ${r.weights.condition}, mismatch ${r.weights.mismatch}`,
    '',
    `  ${'rank'.padStart(4)} ${'id'.padEnd(12)} ${'level'.padEnd(10)} ${'DN'.padStart(4)} ${'len m'.padStart(7)} ${'score'.padStart(6)} ${one('unit.wan').padStart(7)}  ${'project'.padEnd(14)} ${gloss('cli.reasons')}`,
  ];
  if (list.length === 0) out.push('  (none)');
  for (const p of list)
    out.push(
      `  ${String(p.rank).padStart(4)} ${p.id.padEnd(12)} ${p.level.padEnd(10)} ${String(p.dn ?? '-').padStart(4)} ${p.lengthM.toFixed(0).padStart(7)} ${p.score.toFixed(1).padStart(6)} ${fixed(p.costWan, 1).padStart(7)}  ${(p.projects.join(',') || '-').padEnd(14)} ${p.reasons.length ? say(reasonMessages(p.reasons)) : '-'}`,
    );
  return out.join('\n') + '\n';
}

export const candidatesCommand: Command = {
  usage: '<file.gpkg> [--json] [--as-of YYYY-MM-DD] [--top N] [--all] [--add-to PROJECT]',
  options: { json: {}, 'as-of': { value: true }, top: { value: true }, all: {}, 'add-to': { value: true } },
  async run(args) {
    const path = positional(args, 0, 'the project (a .gpkg file or postgres://…?schema=NAME)');
    const asOf = str(args, 'as-of') ?? new Date().toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || !Number.isFinite(Date.parse(asOf))) throw new UsageError(`--as-of must be a date YYYY-MM-DD, got "${asOf}"`);
    const top = num(args, 'top');
    if (top !== undefined && !(Number.isInteger(top) && top > 0)) throw new UsageError('--top must be a positive whole number');
    const addTo = str(args, 'add-to');
    if (addTo !== undefined) {
      const store = ProjectStore.open(path);
      try {
        const r = renewalCandidates(store.snapshot(), asOf);
        const picked = (top !== undefined ? r.pipes.slice(0, top) : r.pipes.filter((p) => p.candidate)).map((p) => p.id);
        const linked = picked.length ? linkPipes(store, addTo, { pipeIds: picked }) : [];
        if (flag(args, 'json')) printJson({ file: shownLocation(path), project: addTo, picked, linked });
        else process.stdout.write(`${shownLocation(path)}: ${linked.length} of ${picked.length} picked pipes linked to ${addTo}${linked.length ? `: ${linked.join(', ')}` : ''}\n`);
      } finally {
        store.close();
      }
      return;
    }
    const r = renewalCandidates((await readProjectAt(path)).data, asOf);
    if (flag(args, 'json')) printJson({ file: shownLocation(path), ...r, pipes: top !== undefined ? r.pipes.slice(0, top) : r.pipes });
    else process.stdout.write(text(path, r, flag(args, 'all'), top));
  },
};
