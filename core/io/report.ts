/**
 * The report of the records an import left out, as a spreadsheet: each
 * record's place and reason said in the reader's language. Small on purpose:
 * the wizard builds it in the page from the commit's result.
 */
import { say, t, type Lang, type Message } from '../i18n';

/** A record left out: its number, place, field and reason (core/io/prepare.ts SkippedRecord). */
interface LeftOut {
  fid: number;
  where: Message;
  field?: string;
  message: Message[];
}

/** The bad records as CSV (fid, where, field, reason) in `lang`, UTF-8 with BOM so Excel opens it. */
export function skippedCsv(records: readonly LeftOut[], lang: Lang = 'en'): string {
  const cell = (v: unknown) => {
    const s = v === undefined || v === null ? '' : String(v);
    // Quote, and keep a spreadsheet from reading a cell as a formula.
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const head = [t(lang, 'io.report.fid'), t(lang, 'io.report.where'), t(lang, 'io.report.field'), t(lang, 'io.report.reason')].map(cell).join(',');
  const rows = records.map((r) => [r.fid, say(lang, r.where), r.field, say(lang, r.message)].map(cell).join(','));
  return '\uFEFF' + [head, ...rows].join('\r\n') + '\r\n';
}
