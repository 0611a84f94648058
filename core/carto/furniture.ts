/** Map furniture in page millimetres: north arrow, scale bar, legend rows, wrapped text. */
import { MM_PER_PT, textWidthMm, type DrawCommand } from './displayList';
import { niceScaleBar } from './projection';
import { trimmed } from '../format/number';

export const INK = '#1c2833';
export const MUTED = '#566573';

export function northArrow(cx: number, top: number, size: number): DrawCommand[] {
  const h = size;
  const w = size * 0.42;
  const tipY = top + h * 0.28;
  const baseY = top + h;
  const midY = top + h * 0.78;
  return [
    { kind: 'text', x: cx, y: top, text: 'N', sizePt: (size / MM_PER_PT) * 0.26, color: INK, bold: true, align: 'center', baseline: 'top' },
    { kind: 'polygon', rings: [[cx, tipY, cx - w / 2, baseY, cx, midY]], fill: { color: INK }, stroke: { color: INK, widthMm: 0.2 } },
    { kind: 'polygon', rings: [[cx, tipY, cx + w / 2, baseY, cx, midY]], fill: { color: '#ffffff' }, stroke: { color: INK, widthMm: 0.2 } },
  ];
}

/** Alternating black/white bar of a round length, labelled 0 … half … full, plus the scale ratio. */
export function scaleBar(x: number, y: number, maxMm: number, mmPerM: number, k: number): { commands: DrawCommand[]; height: number } {
  const bar = niceScaleBar(mmPerM, maxMm);
  const segs = 4;
  const segMm = bar.mm / segs;
  const h = 1.6 * k;
  const out: DrawCommand[] = [];
  const top = y + 4.2 * k;
  for (let i = 0; i < segs; i++) {
    out.push({ kind: 'rect', x: x + i * segMm, y: top, w: segMm, h, fill: { color: i % 2 === 0 ? INK : '#ffffff' }, stroke: { color: INK, widthMm: 0.2 * k } });
  }
  const size = 7 * k;
  const fmt = (m: number) => (bar.metres >= 1000 ? trimmed(m / 1000, 3) : trimmed(m, 1));
  out.push({ kind: 'text', x, y: top - 0.6 * k, text: '0', sizePt: size, color: INK, align: 'center', baseline: 'bottom' });
  out.push({ kind: 'text', x: x + bar.mm / 2, y: top - 0.6 * k, text: fmt(bar.metres / 2), sizePt: size, color: INK, align: 'center', baseline: 'bottom' });
  out.push({ kind: 'text', x: x + bar.mm, y: top - 0.6 * k, text: `${fmt(bar.metres)} ${bar.metres >= 1000 ? 'km' : 'm'}`, sizePt: size, color: INK, align: 'center', baseline: 'bottom' });
  return { commands: out, height: 4.2 * k + h };
}

/** Greedy line breaking for mixed Chinese / Latin text within `maxMm`. */
export function wrapText(text: string, sizePt: number, maxMm: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    // Latin words stay whole; each CJK character is its own break opportunity.
    const tokens = para.match(/[A-Za-z0-9_.,:;%()\-/+°×·]+\s*|\s+|./gu) ?? [];
    for (const t of tokens) {
      if (line && textWidthMm(line + t, sizePt) > maxMm) {
        lines.push(line.trimEnd());
        line = t.trimStart();
      } else line += t;
    }
    if (line) lines.push(line.trimEnd());
  }
  return lines;
}

export function textBlock(x: number, y: number, text: string, sizePt: number, maxMm: number, color = INK, lineGap = 1.35): { commands: DrawCommand[]; height: number } {
  const lines = wrapText(text, sizePt, maxMm);
  const lh = sizePt * MM_PER_PT * lineGap;
  return {
    commands: lines.map((l, i) => ({ kind: 'text', x, y: y + i * lh, text: l, sizePt, color, align: 'left', baseline: 'top' }) as DrawCommand),
    height: lines.length * lh,
  };
}

/** Degrees as 115°02′ or 42°17.5′ (half minutes where the step needs them). */
export function formatDM(deg: number, stepMin: number): string {
  const totalMin = Math.round(Math.abs(deg) * 60 * 2) / 2;
  const d = Math.floor(totalMin / 60);
  const m = totalMin - d * 60;
  const mm = stepMin < 1 ? m.toFixed(1).padStart(4, '0') : String(Math.round(m)).padStart(2, '0');
  return `${d}°${mm}′`;
}

/**
 * Longitude / latitude ticks on the inside of a map frame, labelled in
 * degrees and minutes, at a round step giving about `target` ticks across.
 */
export function graticuleTicks(
  bbox: [number, number, number, number],
  frame: { x: number; y: number; w: number; h: number },
  toPage: (p: [number, number]) => [number, number],
  k: number,
  target = 6,
): DrawCommand[] {
  const out: DrawCommand[] = [];
  const steps = [0.5, 1, 2, 5, 10, 15, 30, 60];
  const spanMin = ((bbox[2] - bbox[0]) * 60) / target;
  const step = steps.find((s) => s >= spanMin) ?? 60;
  const tick = 2.2 * k;
  const size = 6.5 * k;
  const style = { color: INK, widthMm: 0.25 * k };
  for (let m = Math.ceil((bbox[0] * 60) / step) * step; m <= bbox[2] * 60; m += step) {
    const [x] = toPage([m / 60, bbox[1]]);
    if (x < frame.x + 8 * k || x > frame.x + frame.w - 8 * k) continue;
    out.push({ kind: 'polyline', points: [x, frame.y, x, frame.y + tick], stroke: style });
    out.push({ kind: 'polyline', points: [x, frame.y + frame.h, x, frame.y + frame.h - tick], stroke: style });
    out.push({ kind: 'text', x, y: frame.y + tick + 0.6 * k, text: `${formatDM(m / 60, step)}E`, sizePt: size, color: MUTED, align: 'center', baseline: 'top', halo: '#ffffff' });
  }
  const spanLat = ((bbox[3] - bbox[1]) * 60) / Math.max(2, Math.round((target * frame.h) / frame.w));
  const stepLat = steps.find((s) => s >= spanLat) ?? 60;
  for (let m = Math.ceil((bbox[1] * 60) / stepLat) * stepLat; m <= bbox[3] * 60; m += stepLat) {
    const [, y] = toPage([bbox[0], m / 60]);
    if (y < frame.y + 8 * k || y > frame.y + frame.h - 8 * k) continue;
    out.push({ kind: 'polyline', points: [frame.x, y, frame.x + tick, y], stroke: style });
    out.push({ kind: 'polyline', points: [frame.x + frame.w, y, frame.x + frame.w - tick, y], stroke: style });
    out.push({ kind: 'text', x: frame.x + tick + 0.8 * k, y, text: `${formatDM(m / 60, stepLat)}N`, sizePt: size, color: MUTED, align: 'left', baseline: 'middle', halo: '#ffffff' });
  }
  return out;
}
