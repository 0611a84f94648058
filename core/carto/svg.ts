/** A display-list page as SVG text (charts in the app, and files for pasting into reports). Pure, so the renderer uses it too. */
import { MM_PER_PT, type DrawCommand, type Fill, type Page, type Stroke, type TextBaseline } from './displayList';

/** Same baseline placement as the PDF and PNG writers (electron/backend/export/textMetrics.ts). */
function baselineOffset(b: TextBaseline | undefined): number {
  return b === 'middle' ? 0.38 : b === 'bottom' ? -0.12 : 0.88;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (v: number) => +v.toFixed(3);

function paintAttrs(fill?: Fill, stroke?: Stroke): string {
  let a = fill ? ` fill="${fill.color}"${fill.opacity !== undefined ? ` fill-opacity="${fill.opacity}"` : ''}` : ' fill="none"';
  if (stroke) {
    a += ` stroke="${stroke.color}" stroke-width="${n(stroke.widthMm)}"`;
    if (stroke.dashMm?.length) a += ` stroke-dasharray="${stroke.dashMm.map(n).join(' ')}"`;
    if (stroke.cap) a += ` stroke-linecap="${stroke.cap}"`;
    if (stroke.join) a += ` stroke-linejoin="${stroke.join}"`;
    if (stroke.opacity !== undefined) a += ` stroke-opacity="${stroke.opacity}"`;
  }
  return a;
}

const pathOf = (pts: number[], close: boolean) => {
  let d = '';
  for (let i = 0; i < pts.length; i += 2) d += `${i ? 'L' : 'M'}${n(pts[i])} ${n(pts[i + 1])}`;
  return close ? d + 'Z' : d;
};

export function pageToSvg(page: Page, fontFamily = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif"): string {
  const parts: string[] = [];
  let clipId = 0;
  let open = 0;
  for (const c of page.commands as DrawCommand[]) {
    switch (c.kind) {
      case 'polyline':
        parts.push(`<path d="${pathOf(c.points, false)}"${paintAttrs(undefined, c.stroke)}/>`);
        break;
      case 'polygon':
        parts.push(`<path fill-rule="evenodd" d="${c.rings.map((r) => pathOf(r, true)).join('')}"${paintAttrs(c.fill, c.stroke)}/>`);
        break;
      case 'circle':
        parts.push(`<circle cx="${n(c.x)}" cy="${n(c.y)}" r="${n(c.rMm)}"${paintAttrs(c.fill, c.stroke)}/>`);
        break;
      case 'rect':
        parts.push(`<rect x="${n(c.x)}" y="${n(c.y)}" width="${n(c.w)}" height="${n(c.h)}"${paintAttrs(c.fill, c.stroke)}/>`);
        break;
      case 'text': {
        const size = c.sizePt * MM_PER_PT;
        const anchor = c.align === 'center' ? 'middle' : c.align === 'right' ? 'end' : 'start';
        const y = c.y + baselineOffset(c.baseline) * size;
        const halo = c.halo ? ` stroke="${c.halo}" stroke-width="${n(size * 0.22)}" paint-order="stroke" stroke-linejoin="round"` : '';
        parts.push(`<text x="${n(c.x)}" y="${n(y)}" font-size="${n(size)}" text-anchor="${anchor}" fill="${c.color}"${c.bold ? ' font-weight="bold"' : ''}${halo}>${esc(c.text)}</text>`);
        break;
      }
      case 'image':
        parts.push(`<image x="${n(c.x)}" y="${n(c.y)}" width="${n(c.w)}" height="${n(c.h)}" preserveAspectRatio="none"${c.opacity !== undefined ? ` opacity="${n(c.opacity)}"` : ''} href="data:image/png;base64,${base64(c.png)}"/>`);
        break;
      case 'clip':
        clipId++;
        parts.push(`<clipPath id="c${clipId}"><rect x="${n(c.x)}" y="${n(c.y)}" width="${n(c.w)}" height="${n(c.h)}"/></clipPath><g clip-path="url(#c${clipId})">`);
        open++;
        break;
      case 'unclip':
        if (open > 0) {
          parts.push('</g>');
          open--;
        }
        break;
    }
  }
  while (open-- > 0) parts.push('</g>');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${page.widthMm}mm" height="${page.heightMm}mm" viewBox="0 0 ${page.widthMm} ${page.heightMm}" font-family="${esc(fontFamily)}">` +
    `<rect width="100%" height="100%" fill="${page.background ?? '#ffffff'}"/>${parts.join('')}</svg>\n`;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Base64 of bytes without Node's Buffer (core has none). */
function base64(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n3 = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += B64[(n3 >> 18) & 63] + B64[(n3 >> 12) & 63] + (i + 1 < b.length ? B64[(n3 >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n3 & 63] : '=');
  }
  return out;
}
