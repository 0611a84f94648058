/**
 * Running `warmnet` from tests: in this process (the same `main` as
 * bin/warmnet.mjs, without paying for a TypeScript loader per call) or as the
 * real command in a child process, for exit codes and output as a user sees them.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../cli';
import { ProjectStore } from '../backend/store/index';
import type { ProjectData } from '../../core/model/project';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'warmnet.mjs');

/** `main(argv)` in this process with stdout and stderr captured; relative paths resolve in `cwd`. */
export async function runCli(argv: string[], opts: { cwd?: string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  const cwd = process.cwd();
  process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  if (opts.cwd) process.chdir(opts.cwd);
  try {
    const status = await main(argv);
    return { status, stdout, stderr };
  } finally {
    if (opts.cwd) process.chdir(cwd);
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** bin/warmnet.mjs in a child process. */
export function spawnCli(argv: string[], opts: { cwd?: string } = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd: opts.cwd, encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A new project at `path` holding the network layers of a planted network (sources, pipes, valves, stations, communities); returns `path`. */
export function writeNetworkProject(path: string, p: ProjectData): string {
  const s = ProjectStore.create(path);
  try {
    for (const layer of ['heat_sources', 'pipes', 'valves', 'stations', 'communities'] as const)
      if (p.layers[layer].length) s.importFeatures(layer, p.layers[layer]);
  } finally {
    s.close();
  }
  return path;
}
