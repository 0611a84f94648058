/**
 * Publish the sample to a real PostgreSQL/PostGIS, then run every analysis
 * command on the server URL and on the GeoPackage: the JSON is byte for byte
 * the same (only the `file` field, which names where it read from, differs). Publishing again is refused without --replace.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../electron/cli/testing';
import { readProjectAt } from '../../electron/backend/store/location';
import { useTestDb } from './server';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SAMPLE = join(ROOT, 'gis-data', 'mingantu.gpkg');
const FORECAST = join(ROOT, 'tests', 'fixtures', 'forecasts', 'hourly-5days-late.csv');

describe('publish to PostgreSQL', () => {
  const db = useTestDb();
  const url = () => `${db.url}?schema=mingantu_pub`;

  it('publishes the sample; every analysis reads the same from the server as from the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wn-pub-'));
    const file = join(dir, 'm.gpkg');
    copyFileSync(SAMPLE, file);
    try {
      const pub = await runCli(['publish', file, url(), '--json']);
      expect(pub.stderr).toBe('');
      expect(pub.status).toBe(0);
      const r = JSON.parse(pub.stdout) as { features: Record<string, number>; url: string };
      expect(r.features.pipes).toBeGreaterThan(100);
      expect(r.url).not.toContain(new URL(db.url).password);

      // Plain data first: the snapshot is the same object.
      const a = await readProjectAt(file);
      const b = await readProjectAt(url());
      expect(JSON.stringify(b.data)).toBe(JSON.stringify(a.data));
      expect(b.description).toBe(a.description);

      const pipe = String(a.data.layers.pipes[10].id);
      const commands: string[][] = [
        ['info', '--json', '--year', '2025'],
        ['check', '--json'],
        ['check', '--supply', '--json'],
        ['isolate', '--pipe', pipe, '--json'],
        ['criticality', '--json'],
        ['loops', '--json'],
        ['capacity', '--json', '--all'],
        ['hydraulics', '--json'],
        ['candidates', '--json', '--as-of', '2025-11-01', '--all'],
        ['coldwave', '--forecast', FORECAST, '--json'],
      ];
      for (const [cmd, ...rest] of commands) {
        const fromFile = await runCli([cmd, file, ...rest]);
        const fromServer = await runCli([cmd, url(), ...rest]);
        expect(fromFile.status, `${cmd} on the file: ${fromFile.stderr}`).toBe(0);
        expect(fromServer.status, `${cmd} on the server: ${fromServer.stderr}`).toBe(0);
        expect(fromServer.stdout.length, cmd).toBeGreaterThan(20);
        // Only where it read from differs (the URL shown without its password).
        expect(fromServer.stdout).not.toContain(new URL(db.url).password);
        const norm = (s: string) => s.replace(/"file": "[^"]*"/, '"file": ""');
        expect(norm(fromServer.stdout), cmd).toBe(norm(fromFile.stdout));
      }
      // GeoJSON export of a layer too.
      const ef = await runCli(['export', file, '--layer', 'valves']);
      const es = await runCli(['export', url(), '--layer', 'valves']);
      expect(es.stdout).toBe(ef.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an existing schema without --replace, replaces it with', async () => {
    const again = await runCli(['publish', SAMPLE, url()]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/schema "mingantu_pub" already exists; give --replace/);
    expect(again.stderr).not.toContain(new URL(db.url).password);
    const replaced = await runCli(['publish', SAMPLE, url(), '--replace']);
    expect(replaced.status).toBe(0);
    expect(replaced.stdout).toMatch(/mingantu_pub_viewer/);
  });

  it('a project published by an older WarmNet is named and brought up to date by upgrade; a newer one is refused', async () => {
    await db.query(`ALTER TABLE mingantu_pub.pipes DROP COLUMN elevation_end_m`);
    const old = await runCli(['check', url(), '--json']);
    expect(old.status).toBe(1);
    expect(old.stderr).toMatch(/published by an older WarmNet, lacks pipes\.elevation_end_m; its owner brings it up to date with "warmnet upgrade URL"/);
    const up = await runCli(['upgrade', url()]);
    expect(up.status, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/added pipes\.elevation_end_m/);
    expect((await runCli(['check', url(), '--json'])).status).toBe(0);
    expect((await runCli(['upgrade', url()])).stdout).toMatch(/already up to date/);
    await db.query(`UPDATE mingantu_pub.warmnet_meta SET value = '99' WHERE key = 'layout_version'`);
    const newer = await runCli(['info', url()]);
    expect(newer.status).toBe(1);
    expect(newer.stderr).toMatch(/published by a newer WarmNet \(layout 99/);
  });

  it('names a missing project and a bad schema name', async () => {
    const missing = await runCli(['info', `${db.url}?schema=nothere`]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no project "nothere" on this server/);
    const bad = await runCli(['info', `${db.url}?schema=x;drop`]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/is not a valid project name/);
    const none = await runCli(['info', db.url]);
    expect(none.stderr).toMatch(/no \?schema=NAME/);
  });
});
