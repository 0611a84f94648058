/**
 * The attribute form of a new or existing feature, built from the layer's
 * schema. Every change is checked by the backend (`edit:validate`: DN from
 * the standard list, level, years in range, id required and unique); the
 * reasons show beside the fields, in the UI's language (issueText), and Save
 * is refused while there are any.
 */
import { useEffect, useMemo, useState } from 'react';
import { layerDef, type FieldDef } from '../../core/model/schema';
import type { ValidationIssue } from '../../core/model/validate';
import { invoke } from '../api';
import { pick, formatValue } from '../i18n';
import { useEditStore } from './editStore';
import { formProperties, saveForm } from './actions';
import { useEditT } from './messages';
import { fieldLabel, issueText, refusalText } from './issueText';
import { unitText } from '../../core/i18n';

const numeric = (f: FieldDef | undefined) => !!f && (f.type === 'integer' || f.type === 'real');

export function AttributeForm() {
  const { t, lang } = useEditT();
  const form = useEditStore((s) => s.form);
  const error = useEditStore((s) => s.error);
  const setForm = useEditStore((s) => s.setForm);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [issues, setIssues] = useState<ValidationIssue[]>([]);
  const def = form ? layerDef(form.layer) : undefined;
  const fields = useMemo(() => (def?.fields ?? []).filter((f) => !f.computed), [def]);
  const fieldOf = (name: string) => fields.find((f) => f.name === name);

  useEffect(() => {
    setValues(form?.values ?? {});
    setIssues([]);
  }, [form]);

  const props = useMemo(() => formProperties(values, (k) => numeric(fieldOf(k))), [values, fields]);

  useEffect(() => {
    if (!form) return;
    let stale = false;
    const timer = setTimeout(() => {
      void invoke('edit:validate', {
        layer: form.layer,
        properties: props,
        ...(form.geometry ? { geometry: form.geometry as never } : {}),
        ...(form.currentId ? { currentId: form.currentId } : {}),
      }).then((r) => !stale && setIssues(r));
    }, 120);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [props, form]);

  if (!form || !def) return null;
  const issueOf = (name: string) => issues.filter((i) => i.field === name).map((i) => issueText(i, lang));
  const general = issues.filter((i) => !i.field || !fields.some((f) => f.name === i.field));

  const submit = async () => {
    const now = await invoke('edit:validate', {
      layer: form.layer,
      properties: props,
      ...(form.geometry ? { geometry: form.geometry as never } : {}),
      ...(form.currentId ? { currentId: form.currentId } : {}),
    });
    setIssues(now);
    // The values as the form opened: on a shared project opened live, only what the user changed is saved, and a field someone else changed meanwhile is a conflict.
    if (now.length === 0) await saveForm(form, props, formProperties(form.values, (k) => numeric(fieldOf(k))));
  };

  return (
    <div
      className="edit-form"
      data-testid="attribute-form"
      data-layer={form.layer}
      data-issues={issues.length}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setForm(null);
        if (e.key === 'Enter' && (e.target as HTMLElement).tagName !== 'TEXTAREA') void submit();
        e.stopPropagation();
      }}
    >
      <h3>
        {form.mode === 'new' ? t('newFeature') : t('editAttributes')} · {pick(def.label, lang)}
      </h3>
      <div className="edit-fields">
        {fields.map((f) => {
          const msgs = issueOf(f.name);
          const v = values[f.name];
          const set = (x: unknown) => setValues((old) => ({ ...old, [f.name]: x }));
          return (
            <label key={f.name} className={msgs.length ? 'invalid' : ''} data-field={f.name}>
              <span>
                {pick(f.label, lang)}
                {f.required || f.name === 'id' ? ' *' : ''}
                {f.unit ? ` (${unitText(lang, f.unit)})` : ''}
              </span>
              {f.enum ? (
                <select value={v === null || v === undefined ? '' : String(v)} onChange={(e) => set(e.target.value)} name={f.name}>
                  <option value="">—</option>
                  {f.enum.map((o) => (
                    <option key={o} value={o}>
                      {formatValue(o, lang, f)}
                    </option>
                  ))}
                </select>
              ) : f.type === 'bool' ? (
                <input type="checkbox" name={f.name} checked={v === true} onChange={(e) => set(e.target.checked)} />
              ) : (
                <input
                  name={f.name}
                  list={f.oneOf ? `list-${f.name}` : undefined}
                  value={v === null || v === undefined ? '' : String(v)}
                  onChange={(e) => set(e.target.value)}
                  inputMode={numeric(f) ? 'decimal' : undefined}
                />
              )}
              {f.oneOf && (
                <datalist id={`list-${f.name}`}>
                  {f.oneOf.map((o) => (
                    <option key={o} value={o} />
                  ))}
                </datalist>
              )}
              {msgs.map((m) => (
                <em key={m} className="issue" data-testid={`issue-${f.name}`}>
                  {m}
                </em>
              ))}
            </label>
          );
        })}
      </div>
      {general.map((i) => (
        <p key={i.message} className="issue" data-testid="issue-general">
          {i.field ? `${fieldLabel(form.layer, i.field, lang)}: ` : ''}
          {issueText(i, lang)}
        </p>
      ))}
      {error && (
        <p className="issue" data-testid="form-error">
          {t('refused')}: {refusalText(error, lang)}
        </p>
      )}
      <div className="edit-actions">
        <button onClick={() => void submit()} data-testid="form-save" className="primary">
          {t('save')}
        </button>
        <button onClick={() => setForm(null)} data-testid="form-cancel">
          {t('cancel')}
        </button>
      </div>
    </div>
  );
}
