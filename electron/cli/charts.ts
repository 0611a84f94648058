/** `warmnet charts <file.gpkg> --out DIR [--dpi N] [--year N] [--plan-year N] [--json]`: the meeting charts as PNG and SVG. */
import type { Command } from './command';
import { UsageError, flag, num, positional, printJson, str } from './args';
import { readProjectAt } from '../backend/store/location';
import { exportCharts } from '../backend/export/mapExport';
import { stderrProgress } from '../backend/export/progress';
import { oneLang } from './lang';

export const chartsCommand: Command = {
  usage: '<file.gpkg> --out DIR [--dpi N] [--year N] [--plan-year N] [--json]',
  options: { out: { value: true }, dpi: { value: true }, year: { value: true }, 'plan-year': { value: true }, json: {} },
  async run(args) {
    const file = positional(args, 0, 'the project (a .gpkg file or postgres://…?schema=NAME)');
    const out = str(args, 'out');
    if (!out) throw new UsageError('--out DIR is required');
    const dpi = num(args, 'dpi') ?? 200;
    if (dpi < 72 || dpi > 600) throw new UsageError(`--dpi must be between 72 and 600, got ${dpi}`);
    const progress = stderrProgress('charts');
    const data = (await readProjectAt(file)).data;
    const r = await exportCharts(data, out, { year: num(args, 'year') ?? new Date().getFullYear(), planYear: num(args, 'plan-year'), dpi, lang: oneLang() });
    if (flag(args, 'json')) printJson({ files: r.files, charts: r.charts });
    progress.done(`wrote ${r.files.length} files to ${out}`);
  },
};
