/**
 * Where the alphabetic baseline sits for each vertical alignment, as a
 * fraction of the font size. Fixed from the ideographic em box (0.88 above,
 * 0.12 below the baseline) rather than a font's own ascender, so the PDF,
 * PNG and SVG (core/carto/svg.ts) writers place a label identically whatever
 * font they found.
 */
import type { TextBaseline } from '../../../core/carto/displayList';

export function baselineOffset(baseline: TextBaseline | undefined): number {
  switch (baseline) {
    case 'middle':
      return 0.38;
    case 'bottom':
      return -0.12;
    case 'top':
    default:
      return 0.88;
  }
}
