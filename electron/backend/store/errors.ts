/** Errors the store throws, each carrying the issues a caller can show or test. */
import { formatIssue, type ValidationIssue } from '../../../core/model/validate';

const SHOWN = 20;

function summarise(issues: readonly ValidationIssue[]): string {
  const lines = issues.slice(0, SHOWN).map(formatIssue);
  if (issues.length > SHOWN) lines.push(`… and ${issues.length - SHOWN} more problems`);
  return lines.join('\n');
}

/** An edit or a row that does not fit the schema; nothing was written. */
export class ValidationError extends Error {
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[], message?: string) {
    super(message ?? summarise(issues));
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/**
 * A rejected import: every problem found in the file, each naming the file,
 * the feature (index and id) and the field. Nothing was written.
 */
export class ImportError extends ValidationError {
  readonly fileName: string;
  constructor(fileName: string, issues: ValidationIssue[]) {
    super(issues, `${summarise(issues)}\n${fileName}: ${issues.length} problem${issues.length === 1 ? '' : 's'}, nothing was written`);
    this.name = 'ImportError';
    this.fileName = fileName;
  }
}

/** A file that cannot be opened as a WarmNet project (not a GeoPackage, corrupt, too new). */
export class StoreOpenError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'StoreOpenError';
  }
}
