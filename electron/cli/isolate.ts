/**
 * `warmnet isolate <file.gpkg> --pipe ID | --at LON,LAT [--json]`: burst
 * isolation (DOMAIN.md §3.3). `--pipe` isolates every piece of the pipe;
 * `--at` the valve segment at a point on a pipe (within 50 m).
 */
import type { Command } from './command';
import { CliError, UsageError, flag, positional, printJson, str } from './args';
import { readProjectAt } from '../backend/store/location';
import { prepareNetwork, runAnalysis } from '../../core/network/analyses';
import { NoSourceError, UnknownPipeError, type IsolationResult } from '../../core/network/isolate';
import { label, one } from './lang';

function parsePoint(text: string): [number, number] {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || parts.some((v) => !Number.isFinite(v))) throw new UsageError(`--at must be LON,LAT, got "${text}"`);
  return [parts[0], parts[1]];
}

const list = (ids: string[]) => (ids.length ? ids.join(', ') : '—');

function text(r: IsolationResult): string {
  const row = (key: Parameters<typeof label>[0], value: string) => `${`${label(key)}:`.padEnd(31)} ${value}`;
  return [
    row('cli.valvesToClose', list(r.valvesToClose)),
    row('cli.alreadyClosed', list(r.alreadyClosed)),
    ...(r.cannotClose?.length ? [row('cli.cannotClose', list(r.cannotClose))] : []),
    row('cli.pipesIsolated', `${list(r.pipesIsolated)}  (${r.lengthM.toFixed(1)} m)`),
    row('cli.stationsCut', list(r.stationsCut)),
    row('cli.communitiesCut', list(r.communitiesCut)),
    `${label('cli.affected')}: ${r.households} ${one('cli.households')}, ${r.heatedAreaM2.toFixed(0)} m², ${r.loadMW.toFixed(3)} MW`,
  ].join('\n') + '\n';
}

export const isolate: Command = {
  usage: '<file.gpkg> (--pipe ID | --at LON,LAT) [--json]',
  options: { pipe: { value: true }, at: { value: true }, json: {} },
  async run(args) {
    const path = positional(args, 0, 'the project (a .gpkg file or postgres://…?schema=NAME)');
    const pipeId = str(args, 'pipe');
    const atText = str(args, 'at');
    if ((pipeId === undefined) === (atText === undefined)) throw new UsageError('give exactly one of --pipe ID or --at LON,LAT');
    const at = atText === undefined ? undefined : parsePoint(atText);
    const project = (await readProjectAt(path)).data;
    let result: IsolationResult;
    try {
      result = runAnalysis('isolate', prepareNetwork(project), { pipeId, at });
    } catch (err) {
      if (err instanceof UnknownPipeError || err instanceof NoSourceError) throw new CliError(err.message);
      throw err;
    }
    if (flag(args, 'json')) {
      const { cannotClose: _extra, ...exact } = result;
      printJson(exact);
    } else process.stdout.write(text(result));
  },
};
