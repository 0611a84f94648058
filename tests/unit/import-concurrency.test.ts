/**
 * Several writers on one project file, as the real command and the app make
 * them: edits wait for a running CLI import instead of failing with
 * "database is locked"; two --replace imports racing each end whole, one
 * after the other, each with its journal entry; two --create on one path
 * make one project and the other is told the file exists; a SIGTERM while
 * a CLI import reads leaves the project byte for byte as it was.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../electron/backend/store/index';
import { writeFixtureProject } from '../e2e/fixture';
import { ogr2ogr, pipesGeoJson, tempDir, writeJson } from '../fixtures/import/gdal';

const root = resolve(__dirname, '../..');
const BIN = join(root, 'bin', 'warmnet.mjs');
const EDITS = join(root, 'tests', 'unit', 'edits.child.ts');
const tmp = tempDir('warmnet-concurrency-');
afterAll(() => tmp.cleanup());

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], opts: { onSpawn?: (pid: number) => void; cwd?: string } = {}): Promise<Run> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, args, { cwd: opts.cwd ?? tmp.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    opts.onSpawn?.(child.pid!);
    child.on('exit', (code, signal) => ok({ code, signal, stdout, stderr }));
  });
}
const warmnet = (...args: string[]) => start([BIN, ...args]);

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

function project(name: string): string {
  const p = join(tmp.dir, name);
  writeFixtureProject(p, 2026);
  return p;
}

/** Pipes with ids TAG-1…TAG-n (a --map gives the id). */
function source(name: string, n: number, tag: string): string {
  const fc = pipesGeoJson(n, [115.03, 42.287], 0.05, n);
  fc.features.forEach((f, i) => (f.properties!.编号 = `${tag}-${i + 1}`));
  return writeJson(join(tmp.dir, name), fc);
}

describe('writers wait their turn', () => {
  it('200 edits from another process while a CLI import writes: none fails', async () => {
    const p = project('busy.gpkg');
    const src = source('busy.geojson', 20_000, 'IMP');
    // The edits (one every 25 ms or so, for several seconds) start with the command and go on through its write.
    const [i, edits] = await Promise.all([
      warmnet('import', src, '--into', p, '--layer', 'pipes', '--json'),
      start(['--import', 'tsx', EDITS, p, '200', 'ED'], { cwd: root }),
    ]);
    expect(i.stderr).toBe('');
    expect(i.code).toBe(0);
    expect(edits.stderr).toBe('');
    const result = JSON.parse(edits.stdout.trim());
    expect(result, edits.stderr).toEqual({ done: 200, failed: 0, errors: [] });
    const store = ProjectStore.open(p);
    try {
      const ids = store.featureIds('pipes');
      expect(ids.filter((id) => id.startsWith('IMP-')).length).toBe(20_000);
      expect(ids.filter((id) => id.startsWith('ED-')).length).toBe(150);
    } finally {
      store.close();
    }
  }, 120_000);

  it('two --replace imports racing: one complete layer, a journal entry and a log row for each', async () => {
    const p = project('race.gpkg');
    const a = source('a.geojson', 3000, 'A');
    const b = source('b.geojson', 5000, 'B');
    const [ra, rb] = await Promise.all([
      warmnet('import', a, '--into', p, '--layer', 'pipes', '--replace'),
      warmnet('import', b, '--into', p, '--layer', 'pipes', '--replace'),
    ]);
    expect([ra.code, rb.code, ra.stderr, rb.stderr]).toEqual([0, 0, '', '']);
    const store = ProjectStore.open(p);
    try {
      const ids = store.featureIds('pipes');
      const tags = new Set(ids.map((id) => id.split('-')[0]));
      // Whichever came last: all of its pipes and nothing else.
      expect(tags.size).toBe(1);
      expect(ids.length).toBe(tags.has('A') ? 3000 : 5000);
      const labels = store.journal().undo.map((e) => e.label);
      expect(labels.filter((l) => l === 'import a.geojson → pipes').length).toBe(1);
      expect(labels.filter((l) => l === 'import b.geojson → pipes').length).toBe(1);
      expect(store.importLog().map((r) => r.sourceFile).sort()).toEqual(['a.geojson', 'b.geojson']);
    } finally {
      store.close();
    }
  }, 120_000);

  it('two --create on one path: one project, the other is told the file exists', async () => {
    const src = source('c.geojson', 500, 'C');
    const p = join(tmp.dir, 'new.gpkg');
    const runs = await Promise.all([warmnet('import', src, '--into', p, '--layer', 'pipes', '--create'), warmnet('import', src, '--into', p, '--layer', 'pipes', '--create')]);
    const codes = runs.map((r) => r.code).sort();
    expect(codes).toEqual([0, 1]);
    const loser = runs.find((r) => r.code === 1)!;
    expect(loser.stderr).toMatch(/new\.gpkg: already exists/);
    const store = ProjectStore.open(p);
    try {
      expect(store.featureIds('pipes').length).toBe(500);
      expect(store.importLog().length).toBe(1);
    } finally {
      store.close();
    }
    // No temporary files are left beside it.
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.importing'))).toEqual([]);
  }, 120_000);

  it('--create with a file that cannot be read creates nothing, not even a temporary file', async () => {
    const bad = join(tmp.dir, 'bad.geojson');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, '{"type":"FeatureCollection","features":[');
    const p = join(tmp.dir, 'never.gpkg');
    const r = await warmnet('import', bad, '--into', p, '--layer', 'pipes', '--create');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.geojson: not valid JSON');
    expect(existsSync(p)).toBe(false);
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('.never.gpkg'))).toEqual([]);
  }, 60_000);
});

/** Resolve once the process has the file open (Linux: its /proc fd links). */
async function whenOpen(pid: number, path: string, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          if (readlinkSync(`/proc/${pid}/fd/${fd}`) === path) return;
        } catch {
          // closed meanwhile
        }
      }
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('cancelling a CLI import', () => {
  const big = source('big.geojson', 60_000, 'BIG');

  it('SIGTERM while it reads: exit 143 with a message, the project byte for byte as it was', async () => {
    const p = project('cancel.gpkg');
    const before = sha(p);
    let pid = 0;
    const run = start([BIN, 'import', big, '--into', p, '--layer', 'pipes'], { onSpawn: (x) => (pid = x) });
    // The command opens the project, then reads the file: the signal comes during the read.
    await whenOpen(pid, p);
    process.kill(pid, 'SIGTERM');
    const r = await run;
    expect(r.code).toBe(143);
    expect(r.stderr).toContain(`import cancelled (SIGTERM); ${p} is unchanged`);
    expect(sha(p)).toBe(before);
    expect(existsSync(`${p}-wal`) ? readFileSync(`${p}-wal`).length : 0).toBe(0);
  }, 60_000);

  it('SIGINT during --create: exit 130, no project and no temporary file', async () => {
    // A GeoPackage source stays open while it is read: the signal comes then.
    const bigGpkg = join(tmp.dir, 'big-source.gpkg');
    ogr2ogr('-f', 'GPKG', bigGpkg, big);
    const p = join(tmp.dir, 'cancelled-new.gpkg');
    let pid = 0;
    const run = start([BIN, 'import', bigGpkg, '--into', p, '--layer', 'pipes', '--create'], { onSpawn: (x) => (pid = x) });
    await whenOpen(pid, bigGpkg);
    process.kill(pid, 'SIGINT');
    const r = await run;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('import cancelled (SIGINT); nothing was created');
    expect(existsSync(p)).toBe(false);
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('.cancelled-new.gpkg'))).toEqual([]);
  }, 60_000);

  it('SIGTERM while a recursive GeoPackage view is tried: exit 143 at once, and the trial process ends too', async () => {
    const gp = join(tmp.dir, 'recursive.gpkg');
    ogr2ogr('-f', 'GPKG', '-nln', 'src', gp, big);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(gp);
    const srs = db.prepare(`SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'src'`).pluck().get();
    db.exec(`CREATE VIEW v AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS fid, NULL AS geom FROM c`);
    db.prepare(`INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('v', 'features', 'v', ?)`).run(srs);
    db.prepare(`INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES ('v', 'geom', 'LINESTRING', ?, 0, 0)`).run(srs);
    db.close();
    const p = project('recursive-project.gpkg');
    const before = sha(p);
    let pid = 0;
    const run = start([BIN, 'import', gp, '--source-layer', 'v', '--into', p, '--layer', 'pipes'], { onSpawn: (x) => (pid = x) });
    // Wait for the trial process (the command's child running gpkg-probe.cjs) to start.
    const childOf = (parent: number) =>
      readdirSync('/proc')
        .filter((d) => /^\d+$/.test(d))
        .filter((d) => {
          try {
            return readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(parent) && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('gpkg-probe');
          } catch {
            return false;
          }
        })
        .map(Number);
    let probe: number | undefined;
    for (let k = 0; k < 3000 && probe === undefined; k++) {
      probe = childOf(pid)[0];
      if (probe === undefined) await new Promise((r) => setTimeout(r, 10));
    }
    expect(probe).toBeDefined();
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    process.kill(pid, 'SIGTERM');
    const r = await run;
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('import cancelled (SIGTERM)');
    expect(sha(p)).toBe(before);
    const alive = () => existsSync(`/proc/${probe}`) && !readFileSync(`/proc/${probe}/stat`, 'utf8').includes(') Z ');
    for (let k = 0; k < 300 && alive(); k++) await new Promise((res) => setTimeout(res, 10));
    expect(alive()).toBe(false);
  }, 60_000);
});
