/** Create or change a renovation project; fields come from the `projects` table of the schema, the backend validates. */
import { useState } from 'react';
import { TABLES } from '../../../core/model/schema';
import type { ProjectRow } from '../../../core/model/project';
import { invoke } from '../../api';
import { formatValue, pick } from '../../i18n';
import { useEditT } from '../../tools/messages';
import { refusalOf, refusalText, type Refusal } from '../../tools/issueText';
import { unitText } from '../../../core/i18n';

const FIELDS = TABLES.find((t) => t.name === 'projects')!.fields;

export function ProjectForm({ row, onDone }: { row: ProjectRow | null; onDone(id: string | null): void }) {
  const { t, lang } = useEditT();
  const [values, setValues] = useState<Record<string, unknown>>(
    row ? { ...row } : { year: new Date().getFullYear() + 1, kind: 'pipe', status: 'planned' },
  );
  const [error, setError] = useState<Refusal | null>(null);

  const save = async () => {
    const out: Record<string, unknown> = {};
    for (const f of FIELDS) {
      const v = values[f.name];
      if (v === undefined) continue;
      if (v === '' || v === null) out[f.name] = f.name === 'id' ? '' : null;
      else if (f.type === 'integer' || f.type === 'real') out[f.name] = Number(v);
      else out[f.name] = v;
    }
    try {
      const saved = await invoke('project:save', { row: out as never });
      onDone(saved.id);
    } catch (e) {
      setError(refusalOf(e));
    }
  };

  return (
    <div className="project-form" data-testid="project-form">
      {FIELDS.map((f) => (
        <label key={f.name} data-field={f.name}>
          <span>
            {pick(f.label, lang)}
            {f.required || f.name === 'id' ? ' *' : ''}
            {f.unit ? ` (${unitText(lang, f.unit)})` : ''}
          </span>
          {f.enum ? (
            <select name={f.name} value={String(values[f.name] ?? '')} onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}>
              {f.enum.map((o) => (
                <option key={o} value={o}>
                  {formatValue(o, lang, f)}
                </option>
              ))}
            </select>
          ) : (
            <input
              name={f.name}
              type={f.type === 'date' ? 'date' : 'text'}
              readOnly={!!row && f.name === 'id'}
              value={values[f.name] === null || values[f.name] === undefined ? '' : String(values[f.name])}
              onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
            />
          )}
        </label>
      ))}
      {error && (
        <p className="issue" data-testid="project-error">
          {refusalText(error, lang)}
        </p>
      )}
      <div className="edit-actions">
        <button className="primary" onClick={() => void save()} data-testid="project-save">
          {t('save')}
        </button>
        <button onClick={() => onDone(null)}>{t('cancel')}</button>
      </div>
    </div>
  );
}
