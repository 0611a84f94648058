/**
 * DXF drawings from the design institute: LINE, LWPOLYLINE and POLYLINE
 * become lines, POINT and INSERT (block references such as valve symbols)
 * become points. The CAD layer name, entity type, handle, block name and
 * block attributes (ATTRIB tag → value) are kept as fields so they can be
 * mapped (a layer "一级管网" → level primary).
 *
 * A small reader of its own rather than dxf-parser: that library loops
 * forever on some damaged files (group codes out of step after a lost
 * line), and an import must refuse such a file, not hang. This one makes a
 * single pass over the group-code pairs and checks each.
 */
import type { Geometry, Position } from '../model/geojson';
import { ImportRefused, type SourceData, type SourceFeature } from './source';
import { decodeText, isUtf8, normaliseEncoding } from './text';

export const DXF_FIELDS = ['layer', 'entity', 'handle', 'block', 'closed'] as const;

/** DXF before AutoCAD 2007 is in the drawing's code page ($DWGCODEPAGE, ANSI_936 = GBK); later ones are UTF-8. */
function dxfEncoding(bytes: Uint8Array, forced: string | undefined): string {
  if (forced) return forced;
  if (isUtf8(bytes)) return 'utf-8';
  const head = decodeText(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)), 'latin1');
  const m = /\$DWGCODEPAGE\s*\r?\n\s*3\s*\r?\n\s*(\S+)/.exec(head);
  return (m && normaliseEncoding(m[1])) ?? 'gbk';
}

interface Group {
  code: number;
  value: string;
  line: number;
}

/** One entity: its type, the line it starts on, and its group codes in order. */
interface RawEntity {
  type: string;
  line: number;
  groups: Group[];
}

// AutoCAD writes non-ASCII text in older DXF as \U+XXXX escapes.
const unescape = (s: string) => s.replace(/\\U\+([0-9A-Fa-f]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

function groupPairs(text: string, refuse: (where: string | undefined, reason: string) => never): Group[] {
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const groups: Group[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const t = lines[i].trim();
    if (!/^-?\d{1,4}$/.test(t)) refuse(`line ${i + 1}`, `group code "${t.slice(0, 20)}" is not a number (damaged DXF)`);
    groups.push({ code: Number(t), value: lines[i + 1].trim(), line: i + 1 });
  }
  if (lines.length % 2 === 1) refuse(`line ${lines.length}`, 'a group code without its value (truncated DXF)');
  return groups;
}

/** The entities of the ENTITIES section, with POLYLINE vertices and INSERT attributes folded in. */
function entitiesOf(groups: Group[], refuse: (where: string | undefined, reason: string) => never): RawEntity[] {
  let i = 0;
  let inEntities = false;
  let sawEntities = false;
  let sawEof = false;
  const entities: RawEntity[] = [];
  while (i < groups.length) {
    const g = groups[i];
    if (g.code !== 0) {
      i++;
      continue;
    }
    if (g.value === 'EOF') {
      sawEof = true;
      break;
    }
    if (g.value === 'SECTION') {
      const name = groups[i + 1];
      inEntities = name?.code === 2 && name.value === 'ENTITIES';
      sawEntities ||= inEntities;
      i += 2;
      continue;
    }
    if (g.value === 'ENDSEC') {
      inEntities = false;
      i++;
      continue;
    }
    // Collect this entity's groups up to the next code 0.
    const start = i;
    i++;
    const own: Group[] = [];
    while (i < groups.length && groups[i].code !== 0) own.push(groups[i++]);
    if (!inEntities) continue;
    const entity: RawEntity = { type: g.value.toUpperCase(), line: g.line, groups: own };
    if (entity.type === 'VERTEX' || entity.type === 'ATTRIB') {
      const owner = entities[entities.length - 1];
      if (!owner || (owner.type !== 'POLYLINE' && owner.type !== 'INSERT')) {
        refuse(`line ${groups[start].line}`, `${entity.type} outside a POLYLINE or INSERT (damaged DXF)`);
      }
      owner.groups.push({ code: -1, value: entity.type, line: g.line }, ...own);
      continue;
    }
    if (entity.type === 'SEQEND') continue;
    entities.push(entity);
  }
  if (!sawEof) refuse(undefined, 'no EOF marker (truncated DXF)');
  if (!sawEntities) refuse(undefined, 'no ENTITIES section');
  return entities;
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
  if (text.includes('\0')) refuse(undefined, 'not a text DXF (contains NUL bytes)');
  const entities = entitiesOf(groupPairs(text, refuse), refuse);

  const features: SourceFeature[] = [];
  const fields = new Set<string>(DXF_FIELDS);
  const skipped = new Map<string, number>();
  let arcs = 0;
  entities.forEach((e, n) => {
    const handle = e.groups.find((g) => g.code === 5)?.value;
    const where = `entity ${e.type} #${n + 1}${handle ? ` (handle ${handle})` : ''} at line ${e.line}`;
    const num = (g: Group): number => {
      const v = Number(g.value);
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(g.value) || !Number.isFinite(v)) {
        refuse(where, `group ${g.code} at line ${g.line}: "${g.value.slice(0, 20)}" is not a number`);
      }
      return v;
    };
    const first = (code: number) => e.groups.find((g) => g.code === code);
    const layer = unescape(first(8)?.value ?? '0');
    const flags = first(70) ? num(first(70)!) : 0;
    const point = (xCode: number): Position => {
      const x = first(xCode);
      const y = first(xCode + 10);
      if (!x || !y) return refuse(where, `no ${xCode}/${xCode + 10} coordinate`);
      return [num(x), num(y)];
    };
    let geometry: Geometry;
    let closed = false;
    const extra: Record<string, unknown> = {};
    switch (e.type) {
      case 'LINE':
        geometry = { type: 'LineString', coordinates: [point(10), point(11)] };
        break;
      case 'LWPOLYLINE': {
        const xs = e.groups.filter((g) => g.code === 10);
        const ys = e.groups.filter((g) => g.code === 20);
        if (xs.length !== ys.length) refuse(where, `${xs.length} x values but ${ys.length} y values`);
        const declared = first(90);
        if (declared && num(declared) !== xs.length) refuse(where, `says ${declared.value} vertices, has ${xs.length}`);
        if (xs.length < 2) refuse(where, `a line needs at least 2 vertices, this one has ${xs.length}`);
        const coords = xs.map((x, k) => [num(x), num(ys[k])] as Position);
        if (e.groups.some((g) => g.code === 42 && Number(g.value) !== 0)) arcs++;
        closed = (flags & 1) === 1;
        geometry = { type: 'LineString', coordinates: coords };
        break;
      }
      case 'POLYLINE': {
        if (flags & (16 | 64)) {
          skipped.set('POLYLINE mesh', (skipped.get('POLYLINE mesh') ?? 0) + 1);
          return;
        }
        const coords: Position[] = [];
        let current: { x?: Group; y?: Group } | null = null;
        const flush = () => {
          if (!current) return;
          if (!current.x || !current.y) refuse(where, 'a VERTEX has no 10/20 coordinate');
          coords.push([num(current.x!), num(current.y!)]);
        };
        for (const g of e.groups) {
          if (g.code === -1 && g.value === 'VERTEX') {
            flush();
            current = {};
          } else if (current && g.code === 10) current.x = g;
          else if (current && g.code === 20) current.y = g;
          else if (current && g.code === 42 && Number(g.value) !== 0) arcs++;
        }
        flush();
        if (coords.length < 2) refuse(where, `a line needs at least 2 vertices, this one has ${coords.length}`);
        closed = (flags & 1) === 1;
        geometry = { type: 'LineString', coordinates: coords };
        break;
      }
      case 'POINT':
        geometry = { type: 'Point', coordinates: point(10) };
        break;
      case 'INSERT': {
        geometry = { type: 'Point', coordinates: point(10) };
        // Block attributes: tag (2) then value (1) inside each ATTRIB.
        let tag: string | undefined;
        let inAttrib = false;
        for (const g of e.groups) {
          if (g.code === -1) inAttrib = g.value === 'ATTRIB';
          else if (inAttrib && g.code === 2) tag = unescape(g.value);
          else if (inAttrib && g.code === 1 && tag) extra[tag] = unescape(g.value);
        }
        for (const t of Object.keys(extra)) fields.add(t);
        break;
      }
      default:
        skipped.set(e.type, (skipped.get(e.type) ?? 0) + 1);
        return;
    }
    if (closed && geometry.type === 'LineString') {
      const c = geometry.coordinates;
      if (c[0][0] !== c[c.length - 1][0] || c[0][1] !== c[c.length - 1][1]) c.push(c[0]);
    }
    const blockName = e.type === 'INSERT' ? e.groups.find((g) => g.code === 2)?.value : undefined;
    features.push({
      geometry,
      properties: {
        ...extra,
        layer,
        entity: e.type,
        handle: handle ?? null,
        block: blockName !== undefined ? unescape(blockName) : null,
        closed,
      },
      where,
    });
  });
  const skippedText = [...skipped].map(([t, k]) => `${k} ${t}`).join(', ');
  if (features.length === 0) {
    refuse(
      undefined,
      `no usable entities (LINE, LWPOLYLINE, POLYLINE, POINT, INSERT)${skippedText ? `; found only ${skippedText}` : '; the drawing is empty'}`,
    );
  }
  const notes: string[] = [];
  if (skippedText) notes.push(`skipped entities the importer does not take: ${skippedText}`);
  if (arcs) notes.push(`${arcs} polylines have arc segments (bulges); they are imported as straight segments`);
  return { format: 'dxf', fileName, fields: [...fields], features, encoding, notes };
}
