/**
 * `warmnet export-map <file.gpkg> --out F.pdf|F.png [--paper A4|A3]
 * [--orientation landscape|portrait] [--dpi N] [--theme age|leakage|renovation|level]
 * [--title T] [--unit U] [--note N] [--date D] [--year Y]`: a meeting-ready map sheet.
 */
import { extname } from 'node:path';
import type { Command } from './command';
import { CliError, UsageError, num, positional, str } from './args';
import { readProjectAt, shownLocation } from '../backend/store/location';
import { exportMap } from '../backend/export/mapExport';
import { printBasemapOf, printDpiOf } from '../backend/basemap/print';
import { stderrProgress } from '../backend/export/progress';
import { isPaper } from '../../core/carto/layout';
import { isMapTheme } from '../../core/carto/themes';
import { oneLang } from './lang';

export const exportMapCommand: Command = {
  usage: '<file.gpkg> --out F.pdf|F.png [--paper A4|A3] [--orientation landscape|portrait] [--dpi N] [--theme age|leakage|renovation|level] [--title T] [--unit U] [--note N] [--date YYYY-MM-DD] [--year N] [--basemap saved|none|NAME|online:ID]',
  options: {
    out: { value: true }, paper: { value: true }, orientation: { value: true }, dpi: { value: true }, theme: { value: true },
    title: { value: true }, unit: { value: true }, note: { value: true }, date: { value: true }, year: { value: true }, basemap: { value: true },
  },
  async run(args) {
    const file = positional(args, 0, 'the project (a .gpkg file or postgres://…?schema=NAME)');
    const out = str(args, 'out');
    if (!out) throw new UsageError('--out F.pdf|F.png is required');
    const ext = extname(out).toLowerCase();
    if (ext !== '.pdf' && ext !== '.png') throw new UsageError(`--out must end in .pdf or .png, got "${out}"`);
    const paper = (str(args, 'paper') ?? 'A3').toUpperCase();
    if (!isPaper(paper)) throw new UsageError(`--paper must be A4 or A3, got "${paper}"`);
    const orientation = (str(args, 'orientation') ?? 'landscape').toLowerCase();
    if (orientation !== 'landscape' && orientation !== 'portrait') throw new UsageError(`--orientation must be landscape or portrait, got "${orientation}"`);
    // `leak` is the app's own name for the leakage theme; accept both.
    const themeArg = (str(args, 'theme') ?? 'age').toLowerCase();
    const theme = themeArg === 'leak' ? 'leakage' : themeArg;
    if (!isMapTheme(theme)) throw new UsageError(`--theme must be age, leakage, renovation or level, got "${theme}"`);
    const dpi = num(args, 'dpi') ?? 300;
    if (dpi < 72 || dpi > 600) throw new UsageError(`--dpi must be between 72 and 600 (150–300 for print), got ${dpi}`);
    const date = str(args, 'date');
    if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UsageError(`--date must be YYYY-MM-DD, got "${date}"`);
    const year = num(args, 'year') ?? (date ? Number(date.slice(0, 4)) : new Date().getFullYear());

    const progress = stderrProgress('export-map');
    progress.note(`reading ${shownLocation(file)}`);
    const { data, description } = await readProjectAt(file);
    if (data.layers.pipes.length === 0) throw new CliError(`${shownLocation(file)} has no pipes to map`);
    // Basemaps live in a project file; a shared (PostgreSQL) project has none.
    const local = !/^postgres(ql)?:/i.test(file);
    const bm = local ? printBasemapOf(file, str(args, 'basemap') ?? 'saved') : { note: 'no basemap (shared project)', close() {} };
    progress.note(bm.note);
    let r;
    try {
      r = await exportMap(data, out, {
        lang: oneLang(),
        paper, orientation, theme, dpi, year, date, projectFile: file, description,
        title: str(args, 'title'), issuingUnit: str(args, 'unit'), dataNote: str(args, 'note'),
        ...('basemap' in bm && bm.basemap ? { basemap: bm.basemap, basemapDpi: printDpiOf(file) } : {}),
      }, progress);
    } finally {
      bm.close();
    }
    progress.done(`wrote ${out} (${r.format}, ${paper} ${orientation}${r.format === 'png' ? `, ${dpi} dpi` : ''})`);
  },
};
