/**
 * electron-builder's afterPack hook (package.json → build.afterPack): flips
 * Electron's fuses in the packaged binary before it is signed and archived,
 * so the shipped app cannot be turned into a plain Node.js or debugged from
 * the command line, and loads only its own, integrity-checked app.asar.
 */
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/** The fuses of the shipped app (true: on). */
export const FUSES = {
  /** ELECTRON_RUN_AS_NODE would make the app a Node.js that runs any script. */
  [FuseV1Options.RunAsNode]: false,
  /** Cookies and local storage encrypted at rest with the OS key store. */
  [FuseV1Options.EnableCookieEncryption]: true,
  /** NODE_OPTIONS could preload code into the main process. */
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  /** --inspect and friends would open a debugger on the main process. */
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  /** app.asar is checked against the hash written at packaging. */
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  /** Only app.asar is loaded: no loose app/ folder beside it. */
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
};

/** The Electron binary electron-builder wrote into `appOutDir`, per platform. */
export function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`);
  return join(appOutDir, packager.executableName ?? name);
}

/** The hook; `flip` is @electron/fuses' flipFuses (a test may watch the call). */
export default async function afterPack(context, flip = flipFuses) {
  const binary = electronBinary(context);
  await flip(binary, {
    version: FuseVersion.V1,
    // an arm64 macOS binary must be re-signed ad hoc after its bytes change
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && (context.arch === 3 || context.arch === 4),
    ...FUSES,
  });
  return binary;
}
