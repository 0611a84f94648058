/** UI strings of the editing tools and the projects panel, Chinese first. */
import { useAppStore } from '../store';

export const EDIT_MESSAGES = {
  select: { zh: '选择', en: 'Select' },
  drawPipe: { zh: '绘制管线', en: 'Draw pipe' },
  split: { zh: '打断管线', en: 'Split pipe' },
  placeValve: { zh: '放置阀门井', en: 'Place valve well' },
  placeStation: { zh: '放置换热站', en: 'Place station' },
  editVertices: { zh: '编辑节点', en: 'Edit vertices' },
  saveGeometry: { zh: '保存形状', en: 'Save shape' },
  editAttributes: { zh: '编辑属性', en: 'Edit attributes' },
  delete: { zh: '删除', en: 'Delete' },
  undo: { zh: '撤销', en: 'Undo' },
  redo: { zh: '重做', en: 'Redo' },
  save: { zh: '保存', en: 'Save' },
  cancel: { zh: '取消', en: 'Cancel' },
  newPipe: { zh: '新管线', en: 'New pipe' },
  newFeature: { zh: '新要素', en: 'New feature' },
  hintDraw: { zh: '单击加点（自动吸附节点），回车完成，Esc取消', en: 'Click to add points (snaps to nodes), Enter finishes, Esc cancels' },
  hintSplit: { zh: '单击管线上要打断的位置', en: 'Click the pipe where it should be split' },
  hintPlace: { zh: '单击管线上放置位置', en: 'Click on a pipe to place it' },
  hintBox: { zh: '单击两角框选管线', en: 'Click two corners to box-select pipes' },
  hintLasso: { zh: '单击开始，移动鼠标圈出范围，再单击结束', en: 'Click to start, move the mouse around the pipes, click again to close' },
  hintClick: { zh: '单击管线加入项目', en: 'Click pipes to add them to the project' },
  hintVertices: { zh: '拖动节点移动，右键单击节点删除，完成后保存形状', en: 'Drag a vertex to move it, right-click one to delete it; then save the shape' },
  snapped: { zh: '已吸附', en: 'snapped' },
  snapTolerance: { zh: '吸附', en: 'Snap' },
  snapTitle: { zh: '绘制时吸附节点的屏幕距离（像素），默认', en: 'Screen distance (pixels) within which drawing snaps to nodes; default' },
  fileChanged: { zh: '工程文件已被其他程序修改（如QGIS），已重新加载', en: 'The project file was changed by another program (e.g. QGIS) and has been reloaded' },
  dismiss: { zh: '知道了', en: 'OK' },
  projectsPanel: { zh: '项目清单', en: 'Projects' },
  newProject: { zh: '新建项目', en: 'New project' },
  linkBox: { zh: '框选关联', en: 'Link by box' },
  linkLasso: { zh: '圈选关联', en: 'Link by lasso' },
  linkClick: { zh: '点选关联', en: 'Link by click' },
  drawInto: { zh: '绘制新管线', en: 'Draw new pipe' },
  stopLinking: { zh: '结束', en: 'Done' },
  totals: { zh: '年度合计', en: 'Totals per year' },
  planProgress: { zh: '计划完成情况', en: 'Plan progress' },
  year: { zh: '年度', en: 'Year' },
  target: { zh: '计划', en: 'Plan' },
  done: { zh: '已纳入', en: 'In projects' },
  budget: { zh: '投资(万元)', en: 'Budget (万元)' },
  overdue: { zh: '逾期', en: 'Overdue' },
  daysLate: { zh: '天', en: 'days' },
  pipesLinked: { zh: '条管线', en: 'pipes' },
  noProjects: { zh: '暂无项目', en: 'No projects' },
  primary: { zh: '一级', en: 'Primary' },
  secondaryCourtyard: { zh: '二级+庭院', en: 'Secondary + courtyard' },
  edit: { zh: '编辑', en: 'Edit' },
  refused: { zh: '未保存', en: 'Not saved' },
} as const;

export type EditMessageKey = keyof typeof EDIT_MESSAGES;

export function useEditT() {
  const lang = useAppStore((s) => s.lang);
  return { lang, t: (k: EditMessageKey) => EDIT_MESSAGES[k][lang] };
}

/** Project statuses in the plan's words (规划 → 批复 → 在建 → 完工 → 验收). */
export const PROJECT_STATUS_LABELS: Record<string, { zh: string; en: string }> = {
  planned: { zh: '规划', en: 'Planned' },
  approved: { zh: '已批复', en: 'Approved' },
  building: { zh: '在建', en: 'Building' },
  completed: { zh: '已完工', en: 'Completed' },
  accepted: { zh: '已验收', en: 'Accepted' },
};

export function projectStatusLabel(status: string, lang: 'zh' | 'en'): string {
  return PROJECT_STATUS_LABELS[status]?.[lang] ?? status;
}
