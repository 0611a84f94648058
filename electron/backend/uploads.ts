/**
 * Files handed to the import wizard, by opaque handle. The renderer never
 * names a path: the main side issues a handle for bytes it was sent (browser
 * mode's upload, a drop on the map) or for files the user picked in the
 * desktop app's own file dialog, and the import channels accept only such a
 * handle. Uploaded bytes live in a private temporary folder of this process
 * (`warmnet-uploads-<pid>-…`), removed when the import is done or the wizard
 * lets go of the file, when the process closes, and — after a crash — by the
 * sweep at the next start.
 */
import { message, SaidError } from '../../core/i18n';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, sep } from 'node:path';

/** A handle: 32 hex digits, nothing a path could be mistaken for. */
export const HANDLE_PATTERN = /^[0-9a-f]{32}$/;
const PREFIX = 'warmnet-uploads-';

/** Parts that only accompany a .shp; the file the user means is the other one. */
const SIDECAR = new Set(['.dbf', '.prj', '.cpg', '.shx', '.qix', '.sbn', '.sbx', '.xml']);

/** The file to read among those given: the .shp of loose parts, else the one that is not a sidecar. */
export function mainFileOf(names: string[]): string {
  return (
    names.find((n) => extname(n).toLowerCase() === '.shp') ??
    names.find((n) => !SIDECAR.has(extname(n).toLowerCase())) ??
    names[0]
  );
}

/** What the renderer gets back for a file: the handle and the names to show. */
export interface UploadInfo {
  handle: string;
  /** The file that will be read (the .shp of loose parts). */
  fileName: string;
  names: string[];
}

interface Entry {
  /** The file the importer reads. */
  path: string;
  /** Our folder holding uploaded bytes (removed on release); absent for files picked in the dialog. */
  dir?: string;
  info: UploadInfo;
}

export class UnknownHandle extends SaidError {
  constructor() {
    super(message('import.err.handle'));
    this.name = 'UnknownHandle';
  }
}

export interface UploadStoreOptions {
  /** Parent of this process's upload folder (default: the OS temp folder). */
  tmp?: string;
  /** Files kept at most; the oldest is let go beyond it (default 8, the wizard needs one). */
  maxEntries?: number;
}

export class UploadStore {
  private root: string | null = null;
  private readonly entries = new Map<string, Entry>();
  private readonly tmp: string;
  private readonly maxEntries: number;

  constructor(opts: UploadStoreOptions = {}) {
    this.tmp = opts.tmp ?? tmpdir();
    this.maxEntries = opts.maxEntries ?? 8;
  }

  /** This process's folder, made on first use. */
  private folder(): string {
    if (!this.root) this.root = mkdtempSync(join(this.tmp, `${PREFIX}${process.pid}-`));
    return this.root;
  }

  private add(entry: Omit<Entry, 'info'> & { names: string[] }, handle: string): UploadInfo {
    const info: UploadInfo = { handle, fileName: basename(entry.path), names: entry.names };
    this.entries.set(handle, { path: entry.path, ...(entry.dir ? { dir: entry.dir } : {}), info });
    while (this.entries.size > this.maxEntries) this.release(this.entries.keys().next().value!);
    return info;
  }

  /** Bytes sent by the page, under their bare names (checked by the contract: no folders). */
  addBytes(files: { name: string; bytes: Uint8Array }[]): UploadInfo {
    const names = files.map((f) => basename(f.name));
    const twice = names.find((n, i) => names.findIndex((m) => m.toLowerCase() === n.toLowerCase()) !== i);
    if (twice) throw new SaidError(message('import.err.twice', { name: twice }));
    const handle = randomBytes(16).toString('hex');
    const dir = join(this.folder(), handle);
    mkdirSync(dir);
    try {
      for (const f of files) writeFileSync(join(dir, basename(f.name)), f.bytes, { flag: 'wx' });
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    return this.add({ path: join(dir, mainFileOf(names)), dir, names }, handle);
  }

  /** Files the user picked in the desktop app's own dialog (main process only): read where they are. */
  addPicked(paths: string[]): UploadInfo {
    const names = paths.map((p) => basename(p));
    const main = paths[names.indexOf(mainFileOf(names))];
    return this.add({ path: main, names }, randomBytes(16).toString('hex'));
  }

  /** The file behind a handle; an unknown or released handle is refused. */
  resolve(handle: string): { path: string; dir?: string; info: UploadInfo } {
    const e = HANDLE_PATTERN.test(handle) ? this.entries.get(handle) : undefined;
    if (!e) throw new UnknownHandle();
    return e;
  }

  /** Lets go of a handle; uploaded bytes are deleted. True when it was known. */
  release(handle: string): boolean {
    const e = this.entries.get(handle);
    if (!e) return false;
    this.entries.delete(handle);
    if (e.dir) rmSync(e.dir, { recursive: true, force: true });
    return true;
  }

  /** Everything let go and the folder removed (process end). */
  dispose(): void {
    this.entries.clear();
    if (this.root) rmSync(this.root, { recursive: true, force: true });
    this.root = null;
  }

  /** This store's folder, if made (tests). */
  get folderPath(): string | null {
    return this.root;
  }

  /** Removes the temp folder from a message, so it quotes the user's file name only. */
  scrub(message: string, handle: string): string {
    const e = this.entries.get(handle);
    if (!e?.dir) return message;
    return message.split(e.dir + sep).join('').split(e.dir).join('');
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes upload folders left by processes that are gone (a crash, a kill):
 * run at start. Folders of running processes (a second browser mode) stay.
 * Returns the folders removed.
 */
export function sweepStaleUploads(tmp = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(tmp);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    const dir = join(tmp, name);
    try {
      if (!statSync(dir).isDirectory()) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // another process may be removing it too
    }
  }
  return removed;
}

/** The process's one store: browser mode and the desktop app each run one. */
export const uploads = new UploadStore();
