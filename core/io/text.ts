/**
 * Attribute text decoding, decided from evidence and said. Chinese survey and
 * CAD files are GBK / GB18030 (code page 936) as often as UTF-8, Taiwanese
 * ones Big5 (950); TextDecoder knows them all in Node (full ICU) and in
 * browsers, so core needs no Buffer-based library.
 *
 * The order of evidence: the user's `--encoding`; a byte-order mark; what the
 * file declares (a shapefile's .cpg or DBF language-driver byte, a DXF's
 * $DWGCODEPAGE), checked against the bytes where the encoding can be checked;
 * else a strict UTF-8 decode, else a strict GB18030 decode. A file that is
 * mostly UTF-8 with a few bad bytes is damaged UTF-8, not GBK; a file that
 * decodes cleanly in neither is refused naming where, unless the user says.
 */

interface Decoder {
  decode(bytes: Uint8Array): string;
}
type DecoderCtor = new (label: string, opts?: { fatal?: boolean; ignoreBOM?: boolean }) => Decoder;

// core is compiled without DOM or Node types; TextDecoder is a global in both.
const TextDecoderImpl = (globalThis as unknown as { TextDecoder: DecoderCtor }).TextDecoder;

/** Windows / DOS code page numbers (as .cpg files and users give them) → WHATWG labels. */
const CODE_PAGES: Record<string, string> = {
  '65001': 'utf-8',
  '936': 'gbk',
  '20936': 'gbk',
  '54936': 'gb18030',
  '950': 'big5',
  '932': 'shift_jis',
  '949': 'euc-kr',
  '874': 'windows-874',
  '866': 'ibm866',
  '1250': 'windows-1250',
  '1251': 'windows-1251',
  '1252': 'windows-1252',
  '1253': 'windows-1253',
  '1254': 'windows-1254',
  '1255': 'windows-1255',
  '1256': 'windows-1256',
  '1257': 'windows-1257',
  '1258': 'windows-1258',
  '28591': 'windows-1252',
  '10000': 'macintosh',
};

/** Normalise the names files and users give ('936', 'CP936', 'ANSI 936', 'GB2312', '65001', '8859_1'). */
export function normaliseEncoding(name: string): string | undefined {
  const t = name.trim().toLowerCase().replace(/^(ansi|cp|ms|windows|code ?page)[\s_-]*(?=\d)/, '').replace(/[\s_]/g, '');
  if (CODE_PAGES[t]) return CODE_PAGES[t];
  if (/^utf-?8$/.test(t)) return 'utf-8';
  if (/^(gbk|gb2312|euc-cn|x-gbk|cp-936|gb-?2312-?80)$/.test(t)) return 'gbk';
  if (/^gb-?18030$/.test(t)) return 'gb18030';
  if (/^(big-?5|big5-hkscs)$/.test(t)) return 'big5';
  if (/^(latin-?1|iso-?8859-?1|88591)$/.test(t)) return 'windows-1252';
  const iso = /^(?:iso)?-?8859-?(\d{1,2})$/.exec(t);
  if (iso) return `iso-8859-${iso[1]}`;
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
  return scanUtf8(bytes).firstBad < 0;
}

/** True when every byte is below 0x80. */
export function isAscii(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  for (let i = start; i < end; i++) if (bytes[i] >= 0x80) return false;
  return true;
}

export interface Utf8Scan {
  /** Well-formed multi-byte sequences (non-ASCII characters). */
  good: number;
  /** Bytes that start no well-formed sequence. */
  bad: number;
  /** Offset of the first bad byte, -1 when none. */
  firstBad: number;
}

/** Count well-formed and broken UTF-8 sequences in one pass (no decoding, no allocation). */
export function scanUtf8(b: Uint8Array, start = 0, end = b.length): Utf8Scan {
  let good = 0;
  let bad = 0;
  let firstBad = -1;
  let i = start;
  while (i < end) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n = 0;
    let min = 0;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      min = 0x10000;
    }
    let ok = n > 0 && i + n < end + 0;
    let cp = c & (n === 1 ? 0x1f : n === 2 ? 0x0f : 0x07);
    for (let k = 1; ok && k <= n; k++) {
      const d = b[i + k];
      if ((d & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (d & 0x3f);
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) {
      good++;
      i += n + 1;
    } else {
      bad++;
      if (firstBad < 0) firstBad = i;
      i++;
    }
  }
  return { good, bad, firstBad };
}

/**
 * Offset of the first byte sequence GB18030 cannot decode, -1 when none:
 * one byte 0x00–0x80, or a lead 0x81–0xFE followed by 0x40–0x7E / 0x80–0xFE,
 * or by 0x30–0x39, 0x81–0xFE, 0x30–0x39 (four bytes).
 */
export function firstGb18030Error(b: Uint8Array, start = 0, end = b.length): number {
  let i = start;
  while (i < end) {
    const c = b[i];
    if (c <= 0x80) {
      i++;
      continue;
    }
    if (c === 0xff || i + 1 >= end) return i;
    const d = b[i + 1];
    if ((d >= 0x40 && d <= 0x7e) || (d >= 0x80 && d <= 0xfe)) {
      i += 2;
      continue;
    }
    if (d >= 0x30 && d <= 0x39 && i + 3 < end && b[i + 2] >= 0x81 && b[i + 2] <= 0xfe && b[i + 3] >= 0x30 && b[i + 3] <= 0x39) {
      i += 4;
      continue;
    }
    return i;
  }
  return -1;
}

/** Whether a whole byte range decodes without error in an encoding (ICU's own check). */
function decodesCleanly(bytes: Uint8Array, encoding: string): boolean {
  try {
    new TextDecoderImpl(encoding, { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The encoding chosen for a file's text, and the evidence. */
export interface EncodingDecision {
  encoding: string;
  /** 'given with --encoding', 'from p.cpg ("936")', 'valid UTF-8 (412 non-ASCII characters)'… */
  reason: string;
}

/** A declaration found in the file, to be checked against its bytes. */
export interface DeclaredEncoding {
  encoding: string;
  /** Where it was read: 'p.cpg ("936")', 'the DBF language-driver byte 0x4D (code page 936)'. */
  from: string;
}

/** Why no encoding could be decided, with the offset of the byte that decided it. */
export class EncodingUndecided extends Error {
  constructor(
    readonly offset: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'EncodingUndecided';
  }
}

/** Encodings a strict decode can prove wrong; single-byte code pages decode anything. */
const CHECKABLE = new Set(['utf-8', 'gbk', 'gb18030', 'big5', 'shift_jis', 'euc-kr']);

/**
 * Decide the encoding of the text bytes in [start, end) of a file. `where`
 * turns a byte offset into the user's words ('row 12, byte 340 of the file').
 * Throws EncodingUndecided when the evidence does not decide and nothing was
 * forced.
 */
export function decideEncoding(
  bytes: Uint8Array,
  opts: { forced?: string; declared?: DeclaredEncoding; start?: number; end?: number; where: (offset: number) => string },
): EncodingDecision {
  const start = opts.start ?? 0;
  const end = opts.end ?? bytes.length;
  if (opts.forced) return { encoding: opts.forced, reason: `${opts.forced}, given with --encoding` };
  if (bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) return { encoding: 'utf-8', reason: 'UTF-8, from its byte-order mark' };
  const ascii = isAscii(bytes, start, end);
  if (ascii) {
    return opts.declared
      ? { encoding: opts.declared.encoding, reason: `${opts.declared.encoding}, from ${opts.declared.from} (the text is plain ASCII)` }
      : { encoding: 'utf-8', reason: 'plain ASCII (no byte above 0x7F)' };
  }
  const utf8 = scanUtf8(bytes, start, end);
  const declared = opts.declared;
  if (declared) {
    const enc = declared.encoding;
    if (!CHECKABLE.has(enc)) return { encoding: enc, reason: `${enc}, from ${declared.from}` };
    const ok = enc === 'utf-8' ? utf8.firstBad < 0 : decodesCleanly(bytes.subarray(start, end), enc);
    if (ok) return { encoding: enc, reason: `${enc}, from ${declared.from}; every text value decodes cleanly` };
    const bad = enc === 'utf-8' ? utf8.firstBad : enc === 'gbk' || enc === 'gb18030' ? firstGb18030Error(bytes, start, end) : -1;
    const at = bad >= 0 ? ` (${opts.where(bad)})` : '';
    // The declaration is wrong when the other common encoding fits the bytes exactly.
    if (enc !== 'utf-8' && utf8.firstBad < 0) {
      return { encoding: 'utf-8', reason: `UTF-8: ${declared.from} says ${enc}, but the text is not valid ${enc}${at} and is valid UTF-8 (${utf8.good} non-ASCII characters)` };
    }
    if (enc === 'utf-8' && utf8.good < 4 * utf8.bad && firstGb18030Error(bytes, start, end) < 0 && decodesCleanly(bytes.subarray(start, end), 'gb18030')) {
      return { encoding: 'gbk', reason: `GBK/GB18030: ${declared.from} says UTF-8, but the text is not UTF-8${at} and decodes cleanly as GB18030` };
    }
    throw new EncodingUndecided(bad >= 0 ? bad : start, `the text is not valid ${enc} as ${declared.from} says${at}; give the encoding with --encoding`);
  }
  if (utf8.firstBad < 0) return { encoding: 'utf-8', reason: `UTF-8: every text value decodes cleanly as UTF-8 (${utf8.good} non-ASCII characters)` };
  // Damaged UTF-8 (many good multi-byte sequences, a few bad bytes) must not be read as GBK.
  if (utf8.good >= 4 * utf8.bad) {
    throw new EncodingUndecided(
      utf8.firstBad,
      `the text is UTF-8 (${utf8.good} non-ASCII characters) except ${utf8.bad} byte${utf8.bad > 1 ? 's' : ''} that ${utf8.bad > 1 ? 'are' : 'is'} not, first at ${opts.where(utf8.firstBad)}: a damaged file? Give the encoding with --encoding to read it anyway`,
    );
  }
  const gbBad = firstGb18030Error(bytes, start, end);
  if (gbBad < 0 && decodesCleanly(bytes.subarray(start, end), 'gb18030')) {
    return { encoding: 'gbk', reason: `GBK/GB18030: not UTF-8 (first at ${opts.where(utf8.firstBad)}), and every text value decodes cleanly as GB18030` };
  }
  throw new EncodingUndecided(
    Math.max(utf8.firstBad, gbBad),
    `the text decodes cleanly neither as UTF-8 (first bad byte at ${opts.where(utf8.firstBad)}) nor as GBK/GB18030 (first bad byte at ${opts.where(gbBad >= 0 ? gbBad : utf8.firstBad)}); give the encoding with --encoding`,
  );
}

/** Row (1-based line) of a byte offset in a text file, for messages. */
export function rowOfOffset(bytes: Uint8Array, offset: number): number {
  let row = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) row++;
  return row;
}

/**
 * Decode a whole text file (CSV, GeoJSON): evidence as in decideEncoding, the
 * row and byte offset named when it cannot decide.
 */
export function decodeTextFile(bytes: Uint8Array, forced?: string): { text: string; encoding: string; reason: string } {
  const d = decideEncoding(bytes, {
    forced,
    where: (offset) => `row ${rowOfOffset(bytes, offset)}, byte ${offset + 1} of the file`,
  });
  const bom = d.encoding === 'utf-8' && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { text: decodeText(bom ? bytes.subarray(3) : bytes, d.encoding), encoding: d.encoding, reason: d.reason };
}
