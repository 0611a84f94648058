/**
 * Finding a CJK font to embed. Exported maps and ledgers carry Chinese text,
 * and a PDF viewer without the font would show boxes, so the font is
 * embedded (subset) into every PDF. Looked up, in order: $WARMNET_CJK_FONT,
 * fontconfig (`fc-match`), then the usual font folders of Linux, macOS and
 * Windows.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface CjkFont {
  /** Font file (.ttc, .otf or .ttf). */
  path: string;
  /** Face inside a collection (PostScript name), for .ttc files. */
  postscriptName?: string;
  boldPath?: string;
  boldPostscriptName?: string;
  /** CSS family name for the canvas renderer. */
  family: string;
}

export class FontNotFoundError extends Error {}

const FAMILIES = ['Noto Sans CJK SC', 'Source Han Sans SC', 'Source Han Sans CN', 'WenQuanYi Zen Hei', 'WenQuanYi Micro Hei', 'Microsoft YaHei', 'SimHei', 'PingFang SC', 'Noto Sans SC'];

function fcMatch(pattern: string): { path: string; ps: string; family: string } | null {
  try {
    const out = execFileSync('fc-match', ['-f', '%{file}\t%{postscriptname}\t%{family[0]}\t%{lang}', pattern], { encoding: 'utf8', timeout: 5000 });
    const [path, ps, family, langs] = out.split('\t');
    if (!path || !existsSync(path)) return null;
    // fc-match always answers something; only accept a face that covers Chinese.
    if (!/(^|\|)zh-cn(\||$)/.test(langs ?? '')) return null;
    return { path, ps, family };
  } catch {
    return null;
  }
}

const KNOWN_FILES: { file: string; ps?: string; boldFile?: string; boldPs?: string; family: string }[] = [
  { file: 'NotoSansCJK-Regular.ttc', ps: 'NotoSansCJKsc-Regular', boldFile: 'NotoSansCJK-Bold.ttc', boldPs: 'NotoSansCJKsc-Bold', family: 'Noto Sans CJK SC' },
  { file: 'NotoSansCJKsc-Regular.otf', boldFile: 'NotoSansCJKsc-Bold.otf', family: 'Noto Sans CJK SC' },
  { file: 'SourceHanSansSC-Regular.otf', boldFile: 'SourceHanSansSC-Bold.otf', family: 'Source Han Sans SC' },
  { file: 'wqy-zenhei.ttc', ps: 'WenQuanYiZenHei', family: 'WenQuanYi Zen Hei' },
  { file: 'msyh.ttc', ps: 'MicrosoftYaHei', boldFile: 'msyhbd.ttc', boldPs: 'MicrosoftYaHei-Bold', family: 'Microsoft YaHei' },
  { file: 'simhei.ttf', family: 'SimHei' },
];

const FONT_DIRS = [
  '/usr/share/fonts',
  '/usr/local/share/fonts',
  process.env.HOME ? join(process.env.HOME, '.local/share/fonts') : '',
  process.env.HOME ? join(process.env.HOME, '.fonts') : '',
  '/Library/Fonts',
  '/System/Library/Fonts',
  process.env.WINDIR ? join(process.env.WINDIR, 'Fonts') : 'C:\\Windows\\Fonts',
].filter(Boolean);

function findFile(dir: string, name: string, depth = 4): string | null {
  if (depth < 0 || !existsSync(dir)) return null;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  for (const e of entries) if (e.isFile() && e.name.toLowerCase() === name.toLowerCase()) return join(dir, e.name);
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const hit = findFile(join(dir, e.name), name, depth - 1);
    if (hit) return hit;
  }
  return null;
}

let cached: CjkFont | null = null;

export function findCjkFont(): CjkFont {
  const env = process.env.WARMNET_CJK_FONT;
  if (env) {
    if (!existsSync(env)) throw new FontNotFoundError(`WARMNET_CJK_FONT points to ${env}, which does not exist`);
    return { path: env, family: 'WarmNet CJK' };
  }
  if (cached) return cached;
  for (const fam of FAMILIES) {
    const regular = fcMatch(`${fam}:style=Regular`);
    if (!regular || regular.family !== fam) continue;
    const bold = fcMatch(`${fam}:style=Bold`);
    return (cached = {
      path: regular.path,
      postscriptName: regular.path.toLowerCase().endsWith('.ttc') ? regular.ps : undefined,
      boldPath: bold && bold.path !== regular.path ? bold.path : undefined,
      boldPostscriptName: bold && bold.path.toLowerCase().endsWith('.ttc') ? bold.ps : undefined,
      family: fam,
    });
  }
  for (const k of KNOWN_FILES) {
    for (const dir of FONT_DIRS) {
      const path = findFile(dir, k.file);
      if (!path) continue;
      const boldPath = k.boldFile ? findFile(dir, k.boldFile) ?? undefined : undefined;
      return (cached = { path, postscriptName: k.ps, boldPath, boldPostscriptName: boldPath ? k.boldPs : undefined, family: k.family });
    }
  }
  throw new FontNotFoundError(
    'No Chinese (CJK) font found to embed in the export. Install one — on Debian/Ubuntu `apt-get install fonts-noto-cjk`, ' +
      'on Windows/macOS any of Microsoft YaHei, SimHei, PingFang SC or Noto Sans CJK SC — or set WARMNET_CJK_FONT to a .ttf/.otf/.ttc file.',
  );
}
