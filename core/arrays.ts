/**
 * Array helpers for data-sized arrays. Spreading an array into a call
 * (`minOf(xs)`, `pushAll(out, items)`) passes every element as an
 * argument on the stack and overflows it somewhere above a hundred thousand
 * elements: a long line or a large file then crashes the app. These loop
 * instead; a scan test keeps the spread form out of core/, electron/ and
 * renderer/.
 */

/** Append every item to `target` (in place); returns `target`. */
export function pushAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
  return target;
}

/** Smallest of the values as Math.min gives it: Infinity when empty, NaN when any is NaN. */
export function minOf(values: readonly number[]): number {
  let m = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) return NaN;
    if (v < m) m = v;
  }
  return m;
}

/** Largest of the values as Math.max gives it: -Infinity when empty, NaN when any is NaN. */
export function maxOf(values: readonly number[]): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) return NaN;
    if (v > m) m = v;
  }
  return m;
}

/**
 * The index of the longest list (the first of equal ones), emptied: what a map theme given as
 * lists of codes per class leaves unlisted, its colour given to every feature not listed.
 */
export function leaveOutLongest<T>(lists: T[][]): number {
  let longest = 0;
  for (let k = 1; k < lists.length; k++) if (lists[k].length > lists[longest].length) longest = k;
  if (lists.length) lists[longest] = [];
  return longest;
}
