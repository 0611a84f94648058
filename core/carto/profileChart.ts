/**
 * The 水压图 (hydraulic gradeline chart) as a display-list page, so the app,
 * the PNG and the PDF writers draw the same picture: along the path from a
 * source to a station, the supply and return head lines, the ground line
 * (filled below) and the static line, with the distance from the source on
 * the x axis and heads in metres on the y axis; features passed on the way
 * as ticks, the source and the station named, the station's ΔP against its
 * minimum in the title. The words come from the caller (core formats no
 * text for people beyond numbers).
 */
import { maxOf, minOf } from '../arrays';
import type { HydraulicProfile } from '../hydraulics/profile';
import { niceAxis } from './chart';
import { fitText, textWidthMm, type DrawCommand, type Page } from './displayList';
import { INK, MUTED } from './furniture';
import { t, type Lang } from '../i18n';
import { compact } from '../format/number';

export interface ProfileLabels {
  /** The chart's name (水压图) and the word for the station's minimum ΔP (最小) in the title. */
  profile: string;
  minimum: string;
  supply: string;
  return: string;
  ground: string;
  static: string;
  distance: string;
  head: string;
}

/** The chart's words in `lang`, from the message catalogue (the app, the PNG and the PDF alike). */
export function profileLabels(lang: Lang): ProfileLabels {
  return {
    profile: t(lang, 'hyd.hydViewProfile'),
    minimum: t(lang, 'hyd.hydMinimum'),
    supply: t(lang, 'hyd.hydSupplyLine'),
    return: t(lang, 'hyd.hydReturnLine'),
    ground: t(lang, 'hyd.hydGroundLine'),
    static: t(lang, 'hyd.hydStaticLine'),
    distance: t(lang, 'hyd.hydDistance'),
    head: t(lang, 'hyd.hydHeadM'),
  };
}

export const PROFILE_COLORS = { supply: '#d7263d', return: '#1f78b4', ground: '#8c6d46', groundFill: '#eee3d0', static: '#6b7785' } as const;

const kpa = (x: number | null) => (x === null || !Number.isFinite(x) ? '—' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1));

/** "水压图 S-2 → HS-15 · ΔP 157 kPa (最小 100 kPa)". */
export function profileTitle(profile: HydraulicProfile, labels: Pick<ProfileLabels, 'profile' | 'minimum'>): string {
  return `${labels.profile} ${profile.source ?? '—'} → ${profile.station} · ΔP ${kpa(profile.dpKpa)} kPa (${labels.minimum} ${kpa(profile.minDpKpa)} kPa)`;
}


export function profilePage(profile: HydraulicProfile, labels: ProfileLabels, widthMm = 180, heightMm = 100): Page {
  const pts = profile.points;
  const cmds: DrawCommand[] = [];
  cmds.push({ kind: 'text', x: 6, y: 5, text: fitText(profileTitle(profile, labels), 11, widthMm - 12), sizePt: 11, color: INK, bold: true, baseline: 'top' });
  // Legend
  let lx = 18;
  const legendItem = (label: string, color: string, dash?: number[]) => {
    cmds.push({ kind: 'polyline', points: [lx, 15, lx + 7, 15], stroke: { color, widthMm: 0.6, dashMm: dash } });
    cmds.push({ kind: 'text', x: lx + 8.5, y: 15, text: label, sizePt: 8, color: INK, baseline: 'middle' });
    lx += 8.5 + textWidthMm(label, 8) + 5;
  };
  legendItem(labels.supply, PROFILE_COLORS.supply);
  legendItem(labels.return, PROFILE_COLORS.return);
  legendItem(labels.static, PROFILE_COLORS.static, [1.5, 1]);
  legendItem(labels.ground, PROFILE_COLORS.ground);

  const plot = { x: 18, y: 22, w: widthMm - 26, h: heightMm - 22 - 14 };
  if (pts.length < 2) return { widthMm, heightMm, commands: cmds };
  const heads = pts.flatMap((p) => [p.supplyHeadM, p.returnHeadM, p.groundM, p.staticHeadM]).filter(Number.isFinite);
  const lo0 = minOf(heads);
  const hi0 = maxOf(heads);
  const span = Math.max(hi0 - lo0, 1);
  const base = niceAxis(span / 5).step;
  const lo = Math.floor((lo0 - span * 0.05) / base) * base;
  const yAxis = niceAxis(hi0 + span * 0.06 - lo);
  const xAxis = niceAxis(Math.max(profile.lengthM, 1));
  const sx = (d: number) => plot.x + (d / xAxis.max) * plot.w;
  const sy = (h: number) => plot.y + plot.h - ((h - lo) / yAxis.max) * plot.h;
  for (let t = 0; t <= yAxis.max + 1e-9; t += yAxis.step) {
    cmds.push({ kind: 'polyline', points: [plot.x, sy(lo + t), plot.x + plot.w, sy(lo + t)], stroke: { color: '#e5e8eb', widthMm: 0.2 } });
    cmds.push({ kind: 'text', x: plot.x - 1.5, y: sy(lo + t), text: compact(lo + t), sizePt: 7.5, color: MUTED, align: 'right', baseline: 'middle' });
  }
  for (let t = 0; t <= xAxis.max + 1e-9; t += xAxis.step)
    cmds.push({ kind: 'text', x: sx(t), y: plot.y + plot.h + 1.5, text: compact(t), sizePt: 7.5, color: MUTED, align: 'center', baseline: 'top' });
  cmds.push({ kind: 'text', x: plot.x - 1.5, y: plot.y - 3, text: labels.head, sizePt: 7.5, color: MUTED, align: 'right', baseline: 'bottom' });
  cmds.push({ kind: 'text', x: plot.x + plot.w, y: plot.y + plot.h + 7, text: labels.distance, sizePt: 7.5, color: MUTED, align: 'right', baseline: 'top' });

  const line = (get: (p: (typeof pts)[number]) => number) => pts.filter((p) => Number.isFinite(get(p))).flatMap((p) => [sx(p.distanceM), sy(get(p))]);
  const ground = line((p) => p.groundM);
  if (ground.length >= 4) {
    cmds.push({ kind: 'polygon', rings: [[...ground, ground[ground.length - 2], plot.y + plot.h, ground[0], plot.y + plot.h]], fill: { color: PROFILE_COLORS.groundFill } });
    cmds.push({ kind: 'polyline', points: ground, stroke: { color: PROFILE_COLORS.ground, widthMm: 0.45, join: 'round' } });
  }
  cmds.push({ kind: 'polyline', points: line((p) => p.staticHeadM), stroke: { color: PROFILE_COLORS.static, widthMm: 0.4, dashMm: [1.5, 1] } });
  cmds.push({ kind: 'polyline', points: line((p) => p.returnHeadM), stroke: { color: PROFILE_COLORS.return, widthMm: 0.7, join: 'round' } });
  cmds.push({ kind: 'polyline', points: line((p) => p.supplyHeadM), stroke: { color: PROFILE_COLORS.supply, widthMm: 0.7, join: 'round' } });
  // Valves and stations passed on the way: ticks across the supply line.
  for (const p of pts.slice(1, -1))
    if (p.features.length && Number.isFinite(p.supplyHeadM))
      cmds.push({ kind: 'polyline', points: [sx(p.distanceM), sy(p.supplyHeadM) - 1.2, sx(p.distanceM), sy(p.supplyHeadM) + 1.2], stroke: { color: INK, widthMm: 0.3 } });
  // The station's available ΔP: supply above return at the end of the path.
  const last = pts[pts.length - 1];
  if (Number.isFinite(last.supplyHeadM) && Number.isFinite(last.returnHeadM)) {
    const x = sx(last.distanceM);
    cmds.push({ kind: 'polyline', points: [x, sy(last.supplyHeadM), x, sy(last.returnHeadM)], stroke: { color: INK, widthMm: 0.35 } });
    cmds.push({ kind: 'text', x: x - 1.2, y: (sy(last.supplyHeadM) + sy(last.returnHeadM)) / 2, text: profile.station, sizePt: 8, color: INK, bold: true, align: 'right', baseline: 'middle', halo: '#ffffff' });
  }
  if (profile.source && Number.isFinite(pts[0].supplyHeadM))
    cmds.push({ kind: 'text', x: sx(0) + 1.2, y: sy(pts[0].supplyHeadM) - 1.2, text: profile.source, sizePt: 8, color: PROFILE_COLORS.supply, bold: true, baseline: 'bottom', halo: '#ffffff' });
  cmds.push({ kind: 'polyline', points: [plot.x, plot.y, plot.x, plot.y + plot.h, plot.x + plot.w, plot.y + plot.h], stroke: { color: INK, widthMm: 0.3 } });
  return { widthMm, heightMm, commands: cmds };
}
