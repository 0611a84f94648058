/** What the project shows and how (view_state, migration 0010), and its basemap list. Not journaled: not an edit. */
import { parseViewState, type ViewState } from '../../../core/basemap/view';
import { listBasemaps, type BasemapRow } from '../basemap/gpkgTiles';
import type { Connection } from './connection';

/** The stored JSON, or null when there is none or it does not parse (the defaults then apply). */
function parseJson(text: string | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export class ViewStateTable {
  constructor(private readonly conn: Connection) {}

  get(): ViewState {
    const row = this.conn.db.prepare(`SELECT value FROM view_state WHERE key = 'view'`).pluck().get() as string | undefined;
    return parseViewState(parseJson(row));
  }

  set(patch: Partial<ViewState>): ViewState {
    const next = parseViewState({ ...this.get(), ...patch });
    this.conn.db
      .prepare(`INSERT INTO view_state (key, value) VALUES ('view', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
      .run(JSON.stringify(next));
    return next;
  }

  basemaps(): BasemapRow[] {
    return listBasemaps(this.conn.db);
  }
}
