/** A throwaway PostgreSQL + PostGIS server on a loopback port (see pgserver.mjs). */
export interface PgServer {
  /** postgres://warmnet:…@127.0.0.1:PORT/warmnet (superuser; PostGIS created). */
  url: string;
  port: number;
  password: string;
  dataDir: string;
  /** Fast shutdown, then the data directory is removed. */
  stop(): Promise<void>;
  log(): string;
}
export declare function pgBinDir(): string;
export declare function startPgServer(opts?: { port?: number }): Promise<PgServer>;
