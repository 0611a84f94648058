/** Whether the analysis drawer is open and on which tab; the inspector's 爆管分析 button opens it on a pipe. */
import { create } from 'zustand';
import type { AnalysisTab } from './tabs';

export const useAnalysisUi = create<{ open: boolean; tab: AnalysisTab; show(tab?: AnalysisTab): void; hide(): void; setTab(tab: AnalysisTab): void }>()((set) => ({
  open: false,
  tab: 'check',
  show: (tab) => set((s) => ({ open: true, tab: tab ?? s.tab })),
  hide: () => set({ open: false }),
  setTab: (tab) => set({ tab }),
}));
