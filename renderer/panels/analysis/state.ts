/**
 * Whether the analysis drawer is open and on which tab, and each analysis
 * view's state by id (parameters and results; the shell fills it, views read
 * it). The inspector's 爆管分析 button opens the drawer on a pipe; the
 * inspector's analysis sections read results from here.
 */
import { create } from 'zustand';

export interface AnalysisUi {
  open: boolean;
  /** The id of a registered analysis view. */
  tab: string;
  /** Each view's state by id (absent: the view's initial state). */
  states: Record<string, unknown>;
  /** The project revision the states were computed on. */
  revision: number | undefined;
  show(tab?: string): void;
  hide(): void;
  setTab(tab: string): void;
  setViewState(id: string, state: unknown): void;
  /** Replace every state (the project changed: results are stale). */
  resetStates(states: Record<string, unknown>, revision: number | undefined): void;
}

export const useAnalysisUi = create<AnalysisUi>()((set) => ({
  open: false,
  tab: 'check',
  states: {},
  revision: undefined,
  show: (tab) => set((s) => ({ open: true, tab: tab ?? s.tab })),
  hide: () => set({ open: false }),
  setTab: (tab) => set({ tab }),
  setViewState: (id, state) => set((s) => ({ states: { ...s.states, [id]: state } })),
  resetStates: (states, revision) => set({ states, revision }),
}));
