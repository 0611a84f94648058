/**
 * The community atlas: one A4 portrait page per community (一小区一清单)
 * with a map of the community and its ledger — key facts, pipes and their
 * age, incidents, complaints and renovation items — cut to fit the page.
 */
import type { ProjectData } from '../model/project';
import type { BBox } from '../model/geojson';
import type { CommunityLedger, Ledger, LedgerBlock } from '../plan/ledger';
import { communityLedgers } from '../plan/ledger';
import { FEATURE_COLORS } from '../style/palette';
import { fitText, type DrawCommand, type Page } from './displayList';
import { INK, MUTED, northArrow, scaleBar } from './furniture';
import { drawNetwork } from './network';
import { basemapCredit } from './mapSheet';
import { withValidGeometry } from './validGeometry';
import { bboxOfCoords, fitProjection, padBBox, roundScale } from './projection';
import { drawTable, fmtCell, type TableColumn } from './table';
import { pipeTheme } from './themes';
import { t, type Lang } from '../i18n';
import { layerDef } from '../model/schema';
import { pushAll } from '../arrays';
import { clamp, grouped } from '../format/number';

export interface AtlasOptions {
  year: number;
  date: string;
  issuingUnit: string;
  dataNote: string;
  /** Language of the page furniture and the ledger headers; default zh. */
  lang?: Lang;
  /**
   * The basemap under each page's map: one image per page (in buildAtlas's order) of exactly
   * the box atlasMapViews reports, with the credit (and approval number) printed in the frame.
   */
  basemap?: { images: (Uint8Array | undefined)[]; attribution: string; approvalNumber?: string; opacity?: number };
}

const W = 210;
const H = 297;
const M = 12;

function blockColumns(block: LedgerBlock, keep: string[], weights: Record<string, number>): TableColumn[] {
  return block.columns.filter((c) => keep.includes(c.key)).map((c) => ({ ...c, weight: weights[c.key] ?? 1 }));
}

function sectionTitle(x: number, y: number, text: string): DrawCommand[] {
  return [
    { kind: 'rect', x, y: y + 0.6, w: 1.2, h: 3.6, fill: { color: '#b9770e' } },
    { kind: 'text', x: x + 2.6, y, text, sizePt: 10, color: INK, bold: true, baseline: 'top' },
  ];
}

export function atlasPage(data: ProjectData, l: CommunityLedger, blocks: LedgerBlock[], o: AtlasOptions, pageNo: number, pageCount: number): Page {
  const cmds: DrawCommand[] = [];
  const c = l.community;
  const name = String(c.properties.name ?? c.id);
  const contentW = W - 2 * M;
  const lang = o.lang ?? 'zh';

  // Title band.
  cmds.push({ kind: 'text', x: M, y: M, text: `${name}`, sizePt: 17, color: INK, bold: true, baseline: 'top' });
  cmds.push({ kind: 'text', x: M, y: M + 8.5, text: `${t(lang, 'atlas.subtitle', { id: c.id })}${l.station ? ` · ${String(l.station.properties.name ?? l.station.id)}` : ''}`, sizePt: 9, color: MUTED, baseline: 'top' });
  cmds.push({ kind: 'text', x: W - M, y: M + 1, text: t(lang, 'sheet.network'), sizePt: 9, color: MUTED, align: 'right', baseline: 'top' });
  cmds.push({ kind: 'text', x: W - M, y: M + 8.5, text: `${o.date}`, sizePt: 9, color: MUTED, align: 'right', baseline: 'top' });
  cmds.push({ kind: 'polyline', points: [M, M + 14.5, W - M, M + 14.5], stroke: { color: INK, widthMm: 0.5 } });

  // Map of the community, its station kept in view when it is close by; the basemap under it, clipped to the frame.
  const { frame, proj } = communityMap(l);
  const image = o.basemap?.images[pageNo - 1];
  if (image) {
    cmds.push({ kind: 'clip', ...frame });
    cmds.push({ kind: 'image', ...frame, png: image, ...(o.basemap!.opacity !== undefined ? { opacity: o.basemap!.opacity } : {}) });
    cmds.push({ kind: 'unclip' });
  }
  const theme = pipeTheme('age', data.settings, o.year, lang);
  pushAll(cmds, drawNetwork(data, proj, theme, { k: 0.85, incidents: true, complaints: true, focusCommunityId: c.id, communityLabels: true, valves: true, overBasemap: !!image }));
  if (image) pushAll(cmds, basemapCredit(frame, o.basemap!, 0.85, lang));
  cmds.push({ kind: 'rect', x: frame.x + frame.w - 14, y: frame.y + 2, w: 12, h: 15, fill: { color: '#ffffff', opacity: 0.85 } });
  pushAll(cmds, northArrow(frame.x + frame.w - 8, frame.y + 3, 12));
  const sbW = 42;
  cmds.push({ kind: 'rect', x: frame.x + 2, y: frame.y + frame.h - 12, w: sbW + 14, h: 10, fill: { color: '#ffffff', opacity: 0.85 } });
  pushAll(cmds, scaleBar(frame.x + 5, frame.y + frame.h - 11.5, sbW - 6, proj.mmPerM, 0.8).commands);
  cmds.push({ kind: 'text', x: frame.x + sbW + 1, y: frame.y + frame.h - 3.5, text: `1:${grouped(roundScale(proj.scaleDenominator), 0)}`, sizePt: 6.5, color: INK, align: 'left', baseline: 'bottom' });

  // Legend strip under the map.
  let lx = M;
  const ly = frame.y + frame.h + 3.2;
  cmds.push({ kind: 'text', x: lx, y: ly, text: t(lang, 'atlas.age'), sizePt: 7.5, color: INK, bold: true, baseline: 'middle' });
  lx += 9;
  for (const cls of theme.classes) {
    cmds.push({ kind: 'polyline', points: [lx, ly, lx + 6, ly], stroke: { color: cls.color, widthMm: 1.1 } });
    const label = cls.label.replace(/\(.*\)$/, '');
    cmds.push({ kind: 'text', x: lx + 7.2, y: ly, text: label, sizePt: 7, color: INK, baseline: 'middle' });
    lx += 8 + label.length * 2.2 + 4;
  }
  const sym = (draw: DrawCommand, label: string) => {
    cmds.push(draw);
    cmds.push({ kind: 'text', x: lx + 2.2, y: ly, text: label, sizePt: 7, color: INK, baseline: 'middle' });
    lx += 4 + label.length * 2.6 + 3;
  };
  sym({ kind: 'rect', x: lx - 1, y: ly - 1, w: 2, h: 2, fill: { color: FEATURE_COLORS.station } }, layerDef('stations')!.label[lang]);
  sym({ kind: 'circle', x: lx, y: ly, rMm: 0.8, fill: { color: FEATURE_COLORS.incident } }, t(lang, 'atlas.incidents'));
  sym({ kind: 'polygon', rings: [[lx, ly - 1, lx + 1, ly + 0.8, lx - 1, ly + 0.8]], fill: { color: FEATURE_COLORS.complaint } }, t(lang, 'atlas.complaints'));

  // Key facts as a three-column grid of label / value pairs.
  let y = ly + 5;
  pushAll(cmds, sectionTitle(M, y, t(lang, 'ledger.facts.title')));
  y += 6;
  const facts = blocks[0].rows.filter((r) => r.fact !== 'survey');
  const perCol = Math.ceil(facts.length / 3);
  const colW = contentW / 3;
  facts.forEach((r, i) => {
    const cx = M + Math.floor(i / perCol) * colW;
    const cy = y + (i % perCol) * 4.6;
    cmds.push({ kind: 'text', x: cx, y: cy, text: String(r.k), sizePt: 7.5, color: MUTED, baseline: 'top' });
    cmds.push({ kind: 'text', x: cx + colW - 3, y: cy, text: fitText(fmtCell(r.v, typeof r.v === 'number' && !Number.isInteger(r.v) ? '0.000' : undefined), 7.5, colW * 0.55), sizePt: 7.5, color: INK, bold: true, align: 'right', baseline: 'top' });
  });
  y += perCol * 4.6 + 2;
  const survey = blocks[0].rows.find((r) => r.fact === 'survey')?.v;
  if (survey) {
    cmds.push({ kind: 'text', x: M, y, text: fitText(t(lang, 'common.colon', { label: t(lang, 'ledger.fact.survey'), value: String(survey) }), 7.5, contentW), sizePt: 7.5, color: INK, baseline: 'top' });
    y += 5;
  }

  const footerTop = H - M - 6;
  const [, pipes, incidents, complaints, projects] = blocks;
  // The small tables take their natural size (a few rows at most); the pipe table gets the rest.
  const rowH = 7 * (25.4 / 72) * 1.75;
  const smallH = (n: number, cap: number) => (clamp(n, 1, cap) + 1 + (n > cap ? 1 : 0)) * rowH + 0.01;
  const reserved = 6 + Math.max(smallH(incidents.rows.length, 5), smallH(complaints.rows.length, 5)) + 3 + 6 + smallH(projects.rows.length, 4);
  const pipeRoom = Math.max(footerTop - y - 6 - 3 - reserved - 0.5, rowH * 5);

  pushAll(cmds, sectionTitle(M, y, t(lang, 'atlas.pipes', { n: l.pipes.length, m: (l.pipeKm * 1000).toFixed(0) })));
  y += 6;
  const t1 = drawTable(M, y, contentW, blockColumns(pipes, ['id', 'level', 'dn', 'material', 'install_year', 'age', 'age_class', 'leaks', 'renovation', 'length_m'], { id: 1.2, level: 1, dn: 0.6, material: 0.9, install_year: 0.9, age: 0.8, age_class: 1.6, leaks: 0.9, renovation: 1.1, length_m: 0.9 }), pipes.rows, { lang, sizePt: 7, maxHeight: pipeRoom, totals: pipes.totals });
  pushAll(cmds, t1.commands);
  y += t1.height + 3;

  const halfW = (contentW - 4) / 2;
  const yTables = y;
  pushAll(cmds, sectionTitle(M, y, t(lang, 'atlas.incidentsN', { n: incidents.rows.length })));
  const t2 = drawTable(M, y + 6, halfW, blockColumns(incidents, ['date', 'kind', 'pipe_id', 'repair_hours', 'water_lost_t'], { date: 1.3, kind: 1, pipe_id: 1.2, repair_hours: 1.1, water_lost_t: 1 }), incidents.rows, { lang, sizePt: 7, maxHeight: smallH(incidents.rows.length, 5) });
  pushAll(cmds, t2.commands);
  pushAll(cmds, sectionTitle(M + halfW + 4, y, t(lang, 'atlas.complaintsN', { n: complaints.rows.length })));
  const t3 = drawTable(M + halfW + 4, y + 6, halfW, blockColumns(complaints, ['date', 'category', 'indoor_temp_c', 'status'], { date: 1.3, category: 1.3, indoor_temp_c: 1, status: 1 }), complaints.rows, { lang, sizePt: 7, maxHeight: smallH(complaints.rows.length, 5) });
  pushAll(cmds, t3.commands);
  y = yTables + 6 + Math.max(t2.height, t3.height) + 3;

  pushAll(cmds, sectionTitle(M, y, t(lang, 'atlas.projectsN', { n: projects.rows.length })));
  y += 6;
  const t4 = drawTable(M, y, contentW, blockColumns(projects, ['id', 'name', 'problem', 'measure', 'responsible', 'deadline', 'status', 'budget_wan'], { id: 1.5, name: 2, problem: 2, measure: 1.6, responsible: 1.2, deadline: 1, status: 0.7, budget_wan: 1 }), projects.rows, { lang, sizePt: 7, maxHeight: Math.max(footerTop - y + 0.5, rowH * 3) });
  pushAll(cmds, t4.commands);

  cmds.push({ kind: 'polyline', points: [M, H - M - 4.5, W - M, H - M - 4.5], stroke: { color: '#aab0b8', widthMm: 0.2 } });
  cmds.push({ kind: 'text', x: M, y: H - M - 3.5, text: fitText(t(lang, 'atlas.footer', { unit: o.issuingUnit, note: o.dataNote }), 6.3, contentW - 25), sizePt: 6.3, color: MUTED, baseline: 'top' });
  cmds.push({ kind: 'text', x: W - M, y: H - M - 3.5, text: t(lang, 'atlas.page', { p: pageNo, n: pageCount }), sizePt: 6.3, color: MUTED, align: 'right', baseline: 'top' });
  return { widthMm: W, heightMm: H, commands: cmds };
}

/** The map frame of a community's page and the projection that fills it. */
function communityMap(l: CommunityLedger) {
  const c = l.community;
  const frame = { x: M, y: M + 18, w: W - 2 * M, h: 98 };
  let box = bboxOfCoords(c.geometry.coordinates[0] ?? []) as BBox;
  if (l.station) {
    const withStation = bboxOfCoords([l.station.geometry.coordinates], box)!;
    const grow = (withStation[2] - withStation[0]) * (withStation[3] - withStation[1]) / Math.max((box[2] - box[0]) * (box[3] - box[1]), 1e-12);
    if (grow < 16) box = withStation;
  }
  return { frame, proj: fitProjection(padBBox(box, 0.18, 0.0008), frame) };
}

/** Per page of buildAtlas (same order): the lon/lat box its map shows and the map's size on paper, what a basemap image must cover. */
export function atlasMapViews(project: ProjectData): { bbox: BBox; widthMm: number; heightMm: number }[] {
  return communityLedgers(withValidGeometry(project)).map((l) => {
    const { frame, proj } = communityMap(l);
    return { bbox: proj.shownBBox, widthMm: frame.w, heightMm: frame.h };
  });
}

/** Every community's page, in the ledger's order; `onPage` reports layout progress. */
export function buildAtlas(project: ProjectData, ledger: Ledger, o: AtlasOptions, onPage?: (done: number, total: number) => void): Page[] {
  const data = withValidGeometry(project);
  const ledgers = communityLedgers(data);
  const byId = new Map(ledger.sheets.filter((s) => s.communityId).map((s) => [s.communityId!, s]));
  return ledgers.map((l, i) => {
    const sheet = byId.get(l.community.id)!;
    const page = atlasPage(data, l, sheet.blocks, o, i + 1, ledgers.length);
    onPage?.(i + 1, ledgers.length);
    return page;
  });
}
