/**
 * A project is a GeoPackage file or a schema on a PostgreSQL server
 * (`postgres://…?schema=NAME`). Everything that only reads — analyses,
 * exports, reports, the command line — goes through `openProjectReader`, and
 * gets the same plain data from either; core never knows which.
 */
import type { ProjectData } from '../../../core/model/project';
import { ProjectStore } from './index';
import { PgStore } from './pg/store';
import { isPgUrl } from './pg/url';

export { isPgUrl } from './pg/url';
import { redact } from './pg/url';

export interface ProjectReader {
  /** The file path or the URL without its password. */
  readonly location: string;
  /** Everything, as one consistent snapshot. */
  snapshot(): Promise<ProjectData>;
  /** The project's description (e.g. the sample-data mark). */
  description(): Promise<string | null>;
  close(): Promise<void>;
}

class GpkgReader implements ProjectReader {
  constructor(private readonly store: ProjectStore) {}
  get location(): string {
    return this.store.path;
  }
  async snapshot(): Promise<ProjectData> {
    return this.store.snapshot();
  }
  async description(): Promise<string | null> {
    return this.store.description();
  }
  async close(): Promise<void> {
    this.store.close();
  }
}

class PgReader implements ProjectReader {
  constructor(private readonly store: PgStore) {}
  get location(): string {
    return this.store.location;
  }
  snapshot(): Promise<ProjectData> {
    return this.store.snapshot();
  }
  description(): Promise<string | null> {
    return this.store.description();
  }
  close(): Promise<void> {
    return this.store.close();
  }
}

export async function openProjectReader(location: string): Promise<ProjectReader> {
  if (isPgUrl(location)) return new PgReader(await PgStore.open(location));
  return new GpkgReader(ProjectStore.open(location));
}

/** Open, snapshot, close: the input of every analysis, export and report, from a file or a server. */
export async function readProjectAt(location: string): Promise<{ data: ProjectData; description: string | null }> {
  const r = await openProjectReader(location);
  try {
    // One snapshot: on PostgreSQL one REPEATABLE READ transaction.
    const data = await r.snapshot();
    return { data, description: await r.description() };
  } finally {
    await r.close();
  }
}

/** A project's location as printed: a file path as given, a server URL without its password. */
export function shownLocation(location: string): string {
  return isPgUrl(location) ? redact(location) : location;
}
