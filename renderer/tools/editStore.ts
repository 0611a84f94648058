/** Editing state: the active tool, the form being filled, the journal, the renovation project being linked. */
import { create } from 'zustand';
import type { LayerName } from '../../core/model/schema';
import type { Geometry } from '../../core/model/geojson';
import type { JournalEntry } from '../../electron/backend/editing.contract';
import { loadSnapPx, saveSnapPx } from './snapping';
import type { Refusal } from './issueText';
import type { Conflict } from '../../electron/backend/shared.contract';

/** The tool in use; linking tools carry the project they link into. */
export type Tool =
  | { kind: 'select' }
  | { kind: 'drawPipe'; projectId?: string }
  | { kind: 'split' }
  | { kind: 'place'; layer: 'valves' | 'stations' }
  | { kind: 'vertices'; pipeId: string }
  | { kind: 'link'; how: 'box' | 'lasso' | 'click'; projectId: string };

/** An attribute form: a new feature (geometry drawn, not yet saved) or an existing one. */
export interface FormState {
  layer: LayerName;
  mode: 'new' | 'edit';
  /** The feature's id before editing (edit mode). */
  currentId?: string;
  geometry?: Geometry;
  values: Record<string, unknown>;
  projectId?: string;
}

export interface EditState {
  tool: Tool;
  form: FormState | null;
  journal: { undo: JournalEntry[]; redo: JournalEntry[] };
  /** The last refused or failed edit (its text and typed issues). */
  error: Refusal | null;
  /** An edit of a shared project opened live that met a newer version on the server: shown side by side until answered. */
  conflict: Conflict | null;
  setConflict(c: Conflict | null): void;
  /** Set when the file changed under the app (another program wrote it). */
  externalChange: boolean;
  projectsOpen: boolean;
  /** Snap tolerance in screen pixels: the user's preference (localStorage), default DEFAULT_SNAP_PX. */
  snapPx: number;
  setSnapPx(px: number | string): void;
  /** The renovation project chosen in the projects panel (kept while the panel is closed). */
  activeProject: string | null;
  setActiveProject(id: string | null): void;
  setTool(tool: Tool): void;
  setForm(form: FormState | null): void;
  setJournal(j: EditState['journal']): void;
  setError(e: Refusal | null): void;
  setExternalChange(on: boolean): void;
  setProjectsOpen(open: boolean): void;
}

function storage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

export const useEditStore = create<EditState>()((set) => ({
  tool: { kind: 'select' },
  form: null,
  journal: { undo: [], redo: [] },
  error: null,
  conflict: null,
  setConflict: (conflict) => set({ conflict }),
  externalChange: false,
  projectsOpen: false,
  snapPx: loadSnapPx(storage()),
  setSnapPx: (px) => set({ snapPx: saveSnapPx(storage(), px) }),
  activeProject: null,
  setActiveProject: (activeProject) => set({ activeProject }),
  setTool: (tool) => set({ tool, error: null }),
  setForm: (form) => set({ form }),
  setJournal: (journal) => set({ journal }),
  setError: (error) => set({ error }),
  setExternalChange: (externalChange) => set({ externalChange }),
  setProjectsOpen: (projectsOpen) => set({ projectsOpen }),
}));
