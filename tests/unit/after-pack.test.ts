/**
 * The packaging hook flips Electron's fuses: its configuration, the binary it
 * picks per platform, and a real flip by @electron/fuses on a file that
 * carries a fuse wire the way an Electron binary does (read back with the
 * same library). package.json names the hook for electron-builder.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import afterPack, { electronBinary, FUSES } from '../../scripts/after-pack.mjs';
import { tempDir } from '../fixtures/import/gdal';

const root = resolve(__dirname, '../..');
const tmp = tempDir('warmnet-fuses-');
afterAll(() => tmp.cleanup());

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's defaults as built: RunAsNode, NODE_OPTIONS, inspect, file:// privileges and WASM trap handlers on. */
const STOCK_WIRE = '101100011';

function fakeElectron(path: string) {
  const junk = Buffer.alloc(4096, 0x41);
  writeFileSync(path, Buffer.concat([junk, Buffer.from(SENTINEL), Buffer.from([1, STOCK_WIRE.length]), Buffer.from(STOCK_WIRE), junk]));
}

const linux = (dir: string) => ({ appOutDir: dir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'WarmNet' }, executableName: 'warmnet' } });

describe('Electron fuses at packaging', () => {
  it('switches off RunAsNode, NODE_OPTIONS and inspect arguments; on cookie encryption, ASAR integrity and ASAR only', () => {
    expect(FUSES).toEqual({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    });
  });

  it('electron-builder runs the hook after packing, and packs into app.asar', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.build.afterPack).toBe('./scripts/after-pack.mjs');
    expect(pkg.build.asar).not.toBe(false);
    expect(pkg.devDependencies['@electron/fuses']).toBeTruthy();
  });

  it('finds the binary on each platform', () => {
    expect(electronBinary(linux('/o'))).toBe(join('/o', 'warmnet'));
    expect(electronBinary({ ...linux('/o'), electronPlatformName: 'win32' })).toBe(join('/o', 'WarmNet.exe'));
    expect(electronBinary({ ...linux('/o'), electronPlatformName: 'darwin' })).toBe(join('/o', 'WarmNet.app'));
  });

  it('flips the fuses of the packed binary (real @electron/fuses on a fuse wire)', async () => {
    const bin = join(tmp.dir, 'warmnet');
    fakeElectron(bin);
    const before = await getCurrentFuseWire(bin);
    expect(before[FuseV1Options.RunAsNode]).toBe(FuseState.ENABLE);
    expect(await afterPack(linux(tmp.dir))).toBe(bin);
    const wire = await getCurrentFuseWire(bin);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    // fuses the app does not choose keep Electron's value
    expect(wire[FuseV1Options.WasmTrapHandlers]).toBe(FuseState.ENABLE);
  });

  it('a packaged binary without a fuse wire fails the build instead of shipping unhardened', async () => {
    writeFileSync(join(tmp.dir, 'warmnet'), Buffer.alloc(1024));
    await expect(afterPack(linux(tmp.dir))).rejects.toThrow(/sentinel/);
  });
});
