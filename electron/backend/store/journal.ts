/**
 * The undo journal (warmnet_journal, migration 0002): an edit is one
 * transaction and one entry holding the operations that undo it; undo and
 * redo apply an entry and store its inverse, so both survive a restart.
 */
import type { JournalEntry } from './api';
import type { Connection } from './connection';
import type { Op } from './ops';

/** Undo steps kept in the file; older ones are dropped. */
const JOURNAL_KEEP = 500;

export class Journal {
  /** Inverse operations of the edit in progress (null outside an edit). */
  private pending: Op[] | null = null;

  constructor(
    private readonly conn: Connection,
    /** Apply one operation and return the operations that undo it. */
    private readonly applyOp: (op: Op) => Op[],
  ) {}

  /** Run an edit: one transaction, one journal entry (inside another edit, it records for that one). */
  edit<T>(label: string, fn: () => T): T {
    if (this.pending) return fn();
    const db = this.conn.db;
    return this.conn.write(() => {
      this.pending = [];
      try {
        const r = fn();
        if (this.pending.length > 0) {
          db.prepare('DELETE FROM warmnet_journal WHERE undone = 1').run();
          db.prepare('INSERT INTO warmnet_journal (label, at, undone, ops) VALUES (?, ?, 0, ?)').run(label, new Date().toISOString(), JSON.stringify([...this.pending].reverse()));
          db.prepare('DELETE FROM warmnet_journal WHERE seq <= (SELECT max(seq) FROM warmnet_journal) - ?').run(JOURNAL_KEEP);
        }
        return r;
      } finally {
        this.pending = null;
      }
    });
  }

  /** Record inverse operations of the edit in progress (a no-op outside an edit). */
  record(inverse: Op | readonly Op[]): void {
    if (!this.pending) return;
    // No spread: an import's inverse may hold hundreds of thousands of operations.
    if (Array.isArray(inverse)) for (let k = 0; k < inverse.length; k++) this.pending.push(inverse[k]);
    else this.pending.push(inverse as Op);
  }

  /** Apply an operation within the edit in progress and record its inverse. */
  exec(op: Op): void {
    this.record(this.applyOp(op));
  }

  private flip(undone: 0 | 1): JournalEntry | null {
    const db = this.conn.db;
    // The entry is chosen inside the write transaction: another writer cannot change the journal in between.
    const row = db.transaction(() => {
      const r = db
        .prepare(`SELECT seq, label, at, ops FROM warmnet_journal WHERE undone = ? ORDER BY seq ${undone === 0 ? 'DESC' : 'ASC'} LIMIT 1`)
        .get(undone) as { seq: number; label: string; at: string; ops: string } | undefined;
      if (!r) return undefined;
      const inverse: Op[] = [];
      for (const op of JSON.parse(r.ops) as Op[]) {
        const inv = this.applyOp(op);
        for (let k = 0; k < inv.length; k++) inverse.push(inv[k]);
      }
      db.prepare('UPDATE warmnet_journal SET undone = ?, ops = ? WHERE seq = ?').run(undone === 0 ? 1 : 0, JSON.stringify(inverse.reverse()), r.seq);
      return r;
    }).immediate();
    if (!row) return null;
    this.conn.bump();
    return { seq: row.seq, label: row.label, at: row.at };
  }

  undo(): JournalEntry | null {
    return this.flip(0);
  }

  redo(): JournalEntry | null {
    return this.flip(1);
  }

  list(): { undo: JournalEntry[]; redo: JournalEntry[] } {
    const list = (undone: number, order: string) =>
      this.conn.db.prepare(`SELECT seq, label, at FROM warmnet_journal WHERE undone = ? ORDER BY seq ${order}`).all(undone) as JournalEntry[];
    return { undo: list(0, 'DESC'), redo: list(1, 'ASC') };
  }
}
