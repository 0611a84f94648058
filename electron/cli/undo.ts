/**
 * `warmnet undo <postgres://…?schema=NAME> [--user NAME] [--json]`: take back your newest edit on a shared project
 * (only your own; refused as a conflict when someone changed those features since).
 */
import type { Command } from './command';
import { CliError, flag, positional, printJson, str } from './args';
import { PgStore } from '../backend/store/pg/store';
import { isPgUrl } from '../backend/store/pg/url';

export const undoCommand: Command = {
  usage: '<postgres://…?schema=NAME> [--user NAME] [--json]',
  options: { user: { value: true }, json: {} },
  async run(args) {
    const url = positional(args, 0, 'the server URL (postgres://…?schema=NAME)');
    if (!isPgUrl(url)) throw new CliError(`${url}: undo of a GeoPackage project is in the app (its journal is in the file); give a postgres:// URL`);
    const store = await PgStore.open(url, { user: str(args, 'user') });
    try {
      const r = await store.undo();
      if (flag(args, 'json')) printJson(r);
      if ('conflict' in r) {
        const c = r.conflict;
        if (!flag(args, 'json')) process.stdout.write(`${c.layer}/${c.id}: changed by someone else since (version ${c.baseVersion} → ${c.theirVersion}): ${c.fields.map((f) => f.field).join(', ')}\n`);
        throw new CliError(`nothing undone: ${c.layer} "${c.id}" was changed by someone else since your edit`);
      }
      if (!flag(args, 'json')) process.stdout.write(r.undone ? `undone: ${r.label ?? 'edit'} (${r.undone} rows) by ${store.user}\n` : `nothing of ${store.user}'s to undo\n`);
    } finally {
      await store.close();
    }
  },
};
