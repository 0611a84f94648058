/**
 * `warmnet grant <postgres://…?schema=NAME> --user NAME --role viewer|editor|admin [--password P] [--bbox x0,y0,x1,y1] [--project ID]`:
 * give a login one of the project's roles; --bbox limits its edits to features meeting that area, --project to the
 * features linked to that renovation project (row-level security).
 */
import type { Command } from './command';
import { UsageError, positional, str } from './args';
import { grantRole } from '../backend/store/pg/publish';

export const grantCommand: Command = {
  usage: '<postgres://…?schema=NAME> --user NAME --role viewer|editor|admin [--password P] [--bbox x0,y0,x1,y1] [--project ID]',
  options: { user: { value: true }, role: { value: true }, password: { value: true }, bbox: { value: true }, project: { value: true } },
  async run(args) {
    const url = positional(args, 0, 'the server URL (postgres://…?schema=NAME)');
    const user = str(args, 'user');
    const role = str(args, 'role');
    if (!user) throw new UsageError('missing --user NAME');
    if (role !== 'viewer' && role !== 'editor' && role !== 'admin') throw new UsageError('--role must be viewer, editor or admin');
    const bbox = parseBbox(str(args, 'bbox'));
    const project = str(args, 'project');
    await grantRole(url, { user, role, password: str(args, 'password') ?? process.env.WARMNET_NEW_PASSWORD, bbox, project });
    process.stdout.write(`${user}: ${role}${bbox ? ` within ${bbox.join(',')}` : ''}${project ? ` on project ${project}` : ''}\n`);
  },
};

/** `x0,y0,x1,y1` in degrees (CGCS2000), or undefined. */
export function parseBbox(v: string | undefined): [number, number, number, number] | undefined {
  if (v === undefined) return undefined;
  const n = v.split(',').map(Number);
  if (n.length !== 4 || n.some((x) => !Number.isFinite(x)) || n[0] >= n[2] || n[1] >= n[3]) {
    throw new UsageError(`--bbox must be x0,y0,x1,y1 (west,south,east,north in degrees), got "${v}"`);
  }
  return n as [number, number, number, number];
}
