/**
 * `warmnet loops p.gpkg --json | head -1`: the real command in a child
 * process whose reader goes away early. It must end quietly (no EPIPE stack
 * trace) with the usual status.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
let dir: string;
let gpkg: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-epipe-'));
  gpkg = join(dir, 'p.gpkg');
  // The sample: its loops report (~75 kB of JSON) is larger than a pipe holds.
  copyFileSync(join(root, 'gis-data', 'mingantu.gpkg'), gpkg);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a closed stdout', () => {
  it('a reader that closes before anything is written: status 0, nothing on stderr', async () => {
    const child = spawn(process.execPath, [join(root, 'bin/warmnet.mjs'), 'loops', gpkg, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Close our end of the pipe at once: every write of the command meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((ok) => child.on('close', (c) => ok(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('piped into head -1 by a shell: one line out, the command exits 0', () => {
    const r = spawnSync('bash', ['-c', 'set -o pipefail; "$0" "$1" loops "$2" --json | head -1', process.execPath, join(root, 'bin/warmnet.mjs'), gpkg], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('{\n');
    expect(r.status).toBe(0);
  });

  it('a bad input still says why and exits 1 (the handler only takes a closed pipe)', () => {
    const r = spawnSync('bash', ['-c', '"$0" "$1" loops "$2" --json | head -1; exit ${PIPESTATUS[0]}', process.execPath, join(root, 'bin/warmnet.mjs'), join(dir, 'missing.gpkg')], { encoding: 'utf8' });
    expect(r.stderr).toMatch(/missing\.gpkg/);
    expect(r.status).toBe(1);
  });
});
