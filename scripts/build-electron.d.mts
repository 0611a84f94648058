/** Bundles Electron main, preload and the analysis worker into dist-electron/. */
export declare function buildElectron(): Promise<void>;
