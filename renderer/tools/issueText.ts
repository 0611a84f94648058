/**
 * Validation reasons in the UI's language. The backend sends each issue with
 * a machine code and params (core/model/validate.ts); a refusal that arrived
 * as plain English text (an IPC error) is read back into code and params
 * first, so the Chinese UI never shows the CLI's English.
 */
import { TABLES, layerDef } from '../../core/model/schema';
import { issueMessage, parseIssueMessage, type IssueCode, type ValidationIssue } from '../../core/model/validate';

type Lang = 'zh' | 'en';
type Params = Record<string, string>;

/** A string value appears in messages as JSON text ("abc"); Chinese quotes read better in zh. */
const unquote = (v: string | undefined) => (v && /^".*"$/.test(v) ? `“${v.slice(1, -1)}”` : (v ?? ''));

const ZH: Record<IssueCode, (p: Params) => string> = {
  required: () => '必填',
  notText: (p) => `${unquote(p.value)} 不是文字`,
  notOneOf: (p) => `${unquote(p.value)} 不在可选值中（${p.allowed}）`,
  notNumber: (p) => `${unquote(p.value)} 不是数字`,
  notFinite: (p) => `${unquote(p.value)} 不是有限数值`,
  notInteger: (p) => `${unquote(p.value)} 不是整数`,
  belowMin: (p) => `${p.value} 小于最小值 ${p.min}`,
  aboveMax: (p) => `${p.value} 大于最大值 ${p.max}`,
  notBool: (p) => `${unquote(p.value)} 不是“是/否”`,
  notDate: (p) => `${unquote(p.value)} 不是日期（年-月-日，如 2025-10-31）`,
  invalidDate: (p) => `${unquote(p.value)} 不是有效日期`,
  duplicateId: (p) => `编号“${p.id}”在${layerName(p.layer, 'zh')}中已存在`,
  geometry: (p) => `图形无效：${p.detail}`,
  notFeature: () => '不是 GeoJSON 要素',
};

/** A layer or a table (projects) by name. */
const defOf = (name: string | undefined) => (name ? (layerDef(name) ?? TABLES.find((t) => t.name === name)) : undefined);

function layerName(layer: string | undefined, lang: Lang): string {
  const def = defOf(layer);
  return def ? def.label[lang] : (layer ?? '');
}

/** The reason of one issue in `lang` (English is the message's own wording). */
export function issueText(issue: Pick<ValidationIssue, 'code' | 'params' | 'message'>, lang: Lang): string {
  const known = issue.code ? { code: issue.code, params: issue.params ?? {} } : parseIssueMessage(issue.message);
  if (!known) return issue.message;
  return lang === 'zh' ? ZH[known.code](known.params) : issueMessage(known.code, known.params);
}

/** Label of a field of a layer in `lang` (the field name when unknown). */
export function fieldLabel(layer: string | undefined, field: string, lang: Lang): string {
  if (field === 'geometry') return lang === 'zh' ? '图形' : 'geometry';
  return defOf(layer)?.fields.find((f) => f.name === field)?.label[lang] ?? field;
}

/**
 * A refusal as the backend wrote it (lines of `formatIssue`: `pipes:
 * feature (id "P-1"): field "dn": 123 is not one of …`) in `lang`: each line
 * becomes `field label: reason`; lines it cannot read stay as they are.
 */
export function refusalText(message: string, lang: Lang): string {
  return message
    .split('\n')
    .map((line) => {
      const m = /^(?:([\w]+): )?(?:feature(?: #\d+)?(?: \(id "(?:[^"\\]|\\.)*"\))?: )?(?:field "(\w+)": )?(.*)$/s.exec(line);
      if (!m) return line;
      const [, layer, field, reason] = m;
      const parsed = parseIssueMessage(reason);
      if (!parsed) return line;
      const text = issueText({ ...parsed, message: reason }, lang);
      return field ? `${fieldLabel(layer, field, lang)}: ${text}` : text;
    })
    .join('\n');
}
