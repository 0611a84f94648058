/**
 * UI strings of the presentation mode, charts panel and export dialog,
 * Chinese first (the default) and English; read through `usePresentT()`,
 * which follows the app's language switch.
 */
import { useAppStore } from '../../store';

export const PRESENT_MESSAGES = {
  present: { zh: '演示', en: 'Present' },
  presentTip: { zh: '演示模式（F5）：全屏、大图例、关键指标；←/→ 切换视图，Esc 退出', en: 'Presentation mode (F5): full screen, large legend, key figures; ←/→ step views, Esc exits' },
  charts: { zh: '图表', en: 'Charts' },
  export: { zh: '导出', en: 'Export' },
  close: { zh: '关闭', en: 'Close' },
  presentTitle: { zh: '明安图镇城镇供热温暖工程', en: 'Mingantu town heating warmth project' },
  legend: { zh: '图例', en: 'Legend' },
  renewedKm: { zh: '年管网改造', en: ' pipe renewal' },
  plan: { zh: '计划', en: 'plan' },
  done: { zh: '已完成', en: 'completed' },
  budget: { zh: '项目投资', en: 'Investment' },
  wan: { zh: '万元', en: 'CNY 10k' },
  overloaded: { zh: '换热站超载', en: 'Stations overloaded' },
  stationsUnit: { zh: '座', en: '' },
  nearLimit: { zh: '接近满负荷', en: 'near limit' },
  loops: { zh: '联网方案', en: 'Loop options' },
  loopsSub: { zh: '一网多源 · 环网', en: 'multi-source · looped network' },
  optionsUnit: { zh: '个', en: '' },
  computing: { zh: '计算中…', en: 'computing…' },
  prevView: { zh: '上一视图', en: 'Previous view' },
  nextView: { zh: '下一视图', en: 'Next view' },
  saveView: { zh: '保存视图', en: 'Save view' },
  deleteView: { zh: '删除视图', en: 'Delete view' },
  exit: { zh: '退出', en: 'Exit' },
  view: { zh: '视图', en: 'View' },
  overview: { zh: '全镇管网', en: 'Whole network' },
  keysHint: { zh: '←/→ 切换视图 · B 保存视图 · C 图表 · Esc 退出', en: '←/→ views · B save view · C charts · Esc exit' },
  exportPng: { zh: '导出 PNG', en: 'Export PNG' },
  exportTitle: { zh: '导出', en: 'Export' },
  mapSheet: { zh: '专题图', en: 'Map sheet' },
  ledger: { zh: '台账', en: 'Ledger' },
  atlas: { zh: '一小区一清单图册', en: 'Community atlas' },
  format: { zh: '格式', en: 'Format' },
  paper: { zh: '纸张', en: 'Paper' },
  orientation: { zh: '方向', en: 'Orientation' },
  landscape: { zh: '横向', en: 'Landscape' },
  portrait: { zh: '纵向', en: 'Portrait' },
  dpi: { zh: '分辨率 (dpi)', en: 'Resolution (dpi)' },
  themeLabel: { zh: '专题（当前）', en: 'Theme (active)' },
  title: { zh: '标题', en: 'Title' },
  titlePlaceholder: { zh: '默认：明安图镇供热管网…专题图', en: 'Default: the theme’s sheet title' },
  unit: { zh: '编制单位', en: 'Issuing unit' },
  unitPlaceholder: { zh: '默认：明安图镇城镇供热温暖工程', en: 'Default: 明安图镇城镇供热温暖工程' },
  extent: { zh: '范围', en: 'Area' },
  extentAll: { zh: '全部管网', en: 'Whole network' },
  extentView: { zh: '当前视图', en: 'Current view' },
  ledgerNote: { zh: '项目清单（问题/任务/措施/责任单位/时限/状态/投资）及每个小区一张表；CSV 为每表一个文件', en: 'Project list in the plan’s format and one sheet per community; CSV gives one file per sheet' },
  atlasNote: { zh: '每个小区一页：小区地图及其台账', en: 'One page per community: its map and its ledger' },
  start: { zh: '导出', en: 'Export' },
  working: { zh: '正在导出…', en: 'Exporting…' },
  wrote: { zh: '已导出', en: 'Exported' },
  failed: { zh: '导出失败', en: 'Export failed' },
  seconds: { zh: '秒', en: 's' },
} as const;

export type PresentKey = keyof typeof PRESENT_MESSAGES;

export function usePresentT() {
  const lang = useAppStore((s) => s.lang);
  return { lang, t: (key: PresentKey) => PRESENT_MESSAGES[key][lang] };
}
