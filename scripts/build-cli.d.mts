/** Bundles the `warmnet` command into outDir (one chunk per command). */
export declare function buildCli(root: string, outDir: string): Promise<void>;
