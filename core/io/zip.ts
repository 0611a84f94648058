/**
 * A small zip reader for zipped shapefiles: central directory, stored and
 * deflated entries, CRC checked. Inflating uses DecompressionStream, which
 * Node 18+ and browsers both provide, so core needs no zip library. Any
 * damage (truncation, a flipped byte) is refused with the entry it hit.
 */
import { ImportRefused } from './source';
import { decodeText, isUtf8 } from './text';

interface StreamGlobals {
  DecompressionStream: new (format: string) => unknown;
  Blob: new (parts: Uint8Array[]) => { stream(): { pipeThrough(t: unknown): unknown } };
  Response: new (body: unknown) => { arrayBuffer(): Promise<ArrayBuffer> };
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

async function inflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new G.Blob([data]).stream().pipeThrough(new G.DecompressionStream('deflate-raw'));
  return new Uint8Array(await new G.Response(stream).arrayBuffer());
}

/** Entries of a zip by their path inside it (folders dropped). */
export async function readZip(bytes: Uint8Array, fileName: string): Promise<Map<string, Uint8Array>> {
  const refuse = (where: string | undefined, reason: string): never => {
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
  if (eocd < 0) refuse(undefined, 'not a complete zip file (no end-of-archive record; truncated?)');
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) refuse(undefined, 'zip64 archives are not supported');
  if (cdOffset + cdSize > eocd) refuse(undefined, 'zip directory lies outside the file (truncated or damaged)');
  const out = new Map<string, Uint8Array>();
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== 0x02014b50) refuse(`zip entry ${n + 1}`, 'damaged zip directory');
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    const compSize = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    if (p + 46 + nameLen > eocd) refuse(`zip entry ${n + 1}`, 'damaged zip directory');
    const rawName = bytes.subarray(p + 46, p + 46 + nameLen);
    // Chinese zip tools write GBK names without the UTF-8 flag.
    const name = decodeText(rawName, flags & 0x800 || isUtf8(rawName) ? 'utf-8' : 'gbk');
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    const where = `zip entry ${name}`;
    if (flags & 1) refuse(where, 'encrypted zip entries are not supported');
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) refuse(where, 'entry header missing (truncated or damaged zip)');
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + compSize > bytes.length) refuse(where, 'entry data cut short (truncated zip)');
    const data = bytes.subarray(start, start + compSize);
    let content: Uint8Array;
    if (method === 0) content = data;
    else if (method === 8) {
      try {
        content = await inflateRaw(data);
      } catch (err) {
        return refuse(where, `cannot inflate (${(err as Error).message})`);
      }
    } else return refuse(where, `compression method ${method} is not supported`);
    if (content.length !== size || crc32(content) !== crc) refuse(where, 'checksum mismatch (damaged zip)');
    out.set(name, content);
  }
  return out;
}
