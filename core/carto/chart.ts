/**
 * Charts as display-list pages (so the PNG, SVG and PDF writers draw them
 * like maps): stacked vertical bars for categories over time or level,
 * horizontal bars for named stations, with value labels, reference lines and
 * a legend.
 */
import type { ChartData } from '../plan/charts';
import { fitText, textWidthMm, type DrawCommand, type Page } from './displayList';
import { INK, MUTED } from './furniture';
import { maxOf, pushAll } from '../arrays';
import { clamp, compact } from '../format/number';

/** A round axis maximum and tick step at or above `max`. */
export function niceAxis(max: number, ticks = 5): { max: number; step: number } {
  if (!(max > 0)) return { max: 1, step: 0.2 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  return { max: Math.ceil(max / step - 1e-9) * step, step };
}


function legend(chart: ChartData, x: number, y: number, maxX: number): DrawCommand[] {
  const out: DrawCommand[] = [];
  if (chart.series.length < 2 && !chart.cumulative) return out;
  let cx = x;
  const item = (draw: DrawCommand, label: string) => {
    const w = 6 + textWidthMm(label, 8) + 4;
    if (cx + w > maxX) return;
    out.push(draw, { kind: 'text', x: cx + 5, y, text: label, sizePt: 8, color: INK, baseline: 'middle' });
    cx += w;
  };
  for (const s of chart.series) item({ kind: 'rect', x: cx, y: y - 1.6, w: 3.2, h: 3.2, fill: { color: s.color } }, s.label);
  if (chart.cumulative) item({ kind: 'polyline', points: [cx, y, cx + 3.6, y], stroke: { color: chart.cumulative.color, widthMm: 0.6 } }, chart.cumulative.label);
  return out;
}

export function chartPage(chart: ChartData, widthMm = 180): Page {
  const horizontal = chart.id === 'station-load';
  const height = horizontal ? Math.max(100, 34 + chart.categories.length * 6.5) : 110;
  const cmds: DrawCommand[] = [];
  cmds.push({ kind: 'text', x: 6, y: 5, text: chart.title, sizePt: 12, color: INK, bold: true, baseline: 'top' });
  pushAll(cmds, legend(chart, 8, 15, widthMm - 6));
  if (chart.note) cmds.push({ kind: 'text', x: widthMm - 6, y: 6, text: chart.note, sizePt: 8, color: MUTED, align: 'right', baseline: 'top' });

  const n = chart.categories.length;
  const totals = chart.categories.map((_, i) => chart.series.reduce((s, se) => s + (se.values[i] ?? 0), 0));
  const refMax = Math.max(0, maxOf((chart.references ?? []).map((r) => r.value)), maxOf(chart.cumulative?.values ?? []));
  const axis = niceAxis(Math.max(maxOf(totals), refMax, 0) * 1.08);

  if (horizontal) {
    const labelW = clamp(maxOf(chart.categories.map((c) => textWidthMm(c, 8) + 3)), 18, 45);
    const plot = { x: 6 + labelW, y: 22, w: widthMm - 12 - labelW - 12, h: height - 34 };
    const slot = n ? plot.h / n : plot.h;
    const sx = (v: number) => plot.x + (v / axis.max) * plot.w;
    for (let t = 0; t <= axis.max + 1e-9; t += axis.step) {
      cmds.push({ kind: 'polyline', points: [sx(t), plot.y, sx(t), plot.y + plot.h], stroke: { color: '#e5e8eb', widthMm: 0.2 } });
      cmds.push({ kind: 'text', x: sx(t), y: plot.y + plot.h + 1.5, text: compact(t), sizePt: 7.5, color: MUTED, align: 'center', baseline: 'top' });
    }
    chart.categories.forEach((c, i) => {
      const y = plot.y + i * slot + slot * 0.18;
      const h = slot * 0.64;
      const v = totals[i];
      cmds.push({ kind: 'rect', x: plot.x, y, w: Math.max(sx(v) - plot.x, 0.2), h, fill: { color: chart.barColors?.[i] ?? chart.series[0]?.color ?? INK } });
      cmds.push({ kind: 'text', x: plot.x - 1.5, y: y + h / 2, text: fitText(c, 8, labelW - 2), sizePt: 8, color: INK, align: 'right', baseline: 'middle', data: chart.categoriesAreData });
      cmds.push({ kind: 'text', x: sx(v) + 1.2, y: y + h / 2, text: compact(v), sizePt: 7.5, color: INK, baseline: 'middle' });
    });
    // Reference labels alternate above the plot, right and left of their line, so close lines stay readable.
    (chart.references ?? []).forEach((r, i) => {
      cmds.push({ kind: 'polyline', points: [sx(r.value), plot.y - 2, sx(r.value), plot.y + plot.h], stroke: { color: r.color, widthMm: 0.4, dashMm: [1.5, 1] } });
      cmds.push({ kind: 'text', x: sx(r.value) + (i % 2 === 0 ? 1 : -1), y: plot.y - 2.2, text: r.label, sizePt: 7, color: r.color, align: i % 2 === 0 ? 'left' : 'right', baseline: 'bottom' });
    });
    cmds.push({ kind: 'polyline', points: [plot.x, plot.y, plot.x, plot.y + plot.h], stroke: { color: INK, widthMm: 0.3 } });
    return { widthMm, heightMm: height, commands: cmds };
  }

  const plot = { x: 18, y: 24, w: widthMm - 26, h: height - 24 - 14 };
  const sy = (v: number) => plot.y + plot.h - (v / axis.max) * plot.h;
  for (let t = 0; t <= axis.max + 1e-9; t += axis.step) {
    cmds.push({ kind: 'polyline', points: [plot.x, sy(t), plot.x + plot.w, sy(t)], stroke: { color: '#e5e8eb', widthMm: 0.2 } });
    cmds.push({ kind: 'text', x: plot.x - 1.5, y: sy(t), text: compact(t), sizePt: 7.5, color: MUTED, align: 'right', baseline: 'middle' });
  }
  cmds.push({ kind: 'text', x: plot.x - 1.5, y: plot.y - 4, text: chart.unit, sizePt: 7.5, color: MUTED, align: 'right', baseline: 'bottom' });
  const slot = n ? plot.w / n : plot.w;
  const barW = Math.min(slot * 0.62, 28);
  chart.categories.forEach((c, i) => {
    const x = plot.x + i * slot + (slot - barW) / 2;
    let base = 0;
    for (const s of chart.series) {
      const v = s.values[i] ?? 0;
      if (v > 0) cmds.push({ kind: 'rect', x, y: sy(base + v), w: barW, h: sy(base) - sy(base + v), fill: { color: s.color } });
      base += v;
    }
    if (totals[i] > 0) cmds.push({ kind: 'text', x: x + barW / 2, y: sy(totals[i]) - 1, text: compact(totals[i]), sizePt: 7.5, color: INK, align: 'center', baseline: 'bottom' });
    cmds.push({ kind: 'text', x: x + barW / 2, y: plot.y + plot.h + 1.5, text: fitText(c, 7.5, slot), sizePt: 7.5, color: INK, align: 'center', baseline: 'top', data: chart.categoriesAreData });
  });
  if (chart.cumulative) {
    const pts: number[] = [];
    chart.cumulative.values.forEach((v, i) => pts.push(plot.x + i * slot + slot / 2, sy(v)));
    cmds.push({ kind: 'polyline', points: pts, stroke: { color: chart.cumulative.color, widthMm: 0.6, join: 'round' } });
    for (let i = 0; i < pts.length; i += 2) cmds.push({ kind: 'circle', x: pts[i], y: pts[i + 1], rMm: 0.7, fill: { color: chart.cumulative.color } });
  }
  for (const r of chart.references ?? []) {
    cmds.push({ kind: 'polyline', points: [plot.x, sy(r.value), plot.x + plot.w, sy(r.value)], stroke: { color: r.color, widthMm: 0.4, dashMm: [1.5, 1] } });
    cmds.push({ kind: 'text', x: plot.x + plot.w, y: sy(r.value) - 0.8, text: r.label, sizePt: 7, color: r.color, align: 'right', baseline: 'bottom' });
  }
  cmds.push({ kind: 'polyline', points: [plot.x, plot.y + plot.h, plot.x + plot.w, plot.y + plot.h], stroke: { color: INK, widthMm: 0.3 } });
  return { widthMm, heightMm: height, commands: cmds };
}
