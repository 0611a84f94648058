/** Browser mode's launcher (see web.mjs). */
export declare const root: string;
/** The environment the backend process starts with (the caller's, with the allocator's setting added). */
export declare function backendEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export declare function ensureRendererBuilt(): Promise<void>;
export declare function buildRendererInto(outDir: string): Promise<void>;
export declare function runWeb(args: string[]): Promise<number>;
