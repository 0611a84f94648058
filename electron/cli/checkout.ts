/**
 * `warmnet checkout <postgres://…?schema=NAME> <out.gpkg> [--bbox x0,y0,x1,y1] [--user NAME]`: take the project
 * (or an area) offline into a GeoPackage.
 * `warmnet checkin <file.gpkg> [postgres://…] [--prefer mine|theirs] [--resolve answers.json] [--conflicts out.json] [--json]`:
 * send its edits back, merged field by field; conflicts left open write nothing and are listed (exit 1).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from './command';
import { CliError, UsageError, flag, positional, printJson, str } from './args';
import { checkIn, checkOut } from '../backend/store/pg/checkout';
import type { Resolution } from '../backend/store/pg/store';
import { parseBbox } from './grant';

export const checkoutCommand: Command = {
  usage: '<postgres://…?schema=NAME> <out.gpkg> [--bbox x0,y0,x1,y1] [--user NAME] [--json]',
  options: { bbox: { value: true }, user: { value: true }, json: {} },
  async run(args) {
    const url = positional(args, 0, 'the server URL (postgres://…?schema=NAME)');
    const out = positional(args, 1, 'the GeoPackage to write');
    const r = await checkOut(url, out, { bbox: parseBbox(str(args, 'bbox')), user: str(args, 'user') });
    if (flag(args, 'json')) printJson(r);
    else {
      const n = Object.values(r.features).reduce((a, b) => a + b, 0);
      process.stdout.write(`${r.serverUrl} → ${out}: ${n} features (server at journal ${r.serverSeq}), check-out ${r.checkoutId}\n`);
    }
  },
};

export const checkinCommand: Command = {
  usage: '<file.gpkg> [postgres://…?schema=NAME] [--prefer mine|theirs] [--resolve answers.json] [--conflicts out.json] [--user NAME] [--json]',
  options: { prefer: { value: true }, resolve: { value: true }, conflicts: { value: true }, user: { value: true }, json: {} },
  async run(args) {
    const file = positional(args, 0, 'the checked-out GeoPackage');
    const url = args.positional[1];
    const prefer = str(args, 'prefer');
    if (prefer !== undefined && prefer !== 'mine' && prefer !== 'theirs') throw new UsageError('--prefer must be mine or theirs');
    let resolutions: Record<string, Resolution> | undefined;
    const resolveFile = str(args, 'resolve');
    if (resolveFile) {
      try {
        resolutions = JSON.parse(readFileSync(resolveFile, 'utf8')) as Record<string, Resolution>;
      } catch (err) {
        throw new CliError(`${resolveFile}: not a JSON object of answers ("layer/id": "mine" | "theirs" | {"field": "mine" | "theirs" | {"value": …}}): ${(err as Error).message}`);
      }
    }
    const r = await checkIn(file, { url, user: str(args, 'user'), prefer, resolutions });
    const conflictsFile = str(args, 'conflicts');
    if (conflictsFile) writeFileSync(conflictsFile, JSON.stringify(r.conflicts, null, 2) + '\n');
    if (flag(args, 'json')) printJson(r);
    else {
      process.stdout.write(
        r.committed
          ? `${file}: checked in ${r.changes} changes (${r.inserted} added, ${r.updated} updated, ${r.merged} merged with others' edits, ${r.deleted} deleted, ${r.resolved} conflicts resolved; ${r.projects} renovation projects, ${r.links} project links, ${r.settings} settings)\n`
          : `${file}: ${r.conflicts.length} conflicts, nothing written; answer them with --prefer mine|theirs or --resolve answers.json\n` +
              r.conflicts.map((c) => `  ${c.layer}/${c.id}: ${c.fields.map((f) => `${f.field} mine ${JSON.stringify(f.mine)} / theirs ${JSON.stringify(f.theirs)}`).join('; ')}`).join('\n') +
              '\n',
      );
    }
    if (!r.committed) throw new CliError(`${r.conflicts.length} conflicts left open`);
  },
};
