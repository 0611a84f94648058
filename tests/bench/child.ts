/**
 * What the benches that measure one run per child process share: the child
 * (this same bench file with its own arguments, garbage collection exposed),
 * its last line of JSON, and the process's peak resident memory.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Runs `script` (a bench file) in a child process with `args`; its last stdout line as JSON, or why not. */
export function benchChild(script: string, args: string[]): Record<string, number | string> | string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', '--max-old-space-size=8192', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return `failed (${r.status}): ${r.stderr.slice(-800)}`;
  const last = r.stdout.trim().split('\n').pop();
  return last ? JSON.parse(last) : '';
}

/** This process's peak resident memory so far (VmHWM), MB. */
export function vmHWM(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** True when the module of `url` is the script node was started with (not imported by `npm run bench`). */
export function startedAsScript(url: string): boolean {
  return !!process.argv[1] && fileURLToPath(url) === process.argv[1];
}
