/** `warmnet history <postgres://…?schema=NAME> [--feature ID] [--layer L] [--json | --csv] [--out F]`: who changed what and when. */
import { writeFileSync } from 'node:fs';
import type { Command } from './command';
import { CliError, flag, positional, printJson, str } from './args';
import { PgStore, type HistoryRow } from '../backend/store/pg/store';
import { isPgUrl } from '../backend/store/pg/url';

/** RFC 4180: quote a cell holding a comma, quote or line break. */
function cell(v: unknown): string {
  const t = String(v ?? '');
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

function csv(rows: HistoryRow[]): string {
  const table: unknown[][] = [['seq', 'at', 'user', 'db_user', 'layer', 'feature_id', 'op', 'version', 'label', 'undo', 'undone', 'field', 'before', 'after']];
  for (const r of rows) {
    const base = [r.seq, r.at, r.user, r.dbUser, r.layer, r.featureId, r.op, r.version, r.label ?? '', r.undo, r.undone];
    if (r.changes.length === 0) table.push([...base, '', '', '']);
    for (const c of r.changes) table.push([...base, c.field, JSON.stringify(c.before), JSON.stringify(c.after)]);
  }
  return table.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export const historyCommand: Command = {
  usage: '<postgres://…?schema=NAME> [--feature ID] [--layer L] [--json | --csv] [--out F]',
  options: { feature: { value: true }, layer: { value: true }, json: {}, csv: {}, out: { value: true } },
  async run(args) {
    const url = positional(args, 0, 'the server URL (postgres://…?schema=NAME)');
    if (!isPgUrl(url)) throw new CliError(`${url}: history is kept on a PostgreSQL server; give its postgres:// URL`);
    const store = await PgStore.open(url);
    let rows: HistoryRow[];
    try {
      rows = await store.history({ featureId: str(args, 'feature'), layer: str(args, 'layer') });
    } finally {
      await store.close();
    }
    const out = str(args, 'out');
    let text: string;
    if (flag(args, 'csv')) text = csv(rows);
    else if (flag(args, 'json')) text = JSON.stringify(rows, null, 2) + '\n';
    else
      text =
        rows
          .map((r) => `${r.at}  ${r.user}  ${r.op} ${r.layer} ${r.featureId} v${r.version}${r.undo ? ' (undo)' : ''}${r.undone ? ' [undone]' : ''}${r.changes.length ? ': ' + r.changes.map((c) => `${c.field} ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`).join(', ') : ''}`)
          .join('\n') + '\n';
    if (out) writeFileSync(out, text);
    else if (flag(args, 'json')) printJson(rows);
    else process.stdout.write(text);
  },
};
