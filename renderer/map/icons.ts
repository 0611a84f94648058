/**
 * Facility symbols drawn at start-up on a canvas (no sprite download): a
 * heat-exchange station is a green rounded square with a "⇄" exchange mark, a
 * heat source a red disc with a flame, a backup source the same in amber.
 */
import { FEATURE_COLORS } from '../../core/style/palette';

const PX = 2; // drawn at 2× for crisp icons on high-DPI screens

function canvas(size: number) {
  const c = document.createElement('canvas');
  c.width = c.height = size * PX;
  const g = c.getContext('2d')!;
  g.scale(PX, PX);
  return { c, g };
}

function station(): ImageData {
  const s = 26;
  const { c, g } = canvas(s);
  g.fillStyle = '#ffffff';
  g.beginPath();
  g.roundRect(1, 1, s - 2, s - 2, 5);
  g.fill();
  g.fillStyle = FEATURE_COLORS.station;
  g.beginPath();
  g.roundRect(3, 3, s - 6, s - 6, 4);
  g.fill();
  // two opposed arrows: heat exchanged between primary and secondary side
  g.strokeStyle = '#ffffff';
  g.lineWidth = 2;
  g.lineCap = 'round';
  g.beginPath();
  g.moveTo(8, 10); g.lineTo(18, 10); g.moveTo(15, 7); g.lineTo(18, 10); g.lineTo(15, 13);
  g.moveTo(18, 16); g.lineTo(8, 16); g.moveTo(11, 13); g.lineTo(8, 16); g.lineTo(11, 19);
  g.stroke();
  return g.getImageData(0, 0, c.width, c.height);
}

function source(fill: string): ImageData {
  const s = 32;
  const { c, g } = canvas(s);
  g.fillStyle = '#ffffff';
  g.beginPath();
  g.arc(s / 2, s / 2, s / 2 - 1, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = fill;
  g.beginPath();
  g.arc(s / 2, s / 2, s / 2 - 3, 0, Math.PI * 2);
  g.fill();
  // flame
  g.fillStyle = '#ffffff';
  g.beginPath();
  g.moveTo(16, 6);
  g.bezierCurveTo(22, 12, 24, 17, 21, 22);
  g.bezierCurveTo(19, 26, 13, 26, 11, 22);
  g.bezierCurveTo(9, 18, 12, 15, 13, 12);
  g.bezierCurveTo(14, 16, 16, 16, 16, 14);
  g.bezierCurveTo(17, 11, 16, 8, 16, 6);
  g.fill();
  return g.getImageData(0, 0, c.width, c.height);
}

export function facilityIcons(): Record<string, ImageData> {
  return { station: station(), source: source(FEATURE_COLORS.source), 'source-backup': source(FEATURE_COLORS.backupSource) };
}

export const ICON_PIXEL_RATIO = PX;
