/** electron-builder's afterPack hook: flips the shipped binary's Electron fuses. */
export declare const FUSES: Record<number, boolean>;
export interface AfterPackContextLike {
  appOutDir: string;
  electronPlatformName: string;
  arch?: number;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}
export declare function electronBinary(context: AfterPackContextLike): string;
export default function afterPack(context: AfterPackContextLike, flip?: (binary: string, config: object) => Promise<unknown>): Promise<string>;
