/**
 * A small zip reader for zipped shapefiles: central directory, stored and
 * deflated entries, CRC checked. Inflating uses DecompressionStream, which
 * Node 18+ and browsers both provide, so core needs no zip library. Any
 * damage (truncation, a flipped byte) is refused with the entry it hit.
 */
import { DEFAULT_SETTINGS } from '../model/settings';
import { ReadGuard } from './limits';
import { ImportRefused } from './source';
import { message, type Message } from '../i18n';
import { decodeText, isUtf8 } from './text';

interface StreamReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(): Promise<void>;
}
interface StreamWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}
interface StreamGlobals {
  DecompressionStream: new (format: string) => { readable: { getReader(): StreamReader }; writable: { getWriter(): StreamWriter } };
}
const G = globalThis as unknown as StreamGlobals;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/** Compressed bytes handed to the inflater at a time: the ratio is measured against what went in so far. */
const FEED = 16 * 1024;

/**
 * Inflate piece by piece, each piece counted against the guard's running totals (size of the whole zip,
 * ratio against the compressed bytes fed so far) before the next is taken: a bomb stops at the limit, having
 * held a few megabytes, never the whole expansion.
 */
async function inflateRaw(data: Uint8Array, guard: ReadGuard, where: Message): Promise<Uint8Array> {
  const ds = new G.DecompressionStream('deflate-raw');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  let fed = 0;
  let stop = false;
  const feeding = (async () => {
    for (let o = 0; o < data.length && !stop; o += FEED) {
      const piece = data.subarray(o, Math.min(data.length, o + FEED));
      fed += piece.length;
      await writer.write(piece);
    }
    if (!stop) await writer.close();
  })();
  // A failed feed shows up on the reading side; its own rejection is not left unhandled.
  feeding.catch(() => undefined);
  const pieces: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!value || value.length === 0) continue;
      total += value.length;
      guard.inflate(value.length, total, Math.max(fed, 1), where);
      pieces.push(value);
    }
    await feeding;
  } catch (err) {
    stop = true;
    await reader.cancel().catch(() => undefined);
    await writer.abort(err).catch(() => undefined);
    throw err;
  }
  if (pieces.length === 1) return pieces[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Entries of a zip by their path inside it (folders dropped). */
export async function readZip(bytes: Uint8Array, fileName: string, guard = new ReadGuard(fileName, DEFAULT_SETTINGS)): Promise<Map<string, Uint8Array>> {
  const refuse = (where: Message | undefined, reason: Message): never => {
    throw new ImportRefused(fileName, where, reason);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) refuse(undefined, message('io.zip.noEnd'));
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) refuse(undefined, message('io.zip.zip64'));
  if (cdOffset + cdSize > eocd) refuse(undefined, message('io.zip.dirOutside'));
  guard.entries(count);
  const out = new Map<string, Uint8Array>();
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== 0x02014b50) refuse(message('io.where.zipEntryN', { n: n + 1 }), message('io.zip.badDir'));
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    const compSize = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    if (p + 46 + nameLen > eocd) refuse(message('io.where.zipEntryN', { n: n + 1 }), message('io.zip.badDir'));
    const rawName = bytes.subarray(p + 46, p + 46 + nameLen);
    // Chinese zip tools write GBK names without the UTF-8 flag.
    const name = decodeText(rawName, flags & 0x800 || isUtf8(rawName) ? 'utf-8' : 'gbk');
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    const where = message('io.where.zipEntry', { name });
    if (flags & 1) refuse(where, message('io.zip.encrypted'));
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) refuse(where, message('io.zip.noEntryHeader'));
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + compSize > bytes.length) refuse(where, message('io.zip.entryShort'));
    const data = bytes.subarray(start, start + compSize);
    let content: Uint8Array;
    if (method === 0) {
      content = data;
      guard.inflate(data.length, data.length, data.length, where);
    } else if (method === 8) {
      try {
        content = await inflateRaw(data, guard, where);
      } catch (err) {
        if (err instanceof ImportRefused) throw err;
        return refuse(where, message('io.zip.inflate', { detail: (err as Error).message }));
      }
    } else return refuse(where, message('io.zip.method', { method }));
    if (content.length !== size || crc32(content) !== crc) refuse(where, message('io.zip.checksum'));
    out.set(name, content);
  }
  return out;
}
