import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analysePattern, createFactor, factorNumeric, NotPositiveDefinite, solveFactored } from './sparse';
import { seededRandom } from '../random';

/** A weighted graph Laplacian plus a positive diagonal: what the node equations look like. */
function randomSystem(seed: number, n: number, extra: number) {
  const r = seededRandom(seed);
  const I: number[] = [];
  const J: number[] = [];
  const W: number[] = [];
  for (let v = 1; v < n; v++) {
    I.push(v);
    J.push(Math.floor(r() * v));
    W.push(0.1 + r() * 10);
  }
  for (let k = 0; k < extra; k++) {
    const a = Math.floor(r() * n), b = Math.floor(r() * n);
    I.push(a);
    J.push(b);
    W.push(0.1 + r() * 10);
  }
  const shift = Array.from({ length: n }, () => (r() < 0.2 ? r() * 5 : 0));
  shift[0] += 1; // at least one grounded node
  return { I: Int32Array.from(I), J: Int32Array.from(J), W, shift };
}

function dense(n: number, s: ReturnType<typeof randomSystem>): number[][] {
  const A = Array.from({ length: n }, () => new Array(n).fill(0));
  s.I.forEach((i, k) => {
    const j = s.J[k];
    if (i === j) return;
    A[i][i] += s.W[k];
    A[j][j] += s.W[k];
    A[i][j] -= s.W[k];
    A[j][i] -= s.W[k];
  });
  for (let i = 0; i < n; i++) A[i][i] += s.shift[i];
  return A;
}

function gauss(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

function solveSparse(n: number, s: ReturnType<typeof randomSystem>, b: number[]): number[] {
  const pat = analysePattern(n, s.I, s.J);
  const f = createFactor(pat);
  f.Lx.fill(0);
  f.diag.fill(0);
  s.I.forEach((i, k) => {
    const j = s.J[k];
    if (i === j) return;
    f.diag[i] += s.W[k];
    f.diag[j] += s.W[k];
    f.Lx[pat.pairSlot[k]] -= s.W[k];
  });
  for (let i = 0; i < n; i++) f.diag[i] += s.shift[i];
  factorNumeric(f);
  const x = Float64Array.from(b);
  solveFactored(f, x);
  return [...x];
}

describe('sparse LDLᵀ with minimum-degree ordering', () => {
  it('solves random node-equation systems as dense Gaussian elimination does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 2, max: 60 }), fc.integer({ min: 0, max: 80 }), (seed, n, extra) => {
        const s = randomSystem(seed, n, extra);
        const b = Array.from({ length: n }, (_, i) => Math.sin(i + seed));
        const ref = gauss(dense(n, s), b);
        const x = solveSparse(n, s, b);
        for (let i = 0; i < n; i++) expect(x[i]).toBeCloseTo(ref[i], 8);
      }),
      { numRuns: 150, seed: 14 },
    );
  });

  it('eliminates a tree with no fill and keeps a grid sparse', () => {
    const tree = randomSystem(3, 2000, 0);
    const pt = analysePattern(2000, tree.I, tree.J);
    expect(pt.Li.length).toBe(1999);
    // 60×60 grid Laplacian: nested-dissection-like fill (n log n), far below the band's n^1.5.
    const side = 60;
    const I: number[] = [];
    const J: number[] = [];
    for (let x = 0; x < side; x++)
      for (let y = 0; y < side; y++) {
        if (x + 1 < side) {
          I.push(x * side + y);
          J.push((x + 1) * side + y);
        }
        if (y + 1 < side) {
          I.push(x * side + y);
          J.push(x * side + y + 1);
        }
      }
    const pg = analysePattern(side * side, Int32Array.from(I), Int32Array.from(J));
    expect(pg.Li.length).toBeLessThan(side * side * 25);
    expect(new Set(pg.perm).size).toBe(side * side);
  });

  it('orders the elimination in postorder of its tree: sorted columns, parents after children, subtrees contiguous', () => {
    const side = 40;
    const I: number[] = [];
    const J: number[] = [];
    // A grid with a tree hanging off every tenth node (the shape of a heating network's core and branches).
    let extra = side * side;
    for (let x = 0; x < side; x++)
      for (let y = 0; y < side; y++) {
        const v = x * side + y;
        const link = (a: number, b: number) => {
          I.push(a);
          J.push(b);
        };
        if (x + 1 < side) link(v, v + side);
        if (y + 1 < side) link(v, v + 1);
        if (v % 10 === 0) for (let t = 0; t < 3; t++) link(t === 0 ? v : extra - 1, extra++);
      }
    const n = extra;
    const pt = analysePattern(n, Int32Array.from(I), Int32Array.from(J));
    const parent = new Int32Array(n).fill(-1);
    for (let k = 0; k < n; k++) {
      for (let p = pt.Lp[k] + 1; p < pt.Lp[k + 1]; p++) expect(pt.Li[p]).toBeGreaterThan(pt.Li[p - 1]);
      if (pt.Lp[k + 1] > pt.Lp[k]) {
        parent[k] = pt.Li[pt.Lp[k]];
        expect(parent[k]).toBeGreaterThan(k);
      }
    }
    // Postorder: the columns of each subtree are the block just before its root.
    const size = new Int32Array(n).fill(1);
    for (let k = 0; k < n; k++) if (parent[k] >= 0) size[parent[k]] += size[k];
    for (let k = 0; k < n; k++) {
      let first = k;
      for (let c = k - 1; c >= 0 && c > k - size[k]; c--) {
        let a = c;
        while (a >= 0 && a < k) a = parent[a];
        expect(a).toBe(k);
        first = c;
      }
      expect(k - first + 1).toBe(size[k]);
    }
    expect(new Set(pt.perm).size).toBe(n);
    for (let k = 0; k < n; k++) expect(pt.iperm[pt.perm[k]]).toBe(k);
  });

  it('reports a singular system (a node with nothing fixing its head)', () => {
    const I = Int32Array.from([0, 1]);
    const J = Int32Array.from([1, 2]);
    const pat = analysePattern(3, I, J);
    const f = createFactor(pat);
    f.diag.set([1, 2, 1]);
    f.Lx[pat.pairSlot[0]] = -1;
    f.Lx[pat.pairSlot[1]] = -1;
    expect(() => factorNumeric(f)).toThrow(NotPositiveDefinite);
  });
});
