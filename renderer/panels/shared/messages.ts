/** Strings of the shared-project dialog (connection, check-out, check-in, conflicts), Chinese first and English. */
import type { Lang } from '../../i18n/messages';

export const SM = {
  open: { zh: '共享', en: 'Shared' },
  title: { zh: '共享工程（PostgreSQL/PostGIS）', en: 'Shared project (PostgreSQL/PostGIS)' },
  close: { zh: '关闭', en: 'Close' },
  saved: { zh: '已保存的连接', en: 'Saved connections' },
  noneSaved: { zh: '（无）', en: '(none)' },
  host: { zh: '服务器', en: 'Host' },
  port: { zh: '端口', en: 'Port' },
  database: { zh: '数据库', en: 'Database' },
  user: { zh: '用户', en: 'User' },
  schema: { zh: '工程（schema）', en: 'Project (schema)' },
  password: { zh: '密码（不保存）', en: 'Password (not saved)' },
  label: { zh: '连接名称', en: 'Connection name' },
  save: { zh: '保存连接', en: 'Save connection' },
  remember: { zh: '密码存入系统钥匙串', en: 'Keep the password in the OS keychain' },
  inKeychain: { zh: '（密码在钥匙串中）', en: '(password in the keychain)' },
  connect: { zh: '连接', en: 'Connect' },
  role: { zh: '权限', en: 'Role' },
  viewer: { zh: '只读', en: 'viewer (read only)' },
  editor: { zh: '编辑', en: 'editor' },
  admin: { zh: '管理员', en: 'admin' },
  readOnlyNote: { zh: '此账户只能查看：不能检出编辑或检入。', en: 'This account may only view: no check-out for editing, no check-in.' },
  fileName: { zh: '检出到文件（与当前工程同目录）', en: 'Check out into (beside the open project)' },
  checkout: { zh: '检出', en: 'Check out' },
  checkedOut: { zh: '已检出 {n} 个要素到 {path}。用“打开”打开该文件离线编辑，完成后在其中检入。', en: 'Checked out {n} features into {path}. Open that file to edit offline, then check in from it.' },
  thisCopy: { zh: '本工程检出自', en: 'This project was checked out from' },
  at: { zh: '检出时间', en: 'Checked out at' },
  checkedInAt: { zh: '已检入于 {at}；如需继续离线编辑请重新检出。', en: 'Checked in at {at}; check out again to go on offline.' },
  checkin: { zh: '检入', en: 'Check in' },
  checkinDone: {
    zh: '已检入 {changes} 处修改：新增 {inserted}，更新 {updated}，与他人修改合并 {merged}，删除 {deleted}，冲突已解决 {resolved}。',
    en: 'Checked in {changes} changes: {inserted} added, {updated} updated, {merged} merged with others’ edits, {deleted} deleted, {resolved} conflicts resolved.',
  },
  conflicts: { zh: '{n} 处冲突：服务器上的同一字段已被他人修改。请逐字段选择，未写入任何内容。', en: '{n} conflicts: others changed the same fields on the server. Choose per field; nothing was written.' },
  field: { zh: '字段', en: 'Field' },
  base: { zh: '检出时', en: 'At check-out' },
  mine: { zh: '我的', en: 'Mine' },
  theirs: { zh: '服务器', en: 'Theirs' },
  merge: { zh: '合并（输入值）', en: 'Merge (type a value)' },
  deleted: { zh: '（已删除）', en: '(deleted)' },
  shape: { zh: '（图形）', en: '(shape)' },
  allMine: { zh: '全部用我的', en: 'All mine' },
  allTheirs: { zh: '全部用服务器的', en: 'All theirs' },
  apply: { zh: '按所选检入', en: 'Check in as chosen' },
  working: { zh: '正在处理…', en: 'Working…' },
  remote: { zh: '服务器上他人的新修改（{n}）', en: 'Others’ new edits on the server ({n})' },
  remoteNone: { zh: '正在接收服务器的修改通知…', en: 'Listening for edits on the server…' },
  opInsert: { zh: '新增', en: 'added' },
  opUpdate: { zh: '修改', en: 'changed' },
  opDelete: { zh: '删除', en: 'deleted' },
  notShared: { zh: '当前工程是本地文件。连接服务器以检出共享工程。', en: 'The open project is a local file. Connect to a server to check out a shared project.' },
} as const;

export type SharedMessageKey = keyof typeof SM;

export function sm(lang: Lang, key: SharedMessageKey, vars: Record<string, string | number> = {}): string {
  return SM[key][lang].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}
