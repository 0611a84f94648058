/** `warmnet publish <file.gpkg> <postgres://…?schema=NAME> [--replace] [--json]`: copy a project to a PostgreSQL/PostGIS server. */
import type { Command } from './command';
import { CliError, flag, positional, printJson } from './args';
import { readProjectAt } from '../backend/store/location';
import { publishProject } from '../backend/store/pg/publish';
import { isPgUrl, parsePgUrl } from '../backend/store/pg/url';

export const publishCommand: Command = {
  usage: '<file.gpkg> <postgres://user@host:port/db?schema=NAME> [--replace] [--json]',
  options: { replace: {}, json: {} },
  async run(args) {
    const file = positional(args, 0, 'the project file (.gpkg)');
    const url = positional(args, 1, 'the server URL (postgres://user@host:port/db?schema=NAME)');
    if (!isPgUrl(url)) throw new CliError(`${url}: not a postgres:// URL`);
    const target = parsePgUrl(url);
    const { data, description } = await readProjectAt(file);
    const r = await publishProject(url, data, { replace: flag(args, 'replace'), description, source: file });
    if (flag(args, 'json')) printJson({ file, url: target.display, ...r });
    else {
      const n = Object.values(r.features).reduce((a, b) => a + b, 0);
      process.stdout.write(
        `${file} → ${target.display}: ${n} features, ${r.projects} projects\n` +
          `roles: ${r.roles.viewer} (read), ${r.roles.editor} (edit features and projects), ${r.roles.admin} (also settings); give them with "warmnet grant"\n`,
      );
    }
  },
};
