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
    this.buf += text;
    const b = this.buf;
    for (let i = this.pos; i < b.length; i++) {
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
    // keep only what is still needed: the value being read (or, inside a key string, the string)
    const keep = this.start >= 0 ? this.start : this.inString ? this.stringStart : b.length;
    this.buf = b.slice(keep);
    this.pos = b.length - keep;
    if (this.start >= 0) this.start -= keep;
    if (this.stringStart >= 0) this.stringStart -= keep;
    return out;
  }

  private endValue(b: string, end: number, out: { features: RawFeature[]; issues: ValidationIssue[] }): void {
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
