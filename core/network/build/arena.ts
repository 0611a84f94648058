/**
 * Typed arrays carved out of one large block of memory.
 *
 * Every typed array's memory lives outside the JavaScript heap, and V8
 * counts each new ArrayBuffer towards its next full collection: with a
 * million pipe features on the heap, every 64 MB or so of fresh arrays cost
 * a full mark of that heap (over half a second each, on the main thread).
 * The graph build therefore asks for its memory once, sized from the layers'
 * lengths (pages never written are never backed by memory, so a generous
 * size costs address space only), and takes its arrays from it in turn. The
 * block is a SharedArrayBuffer where the platform has one: V8 leaves shared
 * memory out of that count, so the block triggers no collection at all; it is
 * freed with the last array that views it, like any other. Nothing is shared
 * with another thread. The arrays are zero-filled and never overlap; one that
 * does not fit gets memory of its own. The build's scratch block is handed on
 * to the next build (scratchArena), as its pages are already in memory.
 */
export class Arena {
  private buf: ArrayBuffer | null;
  private at = 0;

  /** A block of `bytes`, or `block` itself (all zeros, at least `bytes` long) when given. */
  constructor(bytes: number, block?: ArrayBuffer) {
    const size = Math.ceil(bytes / 8) * 8;
    this.buf = bytes <= 0 ? null : block ?? (typeof SharedArrayBuffer === 'function' ? (new SharedArrayBuffer(size) as unknown as ArrayBuffer) : new ArrayBuffer(size));
  }

  /** The block (null for an arena of no block). */
  get block(): ArrayBuffer | null {
    return this.buf;
  }

  /** Where `bytes` (a multiple of 8 after rounding) start in the block, or -1 when they do not fit. */
  private take(bytes: number): number {
    const size = Math.ceil(bytes / 8) * 8;
    if (!this.buf || this.at + size > this.buf.byteLength) return -1;
    const at = this.at;
    this.at += size;
    return at;
  }

  f64(n: number): Float64Array<ArrayBuffer> {
    const at = this.take(8 * n);
    return at < 0 ? new Float64Array(n) : new Float64Array(this.buf!, at, n);
  }

  i32(n: number): Int32Array<ArrayBuffer> {
    const at = this.take(4 * n);
    return at < 0 ? new Int32Array(n) : new Int32Array(this.buf!, at, n);
  }

  u8(n: number): Uint8Array<ArrayBuffer> {
    const at = this.take(n);
    return at < 0 ? new Uint8Array(n) : new Uint8Array(this.buf!, at, n);
  }

  /** Bytes handed out so far (from the block). */
  get used(): number {
    return this.at;
  }
}

/**
 * Scratch memory kept from one build for the next. Fresh pages cost a fault
 * each when first written (dear on a virtual machine: at 100k pipes the
 * build's scratch arrays are about 3000 pages); a block the last build used
 * has its pages already and only needs the part it used zeroed. Held weakly:
 * the collector may take it back whenever it likes.
 */
let spare: { block: WeakRef<ArrayBuffer>; used: number } | null = null;

/**
 * An arena of at least `bytes` for memory used only during one call: the
 * last such arena's block when it is still there, large enough and not more
 * than twice as large (zeroed where it was used: a small build after a large
 * one would zero more than it needs), else a new one. Hand it back with
 * `releaseScratch`.
 */
export function scratchArena(bytes: number): Arena {
  const kept = spare;
  spare = null;
  const block = kept?.block.deref();
  if (block && block.byteLength >= bytes && block.byteLength <= 2 * bytes) {
    new Uint8Array(block, 0, Math.min(kept!.used, block.byteLength)).fill(0);
    return new Arena(bytes, block);
  }
  return new Arena(bytes);
}

/** `arena` (from scratchArena) is no longer used: its block may serve the next one. */
export function releaseScratch(arena: Arena): void {
  const block = arena.block;
  if (block && typeof WeakRef === 'function') spare = { block: new WeakRef(block), used: arena.used };
}

/** An arena of no block: every array gets memory of its own (small inputs, tests). */
export const plainArena = (): Arena => new Arena(0);
