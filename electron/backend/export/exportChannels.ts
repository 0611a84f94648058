/**
 * The app's export dialog: map sheet (PDF/PNG), ledger (xlsx/csv) and
 * community atlas as channels. Each writes through the same functions as the
 * command line into a private temporary folder and answers the file bytes
 * (base64, so the browser bridge's JSON carries them too); the renderer hands
 * them to a download, which Electron turns into its native save dialog.
 * Long runs report progress as `analysis:progress` events with the caller's
 * `runId`, so no new event type is needed on the bridges.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import type { MAP_THEMES } from '../../../core/carto/themes';
import type { StoreApi } from '../store/api';
import { analysisEvents, analysisRunner, hydraulicsAnalysisArgs, projectRef } from '../analysis.handlers';
import { balancingSheets } from '../../../core/hydraulics/balancingLedger';
import { profileLabels, profilePage, profileTitle, type ProfileLabels } from '../../../core/carto/profileChart';
import { printBasemapOf } from '../basemap/print';
import { writePdf } from './pdf';
import { writePng } from './png';
import { writeXlsx } from './ledgerFiles';
import type { AnalysisProgress } from '../analysis.contract';
import { exportAtlas, exportLedger, exportMap } from './mapExport';
import type { Progress } from './progress';
import type { ExportContract, ExportedFile, ExportResult } from './exportContract';
import { message, SaidError, t } from '../../../core/i18n';

export type { ExportContract, ExportedFile, ExportResult };

type ExportImpl = { [K in keyof ExportContract]: (args: z.output<ExportContract[K]['args']>) => Promise<ExportResult> };

const MIME: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv; charset=utf-8',
};

function progressFor(channel: string, id: string | undefined): Progress {
  let last = -1;
  const emit = (fraction: number) => {
    const pct = Math.floor(fraction * 100);
    if (!id || pct === last) return;
    last = pct;
    const p: AnalysisProgress = { runId: id, channel, fraction };
    analysisEvents.emit('analysis:progress', p);
  };
  return { step: (done, total) => emit(total > 0 ? done / total : 1), note: () => undefined, done: () => emit(1) };
}

/** `YYYYMMDD-HHMM` for file names, so repeated exports do not overwrite each other in Downloads. */
function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

/** The project's description (示例数据，非实测) for the data note; ProjectStore has it, the interface does not promise it. */
function describe(store: StoreApi): string | null {
  return (store as StoreApi & { description?: () => string | null }).description?.() ?? null;
}

export function bindExportHandlers(store: StoreApi, year = new Date().getFullYear()): ExportImpl {
  const stem = () => basename(store.path).replace(/\.gpkg$/i, '');
  async function inTemp(channel: string, id: string | undefined, write: (dir: string, progress: Progress) => Promise<{ files: string[]; count: number }>): Promise<ExportResult> {
    const t0 = performance.now();
    const dir = await mkdtemp(join(tmpdir(), 'warmnet-export-'));
    const progress = progressFor(channel, id);
    try {
      const r = await write(dir, progress);
      progress.done('');
      const files: ExportedFile[] = [];
      for (const f of r.files) {
        const buf = await readFile(f);
        const ext = f.slice(f.lastIndexOf('.')).toLowerCase();
        files.push({ name: basename(f), mime: MIME[ext] ?? 'application/octet-stream', base64: buf.toString('base64'), bytes: buf.length });
      }
      return { files, count: r.count, seconds: (performance.now() - t0) / 1000 };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  return {
    'export:map': (a) =>
      inTemp('export:map', a.runId, async (dir, progress) => {
        const data = store.snapshot();
        if (data.layers.pipes.length === 0) throw new Error('export:map: the project has no pipes to map');
        const theme = a.theme === 'leak' ? 'leakage' : (a.theme as (typeof MAP_THEMES)[number]);
        const out = join(dir, `${stem()}-${theme}-${a.paper}-${stamp()}.${a.format}`);
        progress.step(0, 1);
        // The basemap the project has chosen (a project file's raster basemap; none for a shared project).
        const bm = /\.gpkg$/i.test(store.path) ? printBasemapOf(store.path, 'saved') : undefined;
        try {
          await exportMap(
            data,
            out,
            {
              paper: a.paper, orientation: a.orientation, theme, dpi: a.dpi, year, title: a.title, issuingUnit: a.unit, bbox: a.bbox, projectFile: store.path, description: describe(store), lang: a.lang,
              ...(bm?.basemap ? { basemap: bm.basemap, basemapDpi: store.getSettings().basemapPrintDpi } : {}),
            },
            progress,
          );
        } finally {
          bm?.close();
        }
        return { files: [out], count: 1 };
      }),
    'export:ledger': (a) =>
      inTemp('export:ledger', a.runId, async (dir) => {
        const r = await exportLedger(store.snapshot(), join(dir, `${stem()}-${t(a.lang ?? 'zh', 'export.ledgerFile')}-${stamp()}.${a.format}`), { year, lang: a.lang });
        return { files: r.files, count: r.sheets };
      }),
    'export:balancing': (a) =>
      inTemp('export:balancing', a.runId, async (dir, progress) => {
        progress.step(0, 2);
        const { view } = await analysisRunner().run(projectRef(store), 'hydraulics', hydraulicsAnalysisArgs(a));
        progress.step(1, 2);
        const lang = a.lang ?? 'zh';
        const out = join(dir, `${stem()}-${t(lang, 'balancing.sheet')}-${a.scenario}-${stamp()}.xlsx`);
        await writeXlsx({ sheets: balancingSheets(view, stem(), lang) }, out, { title: `${stem()} ${t(lang, 'balancing.sheet')}`, date: new Date().toISOString().slice(0, 10), lang });
        return { files: [out], count: 1 };
      }),
    'export:profile': ({ format, dpi, labels, lang, runId, ...scenario }) =>
      inTemp('export:profile', runId, async (dir, progress) => {
        progress.step(0, 2);
        const { view } = await analysisRunner().run(projectRef(store), 'hydraulics', hydraulicsAnalysisArgs({ ...scenario, runId }));
        const prof = view.profile;
        if (!view.converged) throw new SaidError(message('export.err.notConverged', { scenario: scenario.scenario, reason: view.reason ?? '—' }));
        if (!prof || prof.points.length < 2)
          throw new SaidError(message('export.err.noPath', { station: scenario.profileStation ?? view.unfavourable?.station ?? '—' }));
        progress.step(1, 2);
        const words: ProfileLabels = labels ?? profileLabels(lang ?? 'zh');
        const page = profilePage(prof, words, 260, 150);
        const out = join(dir, `${stem()}-${t(lang ?? 'zh', 'hyd.hydViewProfile')}-${scenario.scenario}-${prof.station}-${stamp()}.${format}`);
        if (format === 'pdf') await writePdf({ title: profileTitle(prof, words), subject: words.profile, pages: [page] }, out);
        else await writePng(page, dpi ?? 200, out);
        return { files: [out], count: 1 };
      }),
    'export:atlas': (a) =>
      inTemp('export:atlas', a.runId, async (dir, progress) => {
        const out = join(dir, `${stem()}-${t(a.lang ?? 'zh', 'export.atlasFile')}-${stamp()}.pdf`);
        // The basemap the project has chosen, under every community's map.
        const bm = /\.gpkg$/i.test(store.path) ? printBasemapOf(store.path, 'saved') : undefined;
        let r;
        try {
          r = await exportAtlas(
            store.snapshot(),
            out,
            { year, projectFile: store.path, description: describe(store), lang: a.lang, ...(bm?.basemap ? { basemap: bm.basemap, basemapDpi: store.getSettings().basemapPrintDpi } : {}) },
            progress,
          );
        } finally {
          bm?.close();
        }
        return { files: [out], count: r.pages };
      }),
  };
}
