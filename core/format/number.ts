/**
 * Numbers for people, in one place: the panels, the command line, the
 * ledgers and the map sheets format figures with these instead of their own
 * `toFixed` / `toLocaleString` copies, so a figure reads the same wherever it
 * shows. Grouping is the comma and the decimal sign the point in both
 * languages (zh-CN and en write numbers alike). Also the one clamp.
 */

/** `v` held within [lo, hi]. */
export function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

/** What a missing figure (null, undefined, NaN, ±Infinity) shows as. */
export const NONE = '—';

type Num = number | null | undefined;

const has = (x: Num): x is number => x !== null && x !== undefined && Number.isFinite(x);

const formats = new Map<string, Intl.NumberFormat>();

/**
 * A number format of `locale` with between `minDigits` and `maxDigits`
 * decimals, made once and kept (making one costs far more than using it).
 */
export function numberFormat(locale: string, minDigits: number, maxDigits: number): Intl.NumberFormat {
  const key = `${locale}|${minDigits}|${maxDigits}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.NumberFormat(locale, { minimumFractionDigits: minDigits, maximumFractionDigits: maxDigits })));
  return f;
}

/** `x` with exactly `digits` decimals, not grouped: `1234.5` → `"1234.50"` (tables in plain text, CSV-like output). */
export function fixed(x: Num, digits = 2, none = NONE): string {
  return has(x) ? x.toFixed(digits) : none;
}

/** `x` with exactly `digits` decimals, thousands grouped: `1234.5` → `"1,234.50"` (figures in the panels). */
export function grouped(x: Num, digits = 2, none = NONE): string {
  return has(x) ? numberFormat('en-US', digits, digits).format(x) : none;
}

/** At most `digits` decimals, trailing zeros dropped: `12.50` → `"12.5"`, `3` → `"3"`. */
export function trimmed(x: Num, digits = 3, none = NONE): string {
  return has(x) ? String(+x.toFixed(digits)) : none;
}

/** A ratio as a percentage: `0.456` → `"46%"`. */
export function percent(ratio: Num, digits = 0, none = NONE): string {
  return has(ratio) ? `${(ratio * 100).toFixed(digits)}%` : none;
}

/** Money in 万元 (CNY 10 000) as the panels show it: one decimal, grouped; the unit's word comes from the catalogue (`unit.wan`). */
export function wan(x: Num, none = NONE): string {
  return grouped(x, 1, none);
}

/**
 * A label on an axis or a legend, as short as it can be: integers as they
 * are, then 0, 1 or 2 decimals as the value gets smaller (trailing zeros
 * dropped): `250.4` → `"250"`, `12.34` → `"12.3"`, `0.125` → `"0.13"`.
 */
export function compact(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return String(+v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 2));
}

/** `x` rounded to `digits` decimals, as a number (for data written out: JSON, ledgers, reasons). */
export function roundTo(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

/** A position as `lon,lat` (or with `sep`) with six decimals, about 0.1 m. */
export function lonLatText(lon: number, lat: number, sep = ','): string {
  return `${lon.toFixed(6)}${sep}${lat.toFixed(6)}`;
}
