/**
 * Crash test: `kill -9` at random moments while the real command imports
 * (--replace, so a half-done import would show as a mix) and while another
 * process makes edits through the store, on one project file, run after
 * run. After every kill the file opens, passes GDAL's validate_gpkg.py and
 * ogrinfo, and holds the state before the interrupted work or after it —
 * every committed edit, the whole import or none of it — never a mix.
 *
 * WARMNET_CRASH_RUNS: number of kills (default 24), half imports, half edits.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random';
import { ProjectStore } from '../../electron/backend/store/index';
import { writeFixtureProject } from '../e2e/fixture';
import { commandResult as check, pipesGeoJson, PYTHON, tempDir, VALIDATE_GPKG, writeJson } from '../fixtures/import/gdal';

const ROOT = resolve(__dirname, '../..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'warmnet');
const RUNS = Number(process.env.WARMNET_CRASH_RUNS ?? 24);
const SOURCE_PIPES = 1000;
const tmp = tempDir('warmnet-crash-');
afterAll(() => tmp.cleanup());

/** The children as bundled files (esbuild, which tsx brings): many starts cost little. */
async function bundle(entry: string, name: string): Promise<string[]> {
  try {
    const { build } = (await import('esbuild')) as typeof import('esbuild');
    const out = join(CACHE, name);
    await build({ entryPoints: [join(ROOT, 'tests', 'unit', entry)], outfile: out, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
    return [out];
  } catch {
    return ['--import', 'tsx', join(ROOT, 'tests', 'unit', entry)];
  }
}

type State = Map<string, number | null>;

function pipesOf(path: string): State {
  const store = ProjectStore.open(path);
  try {
    return new Map(store.listFeatures('pipes').map((p) => [String(p.id), (p.properties.condition as number | null) ?? null]));
  } finally {
    store.close();
  }
}
const same = (a: State, b: State) => a.size === b.size && [...a].every(([k, v]) => b.has(k) && b.get(k) === v);

function replay(state: State, lines: string[]): State {
  const s = new Map(state);
  for (const l of lines) {
    const [, op, id, v] = l.split(' ');
    if (op === 'insert') s.set(id, null);
    else if (op === 'update') s.set(id, Number(v));
  }
  return s;
}

/** Start a child; kill it with SIGKILL `afterMs` after `armed()` first says yes (polled every 5 ms). */
function killLater(args: string[], afterMs: number, armed: () => boolean): Promise<{ signal: NodeJS.Signals | null; code: number | null; stderr: string; ms: number }> {
  return new Promise((ok) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, args, { cwd: tmp.dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const poll = setInterval(() => {
      if (armed() || Date.now() - t0 > 30_000) {
        clearInterval(poll);
        setTimeout(() => child.kill('SIGKILL'), afterMs);
      }
    }, 5);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      ok({ signal, code, stderr, ms: Date.now() - t0 });
    });
  });
}

describe('kill -9 during imports and edits', () => {
  it(`the file is valid and holds the old or the new state after each of ${RUNS} kills`, async () => {
    const cli = await bundle('cli.child.ts', 'crash-cli.mjs');
    const edits = await bundle('edits.child.ts', 'crash-edits.mjs');
    const rnd = seededRandom(20261206);
    const project = join(tmp.dir, 'project.gpkg');
    writeFixtureProject(project, 2026);
    // How long a whole import takes here: kills are spread over it.
    const calibrate = writeJson(join(tmp.dir, 'calibrate.geojson'), pipesGeoJson(SOURCE_PIPES, [115.03, 42.287], 0.05, 99));
    const scratch = join(tmp.dir, 'scratch.gpkg');
    writeFixtureProject(scratch, 2026);
    const t = await killLater([...cli, 'import', calibrate, '--into', scratch, '--layer', 'pipes', '--replace'], 60_000, () => false);
    expect(t.code, t.stderr).toBe(0);
    const importMs = t.ms;

    let model = pipesOf(project);
    const figures = { imports: 0, importsKept: 0, importsLost: 0, edits: 0, editsCommitted: 0, inFlightLost: 0, inFlightKept: 0, invalid: 0, mixed: 0 };
    const gdal: Promise<void>[] = [];
    for (let r = 1; r <= RUNS; r++) {
      if (r % 2 === 1) {
        figures.imports++;
        const fc = pipesGeoJson(SOURCE_PIPES, [115.03, 42.287], 0.05, r);
        fc.features.forEach((f, i) => (f.properties!.编号 = `R${r}-${i + 1}`));
        const src = writeJson(join(tmp.dir, `run-${r}.geojson`), fc);
        const res = await killLater([...cli, 'import', src, '--into', project, '--layer', 'pipes', '--replace'], Math.floor(importMs * (0.3 + rnd() * 0.9)), () => true);
        const actual = pipesOf(project);
        const after: State = new Map(fc.features.map((f) => [String(f.properties!.编号), null]));
        if (same(actual, model)) figures.importsLost++;
        else if (same(actual, after)) {
          figures.importsKept++;
          model = after;
        } else figures.mixed++;
        expect(same(actual, model), `run ${r} (import, ${res.signal ?? res.code}): neither the old state nor the whole import`).toBe(true);
      } else {
        figures.edits++;
        const log = join(tmp.dir, `run-${r}.log`);
        writeFileSync(log, '');
        const res = await killLater([...edits, project, '100000', `E${r}`, log], Math.floor(rnd() * 400), () => readFileSync(log, 'utf8').includes('done'));
        expect(res.signal, res.stderr).toBe('SIGKILL');
        const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
        const done = lines.filter((l) => l.startsWith('done'));
        figures.editsCommitted += done.length;
        const last = lines[lines.length - 1];
        const inFlight = last?.startsWith('begin') ? last.replace('begin', 'done') : null;
        const actual = pipesOf(project);
        const without = replay(model, done);
        if (same(actual, without)) {
          if (inFlight) figures.inFlightLost++;
          model = without;
        } else if (inFlight && same(actual, replay(model, [...done, inFlight]))) {
          figures.inFlightKept++;
          model = replay(model, [...done, inFlight]);
        } else figures.mixed++;
        expect(same(actual, model), `run ${r} (edits): not the committed edits (plus at most the one in flight)`).toBe(true);
      }
      // GDAL checks a copy of the file exactly as the kill left it (opening above recovered the original).
      const crashed = join(tmp.dir, `crashed-${r}.gpkg`);
      copyFileSync(project, crashed);
      gdal.push(
        (async () => {
          const v = await check(PYTHON, [VALIDATE_GPKG, crashed]);
          const o = await check('ogrinfo', ['-ro', '-so', crashed, 'pipes']);
          if (v.status !== 0 || o.status !== 0 || !/Feature Count: \d+/.test(o.out)) figures.invalid++;
          expect(v.status, `run ${r}: validate_gpkg.py\n${v.out}`).toBe(0);
          expect(o.status, `run ${r}: ogrinfo\n${o.out}`).toBe(0);
          ProjectStore.remove(crashed);
        })(),
      );
    }
    await Promise.all(gdal);
    console.log(`crash test: ${RUNS} kill -9 (import ${importMs} ms unkilled): ${JSON.stringify(figures)}`);
    expect(figures.mixed).toBe(0);
    expect(figures.invalid).toBe(0);
  }, 120_000 + RUNS * 15_000);
});
