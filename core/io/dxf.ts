/**
 * DXF drawings from the design institute: LINE, LWPOLYLINE and POLYLINE
 * become lines, POINT and INSERT (block references such as valve symbols)
 * become points. The CAD layer name, entity type, handle and block name are
 * kept as fields so they can be mapped (a layer "一级管网" → level primary).
 * Other entities (TEXT, CIRCLE, HATCH…) are counted in the notes.
 */
import DxfParser from 'dxf-parser';
import type { Geometry, Position } from '../model/geojson';
import { ImportRefused, type SourceData, type SourceFeature } from './source';
import { decodeText, isUtf8, normaliseEncoding } from './text';

export const DXF_FIELDS = ['layer', 'entity', 'handle', 'block', 'closed'] as const;

interface DxfVertex {
  x?: number;
  y?: number;
  bulge?: number;
}
interface DxfEntity {
  type?: string;
  layer?: string;
  handle?: string | number;
  vertices?: DxfVertex[];
  position?: DxfVertex;
  name?: string;
  shape?: boolean;
  is3dPolygonMesh?: boolean;
  isPolyfaceMesh?: boolean;
}

/** DXF before AutoCAD 2007 is in the drawing's code page ($DWGCODEPAGE, ANSI_936 = GBK); later ones are UTF-8. */
function dxfEncoding(bytes: Uint8Array, forced: string | undefined): string {
  if (forced) return forced;
  if (isUtf8(bytes)) return 'utf-8';
  const head = decodeText(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)), 'latin1');
  const m = /\$DWGCODEPAGE\s*\r?\n\s*3\s*\r?\n\s*(\S+)/.exec(head);
  return (m && normaliseEncoding(m[1])) ?? 'gbk';
}

export function readDxf(bytes: Uint8Array, fileName: string, opts: { encoding?: string } = {}): SourceData {
  const refuse = (where: string | undefined, reason: string): never => {
    throw new ImportRefused(fileName, where, reason);
  };
  const forced = opts.encoding ? normaliseEncoding(opts.encoding) : undefined;
  if (opts.encoding && !forced) refuse(undefined, `unknown encoding "${opts.encoding}"`);
  if (decodeText(bytes.subarray(0, 22), 'latin1').startsWith('AutoCAD Binary DXF')) {
    refuse(undefined, 'binary DXF is not supported; save the drawing as ASCII DXF');
  }
  const encoding = dxfEncoding(bytes, forced);
  const text = decodeText(bytes, encoding);
  let dxf: { entities?: DxfEntity[] } | null;
  try {
    dxf = new DxfParser().parseSync(text) as { entities?: DxfEntity[] } | null;
  } catch (err) {
    return refuse(undefined, `not a readable DXF (${(err as Error).message})`);
  }
  const entities = dxf?.entities ?? [];
  const features: SourceFeature[] = [];
  const skipped = new Map<string, number>();
  let arcs = 0;
  entities.forEach((e, i) => {
    const type = String(e.type ?? '?');
    const where = `entity ${type} #${i + 1}${typeof e.handle === 'string' ? ` (handle ${e.handle})` : ''}`;
    const pt = (v: DxfVertex | undefined): Position => {
      const x = v?.x;
      const y = v?.y;
      if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
        return refuse(where, 'a vertex has no valid x/y coordinate');
      }
      return [x, y];
    };
    let geometry: Geometry;
    let closed = false;
    switch (type) {
      case 'LINE':
      case 'LWPOLYLINE':
      case 'POLYLINE': {
        if (e.is3dPolygonMesh || e.isPolyfaceMesh) {
          skipped.set(`${type} mesh`, (skipped.get(`${type} mesh`) ?? 0) + 1);
          return;
        }
        const vs = e.vertices ?? [];
        if (vs.length < 2) refuse(where, `a line needs at least 2 vertices, this one has ${vs.length}`);
        const coords = vs.map(pt);
        if (vs.some((v) => v.bulge)) arcs++;
        closed = !!e.shape;
        if (closed && (coords[0][0] !== coords.at(-1)![0] || coords[0][1] !== coords.at(-1)![1])) coords.push(coords[0]);
        geometry = { type: 'LineString', coordinates: coords };
        break;
      }
      case 'POINT':
      case 'INSERT':
        geometry = { type: 'Point', coordinates: pt(e.position) };
        break;
      default:
        skipped.set(type, (skipped.get(type) ?? 0) + 1);
        return;
    }
    features.push({
      geometry,
      properties: {
        layer: e.layer ?? null,
        entity: type,
        handle: typeof e.handle === 'string' ? e.handle : null,
        block: type === 'INSERT' ? (e.name ?? null) : null,
        closed,
      },
      where,
    });
  });
  const skippedText = [...skipped].map(([t, n]) => `${n} ${t}`).join(', ');
  if (features.length === 0) {
    refuse(
      undefined,
      `no usable entities (LINE, LWPOLYLINE, POLYLINE, POINT, INSERT)${skippedText ? `; found only ${skippedText}` : '; the drawing is empty'}`,
    );
  }
  const notes: string[] = [];
  if (skippedText) notes.push(`skipped entities the importer does not take: ${skippedText}`);
  if (arcs) notes.push(`${arcs} polylines have arc segments (bulges); they are imported as straight segments`);
  return { format: 'dxf', fileName, fields: [...DXF_FIELDS], features, encoding, notes };
}
