/** `warmnet upgrade <postgres://…?schema=NAME>`: add the columns a newer WarmNet reads to a project published by an older one. */
import type { Command } from './command';
import { positional } from './args';
import { upgradeProject } from '../backend/store/pg/publish';
import { redact } from '../backend/store/pg/url';

export const upgradeCommand: Command = {
  usage: '<postgres://…?schema=NAME>',
  options: {},
  async run(args) {
    const url = positional(args, 0, 'the server URL (postgres://…?schema=NAME)');
    const added = await upgradeProject(url);
    process.stdout.write(`${redact(url)}: ${added.length ? `added ${added.join(', ')}` : 'already up to date'}\n`);
  },
};
