/**
 * Map, atlas and ledger exports from a project snapshot: the Node side shared
 * by the command line and (later) the app's export dialog.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { ProjectData } from '../../../core/model/project';
import { buildMapSheet, defaultTitle, DEFAULT_ISSUING_UNIT, sheetMapView, type MapSheetOptions } from '../../../core/carto/mapSheet';
import { renderBasemap, type PrintBasemap } from '../basemap/render';
import { buildAtlas } from '../../../core/carto/atlas';
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

export function defaultDataNote(projectFile: string, year: number, description?: string | null): string {
  return `数据来源：项目文件 ${basename(projectFile)}${description ? `（${description}）` : ''}；坐标系 CGCS2000（EPSG:4490）；管线长度按椭球测地线计算，管龄按 ${year} 年计；仅供会议汇报使用。`;
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
    const img = await renderBasemap(o.basemap, view.bbox, px(view.widthMm), px(view.heightMm));
    if (img) basemap = { png: img, attribution: o.basemap.attribution, ...(o.basemap.approvalNumber ? { approvalNumber: o.basemap.approvalNumber } : {}), ...(o.basemap.opacity !== undefined && o.basemap.opacity < 1 ? { opacity: o.basemap.opacity } : {}) };
    progress?.note(img ? `basemap ${px(view.widthMm)} × ${px(view.heightMm)} px at ${dpi} dpi` : 'basemap has no tiles over the map frame');
  }
  const { basemap: _drop, ...sheet } = o;
  void _drop;
  const page = buildMapSheet(data, {
    ...sheet,
    ...(basemap ? { basemap } : {}),
    issuingUnit: o.issuingUnit ?? DEFAULT_ISSUING_UNIT,
    dataNote: o.dataNote ?? defaultDataNote(o.projectFile, o.year, o.description),
    date: o.date ?? today(),
  });
  progress?.note(`${page.commands.length} draw commands, ${o.paper} ${o.orientation}`);
  if (ext === '.png') {
    await writePng(page, o.dpi, out);
    return { format: 'png' };
  }
  await writePdf({ title: o.title ?? defaultTitle(o.theme), subject: '明安图镇供热管网', pages: [page] }, out);
  return { format: 'pdf' };
}

export interface AtlasExportOptions {
  year: number;
  date?: string;
  issuingUnit?: string;
  projectFile: string;
  description?: string | null;
}

export async function exportAtlas(data: ProjectData, out: string, o: AtlasExportOptions, progress?: Progress): Promise<{ pages: number }> {
  const ledger = buildLedger(data, o.year);
  const pages = buildAtlas(data, ledger, {
    year: o.year,
    date: o.date ?? today(),
    issuingUnit: o.issuingUnit ?? DEFAULT_ISSUING_UNIT,
    dataNote: defaultDataNote(o.projectFile, o.year, o.description),
  }, (i, n) => progress?.step(i, n, 'pages laid out'));
  await writePdf({ title: '明安图镇供热管网 一小区一清单 图册', subject: '一小区一清单', pages }, out, (i, n) => progress?.step(i, n, 'pages written'));
  return { pages: pages.length };
}

export async function exportLedger(data: ProjectData, out: string, o: { year: number; date?: string }): Promise<{ files: string[]; sheets: number }> {
  const ledger = buildLedger(data, o.year);
  const ext = extname(out).toLowerCase();
  if (ext === '.csv') return { files: await writeCsv(ledger, out), sheets: ledger.sheets.length };
  await writeXlsx(ledger, out, { title: '明安图镇供热温暖工程台账', date: o.date ?? today() });
  return { files: [out], sheets: ledger.sheets.length };
}

/** Every chart as `<dir>/<chart id>.png` (at `dpi`) and `.svg`; returns the files written. */
export async function exportCharts(data: ProjectData, dir: string, o: { year: number; planYear?: number; dpi: number }): Promise<{ files: string[]; charts: ChartData[] }> {
  await mkdir(dir, { recursive: true });
  const charts = allCharts(data, o.year, o.planYear ?? defaultPlanYear(data, o.year));
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
