/**
 * A file's bytes without holding them all: readers of large tables (a
 * shapefile's .dbf can be hundreds of megabytes) go through a window that
 * is refilled piece by piece. The Node side gives a file-backed source;
 * bytes already in memory (a zip entry) are their own window.
 */
import { clamp } from '../format/number';

/** Random access to a file: `read` fills `target` from `offset` and returns how many bytes it put there. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, target: Uint8Array): number;
}

/** Bytes in memory as a source. */
export function memorySource(bytes: Uint8Array): ByteSource & { bytes: Uint8Array } {
  return {
    bytes,
    size: bytes.length,
    read(offset, target) {
      const part = bytes.subarray(offset, Math.min(bytes.length, offset + target.length));
      target.set(part);
      return part.length;
    },
  };
}

/**
 * A window on a source: `at(offset, length)` makes that range available
 * in `buf` and returns its index there (the range stays valid until the next
 * call). Memory sources are their own window, with no copy.
 */
export class ByteWindow {
  buf: Uint8Array;
  view: DataView;
  private start = 0;
  private end = 0;
  constructor(
    readonly src: ByteSource,
    readonly chunk = 1 << 20,
  ) {
    const mem = (src as { bytes?: Uint8Array }).bytes;
    if (mem) {
      this.buf = mem;
      this.end = mem.length;
    } else this.buf = new Uint8Array(clamp(src.size, 1, chunk));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  get size(): number {
    return this.src.size;
  }

  /** Index in `buf` of `offset`, with `length` bytes after it available; -1 when the source ends before. */
  at(offset: number, length: number): number {
    if (offset < 0 || offset + length > this.src.size) return -1;
    if (offset >= this.start && offset + length <= this.end) return offset - this.start;
    if (length > this.buf.length) {
      this.buf = new Uint8Array(Math.max(length, this.chunk));
      this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    }
    const n = this.src.read(offset, this.buf.subarray(0, Math.min(this.buf.length, this.src.size - offset)));
    this.start = offset;
    this.end = offset + n;
    return n >= length ? 0 : -1;
  }
}
