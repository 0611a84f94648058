/**
 * A GeoJSON FeatureCollection read in pieces: text goes in as it comes off
 * the disk, and each feature comes out as soon as its closing brace is seen,
 * parsed on its own. Only the current piece and the current feature are held,
 * so a file of a million features is read in bounded memory. The members
 * beside `features` (type, crs, name…) are parsed as they pass. Entries are
 * checked as parseGeoJson checks them (checkFeature), with their index.
 */
import type { ValidationIssue } from '../model/validate';
import { checkFeature, crsIssue, type RawFeature } from './geojson';
import { message, SaidError, type Message } from '../i18n';
import { refusalMessage } from './source';

const QUOTE = 34, BACKSLASH = 92, OPEN_BRACE = 123, CLOSE_BRACE = 125, OPEN_BRACKET = 91, CLOSE_BRACKET = 93, COMMA = 44, COLON = 58;

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

export class GeoJsonStream {
  /** Text not yet consumed (from the start of the entry or member value being read). */
  private buf = '';
  /** Scan position in buf. */
  private pos = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Where the current string began (for keys), -1 outside one. */
  private stringStart = -1;
  /** The last string at depth 1 followed by a colon: the member whose value comes next. */
  private key: string | null = null;
  private lastString: string | null = null;
  /** Inside the features array (at depth 2). */
  private inFeatures = false;
  private sawFeatures = false;
  /** Start in buf of the entry (depth 2 in features) or member value (depth 1) being read, -1 when none. */
  private start = -1;
  private index = 0;
  private started = false;
  /** Depth inside the object entry of the features array being scanned (0: none). */
  private entryDepth = 0;
  /** Object entries scanned and not yet parsed: start and end in buf, in pairs. */
  private spans: number[] = [];
  /** Top-level members other than features, as parsed. */
  readonly members: Record<string, unknown> = {};

  /** `anyCrs`: a "crs" member naming a projected system is kept for the caller (an importer that transforms) instead of refused. */
  constructor(
    private readonly fileName: string,
    private readonly opts: { anyCrs?: boolean } = {},
  ) {}

  /** Feed the next piece; returns the entries completed in it (features, or the problem of an entry that is not one). */
  push(text: string): { features: RawFeature[]; issues: ValidationIssue[] } {
    const out = { features: [] as RawFeature[], issues: [] as ValidationIssue[] };
    if (!this.started) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.started = true;
    }
    let b: string, i: number;
    if (this.entryDepth > 0) {
      // An object entry left unfinished by the last piece (kept alone in buf): its end is looked for in the new
      // piece by itself, which is then scanned on its own (not copied onto the end of the old text).
      const end = this.scanEntry(text, 0);
      if (end < 0) {
        this.buf += text;
        return out;
      }
      this.parseEntry(this.buf + text.slice(0, end), out);
      this.start = -1;
      this.buf = '';
      b = text;
      i = end;
    } else {
      this.buf += text;
      b = this.buf;
      i = this.pos;
    }
    let tried = false;
    for (; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.depth === 1 && this.start < 0) this.lastString = JSON.parse(b.slice(this.stringStart, i + 1)) as string;
        }
        continue;
      }
      if (isSpace(c)) continue;
      if (this.depth < 0) throw this.refuse(message('io.stream.trailing'));
      if (this.depth === 0) {
        if (c !== OPEN_BRACE) throw this.refuse(message('io.stream.notObject'));
        this.depth = 1;
        continue;
      }
      // The common case, an object entry of the features array: scanned to its end in one tight loop (strings
      // skipped whole), its text parsed later with its neighbours'.
      if (c === OPEN_BRACE && this.depth === 2 && this.inFeatures && this.start < 0) {
        if (!tried) {
          // First, without scanning: every entry up to the last "}, {" of the text, parsed at once (see wholeRun).
          tried = true;
          const next = this.wholeRun(b, i, out);
          if (next >= 0) {
            i = next;
            continue;
          }
        }
        this.start = i;
        this.entryDepth = 1;
        const end = this.scanEntry(b, i + 1);
        if (end < 0) return this.keep(b, out);
        this.spans.push(i, end);
        this.start = -1;
        i = end - 1;
        continue;
      }
      // a primitive entry or member value ends at the comma or bracket that follows it
      if (this.start >= 0 && (c === COMMA || c === CLOSE_BRACKET || c === CLOSE_BRACE) && this.depth === (this.inFeatures ? 2 : 1)) this.endValue(b, i, out);
      if (c === QUOTE) {
        this.inString = true;
        this.stringStart = i;
        if (this.depth === 2 && this.inFeatures && this.start < 0) this.start = i;
        if (this.depth === 1 && this.key !== null && this.start < 0) this.start = i;
        continue;
      }
      if (this.depth === 1 && c === COLON) {
        this.key = this.lastString;
        continue;
      }
      if (this.depth === 1 && c === COMMA) {
        this.key = null;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (this.depth === 1 && this.key === 'features' && c === OPEN_BRACKET && this.start < 0) {
          this.inFeatures = true;
          this.sawFeatures = true;
        } else if (this.start < 0 && ((this.depth === 2 && this.inFeatures) || (this.depth === 1 && this.key !== null))) this.start = i;
        this.depth++;
        continue;
      }
      if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === 1 && this.inFeatures && c === CLOSE_BRACKET) {
          this.inFeatures = false;
          this.key = null;
        } else if (this.start >= 0 && this.depth === (this.inFeatures ? 2 : 1)) this.endValue(b, i + 1, out);
        if (this.depth === 0) this.depth = -1; // the document ended
        continue;
      }
      if (c === COMMA || c === COLON) continue;
      // a number, true, false or null begins
      if (this.start < 0 && ((this.depth === 2 && this.inFeatures) || (this.depth === 1 && this.key !== null))) this.start = i;
    }
    return this.keep(b, out);
  }

  /**
   * The entries from `i` (where one begins, between entries of the features array) up to the last place in the
   * text where an object closes and, after a comma, another opens, parsed as one JSON array. Returns the index of
   * that comma, or -1 (nothing taken) when there is no such place or the text up to it does not parse.
   * Parsing proves the place an entry boundary: text from an entry's start that ends inside a string, a nested
   * object or array, is not a list of whole JSON values. What does not parse is left to the scan, which names
   * the bad entry.
   */
  private wholeRun(b: string, i: number, out: { features: RawFeature[]; issues: ValidationIssue[] }): number {
    let p = b.length;
    for (let tries = 0; tries < 4; tries++) {
      const open = b.lastIndexOf('{', p - 1);
      if (open <= i) return -1;
      p = open;
      let k = open - 1;
      while (k > i && isSpace(b.charCodeAt(k))) k--;
      if (b.charCodeAt(k) !== COMMA) continue;
      const comma = k--;
      while (k > i && isSpace(b.charCodeAt(k))) k--;
      if (b.charCodeAt(k) !== CLOSE_BRACE) continue;
      let values: unknown[];
      try {
        values = JSON.parse(`[${b.slice(i, k + 1)}]`) as unknown[];
      } catch {
        return -1;
      }
      // entries scanned before these come first
      this.flush(b, out);
      for (const value of values) {
        const r = checkFeature(value, this.index++, this.fileName);
        if ('issue' in r) out.issues.push(r.issue);
        else out.features.push(r);
      }
      return comma;
    }
    return -1;
  }

  /**
   * Scans an object entry from `i` (inside it, `entryDepth` levels deep) to its closing brace: returns the index
   * just past it, or -1 when the text ends first (the depth and string state are kept for the next piece).
   */
  private scanEntry(b: string, i: number): number {
    const n = b.length;
    let d = this.entryDepth;
    if (this.inString) {
      if (this.escaped) {
        if (i >= n) return -1;
        this.escaped = false;
        i++;
      }
      const q = this.closeQuote(b, i);
      if (q < 0) return -1;
      this.inString = false;
      i = q + 1;
    }
    while (i < n) {
      const c = b.charCodeAt(i);
      if (c === QUOTE) {
        const q = this.closeQuote(b, i + 1);
        if (q < 0) {
          this.inString = true;
          this.entryDepth = d;
          return -1;
        }
        i = q + 1;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) d++;
      else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --d === 0) {
        this.entryDepth = 0;
        return i + 1;
      }
      i++;
    }
    this.entryDepth = d;
    return -1;
  }

  /** The quote closing a string whose text starts at `from` (not escaped), or -1 when the text ends first (`escaped` then says whether it ended on an escape). */
  private closeQuote(b: string, from: number): number {
    for (let at = from; ; ) {
      const j = b.indexOf('"', at);
      let k = (j < 0 ? b.length : j) - 1;
      let slashes = 0;
      while (k >= from && b.charCodeAt(k) === BACKSLASH) {
        slashes++;
        k--;
      }
      if (j < 0) {
        this.escaped = (slashes & 1) === 1;
        return -1;
      }
      if ((slashes & 1) === 0) return j;
      at = j + 1;
    }
  }

  /** Parses the object entries scanned so far (all at once where their text allows) and keeps only what is still needed of the text. */
  private keep(b: string, out: { features: RawFeature[]; issues: ValidationIssue[] }): { features: RawFeature[]; issues: ValidationIssue[] } {
    this.flush(b, out);
    // keep only what is still needed: the value being read (or, inside a key string, the string)
    const keep = this.start >= 0 ? this.start : this.inString ? this.stringStart : b.length;
    this.buf = b.slice(keep);
    this.pos = b.length - keep;
    if (this.start >= 0) this.start -= keep;
    if (this.stringStart >= 0) this.stringStart -= keep;
    return out;
  }

  /**
   * The object entries scanned and not yet parsed: one JSON.parse over the run of them (only commas and spaces lie
   * between), or, where that fails, each on its own so that the refusal names the entry.
   */
  private flush(b: string, out: { features: RawFeature[]; issues: ValidationIssue[] }): void {
    const spans = this.spans;
    if (spans.length === 0) return;
    this.spans = [];
    let values: unknown[] | null = null;
    if (spans.length > 2) {
      try {
        values = JSON.parse(`[${b.slice(spans[0], spans[spans.length - 1])}]`) as unknown[];
      } catch {
        values = null;
      }
      if (values && values.length !== spans.length / 2) values = null;
    }
    for (let k = 0; k < spans.length; k += 2) {
      if (!values) {
        this.parseEntry(b.slice(spans[k], spans[k + 1]), out);
        continue;
      }
      const r = checkFeature(values[k / 2], this.index++, this.fileName);
      if ('issue' in r) out.issues.push(r.issue);
      else out.features.push(r);
    }
  }

  /** One object entry's text, parsed and checked (the refusal names it). */
  private parseEntry(text: string, out: { features: RawFeature[]; issues: ValidationIssue[] }): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw this.refuse(message('io.geojson.notJson', { detail: (err as Error).message }), this.index);
    }
    const r = checkFeature(value, this.index++, this.fileName);
    if ('issue' in r) out.issues.push(r.issue);
    else out.features.push(r);
  }

  private endValue(b: string, end: number, out: { features: RawFeature[]; issues: ValidationIssue[] }): void {
    this.flush(b, out);
    const text = b.slice(this.start, end);
    this.start = -1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw this.refuse(message('io.geojson.notJson', { detail: (err as Error).message }), this.inFeatures ? this.index : undefined);
    }
    if (this.inFeatures) {
      const r = checkFeature(value, this.index++, this.fileName);
      if ('issue' in r) out.issues.push(r.issue);
      else out.features.push(r);
      return;
    }
    if (this.key !== null) {
      this.members[this.key] = value;
      if (this.key === 'crs' && !this.opts.anyCrs) {
        const issue = crsIssue(value, this.fileName);
        if (issue) throw this.refuse(message('io.stream.notLonLat', { name: String((value as { properties?: { name?: unknown } }).properties?.name) }));
      }
      if (this.key === 'type' && value !== 'FeatureCollection') throw this.refuse(message('io.stream.notCollection', { type: JSON.stringify(value) ?? 'undefined' }));
    }
  }

  /** The end of the text: throws if the document is not complete or had no features array. */
  end(): void {
    if (this.depth !== -1 || this.inString) throw this.refuse(message('io.stream.endsEarly'));
    if (!this.sawFeatures) throw this.refuse(message('io.stream.noFeatures'));
  }

  /** Entries read so far. */
  get entries(): number {
    return this.index;
  }

  private refuse(reason: Message, index?: number): GeoJsonStreamError {
    return new GeoJsonStreamError(this.fileName, reason, index);
  }
}

/** A file the stream cannot read on: names the file and, where known, the entry (`said`; `message` in English). */
export class GeoJsonStreamError extends SaidError {
  constructor(
    readonly file: string,
    readonly reason: Message,
    readonly index?: number,
  ) {
    super(refusalMessage(file, index !== undefined ? message('io.where.feature', { n: index + 1 }) : undefined, reason));
    this.name = 'GeoJsonStreamError';
  }

  /** The entry, as a place. */
  get where(): Message | undefined {
    return this.index !== undefined ? message('io.where.feature', { n: this.index + 1 }) : undefined;
  }
}
