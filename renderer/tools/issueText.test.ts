import { describe, expect, it } from 'vitest';
import { formatIssue, ISSUE_TEMPLATES, validateFeature, type ValidationIssue } from '../../core/model/validate';
import { CATALOGUES, type MessageKey } from '../../core/i18n';
import { issueText, refusalOf, refusalText } from './issueText';

const pipe = (props: Record<string, unknown>) => ({
  type: 'Feature',
  geometry: { type: 'LineString', coordinates: [[115, 42], [115.001, 42]] },
  properties: { id: 'P-1', level: 'secondary', dn: 100, status: 'in_service', install_year: 2020, ...props },
});

const only = (issues: ValidationIssue[], field: string) => {
  const own = issues.filter((i) => i.field === field);
  expect(own).toHaveLength(1);
  return own[0];
};

describe('validation reasons in zh and en', () => {
  it('DN 123: code notOneOf, the standard list in both languages', () => {
    const i = only(validateFeature('pipes', pipe({ dn: 123 }), { year: 2026 }), 'dn');
    expect(i.code).toBe('notOneOf');
    expect(i.params?.value).toBe('123');
    expect(i.message).toMatch(/^123 is not one of 20, 25, .*, 800$/);
    expect(issueText(i, 'en')).toBe(i.message);
    expect(issueText(i, 'zh')).toMatch(/^123 不在可选值中（20, 25, .*, 800）$/);
  });

  it('install year 2099: above the maximum this year + 10', () => {
    const i = only(validateFeature('pipes', pipe({ install_year: 2099 }), { year: 2026 }), 'install_year');
    expect(i).toMatchObject({ code: 'aboveMax', params: { value: '2099', max: '2036' } });
    expect(issueText(i, 'en')).toBe('2099 is above the maximum 2036');
    expect(issueText(i, 'zh')).toBe('2099 大于最大值 2036');
  });

  it('empty id: required', () => {
    const i = only(validateFeature('pipes', pipe({ id: '' }), { year: 2026 }), 'id');
    expect(i.code).toBe('required');
    expect(issueText(i, 'en')).toBe('is required');
    expect(issueText(i, 'zh')).toBe('必填');
  });

  it('duplicate id, as the backend reports it', () => {
    const i: ValidationIssue = { field: 'id', featureId: 'P-7', code: 'duplicateId', params: { id: 'P-7', layer: 'pipes' }, message: 'id "P-7" already exists in pipes' };
    expect(issueText(i, 'en')).toBe('id "P-7" already exists in pipes');
    expect(issueText(i, 'zh')).toBe('编号“P-7”在管线中已存在');
  });

  it('a refusal crosses the bridge with its issues typed and is localized line by line', () => {
    const dn = { file: 'pipes', featureId: 'P-1', ...only(validateFeature('pipes', pipe({ dn: 123 }), { year: 2026 }), 'dn') };
    const dup: ValidationIssue = { file: 'pipes', featureId: 'P-7', field: 'id', code: 'duplicateId', params: { id: 'P-7', layer: 'pipes' }, message: 'id "P-7" already exists in pipes' };
    const refusal = refusalOf(Object.assign(new Error([formatIssue(dn), formatIssue(dup)].join('\n')), { issues: [dn, dup] }));
    const zh = refusalText(refusal, 'zh').split('\n');
    expect(zh[0]).toMatch(/^管径DN: 123 不在可选值中（20, /);
    expect(zh[1]).toBe('编号: 编号“P-7”在管线中已存在');
    const en = refusalText(refusal, 'en').split('\n');
    expect(en[0]).toMatch(/^DN: 123 is not one of 20, /);
    expect(en[1]).toBe('ID: id "P-7" already exists in pipes');
    // A failure without issues shows its own text; nothing is read back out of it.
    expect(refusalText(refusalOf(new Error('the split point is at an end of the pipe; nothing to split')), 'zh')).toBe('the split point is at an end of the pipe; nothing to split');
  });
});

describe('the catalogue and core agree on the English wording', () => {
  it('issue.<code> in English is ISSUE_TEMPLATES[code], and every code has its Chinese', () => {
    for (const [code, template] of Object.entries(ISSUE_TEMPLATES)) {
      expect(CATALOGUES.en[`issue.${code}` as MessageKey], code).toBe(template);
      expect(CATALOGUES.zh[`issue.${code}` as MessageKey], code).toMatch(/[\p{Script=Han}]/u);
    }
  });
});

describe('failures of a shared project opened live, in zh and en', () => {
  const failure = (code: string, params: Record<string, unknown>, message = 'server text') => Object.assign(new Error(message), { code, params, issues: [] });

  it('a conflict, a refused write, a refused undo and what is not live are said in the UI language (no CJK in English)', () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ['conflict', { layer: 'pipes', id: 'P-0012' }, '管线 P-0012 已被他人修改：请在冲突对比中选择。', /^Pipes? P-0012 was changed by someone else/],
      ['not_permitted', {}, '服务器拒绝：此账户只能查看，不能修改。', /^Refused by the server: this account may only view/],
      ['undo_conflict', { layer: 'valves', id: 'V-1' }, '无法撤销：阀门井 V-1 在您修改之后已被他人修改。', /^Cannot undo: Valve wells? V-1/],
      ['shared_refused', { what: 'settings' }, '在线打开的共享工程不能在应用中修改设置：请检出副本，在副本中修改后检入。', /cannot change settings in the app/],
    ];
    for (const [code, params, zh, en] of cases) {
      const r = refusalOf(failure(code, params));
      expect(r).toMatchObject({ code, params });
      expect(refusalText(r, 'zh')).toBe(zh);
      expect(refusalText(r, 'en')).toMatch(en);
      expect(refusalText(r, 'en')).not.toMatch(/[\u3400-\u9fff]/);
    }
    // Anything else keeps the backend's own text.
    expect(refusalText(refusalOf(failure('failed', {}, 'disk full')), 'zh')).toBe('disk full');
  });
});
