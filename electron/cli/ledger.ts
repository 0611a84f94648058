/**
 * `warmnet ledger <file.gpkg> --out F.xlsx|F.csv [--year N] [--date D]`: the
 * project list in the plan's format and one list per community (一小区一清单).
 */
import { extname } from 'node:path';
import type { Command } from './command';
import { UsageError, num, positional, str } from './args';
import { readProjectAt } from '../backend/store/location';
import { exportLedger } from '../backend/export/mapExport';
import { stderrProgress } from '../backend/export/progress';
import { oneLang } from './lang';

export const ledgerCommand: Command = {
  usage: '<file.gpkg> --out F.xlsx|F.csv [--year N] [--date YYYY-MM-DD]',
  options: { out: { value: true }, year: { value: true }, date: { value: true } },
  async run(args) {
    const file = positional(args, 0, 'the project (a .gpkg file or postgres://…?schema=NAME)');
    const out = str(args, 'out');
    if (!out) throw new UsageError('--out F.xlsx|F.csv is required');
    const ext = extname(out).toLowerCase();
    if (ext !== '.xlsx' && ext !== '.csv') throw new UsageError(`--out must end in .xlsx or .csv, got "${out}"`);
    const year = num(args, 'year') ?? new Date().getFullYear();
    const progress = stderrProgress('ledger');
    const data = (await readProjectAt(file)).data;
    const r = await exportLedger(data, out, { year, date: str(args, 'date'), lang: oneLang() });
    progress.done(`wrote ${r.files.join(', ')} (${r.sheets} sheets)`);
  },
};
