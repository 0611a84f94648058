/**
 * A GeoJSON over the streaming threshold (setting importStreamMinBytes,
 * lowered here so a small file crosses it) in the import wizard and in
 * `warmnet import --dry-run`: the preview reads it streamed, checking every
 * record with the decisions taken from the first features, and says what the
 * whole-file preview says (count, problems, first features); the commit goes
 * through the streamed writer into a real temporary GeoPackage in one
 * transaction, equal to a whole-file import, and GDAL's validator passes it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../electron/backend/store/index';
import { createDispatcher } from '../../electron/backend/handlers';
import { uploads } from '../../electron/backend/uploads';
import { importFile, streamsImport } from '../../electron/backend/importer';
import type { ImportCommitResult, ImportPreviewResult, ImportUpload } from '../../electron/backend/import.contract';
import { python, VALIDATE_GPKG } from '../../electron/backend/store/testkit';
import { pipesGeoJson, tempDir, writeJson } from '../fixtures/import/gdal';

const root = resolve(__dirname, '../..');
const tmp = tempDir('warmnet-stream-wizard-');
afterAll(() => {
  uploads.dispose();
  tmp.cleanup();
});

const N = 12_500;
const good = writeJson(join(tmp.dir, 'network.geojson'), pipesGeoJson(N));
// past the first 10 000 features (the sample) and in another batch: a record with no geometry, and an id used twice
const badFc = JSON.parse(readFileSync(good, 'utf8'));
badFc.features[11_000].geometry = null;
badFc.features[12_000].properties = { ...badFc.features[20].properties };
const bad = writeJson(join(tmp.dir, 'bad.geojson'), badFc);
// The id is mapped as given: a whole-file read would not guess a field with a value twice as the id, while the
// streamed one guesses from the first features alone (and then finds the duplicate).
const idField = Object.keys(badFc.features[0].properties)[0];

/** A project whose threshold is `minBytes`, with the wizard's channels. */
function project(name: string, minBytes?: number) {
  const store = ProjectStore.create(join(tmp.dir, name), { year: 2026 });
  if (minBytes !== undefined) store.setSettings({ importStreamMinBytes: minBytes });
  const dispatch = createDispatcher(() => store, 2026);
  const handleOf = async (file: string) => ((await dispatch('import:upload', { files: [{ name: file.replace(/^.*\//, ''), base64: readFileSync(file).toString('base64') }] })) as ImportUpload).handle;
  return {
    store,
    preview: async (file: string, extra: Record<string, unknown> = {}) => (await dispatch('import:preview', { layer: 'pipes', handle: await handleOf(file), mapping: { id: idField }, ...extra })) as ImportPreviewResult,
    commit: async (file: string) => (await dispatch('import:commit', { layer: 'pipes', handle: await handleOf(file), mapping: { id: idField } })) as ImportCommitResult,
  };
}

const streamedNote = (notes: readonly { code: string }[]) => notes.some((n) => n.code === 'io.note.streamed');
const threshold = Math.floor(statSync(good).size / 2);

describe('the wizard on a file over the streaming threshold', () => {
  it('is read streamed only past the threshold, which is a project setting', () => {
    expect(streamsImport(good, {})).toBe(false);
    expect(streamsImport(good, { settings: { importStreamMinBytes: threshold } as never })).toBe(true);
  });

  it('previews it streamed with the whole-file preview\'s count, problems and first features', async () => {
    const whole = project('preview-whole.gpkg');
    const streamed = project('preview-streamed.gpkg', threshold);
    try {
      for (const file of [good, bad]) {
        const a = await whole.preview(file);
        const b = await streamed.preview(file);
        expect(streamedNote(a.notes)).toBe(false);
        expect(streamedNote(b.notes)).toBe(true);
        expect(b.sourceCount).toBe(N);
        expect(b.total).toBe(a.total);
        expect(b.summary.records).toBe(a.summary.records);
        expect(b.summary.recordsImported).toBe(a.summary.recordsImported);
        expect(b.summary.kinds).toEqual(a.summary.kinds);
        expect(b.crs.crs?.code).toBe(a.crs.crs?.code);
        expect(b.mapping).toEqual(a.mapping);
        expect(b.problems).toEqual(a.problems);
        expect(b.features).toEqual(a.features);
      }
      const b = await streamed.preview(bad);
      expect(b.total).toBe(N - 2);
      expect(b.problems.map((p) => [p.fid, p.field ?? null])).toEqual([
        [11_001, null],
        [12_001, 'id'],
      ]);
      // skipping bad records: nothing refuses, both are listed as skipped
      const skipping = await streamed.preview(bad, { skipInvalid: true });
      expect(skipping.problems).toEqual([]);
      expect(skipping.skipped.map((s) => s.fid)).toEqual([11_001, 12_001]);
      expect(whole.store.count('pipes')).toBe(0);
      expect(streamed.store.count('pipes')).toBe(0);
    } finally {
      whole.store.close();
      streamed.store.close();
    }
  }, 120_000);

  it('commits it streamed in one transaction: the whole-file import\'s rows, a valid GeoPackage; a bad file writes nothing', async () => {
    const streamed = project('commit-streamed.gpkg', threshold);
    const reference = ProjectStore.create(join(tmp.dir, 'commit-whole.gpkg'), { year: 2026 });
    try {
      const rev = streamed.store.revision();
      const refused = await streamed.commit(bad).then(
        () => '',
        (e: Error) => e.message,
      );
      expect(refused).toMatch(/bad\.geojson: feature 11001\b/);
      expect(streamed.store.count('pipes')).toBe(0);
      expect(streamed.store.revision()).toBe(rev);
      expect(streamed.store.importLog()).toEqual([]);

      const steps = streamed.store.journal().undo.length;
      const r = await streamed.commit(good);
      expect(streamedNote(r.notes)).toBe(true);
      expect(r.inserted).toBe(N);
      expect(r.summary.records).toBe(N);
      await importFile(reference, 'pipes', good, { year: 2026, mapping: { id: idField } });
      expect(streamed.store.listFeatures('pipes')).toEqual(reference.listFeatures('pipes'));
      expect(streamed.store.journal().undo.length).toBe(steps + 1);
      expect(streamed.store.importLog()[0]).toMatchObject({ sourceFile: 'network.geojson', records: N, recordsSkipped: 0 });
    } finally {
      streamed.store.close();
      reference.close();
    }
    const v = spawnSync(python(), [VALIDATE_GPKG, join(tmp.dir, 'commit-streamed.gpkg')], { encoding: 'utf8' });
    expect(v.stderr + v.stdout).toBe('');
    expect(v.status).toBe(0);
  }, 120_000);
});

describe('warmnet import --dry-run on a streamed file', () => {
  const warmnet = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin/warmnet.mjs'), ...args], { encoding: 'utf8', cwd: tmp.dir });

  it('says what the whole-file dry run says, and exits 1 for a file that would be refused', () => {
    for (const file of [good, bad]) {
      const whole = warmnet('import', file, '--layer', 'pipes', '--dry-run', '--map', `id=${idField}`, '--json');
      const streamed = warmnet('import', file, '--layer', 'pipes', '--dry-run', '--map', `id=${idField}`, '--stream', '--json');
      expect(streamed.status).toBe(whole.status);
      const a = JSON.parse(whole.stdout), b = JSON.parse(streamed.stdout);
      expect(b.wouldImport).toBe(a.wouldImport);
      expect(b.problems).toEqual(a.problems);
      for (const k of ['records', 'features', 'recordsImported', 'kinds', 'badRecords', 'userMapping']) expect(b.summary[k]).toEqual(a.summary[k]);
      // the same guesses; their evidence counts the first features only (the sample) where streamed
      const guesses = (s: { mapping: { target: string; source: string }[] }) => s.mapping.map((g) => [g.target, g.source]);
      expect(guesses(b.summary)).toEqual(guesses(a.summary));
    }
    const r = warmnet('import', bad, '--layer', 'pipes', '--dry-run', '--map', `id=${idField}`, '--stream');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/would be refused/);
    expect(r.stderr).toMatch(/bad\.geojson, feature 11001\b/);
    expect(existsSync(join(tmp.dir, 'bad.gpkg'))).toBe(false);
    writeFileSync(join(tmp.dir, 'empty.geojson'), '{"type":"FeatureCollection","features":[]}');
    const empty = warmnet('import', join(tmp.dir, 'empty.geojson'), '--layer', 'pipes', '--dry-run', '--stream');
    expect(empty.status).toBe(1);
    expect(empty.stderr).toMatch(/empty\.geojson/);
  }, 120_000);
});
