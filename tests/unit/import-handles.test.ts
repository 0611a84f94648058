/**
 * No channel takes a filesystem path from the renderer. The import wizard's
 * file reaches the backend as bytes (upload) or through the desktop app's own
 * dialog, and the page refers to it by an opaque handle. Retried the way the
 * hole was found: a page asks to preview another CSV on the disk whose first
 * line is secret — refused, and the secret appears in no message. Uploaded
 * copies are deleted when done, and swept at start after a crash.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../electron/backend/store/index';
import { ContractError, createDispatcher } from '../../electron/backend/handlers';
import { CHANNELS, contract } from '../../electron/backend/contract';
import { sweepStaleUploads, UploadStore } from '../../electron/backend/uploads';
import type { ImportCommitResult, ImportPreviewResult, ImportUpload } from '../../electron/backend/import.contract';
import { tempDir } from '../fixtures/import/gdal';

const tmp = tempDir('warmnet-handles-');
const SECRET = 'TOPSECRET-db-password-hunter2';
let store: ProjectStore;
let uploads: UploadStore;
let dispatch: ReturnType<typeof createDispatcher>;
let secretCsv: string;
let picked: string[] = [];

/** Valve wells in CGCS2000 3° GK zone 38 with the prefix (EPSG:4526). */
const WELLS = 'code,x,y,name\nW-1,38500100.5,4683000.2,一号井\nW-2,38500200.1,4683050.7,二号井\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');

beforeAll(() => {
  secretCsv = join(tmp.dir, 'secret.csv');
  writeFileSync(secretCsv, `${SECRET},x,y\n1,2,3\n`);
  store = ProjectStore.create(join(tmp.dir, 'project.gpkg'));
  mkdirSync(join(tmp.dir, 'os-tmp'));
  uploads = new UploadStore({ tmp: join(tmp.dir, 'os-tmp') });
  dispatch = createDispatcher(() => store, 2026, { uploads, chooseFiles: async () => picked });
});
afterAll(() => {
  uploads.dispose();
  store.close();
  tmp.cleanup();
});

const fail = (p: Promise<unknown>) => p.then(() => null, (e: Error) => e);
const upload = async (files: { name: string; base64: string }[]) => (await dispatch('import:upload', { files })) as ImportUpload;

describe('no channel takes a path from the renderer', () => {
  it('no channel of the contract has a field named like a path', () => {
    for (const ch of CHANNELS) {
      const shape = (contract[ch].args as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      for (const key of Object.keys(shape)) expect(`${ch}.${key}`).not.toMatch(/\.(path|paths|file|dir|folder|filePath|outPath|out)$/i);
    }
  });

  it('a path where a handle is expected is refused, nothing is read and the secret is in no message', async () => {
    const rev = store.revision();
    for (const [channel, args] of [
      ['import:preview', { handle: secretCsv, layer: 'valves' }],
      ['import:preview', { path: secretCsv, layer: 'valves' }],
      ['import:commit', { handle: secretCsv, layer: 'valves', crs: 'EPSG:4526' }],
      ['import:commit', { path: secretCsv, layer: 'valves' }],
      ['import:preview', { handle: '../../../../etc/passwd', layer: 'valves' }],
      ['import:release', { handle: secretCsv }],
    ] as const) {
      const err = await fail(dispatch(channel, args));
      expect(err, `${channel} ${JSON.stringify(args)}`).toBeInstanceOf(ContractError);
      expect(err!.message).toMatch(/handle|path/);
      expect(err!.message).not.toContain(SECRET);
    }
    expect(store.revision()).toBe(rev);
  });

  it('an unknown (well-formed) handle is refused', async () => {
    const err = await fail(dispatch('import:preview', { handle: 'f'.repeat(32), layer: 'valves' }));
    expect(err?.message).toMatch(/unknown or expired file handle/);
    const commit = await fail(dispatch('import:commit', { handle: '0'.repeat(32), layer: 'valves' }));
    expect(commit?.message).toMatch(/unknown or expired file handle/);
    expect(store.listFeatures('valves')).toHaveLength(0);
  });

  it('browser mode has no file dialog: import:choose is refused with a hint to upload', async () => {
    const web = createDispatcher(() => store, 2026, { uploads });
    expect((await fail(web('import:choose', {})))?.message).toMatch(/upload/);
  });
});

describe('the handle’s life', () => {
  it('upload → a handle (not a path), preview, commit; the uploaded copy is deleted once written', async () => {
    const up = await upload([{ name: '阀门井.csv', base64: b64(WELLS) }]);
    expect(up.handle).toMatch(/^[0-9a-f]{32}$/);
    expect(up).toMatchObject({ fileName: '阀门井.csv', names: ['阀门井.csv'] });
    expect(JSON.stringify(up)).not.toContain(uploads.folderPath!);
    const folder = join(uploads.folderPath!, up.handle);
    expect(readdirSync(folder)).toEqual(['阀门井.csv']);
    const p = (await dispatch('import:preview', { handle: up.handle, layer: 'valves', crs: 'EPSG:4526' })) as ImportPreviewResult;
    expect(p.problems).toEqual([]);
    expect(p.total).toBe(2);
    const r = (await dispatch('import:commit', { handle: up.handle, layer: 'valves', crs: 'EPSG:4526' })) as ImportCommitResult;
    expect(r.inserted).toBe(2);
    expect(existsSync(folder)).toBe(false);
    // done is done: the handle is gone with its file
    expect((await fail(dispatch('import:preview', { handle: up.handle, layer: 'valves' })))?.message).toMatch(/unknown or expired/);
    store.undo();
  });

  it('a refusal quotes the user’s file by name, never the temp folder; the handle stays for another try; release deletes it', async () => {
    const bad = WELLS.replace('4683050.7', 'abc');
    const up = await upload([{ name: 'wells.csv', base64: b64(bad) }]);
    const err = await fail(dispatch('import:commit', { handle: up.handle, layer: 'valves', crs: 'EPSG:4526' }));
    expect(err?.message).toMatch(/wells\.csv/);
    expect(err?.message).toMatch(/row 3/);
    expect(err?.message).not.toContain(uploads.folderPath!);
    expect(err?.message).not.toContain(up.handle);
    const p = (await dispatch('import:preview', { handle: up.handle, layer: 'valves', crs: 'EPSG:4526' })) as ImportPreviewResult;
    expect(JSON.stringify(p)).not.toContain(uploads.folderPath!);
    expect(await dispatch('import:release', { handle: up.handle })).toBe(true);
    expect(existsSync(join(uploads.folderPath!, up.handle))).toBe(false);
    expect(await dispatch('import:release', { handle: up.handle })).toBe(false);
    expect(store.listFeatures('valves')).toHaveLength(0);
  });

  it('the desktop app’s dialog (main process) gives a handle for the files the user picked', async () => {
    const wells = join(tmp.dir, 'picked.csv');
    writeFileSync(wells, WELLS);
    picked = [wells];
    const up = (await dispatch('import:choose', {})) as ImportUpload;
    expect(up).toMatchObject({ fileName: 'picked.csv', names: ['picked.csv'] });
    const p = (await dispatch('import:preview', { handle: up.handle, layer: 'valves', crs: 'EPSG:4526' })) as ImportPreviewResult;
    expect(p.total).toBe(2);
    picked = [];
    expect(await dispatch('import:choose', {})).toBeNull();
    // releasing a picked file never deletes the user's file
    expect(await dispatch('import:release', { handle: up.handle })).toBe(true);
    expect(existsSync(wells)).toBe(true);
  });

  it('refuses two parts of the same name without writing or quoting the temp folder', async () => {
    const err = await fail(upload([{ name: 'a.shp', base64: b64('x') }, { name: 'A.SHP', base64: b64('y') }]));
    expect(err?.message).toMatch(/two files named A\.SHP/);
    expect(err?.message).not.toContain(uploads.folderPath ?? '/tmp/');
  });

  it('keeps a bounded number of files: the oldest is let go', async () => {
    const small = new UploadStore({ tmp: join(tmp.dir, 'os-tmp'), maxEntries: 2 });
    try {
      const a = small.addBytes([{ name: 'a.csv', bytes: Buffer.from('x') }]);
      small.addBytes([{ name: 'b.csv', bytes: Buffer.from('x') }]);
      small.addBytes([{ name: 'c.csv', bytes: Buffer.from('x') }]);
      expect(() => small.resolve(a.handle)).toThrow(/unknown or expired/);
      expect(readdirSync(small.folderPath!)).toHaveLength(2);
    } finally {
      small.dispose();
    }
  });
});

describe('sweep at start', () => {
  it('removes upload folders of processes that are gone, keeps those of running ones', () => {
    const os = join(tmp.dir, 'sweep');
    mkdirSync(os);
    // a pid that has certainly ended: a child we ran to completion
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    mkdirSync(join(os, `warmnet-uploads-${gone}-abc/0123`), { recursive: true });
    writeFileSync(join(os, `warmnet-uploads-${gone}-abc/0123/left.csv`), 'x');
    mkdirSync(join(os, `warmnet-uploads-${process.ppid}-def`));
    mkdirSync(join(os, `warmnet-uploads-${process.pid}-ghi`));
    mkdirSync(join(os, 'someone-else'));
    const removed = sweepStaleUploads(os);
    expect(removed).toEqual([join(os, `warmnet-uploads-${gone}-abc`)]);
    expect(readdirSync(os).sort()).toEqual([`warmnet-uploads-${process.pid}-ghi`, `warmnet-uploads-${process.ppid}-def`, 'someone-else'].sort());
  });

  it('dispose removes the folder (the process closing)', () => {
    const u = new UploadStore({ tmp: join(tmp.dir, 'os-tmp') });
    u.addBytes([{ name: 'a.csv', bytes: Buffer.from('x') }]);
    const folder = u.folderPath!;
    expect(existsSync(folder)).toBe(true);
    u.dispose();
    expect(existsSync(folder)).toBe(false);
  });
});
