/**
 * Validation reasons in the UI's language. The backend sends each issue with
 * a machine code and params (core/model/validate.ts), and a refused call
 * brings its issues across the bridge typed (renderer/api.ts BackendError),
 * so the Chinese UI never shows the CLI's English and never reads it back.
 */
import { TABLES, layerDef } from '../../core/model/schema';
import { issueMessage, type ValidationIssue } from '../../core/model/validate';
import { t } from '../../core/i18n';
import { sharedFailureText } from '../panels/shared/messages';

type Lang = 'zh' | 'en';
type Params = Record<string, string>;

/** A string value appears in messages as JSON text ("abc"); Chinese quotes read better in zh. */
const unquote = (v: string | undefined) => (v && /^".*"$/.test(v) ? `“${v.slice(1, -1)}”` : (v ?? ''));


/** A layer or a table (projects) by name. */
const defOf = (name: string | undefined) => (name ? (layerDef(name) ?? TABLES.find((t) => t.name === name)) : undefined);

function layerName(layer: string | undefined, lang: Lang): string {
  const def = defOf(layer);
  return def ? def.label[lang] : (layer ?? '');
}

/** The reason of one issue in `lang` (English is the message's own wording). */
export function issueText(issue: Pick<ValidationIssue, 'code' | 'params' | 'message'>, lang: Lang): string {
  if (!issue.code) return issue.message;
  const params = (issue.params ?? {}) as Params;
  if (lang === 'en') return issueMessage(issue.code, params);
  return t(lang, `issue.${issue.code}`, { ...params, value: unquote(params.value), layer: layerName(params.layer, lang) });
}

/** Label of a field of a layer in `lang` (the field name when unknown). */
export function fieldLabel(layer: string | undefined, field: string, lang: Lang): string {
  if (field === 'geometry') return t(lang, 'issue.geometryField');
  return defOf(layer)?.fields.find((f) => f.name === field)?.label[lang] ?? field;
}

/** A refused call as the renderer keeps it: the backend's text and its typed issues (none for other failures). */
export interface Refusal {
  message: string;
  issues: ValidationIssue[];
  /** The failure's code and params as the backend typed them (absent for errors that did not come from it). */
  code?: string;
  params?: Record<string, unknown>;
}

/** What a caught error says, typed: a `BackendError` brings its issues; anything else only its text. */
export function refusalOf(e: unknown): Refusal {
  const issues = e && typeof e === 'object' && Array.isArray((e as { issues?: unknown }).issues) ? ((e as { issues: ValidationIssue[] }).issues) : [];
  const typed = e && typeof e === 'object' ? (e as { code?: unknown; params?: unknown }) : {};
  return {
    message: e instanceof Error ? e.message : String(e),
    issues,
    ...(typeof typed.code === 'string' ? { code: typed.code } : {}),
    ...(typed.params && typeof typed.params === 'object' ? { params: typed.params as Record<string, unknown> } : {}),
  };
}

/**
 * A refusal in `lang`: one line per issue, `field label: reason`, from the
 * issues' codes and params; a failure without issues shows its own text.
 */
export function refusalText(r: Refusal, lang: Lang): string {
  if (!r.issues.length) return sharedFailureText(r.code, r.params ?? {}, lang, (l) => layerName(l, lang)) ?? r.message;
  return r.issues.map((i) => (i.field ? `${fieldLabel(i.file, i.field, lang)}: ${issueText(i, lang)}` : issueText(i, lang))).join('\n');
}
