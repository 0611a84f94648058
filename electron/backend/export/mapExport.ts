/**
 * Map, atlas and ledger exports from a project snapshot: the Node side shared
 * by the command line and (later) the app's export dialog.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { ProjectData } from '../../../core/model/project';
import { buildMapSheet, defaultIssuingUnit, defaultTitle, sheetMapView, type MapSheetOptions } from '../../../core/carto/mapSheet';
import { t, type Lang } from '../../../core/i18n';
import { renderBasemap, type PrintBasemap } from '../basemap/render';
import { atlasMapViews, buildAtlas } from '../../../core/carto/atlas';
import { buildLedger } from '../../../core/plan/ledger';
import { allCharts, defaultPlanYear, type ChartData } from '../../../core/plan/charts';

export { defaultPlanYear };
import { chartPage } from '../../../core/carto/chart';
import { pageToSvg } from '../../../core/carto/svg';
import { writePdf } from './pdf';
import { writePng } from './png';
import { writeCsv, writeXlsx } from './ledgerFiles';
import type { Progress } from './progress';

export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function defaultDataNote(projectFile: string, year: number, description?: string | null, lang: Lang = 'zh'): string {
  return t(lang, 'export.dataNote', { file: basename(projectFile), desc: description ? t(lang, 'export.dataNoteDesc', { d: description }) : '', year });
}

export type MapExportOptions = Omit<MapSheetOptions, 'issuingUnit' | 'dataNote' | 'date' | 'basemap'> & {
  /** The basemap drawn under the network (tiles, attribution, approval number). */
  basemap?: PrintBasemap;
  /** Resolution of the basemap image in a PDF (a PNG uses its own dpi). */
  basemapDpi?: number;
  dpi: number;
  issuingUnit?: string;
  dataNote?: string;
  date?: string;
  projectFile: string;
  /** The project's description (gpkg_contents), e.g. 示例数据，非实测. */
  description?: string | null;
};

/** Write a map sheet as .pdf or .png (by the output's extension). */
export async function exportMap(data: ProjectData, out: string, o: MapExportOptions, progress?: Progress): Promise<{ format: 'pdf' | 'png' }> {
  const ext = extname(out).toLowerCase();
  let basemap: MapSheetOptions['basemap'];
  if (o.basemap) {
    const view = sheetMapView(data, o);
    const dpi = ext === '.png' ? o.dpi : (o.basemapDpi ?? 200);
    const px = (mm: number) => Math.max(1, Math.round((mm / 25.4) * dpi));
    const img = await renderBasemap(o.basemap, view.bbox, px(view.widthMm), px(view.heightMm), dpi);
    if (img) basemap = { png: img, attribution: o.basemap.attribution, ...(o.basemap.approvalNumber ? { approvalNumber: o.basemap.approvalNumber } : {}), ...(o.basemap.opacity !== undefined && o.basemap.opacity < 1 ? { opacity: o.basemap.opacity } : {}) };
    progress?.note(img ? `basemap ${px(view.widthMm)} × ${px(view.heightMm)} px at ${dpi} dpi` : 'basemap has no tiles over the map frame');
  }
  const { basemap: _drop, ...sheet } = o;
  void _drop;
  const page = buildMapSheet(data, {
    ...sheet,
    ...(basemap ? { basemap } : {}),
    issuingUnit: o.issuingUnit ?? defaultIssuingUnit(o.lang),
    dataNote: o.dataNote ?? defaultDataNote(o.projectFile, o.year, o.description, o.lang),
    date: o.date ?? today(),
  });
  progress?.note(`${page.commands.length} draw commands, ${o.paper} ${o.orientation}`);
  if (ext === '.png') {
    await writePng(page, o.dpi, out);
    return { format: 'png' };
  }
  await writePdf({ title: o.title ?? defaultTitle(o.theme, o.lang), subject: t(o.lang ?? 'zh', 'sheet.network'), pages: [page] }, out);
  return { format: 'pdf' };
}

export interface AtlasExportOptions {
  /** The basemap drawn under each community's map (tiles, attribution, approval number). */
  basemap?: PrintBasemap;
  /** Its resolution in the PDF (default 200 dpi). */
  basemapDpi?: number;
  year: number;
  date?: string;
  issuingUnit?: string;
  projectFile: string;
  description?: string | null;
  lang?: Lang;
}

export async function exportAtlas(data: ProjectData, out: string, o: AtlasExportOptions, progress?: Progress): Promise<{ pages: number }> {
  const lang = o.lang ?? 'zh';
  const ledger = buildLedger(data, o.year, lang);
  let basemap: Parameters<typeof buildAtlas>[2]['basemap'];
  if (o.basemap) {
    // One image per community map, each of exactly the box its page shows.
    const dpi = o.basemapDpi ?? 200;
    const px = (mm: number) => Math.max(1, Math.round((mm / 25.4) * dpi));
    const views = atlasMapViews(data);
    const images: (Uint8Array | undefined)[] = [];
    for (const [i, v] of views.entries()) {
      images.push(await renderBasemap(o.basemap, v.bbox, px(v.widthMm), px(v.heightMm), dpi));
      progress?.step(i + 1, views.length, 'basemap images');
    }
    progress?.note(`basemap under ${images.filter(Boolean).length} of ${views.length} maps at ${dpi} dpi`);
    basemap = { images, attribution: o.basemap.attribution, ...(o.basemap.approvalNumber ? { approvalNumber: o.basemap.approvalNumber } : {}), ...(o.basemap.opacity !== undefined && o.basemap.opacity < 1 ? { opacity: o.basemap.opacity } : {}) };
  }
  const pages = buildAtlas(data, ledger, {
    year: o.year,
    date: o.date ?? today(),
    issuingUnit: o.issuingUnit ?? defaultIssuingUnit(lang),
    dataNote: defaultDataNote(o.projectFile, o.year, o.description, lang),
    lang,
    ...(basemap ? { basemap } : {}),
  }, (i, n) => progress?.step(i, n, 'pages laid out'));
  await writePdf({ title: t(lang, 'export.atlasTitle'), subject: t(lang, 'export.atlasSubject'), pages }, out, (i, n) => progress?.step(i, n, 'pages written'));
  return { pages: pages.length };
}

export async function exportLedger(data: ProjectData, out: string, o: { year: number; date?: string; lang?: Lang }): Promise<{ files: string[]; sheets: number }> {
  const lang = o.lang ?? 'zh';
  const ledger = buildLedger(data, o.year, lang);
  const ext = extname(out).toLowerCase();
  if (ext === '.csv') return { files: await writeCsv(ledger, out, lang), sheets: ledger.sheets.length };
  await writeXlsx(ledger, out, { title: t(lang, 'export.ledgerTitle'), date: o.date ?? today(), lang });
  return { files: [out], sheets: ledger.sheets.length };
}

/** Every chart as `<dir>/<chart id>.png` (at `dpi`) and `.svg`; returns the files written. */
export async function exportCharts(data: ProjectData, dir: string, o: { year: number; planYear?: number; dpi: number; lang?: Lang }): Promise<{ files: string[]; charts: ChartData[] }> {
  await mkdir(dir, { recursive: true });
  const charts = allCharts(data, o.year, o.planYear ?? defaultPlanYear(data, o.year), o.lang);
  const files: string[] = [];
  for (const chart of charts) {
    const page = chartPage(chart);
    const png = join(dir, `${chart.id}.png`);
    await writePng(page, o.dpi, png);
    const svg = join(dir, `${chart.id}.svg`);
    await writeFile(svg, pageToSvg(page), 'utf8');
    files.push(png, svg);
  }
  return { files, charts };
}
