/** `warmnet atlas <file.gpkg> --out F.pdf [--year N] [--date D] [--unit U]`: one page per community with its map and ledger. */
import { extname } from 'node:path';
import type { Command } from './command';
import { CliError, UsageError, num, positional, str } from './args';
import { readProjectAt, shownLocation } from '../backend/store/location';
import { exportAtlas } from '../backend/export/mapExport';
import { stderrProgress } from '../backend/export/progress';
import { oneLang } from './lang';

export const atlasCommand: Command = {
  usage: '<file.gpkg> --out F.pdf [--year N] [--date YYYY-MM-DD] [--unit U]',
  options: { out: { value: true }, year: { value: true }, date: { value: true }, unit: { value: true } },
  async run(args) {
    const file = positional(args, 0, 'the project (a .gpkg file or postgres://…?schema=NAME)');
    const out = str(args, 'out');
    if (!out) throw new UsageError('--out F.pdf is required');
    if (extname(out).toLowerCase() !== '.pdf') throw new UsageError(`--out must end in .pdf, got "${out}"`);
    const year = num(args, 'year') ?? new Date().getFullYear();
    const progress = stderrProgress('atlas');
    const { data } = await readProjectAt(file);
    if (data.layers.communities.length === 0) throw new CliError(`${shownLocation(file)} has no communities`);
    const r = await exportAtlas(data, out, { year, date: str(args, 'date'), issuingUnit: str(args, 'unit'), projectFile: file, lang: oneLang() }, progress);
    progress.done(`wrote ${out} (${r.pages} pages)`);
  },
};
