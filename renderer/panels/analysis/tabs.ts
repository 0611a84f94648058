/** The analysis drawer's tabs: the panel shows them, the UI state remembers which one is open. */
export type AnalysisTab = 'check' | 'trace' | 'burst' | 'risk' | 'loops' | 'engineering' | 'settings';
