/**
 * Saved views of the presentation mode: a name, the map extent and the theme
 * to show, stepped through with the arrow keys. Kept in the project file
 * (view_state, through `view:set`) so they travel with it; lists an older
 * version kept in this browser's localStorage are read as a fallback.
 */
import type { BBox } from '../../../core/model/geojson';
import type { ThemeId } from '../../../core/style/themes';

export interface Bookmark {
  name: string;
  bbox: BBox;
  theme: ThemeId;
}

interface Stored {
  version: 1;
  bookmarks: Bookmark[];
}

const key = (projectPath: string) => `warmnet.bookmarks.${projectPath}`;

/** Index of the next (+1) or previous (−1) bookmark, wrapping at both ends; −1 when there are none. */
export function step(current: number, count: number, delta: 1 | -1): number {
  if (count <= 0) return -1;
  if (current < 0 || current >= count) return delta > 0 ? 0 : count - 1;
  return (current + delta + count) % count;
}

function isBookmark(b: unknown): b is Bookmark {
  const o = b as Bookmark;
  return !!o && typeof o.name === 'string' && Array.isArray(o.bbox) && o.bbox.length === 4 && o.bbox.every(Number.isFinite) && typeof o.theme === 'string';
}

/** Parse a stored list; anything unreadable or of another version gives an empty list. */
export function parseBookmarks(raw: string | null): Bookmark[] {
  if (!raw) return [];
  try {
    const s = JSON.parse(raw) as Stored;
    return s && s.version === 1 && Array.isArray(s.bookmarks) ? s.bookmarks.filter(isBookmark) : [];
  } catch {
    return [];
  }
}

export function serializeBookmarks(bookmarks: Bookmark[]): string {
  return JSON.stringify({ version: 1, bookmarks } satisfies Stored);
}

export function loadBookmarks(projectPath: string, storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Bookmark[] {
  return parseBookmarks(storage?.getItem(key(projectPath)) ?? null);
}

export function saveBookmarks(projectPath: string, bookmarks: Bookmark[], storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  storage?.setItem(key(projectPath), serializeBookmarks(bookmarks));
}

/** The name of the whole-project view: the screen says it in its language (present.overview). */
export const OVERVIEW = 'overview';

/** The whole project as the first view when nothing was saved yet. */
export function withOverview(bookmarks: Bookmark[], projectBBox: BBox | null, theme: ThemeId): Bookmark[] {
  if (bookmarks.length || !projectBBox) return bookmarks;
  return [{ name: OVERVIEW, bbox: projectBBox, theme }];
}
