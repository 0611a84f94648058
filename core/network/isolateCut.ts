/**
 * Which stations lose heat when some isolation units are emptied, found by
 * looking only around those units (segments.ts answers the same question by
 * a pass over every station, or a search of the whole segment graph when a
 * pipe spans several units; at a million pipes either is tens of
 * milliseconds per burst).
 *
 * It works on the no-burst DFS tree of the contracted graph (segments.ts
 * `baseTree`): preorder numbers `disc`, subtree ends `last`, low points
 * `low`. With the units R removed:
 * - a vertex whose tree path from the root avoids R (it lies in no subtree
 *   of a unit of R) is still fed;
 * - a vertex x whose subtree holds no unit of R and reaches (by `low`) an
 *   ancestor that is still fed is still fed itself;
 * - a subtree holding no unit of R whose back edges reach no higher than its
 *   root's parent hangs by that parent alone: it is fed exactly when the
 *   parent is, and is taken whole, without being walked.
 * Every other vertex that may have lost heat is found by a search from the
 * neighbours of R that stops as soon as its part is shown to be fed, so a
 * burst costs about the size of what it cuts off, not the size of the network.
 */
import { baseTree, contractedAdjacency, type SegmentModel } from './segments';

interface CutIndex {
  /** The contracted graph (CSR), as segments.ts builds it. */
  start: Int32Array;
  adj: Int32Array;
  /** Every place a station takes heat from that is fed now, sorted by the place's preorder number. */
  locDisc: Int32Array;
  locStation: Int32Array;
  /** Search stamps per vertex (unique per search) and per station (unique per call). */
  seen: Int32Array;
  lostMark: Int32Array;
  removed: Int32Array;
  stationMark: Int32Array;
  stamp: number;
}

const indexes = new WeakMap<SegmentModel, CutIndex>();

function cutIndex(m: SegmentModel): CutIndex {
  const hit = indexes.get(m);
  if (hit) return hit;
  const t = baseTree(m);
  const V = t.disc.length;
  const root = V - 1;
  const { start, adj } = contractedAdjacency(m, root);
  // Station places by preorder number (a counting sort over the numbers).
  const perDisc = new Int32Array(V + 1);
  let places = 0;
  m.stationVertices.forEach((locs, i) => {
    if (m.stationSelfFed[i]) return;
    for (const x of locs)
      if (t.disc[x] >= 0) {
        perDisc[t.disc[x] + 1]++;
        places++;
      }
  });
  for (let d = 0; d < V; d++) perDisc[d + 1] += perDisc[d];
  const locDisc = new Int32Array(places);
  const locStation = new Int32Array(places);
  m.stationVertices.forEach((locs, i) => {
    if (m.stationSelfFed[i]) return;
    for (const x of locs)
      if (t.disc[x] >= 0) {
        const k = perDisc[t.disc[x]]++;
        locDisc[k] = t.disc[x];
        locStation[k] = i;
      }
  });
  const index: CutIndex = {
    start,
    adj,
    locDisc,
    locStation,
    seen: new Int32Array(V),
    lostMark: new Int32Array(V),
    removed: new Int32Array(V),
    stationMark: new Int32Array(m.stationVertices.length),
    stamp: 0,
  };
  indexes.set(m, index);
  return index;
}

/** First k with locDisc[k] ≥ d. */
function lowerBound(a: Int32Array, d: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Builds the model's search index now rather than at its first isolation (the worker's warm-up). */
export function prepareCutIndex(m: SegmentModel): void {
  cutIndex(m);
}

/**
 * Stations (indices, ascending) fed now that lose heat when all the given
 * units are isolated together: the same answer as a search of the whole
 * contracted graph without them.
 */
export function stationsCutLocally(m: SegmentModel, units: readonly number[]): number[] {
  const t = baseTree(m);
  const ix = cutIndex(m);
  const { disc, low, last, parent } = t;
  const { start, adj, seen, lostMark, removed, stationMark, locDisc, locStation } = ix;
  const call = ++ix.stamp;
  // Units fed now; one not fed loses nothing and hides nothing.
  const R: number[] = [];
  for (const u of units) if (disc[u] >= 0 && removed[u] !== call) {
    removed[u] = call;
    R.push(u);
  }
  // The subtrees of R as preorder intervals.
  const inRSubtree = (d: number): boolean => {
    for (const u of R) if (d >= disc[u] && d <= last[u]) return true;
    return false;
  };
  const holdsR = (x: number): boolean => {
    for (const u of R) if (disc[u] >= disc[x] && disc[u] <= last[x]) return true;
    return false;
  };
  const lostFrom: number[] = [];
  const lostTo: number[] = [];
  const inLostInterval = (d: number): boolean => {
    for (let i = 0; i < lostFrom.length; i++) if (d >= lostFrom[i] && d <= lostTo[i]) return true;
    return false;
  };
  const lostVertices: number[] = [];
  const firstSearch = ix.stamp + 1;
  const queue: number[] = [];
  const partVertices: number[] = [];
  const partFrom: number[] = [];
  const partTo: number[] = [];

  for (const u of R) {
    for (let k = start[u]; k < start[u + 1]; k++) {
      const w = adj[k];
      if (removed[w] === call || seen[w] >= firstSearch || !inRSubtree(disc[w]) || inLostInterval(disc[w])) continue;
      // A part of the network without R that may have lost heat: search it until it shows itself fed.
      const search = ++ix.stamp;
      queue.length = 0;
      partVertices.length = 0;
      partFrom.length = 0;
      partTo.length = 0;
      seen[w] = search;
      queue.push(w);
      let fed = false;
      for (let head = 0; head < queue.length && !fed; head++) {
        const x = queue[head];
        if (!holdsR(x)) {
          if (!inRSubtree(low[x])) {
            fed = true; // reaches an ancestor whose tree path avoids R
            break;
          }
          const p = parent[x];
          if (low[x] >= disc[p]) {
            // Hangs by its parent alone: the whole subtree goes with the parent.
            if (removed[p] === call) {
              // ... which is removed: this subtree is the whole part, and it is cut off.
              partVertices.length = 0;
              partFrom.length = 0;
              partTo.length = 0;
              partFrom.push(disc[x]);
              partTo.push(last[x]);
              break;
            }
            partFrom.push(disc[x]);
            partTo.push(last[x]);
            if (seen[p] !== search) {
              if (seen[p] >= firstSearch || !inRSubtree(disc[p])) {
                fed = true;
                break;
              }
              seen[p] = search;
              queue.push(p);
            }
            continue;
          }
        }
        partVertices.push(x);
        for (let j = start[x]; j < start[x + 1]; j++) {
          const y = adj[j];
          if (removed[y] === call || seen[y] === search) continue;
          // Met an earlier search's part (which was fed, or it would have been closed) or a fed vertex.
          if (seen[y] >= firstSearch || !inRSubtree(disc[y])) {
            fed = true;
            break;
          }
          seen[y] = search;
          queue.push(y);
        }
      }
      if (fed) continue;
      for (const x of partVertices) {
        lostMark[x] = call;
        lostVertices.push(x);
      }
      for (let i = 0; i < partFrom.length; i++) {
        lostFrom.push(partFrom[i]);
        lostTo.push(partTo[i]);
      }
    }
  }

  // Candidates: stations with a place in R or in what was cut off.
  const candidates: number[] = [];
  const take = (from: number, to: number) => {
    for (let k = lowerBound(locDisc, from); k < locDisc.length && locDisc[k] <= to; k++) {
      const i = locStation[k];
      if (stationMark[i] === call) continue;
      stationMark[i] = call;
      candidates.push(i);
    }
  };
  for (const u of R) take(disc[u], disc[u]);
  for (const x of lostVertices) take(disc[x], disc[x]);
  for (let i = 0; i < lostFrom.length; i++) take(lostFrom[i], lostTo[i]);

  const stillFed = (x: number) => disc[x] >= 0 && removed[x] !== call && lostMark[x] !== call && !inLostInterval(disc[x]);
  const out: number[] = [];
  for (const i of candidates) {
    const locs = m.stationVertices[i];
    if (!locs.some(stillFed)) out.push(i);
  }
  return out.sort((a, b) => a - b);
}
