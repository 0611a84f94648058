/**
 * Sparse symmetric positive-definite solver for the node equations of the
 * hydraulic solver: a minimum-degree ordering computed on the explicit
 * elimination graph (it yields the pattern of L as it goes, so ordering and
 * symbolic factorisation are one pass), put in postorder of its elimination
 * tree (same fill, columns of a subtree together), then a left-looking LDLᵀ
 * factorisation, driven by the row lists of L, whose pattern is reused
 * across Newton iterations.
 *
 * Heating networks are trees with some loops: minimum degree eliminates the
 * tree parts first with no fill at all, and keeps the fill of the looped core
 * small (the same family of ordering EPANET uses, multiple minimum degree).
 * Everything is typed arrays; a matrix is given as a pattern of off-diagonal
 * pairs (i < j) and per-Newton-step values.
 */

import { releaseWork, workI32 } from './work';

/** Fixed structure of a symmetric matrix and of its LDLᵀ factor. */
export interface SparsePattern {
  n: number;
  /** Elimination order: perm[k] = original index eliminated k-th; iperm its inverse. */
  perm: Int32Array;
  iperm: Int32Array;
  /** Column pointers and row indices of L (permuted indices, rows > column, sorted). */
  Lp: Int32Array;
  Li: Int32Array;
  /** For each off-diagonal input pair, its slot in L's values. */
  pairSlot: Int32Array;
  /**
   * Rows of L: for row j, the columns k < j with L(j, k) ≠ 0 (rowCol, ascending) and the slot of
   * that entry in L's values (rowPos); the factorisation's updates to column j, in a fixed order.
   */
  rowStart: Int32Array;
  rowCol: Int32Array;
  rowPos: Int32Array;
}

/** Work arrays of one numeric factorisation (reused between iterations). */
export interface SparseFactor {
  pattern: SparsePattern;
  /** Diagonal of the matrix to factor, by original index. */
  diag: Float64Array;
  /** Off-diagonal values in L's layout (write with `pairSlot`); overwritten by L. */
  Lx: Float64Array;
  D: Float64Array;
  work: Float64Array;
  x: Float64Array;
}

/**
 * The ordering's per-vertex arrays, n + 1 entries each, are work arrays
 * (work.ts: kept between calls, so a solve after the first allocates only the
 * pattern it returns), named by what they hold; their contents are not
 * cleared. `mark` serves the adjacency and the elimination in turn.
 */
const vertexArray = (name: string, n: number): Int32Array => workI32(`md.${name}`, n + 1);

/**
 * Minimum-degree ordering and symbolic factorisation of the symmetric pattern
 * given by the pairs (pairI[k], pairJ[k]) (duplicates and either order
 * allowed; pairs with i == j are ignored).
 */
export function analysePattern(n: number, pairI: Int32Array, pairJ: Int32Array): SparsePattern {
  // Three functions (adjacency, elimination, the factor's pattern), each compiled on its own.
  const g = eliminationGraph(n, pairI, pairJ);
  const md = minimumDegree(n, g);
  const pattern = permutedPattern(n, pairI, pairJ, md.perm, md.iperm, md.colStart, md.cols);
  // The ordering's arrays serve this call only: on a large network (a city's, ~120 MB of them at a
  // million pipes) they go now rather than through the Newton steps and results that follow.
  releaseWork('md.');
  return pattern;
}

/** Postorder of the subtree at root into order[done ..]; returns the new count. */
function postorderFrom(root: number, childHead: Int32Array, childNext: Int32Array, stack: Int32Array, order: Int32Array, done: number): number {
  // stack holds the path from the root; childHead is consumed as each child is entered.
  let top = 0;
  stack[top++] = root;
  while (top > 0) {
    const k = stack[top - 1];
    const c = childHead[k];
    if (c >= 0) {
      childHead[k] = childNext[c];
      stack[top++] = c;
    } else {
      top--;
      order[done++] = k;
    }
  }
  return done;
}

interface EliminationGraph {
  start: Int32Array;
  cap: Int32Array;
  len: Int32Array;
  pool: Int32Array;
  top: number;
  /** Number of input pairs (sizes the first guess of L's room). */
  pairs: number;
}

/** The adjacency of the pattern in one pool with room to grow, deduplicated. */
function eliminationGraph(n: number, pairI: Int32Array, pairJ: Int32Array): EliminationGraph {
  const m = pairI.length;
  // Adjacency of the elimination graph in one pool: node v's list is pool[start[v] .. start[v] + len[v]),
  // with room up to cap[v]; a list that outgrows its room moves to the end of the pool.
  const [deg0, start, cap, len, mark] = ['deg0', 'start', 'cap', 'len', 'mark'].map((name) => vertexArray(name, n));
  deg0.fill(0, 0, n);
  len.fill(0, 0, n);
  mark.fill(-1, 0, n);
  for (let k = 0; k < m; k++) {
    const i = pairI[k], j = pairJ[k];
    if (i === j) continue;
    deg0[i]++;
    deg0[j]++;
  }
  let top = 0;
  for (let v = 0; v < n; v++) {
    start[v] = top;
    cap[v] = deg0[v] + 2;
    top += cap[v];
  }
  // (A pool that outgrows this during the elimination is a new array, not kept: that is rare.)
  const pool = workI32('md.pool', Math.max(64, top * 2));
  for (let k = 0; k < m; k++) {
    const i = pairI[k], j = pairJ[k];
    if (i === j) continue;
    pool[start[i] + len[i]++] = j;
    pool[start[j] + len[j]++] = i;
  }
  // Deduplicate (parallel pipes give the same pair twice).
  for (let v = 0; v < n; v++) {
    const s0 = start[v];
    let c = 0;
    for (let p = s0; p < s0 + len[v]; p++) {
      const w = pool[p];
      if (mark[w] === v) continue;
      mark[w] = v;
      pool[s0 + c++] = w;
    }
    len[v] = c;
  }

  return { start, cap, len, pool, top, pairs: m };
}

/**
 * State of the minimum-degree elimination: the elimination graph's lists
 * (pool, start, cap, len), the degree buckets (head, next, prev, deg) and the
 * columns of L found so far (cols, colStart).
 */
interface MinimumDegreeState {
  n: number;
  start: Int32Array;
  cap: Int32Array;
  len: Int32Array;
  pool: Int32Array;
  top: number;
  mark: Int32Array;
  head: Int32Array;
  next: Int32Array;
  prev: Int32Array;
  deg: Int32Array;
  iperm: Int32Array;
  colStart: Int32Array;
  cols: Int32Array;
  nnz: number;
  minDeg: number;
}

/**
 * Minimum degree on the explicit elimination graph: the order, and the
 * neighbours of each eliminated vertex (the pattern of its column of L).
 * The work of one elimination is a function of its own (`eliminate`), called
 * once per vertex: the engine optimises it as a whole instead of swapping code
 * in the middle of one long loop, which it did again on every call.
 */
function minimumDegree(n: number, gr: EliminationGraph): { perm: Int32Array; iperm: Int32Array; colStart: Int32Array; cols: Int32Array } {
  const { start, cap, len } = gr;
  const m = gr.pairs;
  const [mark, head, next, prev, deg] = ['mark', 'head', 'next', 'prev', 'deg'].map((name) => vertexArray(name, n));
  mark.fill(-1, 0, n);
  // Degree buckets (doubly linked lists); ties go to the lowest index (deterministic orderings).
  head.fill(-1, 0, n + 1);
  next.fill(-1, 0, n);
  prev.fill(-1, 0, n);
  for (let v = n - 1; v >= 0; v--) {
    const d = len[v];
    deg[v] = d;
    next[v] = head[d];
    if (head[d] >= 0) prev[head[d]] = v;
    head[d] = v;
  }
  // The elimination's order, its inverse and column starts are work arrays (work.ts): permutedPattern
  // reads them once, renumbered in postorder, into the pattern it returns.
  const perm = workI32('md.perm', n);
  const st: MinimumDegreeState = {
    n,
    start,
    cap,
    len,
    pool: gr.pool,
    top: gr.top,
    mark,
    head,
    next,
    prev,
    deg,
    iperm: workI32('md.iperm', n).fill(-1),
    colStart: workI32('md.colStart', n + 1),
    cols: workI32('md.cols', Math.max(16, m * 4)),
    nnz: 0,
    minDeg: 0,
  };
  for (let k = 0; k < n; k++) perm[k] = eliminate(st, k);
  st.colStart[n] = st.nnz;
  gr.pool = st.pool;
  return { perm, iperm: st.iperm, colStart: st.colStart, cols: st.cols };
}

/** Eliminate the vertex of least degree as the k-th: its column of L, its neighbours made a clique. Returns it. */
function eliminate(st: MinimumDegreeState, k: number): number {
  const { head, next, prev, deg, start, cap, len, mark, iperm, colStart } = st;
  let minDeg = st.minDeg;
  while (head[minDeg] < 0) minDeg++;
  const v = head[minDeg];
  // Unlink v.
  head[minDeg] = next[v];
  if (next[v] >= 0) prev[next[v]] = -1;
  iperm[v] = k;
  const sv = start[v];
  const lv = len[v];
  let pool = st.pool;
  if (st.nnz + lv > st.cols.length) growColumns(st, lv);
  const cols = st.cols;
  const c0 = st.nnz;
  for (let p = 0; p < lv; p++) cols[c0 + p] = pool[sv + p];
  colStart[k] = c0;
  st.nnz = c0 + lv;
  // Make the neighbours a clique, drop v.
  for (let p = 0; p < lv; p++) {
    const a = cols[c0 + p];
    let sa = start[a];
    let la = len[a];
    let c = 0;
    for (let q = sa; q < sa + la; q++) {
      const w = pool[q];
      if (w === v) continue;
      pool[sa + c++] = w;
      mark[w] = a;
    }
    la = c;
    mark[a] = a;
    for (let q = 0; q < lv; q++) {
      const w = cols[c0 + q];
      if (mark[w] === a) continue;
      mark[w] = a;
      if (la === cap[a]) {
        len[a] = la;
        moveList(st, a);
        pool = st.pool;
        sa = start[a];
      }
      pool[sa + la++] = w;
    }
    len[a] = la;
    // Move a to its new degree's bucket.
    const d0 = deg[a];
    if (d0 !== la) {
      if (prev[a] >= 0) next[prev[a]] = next[a];
      else head[d0] = next[a];
      if (next[a] >= 0) prev[next[a]] = prev[a];
      deg[a] = la;
      prev[a] = -1;
      next[a] = head[la];
      if (head[la] >= 0) prev[head[la]] = a;
      head[la] = a;
      if (la < minDeg) minDeg = la;
    }
  }
  len[v] = 0;
  st.minDeg = minDeg;
  return v;
}

/** Room for lv more entries of L's columns. */
function growColumns(st: MinimumDegreeState, lv: number): void {
  const grown = new Int32Array(Math.max(st.cols.length * 2, st.nnz + lv));
  grown.set(st.cols.subarray(0, st.nnz));
  st.cols = grown;
}

/** Move a's full list (len[a] entries) to the end of the pool with twice the room. */
function moveList(st: MinimumDegreeState, a: number): void {
  const { start, cap, len } = st;
  const nc = cap[a] * 2 + 4;
  if (st.top + nc > st.pool.length) {
    // First win back the room of eliminated vertices and of moved lists; grow only if that is not enough.
    st.top = compactPool(st.n, st.pool, start, cap, len, st.iperm);
    if (st.top + nc > st.pool.length * 0.75) {
      const grown = new Int32Array(Math.max(st.pool.length * 2, st.top + nc));
      grown.set(st.pool.subarray(0, st.top));
      st.pool = grown;
    }
  }
  st.pool.copyWithin(st.top, start[a], start[a] + len[a]);
  start[a] = st.top;
  cap[a] = nc;
  st.top += nc;
}

/**
 * Move the lists of the vertices not yet eliminated (iperm < 0) to the front
 * of the pool, in the order they lie in it, each keeping its room; returns the
 * new top. Each list's first slot is tagged with -(v + 1) (the value it held
 * kept in `saved`), so one sweep of the pool finds the lists in order.
 */
function compactPool(n: number, pool: Int32Array, start: Int32Array, cap: Int32Array, len: Int32Array, iperm: Int32Array): number {
  const saved = vertexArray('saved', n);
  let live = 0;
  for (let v = 0; v < n; v++) {
    if (iperm[v] >= 0 || cap[v] === 0) {
      cap[v] = 0;
      len[v] = 0;
      continue;
    }
    saved[v] = pool[start[v]];
    pool[start[v]] = -(v + 1);
    live++;
  }
  let w = 0;
  let end = 0;
  for (let v = 0; v < n; v++) if (cap[v] > 0 && start[v] + cap[v] > end) end = start[v] + cap[v];
  for (let p = 0; p < end && live > 0; p++) {
    const t = pool[p];
    if (t >= 0) continue;
    const v = -t - 1;
    pool[p] = saved[v];
    if (w !== p) pool.copyWithin(w, p, p + len[v]);
    start[v] = w;
    w += cap[v];
    p += cap[v] - 1;
    live--;
  }
  return w;
}

/**
 * L's pattern in elimination order (sorted columns) and each input pair's slot in it.
 * Each step is a loop over a small function of its own (one column, one pair): called
 * once per solve, a long loop inside one big function ran part of every call unoptimised.
 */
function permutedPattern(
  n: number,
  pairI: Int32Array,
  pairJ: Int32Array,
  mdPerm: Int32Array,
  mdIperm: Int32Array,
  colStart: Int32Array,
  cols: Int32Array,
): SparsePattern {
  // Each pass is a function of its own with one loop: a function with several long loops in a row is
  // optimised inside the first and its code, kept for the next call, thrown out at the next loop.
  const nnz = colStart[n];
  // Columns in the elimination's order, rows sorted.
  const Lmd = workI32('md.columns', nnz);
  sortColumns(n, Lmd, cols, mdIperm, colStart);
  // The same elimination in postorder of its elimination tree (the parent of a column is its first
  // row): each subtree's columns come together, children before their parent. Same fill, but a
  // column's updates now come from the columns just before it, so the factorisation and the solves
  // read L nearly in order (minimum degree alone takes the leaves of the whole network first).
  // A column's rows all lie on its path to the root, whose order postorder keeps: they stay sorted.
  const [childHead, childNext] = ['childHead', 'childNext'].map((name) => vertexArray(name, n));
  const roots = treeChildren(n, Lmd, colStart, childHead, childNext);
  const order = workI32('md.postorder', n);
  const stack = workI32('md.stack', n);
  let done = 0;
  for (let r = roots.length - 1; r >= 0; r--) done = postorderFrom(roots[r], childHead, childNext, stack, order, done);
  const post = stack; // reused: post[old column] = new column
  inverseInto(post, order, n);
  const perm = new Int32Array(n);
  const iperm = new Int32Array(n);
  const Lp = new Int32Array(n + 1);
  const Li = new Int32Array(nnz);
  relabel(n, order, mdPerm, colStart, Lmd, post, perm, iperm, Lp, Li);
  const pairSlot = pairSlots(pairI, pairJ, iperm, Lp, Li);
  const rowStart = rowStarts(n, Li);
  const rowCol = new Int32Array(nnz);
  const rowPos = new Int32Array(nnz);
  const rowNext = workI32('md.rowNext', n);
  rowNext.set(rowStart.subarray(0, n));
  rowLists(n, Lp, Li, rowNext, rowCol, rowPos);
  return { n, perm, iperm, Lp, Li, pairSlot, rowStart, rowCol, rowPos };
}

/** Every column of the elimination, its rows as elimination steps, sorted. */
function sortColumns(n: number, Lmd: Int32Array, cols: Int32Array, mdIperm: Int32Array, colStart: Int32Array): void {
  for (let k = 0; k < n; k++) sortedColumn(Lmd, cols, mdIperm, colStart[k], colStart[k + 1]);
}

/** Children lists of the elimination tree (each in ascending order); returns the roots, descending. */
function treeChildren(n: number, Lmd: Int32Array, colStart: Int32Array, childHead: Int32Array, childNext: Int32Array): number[] {
  childHead.fill(-1, 0, n);
  const roots: number[] = [];
  for (let k = n - 1; k >= 0; k--) {
    if (colStart[k] === colStart[k + 1]) roots.push(k);
    else {
      const parent = Lmd[colStart[k]];
      childNext[k] = childHead[parent];
      childHead[parent] = k;
    }
  }
  return roots;
}

/** inv[order[i]] = i. */
function inverseInto(inv: Int32Array, order: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) inv[order[i]] = i;
}

/** The columns in postorder: perm, iperm, Lp and Li (rows renumbered). */
function relabel(
  n: number,
  order: Int32Array,
  mdPerm: Int32Array,
  colStart: Int32Array,
  Lmd: Int32Array,
  post: Int32Array,
  perm: Int32Array,
  iperm: Int32Array,
  Lp: Int32Array,
  Li: Int32Array,
): void {
  let q = 0;
  for (let k2 = 0; k2 < n; k2++) {
    const k = order[k2];
    perm[k2] = mdPerm[k];
    iperm[mdPerm[k]] = k2;
    Lp[k2] = q;
    q = relabelColumn(Li, Lmd, post, colStart[k], colStart[k + 1], q);
  }
  Lp[n] = q;
}

/** Each input pair's slot in L. */
function pairSlots(pairI: Int32Array, pairJ: Int32Array, iperm: Int32Array, Lp: Int32Array, Li: Int32Array): Int32Array {
  const m = pairI.length;
  const pairSlot = new Int32Array(m).fill(-1);
  for (let k = 0; k < m; k++) pairSlot[k] = slotOf(Lp, Li, iperm[pairI[k]], iperm[pairJ[k]]);
  return pairSlot;
}

/** Where each row's list starts (counts of L's rows, summed). */
function rowStarts(n: number, Li: Int32Array): Int32Array {
  const rowStart = new Int32Array(n + 1);
  for (let p = 0; p < Li.length; p++) rowStart[Li[p] + 1]++;
  for (let j = 0; j < n; j++) rowStart[j + 1] += rowStart[j];
  return rowStart;
}

/** The row lists of L, column by column. */
function rowLists(n: number, Lp: Int32Array, Li: Int32Array, next: Int32Array, rowCol: Int32Array, rowPos: Int32Array): void {
  for (let k = 0; k < n; k++) rowEntries(Lp, Li, next, rowCol, rowPos, k);
}

/** Column [s0, e0) of Lmd with its rows renumbered by post, written at Li[q ..]; returns the end. */
function relabelColumn(Li: Int32Array, Lmd: Int32Array, post: Int32Array, s0: number, e0: number, q: number): number {
  for (let p = s0; p < e0; p++) Li[q++] = post[Lmd[p]];
  return q;
}

/** Column [s0, e0) of L: the eliminated vertex's neighbours in elimination order, ascending. */
function sortedColumn(Li: Int32Array, cols: Int32Array, iperm: Int32Array, s0: number, e0: number): void {
  if (e0 - s0 > 32) {
    for (let p = s0; p < e0; p++) Li[p] = iperm[cols[p]];
    Li.subarray(s0, e0).sort();
    return;
  }
  // Most columns are short (a few entries): an insertion sort in place beats a typed-array sort call.
  for (let p = s0; p < e0; p++) {
    const v = iperm[cols[p]];
    let q = p;
    while (q > s0 && Li[q - 1] > v) {
      Li[q] = Li[q - 1];
      q--;
    }
    Li[q] = v;
  }
}

/** Slot in L of the entry (a, b) (elimination indices, either order); -1 for a diagonal pair. */
function slotOf(Lp: Int32Array, Li: Int32Array, a: number, b: number): number {
  if (a === b) return -1;
  const col = a < b ? a : b;
  const row = a < b ? b : a;
  let lo = Lp[col], hi = Lp[col + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (Li[mid] < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return lo;
}

/** Column k's entries into the row lists (rows fill in column order, so each row's columns ascend). */
function rowEntries(Lp: Int32Array, Li: Int32Array, next: Int32Array, rowCol: Int32Array, rowPos: Int32Array, k: number): void {
  for (let p = Lp[k]; p < Lp[k + 1]; p++) {
    const r = next[Li[p]]++;
    rowCol[r] = k;
    rowPos[r] = p;
  }
}

export function createFactor(pattern: SparsePattern): SparseFactor {
  const n = pattern.n;
  return {
    pattern,
    diag: new Float64Array(n),
    Lx: new Float64Array(pattern.Li.length),
    D: new Float64Array(n),
    work: new Float64Array(n),
    x: new Float64Array(n),
  };
}

/** Thrown when a pivot is not positive (the matrix is singular or not positive definite). */
export class NotPositiveDefinite extends Error {
  constructor(public column: number) {
    super(`matrix not positive definite at column ${column}`);
  }
}

/**
 * Numeric LDLᵀ of the matrix held in `f.diag` (original indices) and `f.Lx`
 * (off-diagonals in L's layout). Overwrites Lx with L and fills D.
 * Left-looking: column j gathers the updates of the columns k that have a
 * nonzero in row j (the pattern's row lists, so no linked lists to keep).
 */
export function factorNumeric(f: SparseFactor): void {
  const n = f.pattern.n;
  for (let j = 0; j < n; j++) factorColumn(f, j);
}

/** Column j of L and D[j], from the columns before it (see factorNumeric). */
function factorColumn(f: SparseFactor, j: number): void {
  const { pattern, diag, Lx, D, work } = f;
  const { perm, Lp, Li, rowStart, rowCol, rowPos } = pattern;
  const s = Lp[j], e = Lp[j + 1];
  work[j] = diag[perm[j]];
  for (let p = s; p < e; p++) work[Li[p]] = Lx[p];
  for (let r = rowStart[j]; r < rowStart[j + 1]; r++) {
    const k = rowCol[r];
    const p0 = rowPos[r];
    const t = Lx[p0] * D[k];
    const ek = Lp[k + 1];
    for (let p = p0; p < ek; p++) work[Li[p]] -= Lx[p] * t;
  }
  const d = work[j];
  if (!(d > 0)) throw new NotPositiveDefinite(perm[j]);
  D[j] = d;
  work[j] = 0;
  for (let p = s; p < e; p++) {
    const i = Li[p];
    Lx[p] = work[i] / d;
    work[i] = 0;
  }
}

/** Solve (LDLᵀ) y = b in place: `b` by original index in, solution by original index out. */
export function solveFactored(f: SparseFactor, b: Float64Array): void {
  // Column by column, each a small function (see factorNumeric); one loop per function (see permutedPattern).
  permuteIn(f, b);
  forwardAll(f);
  divideAll(f);
  backwardAll(f);
  permuteOut(f, b);
}

function permuteIn(f: SparseFactor, b: Float64Array): void {
  const { x } = f;
  const { n, perm } = f.pattern;
  for (let k = 0; k < n; k++) x[k] = b[perm[k]];
}

function forwardAll(f: SparseFactor): void {
  const n = f.pattern.n;
  for (let j = 0; j < n; j++) forwardColumn(f, j);
}

function divideAll(f: SparseFactor): void {
  const { x, D } = f;
  const n = f.pattern.n;
  for (let j = 0; j < n; j++) x[j] /= D[j];
}

function backwardAll(f: SparseFactor): void {
  for (let j = f.pattern.n - 1; j >= 0; j--) backwardColumn(f, j);
}

function permuteOut(f: SparseFactor, b: Float64Array): void {
  const { x } = f;
  const { n, perm } = f.pattern;
  for (let k = 0; k < n; k++) b[perm[k]] = x[k];
}

/** L y = b, column j: y[j] is known; take it out of the rows below. */
function forwardColumn(f: SparseFactor, j: number): void {
  const x = f.x;
  const xj = x[j];
  if (xj === 0) return;
  const { Lp, Li } = f.pattern;
  const Lx = f.Lx;
  for (let p = Lp[j]; p < Lp[j + 1]; p++) x[Li[p]] -= Lx[p] * xj;
}

/** Lᵀ x = y, row j: the rows below are known. */
function backwardColumn(f: SparseFactor, j: number): void {
  const x = f.x;
  const { Lp, Li } = f.pattern;
  const Lx = f.Lx;
  let s = x[j];
  for (let p = Lp[j]; p < Lp[j + 1]; p++) s -= Lx[p] * x[Li[p]];
  x[j] = s;
}
