/**
 * 0002: the undo / redo journal. Each row holds the operations that flip one
 * edit (inverse operations while `undone` = 0, the redo while 1), so undo
 * survives closing the file.
 */
import type { Migration } from './migration';

export const migration0002: Migration = {
  version: 2,
  name: '0002_journal',
  up(db) {
    db.exec(`CREATE TABLE warmnet_journal (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      label TEXT NOT NULL,
      at TEXT NOT NULL,
      undone INTEGER NOT NULL DEFAULT 0,
      ops TEXT NOT NULL
    )`);
  },
};
