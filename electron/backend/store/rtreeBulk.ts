/**
 * Bulk load of a SQLite R*Tree (the `gpkg_rtree_index` of a layer).
 *
 * Inserting 100k boxes one by one costs about 10 µs each in SQLite's R*Tree
 * (splits and forced reinserts); GDAL avoids that by packing the tree itself.
 * We do the same: sort-tile-recursive packing in JS, then write the rtree's
 * shadow tables (`<rtree>_node`, `_rowid`, `_parent`) directly, in the
 * format of SQLite's rtree.c: a node is a blob of the table's node size,
 * 2 bytes tree depth (root only) + 2 bytes cell count, then cells of an
 * 8-byte id and four 4-byte floats (minx, maxx, miny, maxy), all big-endian,
 * coordinates rounded outward to float32. `rtreecheck()` verifies the result
 * in the tests.
 */
import type Database from 'better-sqlite3';

const CELL_BYTES = 8 + 4 * 4;
/** Rows per multi-row INSERT into the rowid and parent maps (2 variables each, far under SQLite's limit). */
const PAIRS_PER_INSERT = 256;

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Largest float32 ≤ d (rtree.c rounds box minima down). */
export function float32Down(d: number): number {
  f32[0] = d;
  if (f32[0] <= d) return f32[0];
  if (f32[0] > 0) i32[0]--;
  else if (f32[0] < 0) i32[0]++;
  else i32[0] = 0x80000001 | 0;
  return f32[0];
}

/** Smallest float32 ≥ d (maxima round up). */
export function float32Up(d: number): number {
  f32[0] = d;
  if (f32[0] >= d) return f32[0];
  if (f32[0] > 0) i32[0]++;
  else if (f32[0] < 0) i32[0]--;
  else i32[0] = 1;
  return f32[0];
}

interface Level {
  /** Child id per cell: rowid at the leaves, node number above. */
  ids: Float64Array;
  /** minx, maxx, miny, maxy per cell. */
  boxes: Float64Array;
}

/**
 * Group cells into nodes of at most `cap` cells, sort-tile-recursive: sort
 * by x centre into vertical slices, each slice by y centre, then cut.
 * Returns for each node the list of cell indexes.
 */
function strGroups(boxes: Float64Array, n: number, cap: number): Uint32Array[] {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // twice the centres, computed once (the sorts compare each many times)
  const cxs = new Float64Array(n), cys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    cxs[i] = boxes[i * 4] + boxes[i * 4 + 1];
    cys[i] = boxes[i * 4 + 2] + boxes[i * 4 + 3];
  }
  order.sort((a, b) => cxs[a] - cxs[b]);
  const nodes = Math.ceil(n / cap);
  const slices = Math.ceil(Math.sqrt(nodes));
  const perSlice = Math.ceil(n / slices);
  const groups: Uint32Array[] = [];
  for (let s = 0; s < n; s += perSlice) {
    const slice = order.slice(s, Math.min(n, s + perSlice)).sort((a, b) => cys[a] - cys[b]);
    // Spread the slice evenly over its nodes instead of leaving a nearly empty last one.
    const k = Math.ceil(slice.length / cap);
    const size = Math.ceil(slice.length / k);
    for (let j = 0; j < slice.length; j += size) groups.push(slice.subarray(j, Math.min(slice.length, j + size)));
  }
  return groups;
}

/**
 * Replace the whole content of an (already created) rtree virtual table with
 * the given boxes. `ids` are the feature rowids; `boxes` holds minx, maxx,
 * miny, maxy per id. Runs inside the caller's transaction.
 */
export function bulkLoadRtree(db: Database.Database, rtree: string, ids: ArrayLike<number>, boxes: Float64Array): void {
  const qn = (s: string) => `"${(rtree + s).replace(/"/g, '""')}"`;
  const root = db.prepare(`SELECT length(data) FROM ${qn('_node')} WHERE nodeno = 1`).pluck().get() as number | undefined;
  const nodeSize = root ?? 1228;
  const cap = Math.floor((nodeSize - 4) / CELL_BYTES);
  const n = ids.length;

  let level: Level = { ids: Float64Array.from(ids), boxes: new Float64Array(n * 4) };
  for (let i = 0; i < n; i++) {
    level.boxes[i * 4] = float32Down(boxes[i * 4]);
    level.boxes[i * 4 + 1] = float32Up(boxes[i * 4 + 1]);
    level.boxes[i * 4 + 2] = float32Down(boxes[i * 4 + 2]);
    level.boxes[i * 4 + 3] = float32Up(boxes[i * 4 + 3]);
  }

  // Build bottom-up; node numbers are given after, root = 1.
  type Node = { cells: Uint32Array; level: Level; box: [number, number, number, number] };
  const levels: Node[][] = [];
  for (;;) {
    const cellCount = level.ids.length;
    const groups = cellCount === 0 ? [new Uint32Array(0)] : strGroups(level.boxes, cellCount, cap);
    const nodes: Node[] = groups.map((cells) => {
      let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      for (const c of cells) {
        const b = level.boxes;
        if (b[c * 4] < x0) x0 = b[c * 4];
        if (b[c * 4 + 1] > x1) x1 = b[c * 4 + 1];
        if (b[c * 4 + 2] < y0) y0 = b[c * 4 + 2];
        if (b[c * 4 + 3] > y1) y1 = b[c * 4 + 3];
      }
      return { cells, level, box: [x0, x1, y0, y1] };
    });
    levels.push(nodes);
    if (nodes.length === 1) break;
    // The next level's cells are these nodes; their ids are filled once numbered.
    const next: Level = { ids: new Float64Array(nodes.length), boxes: new Float64Array(nodes.length * 4) };
    nodes.forEach((nd, i) => next.boxes.set(nd.box, i * 4));
    level = next;
  }

  // Number nodes top-down so the root is 1.
  const depth = levels.length - 1;
  const numbers: number[][] = levels.map(() => []);
  let nodeno = 1;
  for (let l = depth; l >= 0; l--) for (let i = 0; i < levels[l].length; i++) numbers[l][i] = nodeno++;
  for (let l = 0; l < depth; l++) {
    const parentLevel = levels[l + 1][0].level;
    for (let i = 0; i < levels[l].length; i++) parentLevel.ids[i] = numbers[l][i];
  }

  db.unsafeMode(true);
  try {
    db.exec(`DELETE FROM ${qn('_node')}; DELETE FROM ${qn('_rowid')}; DELETE FROM ${qn('_parent')};`);
    const putNode = db.prepare(`INSERT INTO ${qn('_node')} (nodeno, data) VALUES (?, ?)`);
    // The rowid → leaf and node → parent maps take one row per feature: PAIRS_PER_INSERT rows per statement
    // (a statement per row costs ~5 µs each).
    const pairsInto = (table: string) => {
      const many = db.prepare(`INSERT INTO ${qn(table)} VALUES ${Array.from({ length: PAIRS_PER_INSERT }, () => '(?, ?)').join(', ')}`);
      const one = db.prepare(`INSERT INTO ${qn(table)} VALUES (?, ?)`);
      const batch: number[] = new Array(PAIRS_PER_INSERT * 2);
      let fill = 0;
      return {
        add(a: number, b: number) {
          batch[fill++] = a;
          batch[fill++] = b;
          if (fill === batch.length) {
            many.run(batch);
            fill = 0;
          }
        },
        flush() {
          for (let i = 0; i < fill; i += 2) one.run(batch[i], batch[i + 1]);
          fill = 0;
        },
      };
    };
    const rowids = pairsInto('_rowid');
    const parents = pairsInto('_parent');
    for (let l = depth; l >= 0; l--) {
      levels[l].forEach((node, i) => {
        const no = numbers[l][i];
        const buf = Buffer.alloc(nodeSize);
        // big-endian throughout (DataView's default); ids are positive and below 2^53: high and low words
        const view = new DataView(buf.buffer, buf.byteOffset, nodeSize);
        if (no === 1) view.setUint16(0, depth);
        view.setUint16(2, node.cells.length);
        let o = 4;
        const cellBoxes = node.level.boxes;
        for (const c of node.cells) {
          const child = node.level.ids[c];
          view.setUint32(o, Math.floor(child / 0x100000000));
          view.setUint32(o + 4, child >>> 0);
          view.setFloat32(o + 8, cellBoxes[c * 4]);
          view.setFloat32(o + 12, cellBoxes[c * 4 + 1]);
          view.setFloat32(o + 16, cellBoxes[c * 4 + 2]);
          view.setFloat32(o + 20, cellBoxes[c * 4 + 3]);
          o += CELL_BYTES;
          if (l === 0) rowids.add(child, no);
          else parents.add(child, no);
        }
        putNode.run(no, buf);
      });
    }
    rowids.flush();
    parents.flush();
  } finally {
    db.unsafeMode(false);
  }
}
