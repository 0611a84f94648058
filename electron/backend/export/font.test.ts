import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { FontNotFoundError, findCjkFont } from './font';

const saved = process.env.WARMNET_CJK_FONT;
afterEach(() => {
  if (saved === undefined) delete process.env.WARMNET_CJK_FONT;
  else process.env.WARMNET_CJK_FONT = saved;
});

describe('CJK font lookup', () => {
  it('finds an installed Chinese font file (fonts-noto-cjk on Debian)', () => {
    delete process.env.WARMNET_CJK_FONT;
    const f = findCjkFont();
    expect(existsSync(f.path)).toBe(true);
    expect(f.family).toMatch(/CJK|Han|Hei|YaHei|PingFang/);
    if (f.path.endsWith('.ttc')) expect(f.postscriptName).toBeTruthy();
  });

  it('names the missing file when WARMNET_CJK_FONT is wrong', () => {
    process.env.WARMNET_CJK_FONT = '/nonexistent/font.otf';
    expect(() => findCjkFont()).toThrow(FontNotFoundError);
    expect(() => findCjkFont()).toThrow(/nonexistent\/font\.otf/);
  });
});
