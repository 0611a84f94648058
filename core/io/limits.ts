/**
 * Bounds on the work one imported file may cause: bytes once uncompressed,
 * zip entries and ratio, records, time. The readers check them as they go
 * (a zip entry while it inflates, a table row by row), never afterwards, so
 * a small hostile file cannot fill the memory or hold the machine. Every
 * refusal names the limit and the setting that holds it. A cancel (the
 * app's button, Ctrl-C in the CLI) is seen at the same checkpoints.
 */
import type { Settings } from '../model/settings';
import { message, type Message } from '../i18n';
import { ImportRefused } from './source';

export type LimitSettings = Pick<
  Settings,
  'importMaxUncompressedBytes' | 'importMaxZipEntries' | 'importMaxCompressionRatio' | 'importMaxRows' | 'importTimeLimitS'
>;

/** A file refused because it asks for more than a limit allows; `setting` is the key that raises it. */
export class ImportLimitExceeded extends ImportRefused {
  constructor(
    file: string,
    where: Message | undefined,
    reason: Message,
    readonly setting: keyof Settings,
  ) {
    super(file, where, message('io.limit.setting', { reason, setting }));
    this.name = 'ImportLimitExceeded';
  }
}

/** The import was cancelled by the user; nothing was written. */
export class ImportCancelled extends ImportRefused {
  constructor(file: string) {
    super(file, undefined, message('io.limit.cancelled'));
    this.name = 'ImportCancelled';
  }
}

const MiB = 1024 * 1024;

export function formatBytes(n: number): string {
  if (n >= 1024 * MiB) return `${(n / (1024 * MiB)).toFixed(n % (1024 * MiB) ? 1 : 0)} GiB`;
  if (n >= MiB) return `${(n / MiB).toFixed(n % MiB ? 1 : 0)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 ? 1 : 0)} KiB`;
  return `${n} B`;
}

/**
 * The running counts of one file's read. `row()` is called for every record
 * (cheap: the clock is looked at every 1024 rows), `bytes()` for every piece
 * inflated. Both throw ImportLimitExceeded or ImportCancelled.
 */
export class ReadGuard {
  private rows = 0;
  private inflated = 0;
  private readonly deadline: number;
  constructor(
    readonly fileName: string,
    readonly limits: LimitSettings,
    private readonly cancelled: () => boolean = () => false,
    readonly now: () => number = () => Date.now(),
  ) {
    this.deadline = now() + limits.importTimeLimitS * 1000;
  }

  /** Throws when cancelled or past the time limit. */
  check(): void {
    if (this.cancelled()) throw new ImportCancelled(this.fileName);
    if (this.now() > this.deadline) {
      throw new ImportLimitExceeded(this.fileName, undefined, message('io.limit.time', { s: this.limits.importTimeLimitS }), 'importTimeLimitS');
    }
  }

  /** One more record read (`where` names it for the message). */
  row(where?: Message): void {
    this.rows++;
    if (this.rows > this.limits.importMaxRows) {
      throw new ImportLimitExceeded(this.fileName, where, message('io.limit.rows', { max: this.limits.importMaxRows }), 'importMaxRows');
    }
    if ((this.rows & 1023) === 0) this.check();
  }

  /** A count a header declares, refused before anything is allocated for it. */
  declared(count: number, what: Message): void {
    if (count > this.limits.importMaxRows) {
      throw new ImportLimitExceeded(this.fileName, undefined, message('io.limit.declared', { what, n: count, max: this.limits.importMaxRows }), 'importMaxRows');
    }
  }

  /** The size of a file about to be read whole. */
  fileSize(n: number): void {
    if (n > this.limits.importMaxUncompressedBytes) {
      throw new ImportLimitExceeded(this.fileName, undefined, message('io.limit.fileSize', { size: formatBytes(n), max: formatBytes(this.limits.importMaxUncompressedBytes) }), 'importMaxUncompressedBytes');
    }
  }

  /** Zip entries listed in the directory. */
  entries(n: number): void {
    if (n > this.limits.importMaxZipEntries) {
      throw new ImportLimitExceeded(this.fileName, undefined, message('io.limit.zipEntries', { n, max: this.limits.importMaxZipEntries }), 'importMaxZipEntries');
    }
  }

  /**
   * `n` more bytes inflated of an entry that has given `entryTotal` bytes so far from the `compressed` bytes fed
   * to the inflater so far: the running totals against the size and ratio limits.
   */
  inflate(n: number, entryTotal: number, compressed: number, where: Message): void {
    this.inflated += n;
    if (this.inflated > this.limits.importMaxUncompressedBytes) {
      throw new ImportLimitExceeded(
        this.fileName,
        where,
        message('io.limit.inflated', { max: formatBytes(this.limits.importMaxUncompressedBytes) }),
        'importMaxUncompressedBytes',
      );
    }
    if (entryTotal > MiB && entryTotal > this.limits.importMaxCompressionRatio * Math.max(1, compressed)) {
      throw new ImportLimitExceeded(
        this.fileName,
        where,
        message('io.limit.ratio', { ratio: this.limits.importMaxCompressionRatio, compressed: formatBytes(compressed), total: formatBytes(entryTotal) }),
        'importMaxCompressionRatio',
      );
    }
    this.check();
  }
}
