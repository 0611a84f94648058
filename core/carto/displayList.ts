/**
 * A renderer-neutral description of a printed page: everything in
 * millimetres from the page's top-left corner, y downwards. The PDF, PNG and
 * SVG writers in electron/backend/export draw exactly these commands, so
 * what a test finds in the list is what lands on paper.
 */

export interface Stroke {
  color: string;
  widthMm: number;
  /** Dash pattern in mm (on, off, …); absent = solid. */
  dashMm?: number[];
  cap?: 'butt' | 'round' | 'square';
  join?: 'miter' | 'round' | 'bevel';
  opacity?: number;
}

export interface Fill {
  color: string;
  opacity?: number;
}

export type TextAlign = 'left' | 'center' | 'right';
export type TextBaseline = 'top' | 'middle' | 'bottom';

export type DrawCommand =
  /** Open polyline; points are x0,y0,x1,y1,… in mm. */
  | { kind: 'polyline'; points: number[]; stroke: Stroke }
  /** Closed polygon with holes (even-odd); each ring is x0,y0,x1,y1,… in mm. */
  | { kind: 'polygon'; rings: number[][]; fill?: Fill; stroke?: Stroke }
  | { kind: 'circle'; x: number; y: number; rMm: number; fill?: Fill; stroke?: Stroke }
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill?: Fill; stroke?: Stroke }
  | {
      kind: 'text';
      x: number;
      y: number;
      text: string;
      /** Font size in typographic points (1 pt = 25.4/72 mm). */
      sizePt: number;
      color: string;
      bold?: boolean;
      align?: TextAlign;
      baseline?: TextBaseline;
      /** Light outline behind the glyphs so labels stay legible over lines. */
      halo?: string;
    }
  /** A raster image (PNG bytes) stretched over the rectangle: the basemap of a map frame. */
  | { kind: 'image'; x: number; y: number; w: number; h: number; png: Uint8Array; opacity?: number }
  /** Following commands are clipped to this rectangle until the matching `unclip`. */
  | { kind: 'clip'; x: number; y: number; w: number; h: number }
  | { kind: 'unclip' };

export interface Page {
  widthMm: number;
  heightMm: number;
  /** Page background; white when absent. */
  background?: string;
  commands: DrawCommand[];
}

/** A document of one or more pages plus what PDF metadata needs. */
export interface DisplayDocument {
  title: string;
  author?: string;
  subject?: string;
  pages: Page[];
}

export const MM_PER_PT = 25.4 / 72;

/**
 * Approximate advance width of a string in mm, for layout in pure code
 * where no font metrics are available: CJK ideographs and full-width forms
 * are one em, everything else a little over half an em. Layouts leave slack
 * for the difference.
 */
export function textWidthMm(text: string, sizePt: number): number {
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0x2e80 && c <= 0x9fff) em += 1;
    else if (c >= 0xff00 && c <= 0xffef) em += 1;
    else if (c >= 0x3000 && c <= 0x303f) em += 1;
    else if (ch === ' ') em += 0.3;
    else if (/[0-9]/.test(ch)) em += 0.56;
    else if (/[A-Z]/.test(ch)) em += 0.66;
    else em += 0.55;
  }
  return em * sizePt * MM_PER_PT;
}

/** Cut a string to fit `maxMm`, ending with an ellipsis when shortened. */
export function fitText(text: string, sizePt: number, maxMm: number): string {
  if (textWidthMm(text, sizePt) <= maxMm) return text;
  const chars = [...text];
  while (chars.length > 0 && textWidthMm(chars.join('') + '…', sizePt) > maxMm) chars.pop();
  return chars.join('') + '…';
}
