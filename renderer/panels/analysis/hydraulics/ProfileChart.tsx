/**
 * 水压图: supply and return head lines, the ground line and the static line
 * along the path from a source to a station, as an SVG (the same picture the
 * PNG download writes). Heads in metres above the datum; the distance from
 * the source on the x axis; the source, the station and the valves on the way
 * marked; the station's ΔP and its minimum in the title.
 */
import type { HydraulicProfile } from '../../../../core/hydraulics/profile';
import { niceAxis } from '../../../../core/carto/chart';
import { hm, type Lang } from '../../../i18n/messages';

export const PROFILE_COLORS = { supply: '#d7263d', return: '#1f78b4', ground: '#8c6d46', static: '#6b7785' } as const;
const W = 720;
const H = 340;
const M = { l: 58, r: 18, t: 44, b: 46 };

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

export function ProfileChart({ profile, lang, id = 'hydraulics-profile' }: { profile: HydraulicProfile; lang: Lang; id?: string }) {
  const pts = profile.points;
  const heads = pts.flatMap((p) => [p.supplyHeadM, p.returnHeadM, p.groundM, p.staticHeadM]).filter(Number.isFinite);
  const lo0 = Math.min(...heads);
  const hi0 = Math.max(...heads);
  const span = Math.max(hi0 - lo0, 1);
  const lo = Math.floor((lo0 - span * 0.05) / 5) * 5;
  const yAxis = niceAxis(hi0 + span * 0.08 - lo);
  const xAxis = niceAxis(Math.max(profile.lengthM, 1));
  const pw = W - M.l - M.r;
  const ph = H - M.t - M.b;
  const sx = (d: number) => M.l + (d / xAxis.max) * pw;
  const sy = (h: number) => M.t + ph - ((h - lo) / yAxis.max) * ph;
  const line = (get: (p: (typeof pts)[number]) => number) =>
    pts
      .filter((p) => Number.isFinite(get(p)))
      .map((p, i) => `${i ? 'L' : 'M'}${sx(p.distanceM).toFixed(1)},${sy(get(p)).toFixed(1)}`)
      .join(' ');
  const ground = `${line((p) => p.groundM)} L${sx(pts[pts.length - 1].distanceM).toFixed(1)},${M.t + ph} L${sx(0).toFixed(1)},${M.t + ph} Z`;
  const xTicks: number[] = [];
  for (let x = 0; x <= xAxis.max + 1e-9; x += xAxis.step) xTicks.push(x);
  const yTicks: number[] = [];
  for (let y = 0; y <= yAxis.max + 1e-9; y += yAxis.step) yTicks.push(lo + y);
  const last = pts[pts.length - 1];
  const title = `${hm(lang, 'hydViewProfile')} ${profile.source ?? '—'} → ${profile.station} · ΔP ${profile.dpKpa === null ? '—' : fmt(profile.dpKpa)} kPa (${hm(lang, 'hydMinimum')} ${fmt(profile.minDpKpa)} kPa)`;
  const legend: [string, string, boolean][] = [
    [hm(lang, 'hydSupplyLine'), PROFILE_COLORS.supply, false],
    [hm(lang, 'hydReturnLine'), PROFILE_COLORS.return, false],
    [hm(lang, 'hydStaticLine'), PROFILE_COLORS.static, true],
    [hm(lang, 'hydGroundLine'), PROFILE_COLORS.ground, false],
  ];
  // Valves and stations passed on the way, as ticks on the supply line.
  const valves = pts.slice(1, -1).filter((p) => p.features.length > 0);
  return (
    <svg
      id={id}
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      role="img"
      aria-label={title}
      data-testid="hydraulics-profile-chart"
      data-station={profile.station}
      style={{ fontFamily: "'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif", background: '#ffffff' }}
    >
      <rect x={0} y={0} width={W} height={H} fill="#ffffff" />
      <text x={M.l} y={16} fontSize={13} fontWeight={700} fill="#1d2731">
        {title}
      </text>
      {legend.map(([label, color, dash], i) => (
        <g key={label} transform={`translate(${M.l + i * 150}, 30)`}>
          <line x1={0} x2={22} y1={0} y2={0} stroke={color} strokeWidth={dash ? 1.5 : 2.5} strokeDasharray={dash ? '5 3' : undefined} />
          <text x={27} y={4} fontSize={11} fill="#1d2731">
            {label}
          </text>
        </g>
      ))}
      {yTicks.map((y) => (
        <g key={`y${y}`}>
          <line x1={M.l} x2={M.l + pw} y1={sy(y)} y2={sy(y)} stroke="#e5e8eb" />
          <text x={M.l - 5} y={sy(y) + 4} fontSize={10} textAnchor="end" fill="#52606d">
            {fmt(y)}
          </text>
        </g>
      ))}
      {xTicks.map((x) => (
        <text key={`x${x}`} x={sx(x)} y={M.t + ph + 15} fontSize={10} textAnchor="middle" fill="#52606d">
          {fmt(x)}
        </text>
      ))}
      <text x={M.l + pw / 2} y={H - 8} fontSize={11} textAnchor="middle" fill="#52606d">
        {hm(lang, 'hydDistance')}
      </text>
      <text x={14} y={M.t + ph / 2} fontSize={11} textAnchor="middle" fill="#52606d" transform={`rotate(-90 14 ${M.t + ph / 2})`}>
        {hm(lang, 'hydHeadM')}
      </text>
      <path d={ground} fill="#e9dcc6" stroke={PROFILE_COLORS.ground} strokeWidth={1.5} data-line="ground" />
      <path d={line((p) => p.staticHeadM)} fill="none" stroke={PROFILE_COLORS.static} strokeWidth={1.5} strokeDasharray="5 3" data-line="static" />
      <path d={line((p) => p.returnHeadM)} fill="none" stroke={PROFILE_COLORS.return} strokeWidth={2.5} data-line="return" />
      <path d={line((p) => p.supplyHeadM)} fill="none" stroke={PROFILE_COLORS.supply} strokeWidth={2.5} data-line="supply" />
      {valves.map((p) => (
        <line key={`v${p.node}`} x1={sx(p.distanceM)} x2={sx(p.distanceM)} y1={sy(p.supplyHeadM) - 5} y2={sy(p.supplyHeadM) + 5} stroke="#1d1d1d" strokeWidth={1.5} />
      ))}
      {/* the station's available ΔP: supply minus return at the end of the path */}
      <line x1={sx(last.distanceM)} x2={sx(last.distanceM)} y1={sy(last.supplyHeadM)} y2={sy(last.returnHeadM)} stroke="#1d2731" strokeWidth={1} markerEnd="" />
      <text x={sx(last.distanceM) - 4} y={(sy(last.supplyHeadM) + sy(last.returnHeadM)) / 2} fontSize={11} textAnchor="end" fill="#1d2731" fontWeight={700}>
        {profile.station}
      </text>
      <text x={sx(0) + 4} y={sy(pts[0].supplyHeadM) - 6} fontSize={11} fill={PROFILE_COLORS.supply} fontWeight={700}>
        {profile.source ?? ''}
      </text>
      <line x1={M.l} x2={M.l} y1={M.t} y2={M.t + ph} stroke="#1d2731" />
      <line x1={M.l} x2={M.l + pw} y1={M.t + ph} y2={M.t + ph} stroke="#1d2731" />
    </svg>
  );
}

/** The chart element as a PNG (for the meeting: drawn at 2× on a white page). */
export async function svgToPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const xml = new XMLSerializer().serializeToString(svg);
  const vb = svg.viewBox.baseVal;
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = vb.width * scale;
  canvas.height = vb.height * scale;
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('PNG encoding failed'))), 'image/png'));
}
