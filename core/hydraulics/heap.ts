/**
 * A binary min-heap of (key, value) pairs in typed arrays, with lazy
 * deletion left to the caller (push again with a smaller key, skip stale
 * pops): Dijkstra over a hundred thousand nodes without a garbage object per push.
 */
export class MinHeap {
  private keys: Float64Array;
  private vals: Int32Array;
  size = 0;
  constructor(capacity = 1024) {
    this.keys = new Float64Array(Math.max(16, capacity));
    this.vals = new Int32Array(Math.max(16, capacity));
  }
  push(key: number, val: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.keys.length * 2);
      k.set(this.keys);
      this.keys = k;
      const v = new Int32Array(this.vals.length * 2);
      v.set(this.vals);
      this.vals = v;
    }
    const K = this.keys, V = this.vals;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (K[p] < key || (K[p] === key && V[p] <= val)) break;
      K[i] = K[p];
      V[i] = V[p];
      i = p;
    }
    K[i] = key;
    V[i] = val;
  }
  /** Key of the top (call only when size > 0). */
  topKey(): number {
    return this.keys[0];
  }
  /** Remove the top and return its value. */
  pop(): number {
    const K = this.keys, V = this.vals;
    const out = V[0];
    const n = --this.size;
    if (n > 0) {
      const key = K[n], val = V[n];
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const c = l + 1 < n && (K[l + 1] < K[l] || (K[l + 1] === K[l] && V[l + 1] < V[l])) ? l + 1 : l;
        if (K[c] > key || (K[c] === key && V[c] >= val)) break;
        K[i] = K[c];
        V[i] = V[c];
        i = c;
      }
      K[i] = key;
      V[i] = val;
    }
    return out;
  }
}
