/**
 * Attribute text decoding. Chinese survey and CAD files are GBK (code page
 * 936) as often as UTF-8; TextDecoder knows both in Node (full ICU) and in
 * browsers, so core needs no Buffer-based library.
 */

interface Decoder {
  decode(bytes: Uint8Array): string;
}
type DecoderCtor = new (label: string, opts?: { fatal?: boolean; ignoreBOM?: boolean }) => Decoder;

// core is compiled without DOM or Node types; TextDecoder is a global in both.
const TextDecoderImpl = (globalThis as unknown as { TextDecoder: DecoderCtor }).TextDecoder;

/** Normalise the names files and users give ('936', 'CP936', 'ANSI 936', 'GB2312', '65001'). */
export function normaliseEncoding(name: string): string | undefined {
  const t = name.trim().toLowerCase().replace(/^ansi[\s_-]*/, '').replace(/[\s_]/g, '');
  if (/^(utf-?8|65001)$/.test(t)) return 'utf-8';
  if (/^(gbk|cp936|936|gb2312|gb18030|euc-cn|x-gbk|cp-936|windows-936)$/.test(t)) return t === 'gb18030' ? 'gb18030' : 'gbk';
  if (/^(big5|950|cp950)$/.test(t)) return 'big5';
  if (/^(latin1|iso-?8859-?1|1252|cp1252|windows-1252)$/.test(t)) return 'windows-1252';
  try {
    new TextDecoderImpl(t);
    return t;
  } catch {
    return undefined;
  }
}

const decoders = new Map<string, Decoder>();

export function decodeText(bytes: Uint8Array, encoding: string): string {
  let d = decoders.get(encoding);
  if (!d) {
    d = new TextDecoderImpl(encoding);
    decoders.set(encoding, d);
  }
  return d.decode(bytes);
}

/** True when the bytes are valid UTF-8 (plain ASCII included). */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoderImpl('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** UTF-8 when the bytes are valid UTF-8, else GBK: GBK text is almost never valid UTF-8. */
export function sniffEncoding(bytes: Uint8Array): 'utf-8' | 'gbk' {
  return isUtf8(bytes) ? 'utf-8' : 'gbk';
}

/** Decode a whole text file: BOM first, then the given encoding, else sniff. */
export function decodeTextFile(bytes: Uint8Array, encoding?: string): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: decodeText(bytes.subarray(3), 'utf-8'), encoding: 'utf-8' };
  }
  const enc = encoding ?? sniffEncoding(bytes);
  return { text: decodeText(bytes, enc), encoding: enc };
}
