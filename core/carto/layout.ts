/** Paper sizes and the division of a map sheet into title, map frame and side panel, in mm. */
import type { Frame } from './projection';
import { clamp } from '../format/number';

export const PAPERS = { A4: [210, 297], A3: [297, 420] } as const;
export type Paper = keyof typeof PAPERS;
export type Orientation = 'landscape' | 'portrait';

export function isPaper(v: string): v is Paper {
  return v === 'A4' || v === 'A3';
}

export function pageSizeMm(paper: Paper, orientation: Orientation): { w: number; h: number } {
  const [a, b] = PAPERS[paper];
  return orientation === 'landscape' ? { w: b, h: a } : { w: a, h: b };
}

/** Pixel size of a page at `dpi`, rounded the way print drivers do (A3 at 300 dpi → 4961 × 3508). */
export function pagePixels(widthMm: number, heightMm: number, dpi: number): { width: number; height: number } {
  return { width: Math.round((widthMm / 25.4) * dpi), height: Math.round((heightMm / 25.4) * dpi) };
}

export interface SheetLayout {
  w: number;
  h: number;
  /** Size factor for type and line widths: 1 on A3, smaller on A4. */
  k: number;
  margin: number;
  border: Frame;
  title: Frame;
  map: Frame;
  panel: Frame;
  /** Side panel stacks blocks in one column (landscape) or several (portrait). */
  panelColumns: number;
}

export function sheetLayout(paper: Paper, orientation: Orientation): SheetLayout {
  const { w, h } = pageSizeMm(paper, orientation);
  const k = Math.min(w, h) / 297;
  const margin = 10 * Math.max(k, 0.8);
  const border: Frame = { x: margin, y: margin, w: w - 2 * margin, h: h - 2 * margin };
  const pad = 4 * k;
  const titleH = 22 * k;
  const title: Frame = { x: border.x, y: border.y, w: border.w, h: titleH };
  const top = border.y + titleH;
  if (orientation === 'landscape') {
    const panelW = clamp(0.2 * w, 62, 92);
    const panel: Frame = { x: border.x + border.w - panelW, y: top, w: panelW, h: border.y + border.h - top };
    const map: Frame = { x: border.x + pad, y: top + pad, w: border.w - panelW - 2 * pad, h: panel.h - 2 * pad };
    return { w, h, k, margin, border, title, map, panel, panelColumns: 1 };
  }
  const panelH = Math.max(0.21 * h, 56);
  const panel: Frame = { x: border.x, y: border.y + border.h - panelH, w: border.w, h: panelH };
  const map: Frame = { x: border.x + pad, y: top + pad, w: border.w - 2 * pad, h: border.h - titleH - panelH - 2 * pad };
  return { w, h, k, margin, border, title, map, panel, panelColumns: 3 };
}
