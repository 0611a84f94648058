/**
 * Writes a display list as a vector PDF with pdfkit, the CJK font embedded
 * (subset) so Chinese text prints and is searchable / extractable anywhere.
 */
import PDFDocument from 'pdfkit';
import { createWriteStream } from 'node:fs';
import { MM_PER_PT, type DisplayDocument, type DrawCommand, type Fill, type Page, type Stroke } from '../../../core/carto/displayList';
import { findCjkFont } from './font';
import { baselineOffset } from './textMetrics';

const PT_PER_MM = 1 / MM_PER_PT;

type Doc = InstanceType<typeof PDFDocument>;

function applyStroke(doc: Doc, s: Stroke): void {
  doc.lineWidth(s.widthMm).strokeColor(s.color, s.opacity ?? 1);
  doc.lineCap(s.cap ?? 'butt').lineJoin(s.join ?? 'miter');
  if (s.dashMm && s.dashMm.length) doc.dash(s.dashMm.map((d) => Math.max(d, 0.01)) as unknown as number, {}); // pdfkit takes an array; its types lag
  else doc.undash();
}

function paint(doc: Doc, fill: Fill | undefined, stroke: Stroke | undefined, rule: 'even-odd' | 'non-zero' = 'non-zero'): void {
  if (fill && stroke) {
    applyStroke(doc, stroke);
    doc.fillColor(fill.color, fill.opacity ?? 1);
    doc.fillAndStroke(rule);
  } else if (fill) {
    doc.fillColor(fill.color, fill.opacity ?? 1);
    doc.fill(rule);
  } else if (stroke) {
    applyStroke(doc, stroke);
    doc.stroke();
  }
}

function drawText(doc: Doc, c: Extract<DrawCommand, { kind: 'text' }>): void {
  const sizeMm = c.sizePt * MM_PER_PT;
  doc.font(c.bold ? 'cjk-bold' : 'cjk').fontSize(sizeMm);
  const w = doc.widthOfString(c.text);
  const x = c.align === 'center' ? c.x - w / 2 : c.align === 'right' ? c.x - w : c.x;
  const y = c.y + baselineOffset(c.baseline) * sizeMm;
  const opts = { lineBreak: false, baseline: 'alphabetic' as const };
  if (c.halo) {
    doc.save();
    doc.undash().lineJoin('round').lineWidth(sizeMm * 0.22).strokeColor(c.halo, 1);
    doc.text(c.text, x, y, { ...opts, stroke: true, fill: false });
    doc.restore();
  }
  doc.fillColor(c.color, 1);
  doc.text(c.text, x, y, opts);
}

function ringPath(doc: Doc, ring: number[], close: boolean): void {
  if (ring.length < 4) return;
  doc.moveTo(ring[0], ring[1]);
  for (let i = 2; i < ring.length; i += 2) doc.lineTo(ring[i], ring[i + 1]);
  if (close) doc.closePath();
}

function drawPage(doc: Doc, page: Page): void {
  doc.addPage({ size: [page.widthMm * PT_PER_MM, page.heightMm * PT_PER_MM], margin: 0 });
  doc.save();
  // Everything below is in millimetres, like the display list.
  doc.scale(PT_PER_MM);
  if (page.background) doc.rect(0, 0, page.widthMm, page.heightMm).fill(page.background);
  let clips = 0;
  for (const c of page.commands) {
    switch (c.kind) {
      case 'polyline':
        if (c.points.length < 4) break;
        ringPath(doc, c.points, false);
        applyStroke(doc, c.stroke);
        doc.stroke();
        break;
      case 'polygon':
        for (const r of c.rings) ringPath(doc, r, true);
        paint(doc, c.fill, c.stroke, 'even-odd');
        break;
      case 'circle':
        doc.circle(c.x, c.y, c.rMm);
        paint(doc, c.fill, c.stroke);
        break;
      case 'rect':
        doc.rect(c.x, c.y, c.w, c.h);
        paint(doc, c.fill, c.stroke);
        break;
      case 'text':
        drawText(doc, c);
        break;
      case 'image':
        doc.save();
        if (c.opacity !== undefined) doc.opacity(c.opacity);
        doc.image(Buffer.from(c.png), c.x, c.y, { width: c.w, height: c.h });
        doc.restore();
        break;
      case 'clip':
        doc.save();
        doc.rect(c.x, c.y, c.w, c.h).clip();
        clips++;
        break;
      case 'unclip':
        if (clips > 0) {
          doc.restore();
          clips--;
        }
        break;
    }
  }
  while (clips-- > 0) doc.restore();
  doc.restore();
}

export interface PdfProgress {
  (done: number, total: number): void;
}

/** Render the document to a PDF file; resolves when the file is closed. */
export async function writePdf(docData: DisplayDocument, outPath: string, onPage?: PdfProgress): Promise<void> {
  const font = findCjkFont();
  const doc = new PDFDocument({
    autoFirstPage: false,
    margin: 0,
    compress: true,
    info: { Title: docData.title, Author: docData.author ?? 'WarmNet', Subject: docData.subject ?? '', Creator: 'WarmNet' },
    displayTitle: true,
  } as PDFKit.PDFDocumentOptions);
  doc.registerFont('cjk', font.path, font.postscriptName as string);
  if (font.boldPath) doc.registerFont('cjk-bold', font.boldPath, font.boldPostscriptName as string);
  else doc.registerFont('cjk-bold', font.path, font.postscriptName as string);
  const out = createWriteStream(outPath);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', () => resolve());
    out.on('error', reject);
    doc.on('error', reject);
  });
  // a write error while the loop below yields is reported by `await done`, not as an unhandled rejection
  done.catch(() => undefined);
  doc.pipe(out);
  for (const [i, p] of docData.pages.entries()) {
    drawPage(doc, p);
    onPage?.(i + 1, docData.pages.length);
    // Let the event loop breathe between pages: the app's backend (Electron main, browser mode)
    // keeps answering and its progress events reach the renderer during a long atlas.
    if (docData.pages.length > 1) await new Promise<void>((ok) => setImmediate(ok));
  }
  doc.end();
  await done;
}
