/**
 * 水压图 in the app: the display-list page of core/carto/profileChart.ts as
 * inline SVG (the same picture the PNG and PDF exports draw), its words from
 * the catalogue, and a PNG rasterised by the browser.
 */
import { useMemo } from 'react';
import type { HydraulicProfile } from '../../../../core/hydraulics/profile';
import { profileLabels, profilePage } from '../../../../core/carto/profileChart';
import { pageToSvg } from '../../../../core/carto/svg';
import { pagePixels } from '../../../../core/carto/layout';
import type { Lang } from '../../../i18n/messages';

/** The chart's words in a language (the export dialog sends the same to the backend). */
export { profileLabels };

export function profileSvg(profile: HydraulicProfile, lang: Lang): { svg: string; widthMm: number; heightMm: number } {
  const page = profilePage(profile, profileLabels(lang));
  return { svg: pageToSvg(page), widthMm: page.widthMm, heightMm: page.heightMm };
}

export function ProfileChart({ profile, lang }: { profile: HydraulicProfile; lang: Lang }) {
  const { svg } = useMemo(() => profileSvg(profile, lang), [profile, lang]);
  return (
    <div
      className="hyd-profile-chart"
      data-testid="hydraulics-profile-chart"
      data-station={profile.station}
      data-source={profile.source ?? ''}
      style={{ width: '100%', maxWidth: 900 }}
      dangerouslySetInnerHTML={{ __html: svg.replace(/width="[\d.]+mm" height="[\d.]+mm"/, 'width="100%"') }}
    />
  );
}

/** The chart as PNG bytes at `dpi` (the browser draws the SVG into a canvas of the exact pixel size). */
export async function profilePng(profile: HydraulicProfile, lang: Lang, dpi = 200): Promise<Blob> {
  const { svg, widthMm, heightMm } = profileSvg(profile, lang);
  const { width, height } = pagePixels(widthMm, heightMm, dpi);
  const img = new Image(width, height);
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, width, height);
  g.drawImage(img, 0, 0, width, height);
  return new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('PNG encoding failed'))), 'image/png'));
}
