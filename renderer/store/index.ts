/**
 * App state in zustand slices: the open project (data from the backend),
 * the view (theme, visible layers, language, table) and the selection.
 */
import { create } from 'zustand';
import type { LayerName } from '../../core/model/schema';
import type { FeatureCollection } from '../../core/model/geojson';
import type { ThemeClassStats, ThemeId } from '../../core/style/themes';
import type { ProjectInfo } from '../../electron/backend/contract';
import type { Lang } from '../i18n/messages';

/** What is selected: nothing, or one feature of a layer (more kinds come with editing). */
export type Selection = { type: 'none' } | { type: 'single'; layer: LayerName; id: string };

export interface ProjectSlice {
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  info: ProjectInfo | null;
  layers: Partial<Record<LayerName, FeatureCollection>>;
  stats: Partial<Record<ThemeId, ThemeClassStats[]>>;
  setProject(p: { info: ProjectInfo; layers: Partial<Record<LayerName, FeatureCollection>>; stats: Partial<Record<ThemeId, ThemeClassStats[]>> }): void;
  /** The project's extent and counts arrive first, so the map frames it before the data comes. */
  setInfo(info: ProjectInfo): void;
  /** Legend totals per theme (they may arrive after the layers). */
  setStats(stats: Partial<Record<ThemeId, ThemeClassStats[]>>): void;
  setError(message: string): void;
}

export interface ViewSlice {
  lang: Lang;
  theme: ThemeId;
  visible: Record<LayerName, boolean>;
  tableOpen: boolean;
  tableLayer: LayerName;
  setLang(lang: Lang): void;
  setTheme(theme: ThemeId): void;
  toggleLayer(layer: LayerName): void;
  setTable(open: boolean, layer?: LayerName): void;
}

export interface SelectionSlice {
  selection: Selection;
  /** Where the last selection came from: the table frames the map, the map scrolls the table. */
  selectionOrigin: 'map' | 'table' | 'search' | null;
  hover: { layer: LayerName; id: string } | null;
  select(sel: Selection, origin: SelectionSlice['selectionOrigin']): void;
  setHover(h: SelectionSlice['hover']): void;
}

export type AppState = ProjectSlice & ViewSlice & SelectionSlice;

const initialLang = (): Lang => {
  try {
    const q = new URLSearchParams(window.location.search).get('lang');
    if (q === 'en' || q === 'zh') return q;
    const stored = window.localStorage?.getItem('warmnet.lang');
    return stored === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
};

export const useAppStore = create<AppState>()((set) => ({
  // project slice
  status: 'loading',
  error: null,
  info: null,
  layers: {},
  stats: {},
  setProject: (p) => set({ status: 'ready', error: null, ...p }),
  setInfo: (info) => set({ info }),
  setStats: (stats) => set({ stats }),
  setError: (message) => set({ status: 'error', error: message }),

  // view slice
  lang: initialLang(),
  theme: 'age',
  visible: {
    streets: true,
    communities: true,
    coal_areas: true,
    pipes: true,
    valves: true,
    stations: true,
    heat_sources: true,
    incidents: false,
    complaints: false,
  },
  tableOpen: false,
  tableLayer: 'pipes',
  setLang: (lang) => {
    try {
      window.localStorage?.setItem('warmnet.lang', lang);
    } catch {
      /* storage may be off */
    }
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    set({ lang });
  },
  setTheme: (theme) => set({ theme }),
  toggleLayer: (layer) => set((s) => ({ visible: { ...s.visible, [layer]: !s.visible[layer] } })),
  setTable: (open, layer) => set((s) => ({ tableOpen: open, tableLayer: layer ?? s.tableLayer })),

  // selection slice
  selection: { type: 'none' },
  selectionOrigin: null,
  hover: null,
  select: (selection, origin) => set({ selection, selectionOrigin: origin }),
  setHover: (hover) => set({ hover }),
}));
