/** `warmnet atlas <file.gpkg> --out F.pdf [--year N] [--date D] [--unit U] [--basemap saved|none|NAME|online:ID]`: one page per community with its map (over the project's basemap) and ledger. */
import { extname } from 'node:path';
import type { Command } from './command';
import { CliError, UsageError, num, positional, str } from './args';
import { readProjectAt, shownLocation } from '../backend/store/location';
import { exportAtlas } from '../backend/export/mapExport';
import { stderrProgress } from '../backend/export/progress';
import { oneLang } from './lang';
import { printBasemapOf, printDpiOf } from '../backend/basemap/print';

export const atlasCommand: Command = {
  usage: '<file.gpkg> --out F.pdf [--year N] [--date YYYY-MM-DD] [--unit U] [--basemap saved|none|NAME|online:ID]',
  options: { out: { value: true }, year: { value: true }, date: { value: true }, unit: { value: true }, basemap: { value: true } },
  async run(args) {
    const file = positional(args, 0, 'the project (a .gpkg file or postgres://…?schema=NAME)');
    const out = str(args, 'out');
    if (!out) throw new UsageError('--out F.pdf is required');
    if (extname(out).toLowerCase() !== '.pdf') throw new UsageError(`--out must end in .pdf, got "${out}"`);
    const year = num(args, 'year') ?? new Date().getFullYear();
    const progress = stderrProgress('atlas');
    const { data } = await readProjectAt(file);
    if (data.layers.communities.length === 0) throw new CliError(`${shownLocation(file)} has no communities`);
    // Basemaps live in a project file; a shared (PostgreSQL) project has none.
    const bm = /^postgres(ql)?:/i.test(file) ? { note: 'no basemap (shared project)', close() {} } : printBasemapOf(file, str(args, 'basemap') ?? 'saved');
    progress.note(bm.note);
    let r;
    try {
      r = await exportAtlas(
        data,
        out,
        {
          year, date: str(args, 'date'), issuingUnit: str(args, 'unit'), projectFile: file, lang: oneLang(),
          ...('basemap' in bm && bm.basemap ? { basemap: bm.basemap, basemapDpi: printDpiOf(file) } : {}),
        },
        progress,
      );
    } finally {
      bm.close();
    }
    progress.done(`wrote ${out} (${r.pages} pages)`);
  },
};
