/**
 * Feature id → index for a layer of up to millions of features: an
 * open-addressing hash of the ids' strings in one typed array (a Map of a
 * million string keys costs several times as long to fill). Same answers as
 * a Map filled in order: an id seen twice gives its last index.
 */
import type { Feature } from '../model/types';
import type { Arena } from './build/arena';

/** FNV-1a over the UTF-16 code units, finished by a multiply-xorshift. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h;
}

export class IdIndex {
  private idList: readonly string[];
  /** 1 where a feature repeats an earlier feature's id. */
  private repeat: Uint8Array;
  /** Slot → feature index + 1 (0 = empty). */
  private table: Int32Array;
  private mask: number;
  readonly size: number;

  /**
   * `ids`, when given, is String(id) of each feature (read already, as the
   * graph build does in its one walk over the pipes); `arena` gives the
   * tables' memory.
   */
  constructor(features: readonly Pick<Feature, 'id'>[], ids?: readonly string[], arena?: Arena) {
    const n = features.length;
    let cap = 16;
    while (cap < n * 2) cap *= 2;
    this.table = arena ? arena.i32(cap) : new Int32Array(cap);
    this.mask = cap - 1;
    // Filled by push: `new Array(n)` of a million is a slow dictionary-mode array.
    const list: string[] = [];
    this.idList = ids ?? list;
    this.repeat = arena ? arena.u8(n) : new Uint8Array(n);
    // One feature per call of `insert`: called once per build, a long loop in
    // this constructor would run part of every build unoptimised.
    let size = 0;
    if (ids) for (let i = 0; i < n; i++) size += this.insert(i, ids[i]);
    else
      for (let i = 0; i < n; i++) {
        const key = String(features[i].id);
        list.push(key);
        size += this.insert(i, key);
      }
    this.size = size;
  }

  /** An index of codes themselves (code i → i), as of features with those codes; `ids` is kept, not copied. */
  static ofIds(ids: readonly string[]): IdIndex {
    return new IdIndex({ length: ids.length } as readonly Pick<Feature, 'id'>[], ids);
  }

  /** Feature i's id `key` into the table (idList[i] is key already); 1 when the id is new, 0 when it repeats. */
  private insert(i: number, key: string): number {
    const { table, mask, idList } = this;
    let h = hashString(key) & mask;
    for (;;) {
      const at = table[h];
      if (at === 0) {
        table[h] = i + 1;
        return 1;
      }
      if (idList[at - 1] === key) {
        table[h] = i + 1;
        this.repeat[i] = 1;
        return 0;
      }
      h = (h + 1) & mask;
    }
  }

  get(id: string): number | undefined {
    let h = hashString(id) & this.mask;
    for (;;) {
      const at = this.table[h];
      if (at === 0) return undefined;
      if (this.idList[at - 1] === id) return at - 1;
      h = (h + 1) & this.mask;
    }
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** The ids, each once, in the order they first appear (as a Map's keys). */
  *keys(): IterableIterator<string> {
    for (let i = 0; i < this.idList.length; i++) if (!this.repeat[i]) yield this.idList[i];
  }
}
