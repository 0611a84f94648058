/**
 * A map sheet over a basemap: the image fills exactly the map frame (clipped
 * to it, under the network), the paper fill is left out so the imagery
 * shows, and the credit with the approval number (审图号) sits in a white box
 * inside the frame. The image covers the box sheetMapView reports.
 */
import { describe, expect, it } from 'vitest';
import { buildMapSheet, sheetMapView } from '../../core/carto/mapSheet';
import { generateSample } from '../../gis-data/generate/index';

const data = generateSample();
const base = { paper: 'A3' as const, orientation: 'landscape' as const, theme: 'age' as const, year: 2026, issuingUnit: 'U', dataNote: 'N', date: '2026-12-06' };

describe('map sheet with a basemap', () => {
  it('draws the image in the map frame before the network, with the credit and approval number on a box', () => {
    const png = new Uint8Array([1, 2, 3]);
    const page = buildMapSheet(data, { ...base, basemap: { png, attribution: '© 天地图 Tianditu', approvalNumber: 'GS(2024)0568号' } });
    const view = sheetMapView(data, base);
    const i = page.commands.findIndex((c) => c.kind === 'image');
    expect(i).toBeGreaterThan(0);
    const img = page.commands[i] as Extract<(typeof page.commands)[number], { kind: 'image' }>;
    expect(img.png).toBe(png);
    expect(img.w).toBeCloseTo(view.widthMm, 6);
    expect(img.h).toBeCloseTo(view.heightMm, 6);
    expect(page.commands[i - 1]).toMatchObject({ kind: 'clip', x: img.x, y: img.y, w: img.w, h: img.h });
    // Every line inside the frame (pipes, streets) is drawn after the image.
    const inside = (c: (typeof page.commands)[number]) =>
      c.kind === 'polyline' && c.points.every((v, k) => (k % 2 === 0 ? v > img.x && v < img.x + img.w : v > img.y && v < img.y + img.h));
    const lines = page.commands.map((c, k) => (inside(c) ? k : -1)).filter((k) => k >= 0);
    expect(lines.length).toBeGreaterThan(1000);
    expect(Math.min(...lines.slice(0, 10))).toBeGreaterThan(i);
    const credit = page.commands.findIndex((c) => c.kind === 'text' && c.text.includes('审图号'));
    expect((page.commands[credit] as { text: string }).text).toBe('底图：© 天地图 Tianditu　审图号：GS(2024)0568号');
    const box = page.commands[credit - 1];
    expect(box).toMatchObject({ kind: 'rect', fill: { color: '#ffffff' } });
    const b = box as { x: number; y: number; w: number; h: number };
    expect(b.x).toBeGreaterThan(img.x);
    expect(b.x + b.w).toBeLessThanOrEqual(img.x + img.w);
    expect(b.y + b.h).toBeLessThanOrEqual(img.y + img.h);
    // No paper fill over the imagery.
    expect(page.commands.some((c) => c.kind === 'rect' && c.fill?.color === '#fbfbf7')).toBe(false);
  });

  it('without a basemap the frame keeps its paper fill and carries no credit', () => {
    const page = buildMapSheet(data, base);
    expect(page.commands.some((c) => c.kind === 'image')).toBe(false);
    expect(page.commands.some((c) => c.kind === 'rect' && c.fill?.color === '#fbfbf7')).toBe(true);
    expect(page.commands.some((c) => c.kind === 'text' && c.text.startsWith('底图：'))).toBe(false);
  });
});
