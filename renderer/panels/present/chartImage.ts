/**
 * Charts in the app: the same display list as the exported files (core/carto/chart.ts)
 * as inline SVG, and as a PNG download rasterised by the browser at a chosen dpi.
 */
import { chartPage } from '../../../core/carto/chart';
import { pageToSvg } from '../../../core/carto/svg';
import { pagePixels } from '../../../core/carto/layout';
import type { ChartData } from '../../../core/plan/charts';

export function chartSvg(chart: ChartData): { svg: string; widthMm: number; heightMm: number } {
  const page = chartPage(chart);
  return { svg: pageToSvg(page), widthMm: page.widthMm, heightMm: page.heightMm };
}

/** PNG bytes of a chart at `dpi` (the browser draws the SVG into a canvas of the exact pixel size). */
export async function chartPng(chart: ChartData, dpi = 200): Promise<Blob> {
  const { svg, widthMm, heightMm } = chartSvg(chart);
  const { width, height } = pagePixels(widthMm, heightMm, dpi);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image(width, height);
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('chart image failed to load'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function download(blob: Blob, fileName: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
