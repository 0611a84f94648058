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
import { message, SaidError, type Message } from '../i18n';

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

/** 32-bit views of byte arrays, made once per array (scans call nextHighByte many times). */
const wordViews = new WeakMap<ArrayBufferLike, Uint32Array>();

/**
 * The first offset ≥ start of a byte ≥ 0x80, or `end`: four bytes at a time
 * through an aligned 32-bit view (attribute tables are mostly ASCII padding).
 */
export function nextHighByte(b: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && (b.byteOffset + i) & 3) {
    if (b[i] >= 0x80) return i;
    i++;
  }
  if (end - i >= 16) {
    let w = wordViews.get(b.buffer);
    if (!w) {
      w = new Uint32Array(b.buffer, 0, Math.floor(b.buffer.byteLength / 4));
      wordViews.set(b.buffer, w);
    }
    let k = (b.byteOffset + i) >> 2;
    const last = (b.byteOffset + end) >> 2;
    while (k < last && (w[k] & 0x80808080) === 0) k++;
    i = k * 4 - b.byteOffset;
  }
  while (i < end && b[i] < 0x80) i++;
  return i;
}

/** True when every byte is below 0x80. */
export function isAscii(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  return nextHighByte(bytes, start, end) >= end;
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
      i = nextHighByte(b, i + 1, end);
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
    if (c < 0x80) {
      i = nextHighByte(b, i + 1, end);
      continue;
    }
    if (c === 0x80) {
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

/** The encoding chosen for a file's text, and the evidence. */
export interface EncodingDecision {
  encoding: string;
  /** Why, as a typed message (`import.enc.*`): given with --encoding, from p.cpg ("936"), valid UTF-8 (412 non-ASCII characters)… */
  reason: Message;
}

/** A declaration found in the file, to be checked against its bytes. */
export interface DeclaredEncoding {
  encoding: string;
  /** Where it was read, as a message: 'p.cpg ("936")', 'the .dbf language-driver byte 0x4D'. */
  from: Message;
}

/** Why no encoding could be decided (a message), with the offset of the byte that decided it. */
export class EncodingUndecided extends SaidError {
  constructor(
    readonly offset: number,
    reason: Message,
  ) {
    super(reason);
    this.name = 'EncodingUndecided';
  }
}

/** A byte offset of a text file as a place: its row and byte. */
export function rowByteOf(bytes: Uint8Array, offset: number): Message {
  return message('io.where.rowByte', { row: rowOfOffset(bytes, offset), byte: offset + 1 });
}

/** Encodings a strict decode can prove wrong; single-byte code pages decode anything. */
const CHECKABLE = new Set(['utf-8', 'gbk', 'gb18030', 'big5', 'shift_jis', 'euc-kr']);

/**
 * Decide the encoding of the text bytes in [start, end) of a file. `where`
 * turns a byte offset into the user's words ('row 12, byte 340 of the file').
 * Throws EncodingUndecided when the evidence does not decide and nothing was
 * forced.
 */
/**
 * The facts about a file's text bytes the encoding is decided from,
 * gathered piece by piece (a large table is read in chunks): whether any
 * byte is above 0x7F, well-formed and broken UTF-8 sequences, the first
 * byte GB18030 cannot read, and whether a declared encoding decodes. Offsets
 * are file offsets. Pieces must not split a character (a table is read in
 * whole records).
 */
export class TextEvidence {
  ascii = true;
  utf8 = { good: 0, bad: 0, firstBad: -1 };
  gbFirstError = -1;
  /** Declared encoding that only ICU can check (Big5, Shift-JIS…): decodes so far? */
  declaredOk = true;
  declaredFirstError = -1;
  firstByte = -1;
  private checker: Decoder | null = null;
  /**
   * @param declared the encoding the file declares, if any
   * @param declaredOnly gather only what checks the declaration (then declarationHolds() says whether that was enough)
   */
  constructor(
    readonly declared?: string,
    readonly declaredOnly = false,
  ) {}

  /** With declaredOnly: whether the declaration held (else the evidence must be gathered in full). */
  declarationHolds(): boolean {
    if (!this.declaredOnly || this.ascii || !this.declared) return true;
    const d = this.declared;
    if (d === 'utf-8') return this.utf8.firstBad < 0;
    if (d === 'gbk' || d === 'gb18030') return this.gbFirstError < 0;
    return !CHECKABLE.has(d) || this.declaredOk;
  }

  add(bytes: Uint8Array, start: number, end: number, fileOffset: number): void {
    if (this.firstByte < 0 && end > start) this.firstByte = bytes[start];
    const high = nextHighByte(bytes, start, end);
    if (high >= end) return;
    this.ascii = false;
    const d = this.declared;
    const only = this.declaredOnly && d !== undefined;
    if (!only || d === 'utf-8') {
      const u = scanUtf8(bytes, high, end);
      if (u.firstBad >= 0 && this.utf8.firstBad < 0) this.utf8.firstBad = u.firstBad - start + fileOffset;
      this.utf8.good += u.good;
      this.utf8.bad += u.bad;
    }
    if ((!only || d === 'gbk' || d === 'gb18030') && this.gbFirstError < 0) {
      const g = firstGb18030Error(bytes, high, end);
      if (g >= 0) this.gbFirstError = g - start + fileOffset;
    }
    if (d && this.declaredOk && CHECKABLE.has(d) && d !== 'utf-8' && d !== 'gbk' && d !== 'gb18030') {
      try {
        this.checker ??= new TextDecoderImpl(d, { fatal: true });
        (this.checker as unknown as { decode(b: Uint8Array, o: { stream: boolean }): string }).decode(bytes.subarray(start, end), { stream: true });
      } catch {
        this.declaredOk = false;
        this.declaredFirstError = fileOffset;
      }
    }
  }
}

/**
 * Decide the encoding of the text bytes in [start, end) of a file. `where`
 * turns a byte offset into the user's words ('row 12, byte 340 of the file').
 * Throws EncodingUndecided when the evidence does not decide and nothing was
 * forced.
 */
export function decideEncoding(
  bytes: Uint8Array,
  opts: { forced?: string; declared?: DeclaredEncoding; start?: number; end?: number; where: (offset: number) => Message },
): EncodingDecision {
  const start = opts.start ?? 0;
  const end = opts.end ?? bytes.length;
  if (opts.forced) return { encoding: opts.forced, reason: message('import.enc.forced', { enc: opts.forced }) };
  const bom = bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf;
  const ev = new TextEvidence(opts.declared?.encoding);
  if (!bom) ev.add(bytes, start, end, start);
  return decideFromEvidence(ev, { ...opts, bom });
}

/** The decision of decideEncoding, from evidence gathered piece by piece. */
export function decideFromEvidence(ev: TextEvidence, opts: { forced?: string; declared?: DeclaredEncoding; where: (offset: number) => Message; bom?: boolean }): EncodingDecision {
  if (opts.forced) return { encoding: opts.forced, reason: message('import.enc.forced', { enc: opts.forced }) };
  if (opts.bom) return { encoding: 'utf-8', reason: message('import.enc.bom') };
  const declared = opts.declared;
  if (ev.ascii) {
    return declared
      ? { encoding: declared.encoding, reason: message('import.enc.declaredAscii', { enc: declared.encoding, from: declared.from }) }
      : { encoding: 'utf-8', reason: message('import.enc.ascii') };
  }
  if (declared && !CHECKABLE.has(declared.encoding)) return { encoding: declared.encoding, reason: message('import.enc.declared', { enc: declared.encoding, from: declared.from }) };
  const utf8 = ev.utf8;
  const gbBad = ev.gbFirstError;
  if (declared) {
    const enc = declared.encoding;
    const gbk = enc === 'gbk' || enc === 'gb18030';
    // GBK / GB18030 are checked by their byte structure (every well-formed two-byte code is mapped).
    const ok = enc === 'utf-8' ? utf8.firstBad < 0 : gbk ? gbBad < 0 : ev.declaredOk;
    if (ok) return { encoding: enc, reason: message('import.enc.declaredClean', { enc, from: declared.from }) };
    const bad = enc === 'utf-8' ? utf8.firstBad : gbk ? gbBad : ev.declaredFirstError;
    const at = bad >= 0 ? message('import.enc.at', { where: opts.where(bad) }) : '';
    // The declaration is wrong when the other common encoding fits the bytes exactly.
    if (enc !== 'utf-8' && utf8.firstBad < 0) {
      return { encoding: 'utf-8', reason: message('import.enc.utf8NotDeclared', { enc, from: declared.from, at, n: utf8.good }) };
    }
    if (enc === 'utf-8' && utf8.good < 4 * utf8.bad && gbBad < 0) {
      return { encoding: 'gbk', reason: message('import.enc.gbkNotUtf8Declared', { from: declared.from, at }) };
    }
    throw new EncodingUndecided(bad, message('io.enc.notDeclared', { enc, from: declared.from, at }));
  }
  if (utf8.firstBad < 0) return { encoding: 'utf-8', reason: message('import.enc.utf8', { n: utf8.good }) };
  // Damaged UTF-8 (many good multi-byte sequences, a few bad bytes) must not be read as GBK.
  if (utf8.good >= 4 * utf8.bad) {
    throw new EncodingUndecided(utf8.firstBad, message('io.enc.damagedUtf8', { good: utf8.good, bad: utf8.bad, where: opts.where(utf8.firstBad) }));
  }
  if (gbBad < 0) {
    return { encoding: 'gbk', reason: message('import.enc.gbk', { where: opts.where(utf8.firstBad) }) };
  }
  throw new EncodingUndecided(Math.max(utf8.firstBad, gbBad), message('io.enc.neither', { utf8: opts.where(utf8.firstBad), gbk: opts.where(gbBad) }));
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
export function decodeTextFile(bytes: Uint8Array, forced?: string): { text: string; encoding: string; reason: Message } {
  const d = decideEncoding(bytes, {
    forced,
    where: (offset) => rowByteOf(bytes, offset),
  });
  const bom = d.encoding === 'utf-8' && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { text: decodeText(bom ? bytes.subarray(3) : bytes, d.encoding), encoding: d.encoding, reason: d.reason };
}

/** Decodes a byte range; short attribute values are decoded without a TextDecoder call each. */
export type RangeDecoder = (b: Uint8Array, s: number, e: number) => string;

let gbkTable: Uint16Array | null = null;

/** Every two-byte GBK / GB18030 code as one UTF-16 unit, built once from the platform's own decoder. */
function gbkPairs(): Uint16Array {
  if (gbkTable) return gbkTable;
  const trails: number[] = [];
  for (let t = 0x40; t <= 0xfe; t++) if (t !== 0x7f) trails.push(t);
  const n = 126 * trails.length;
  const buf = new Uint8Array(n * 2);
  let o = 0;
  for (let lead = 0x81; lead <= 0xfe; lead++) for (const t of trails) {
    buf[o++] = lead;
    buf[o++] = t;
  }
  const table = new Uint16Array(n);
  const all = decodeText(buf, 'gb18030');
  if (all.length === n) for (let i = 0; i < n; i++) table[i] = all.charCodeAt(i);
  else for (let i = 0; i < n; i++) table[i] = decodeText(buf.subarray(i * 2, i * 2 + 2), 'gb18030').charCodeAt(0);
  gbkTable = table;
  return table;
}

const trailIndex = (t: number) => (t < 0x7f ? t - 0x40 : t - 0x41);

/**
 * A decoder of short values for an encoding: UTF-8 and GBK / GB18030 in
 * plain code (imports decode every value of every record, and a native call
 * per value costs more than the value), anything else through TextDecoder.
 * Input the fast paths cannot read exactly goes to TextDecoder too.
 */
export function rangeDecoder(encoding: string): RangeDecoder {
  const slow: RangeDecoder = (b, s, e) => decodeText(b.subarray(s, e), encoding);
  if (encoding === 'utf-8') {
    return (b, s, e) => {
      let out = '';
      for (let i = s; i < e; i++) {
        const c = b[i];
        if (c < 0x80) out += String.fromCharCode(c);
        else if (c >= 0xc2 && c <= 0xdf && i + 1 < e && (b[i + 1] & 0xc0) === 0x80) {
          out += String.fromCharCode(((c & 0x1f) << 6) | (b[++i] & 0x3f));
        } else if (c >= 0xe0 && c <= 0xef && i + 2 < e && (b[i + 1] & 0xc0) === 0x80 && (b[i + 2] & 0xc0) === 0x80) {
          const cp = ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
          if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return slow(b, s, e);
          out += String.fromCharCode(cp);
          i += 2;
        } else return slow(b, s, e);
      }
      return out;
    };
  }
  if (encoding === 'gbk' || encoding === 'gb18030') {
    return (b, s, e) => {
      const table = gbkPairs();
      let out = '';
      for (let i = s; i < e; i++) {
        const c = b[i];
        if (c < 0x80) out += String.fromCharCode(c);
        else if (c >= 0x81 && c <= 0xfe && i + 1 < e && b[i + 1] >= 0x40 && b[i + 1] <= 0xfe && b[i + 1] !== 0x7f) {
          out += String.fromCharCode(table[(c - 0x81) * 190 + trailIndex(b[i + 1])]);
          i++;
        } else return slow(b, s, e);
      }
      return out;
    };
  }
  return slow;
}
