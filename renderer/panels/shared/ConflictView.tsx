/**
 * Conflicts of a check-in side by side: per feature, per field, the value at
 * check-out, mine and the server's, and the user's choice (mine / theirs /
 * a typed value). Pure view: the answers go back through `onResolve`.
 */
import { useState } from 'react';
import { TABLES, layerDef } from '../../../core/model/schema';
import { SETTING_DEFS } from '../../../core/model/settings';
import type { Conflict, FieldConflict, Resolution } from '../../../electron/backend/shared.contract';
import { formatValue, pick } from '../../i18n';
import type { Lang } from '../../i18n/messages';
import { sm } from './messages';

type Choice = 'mine' | 'theirs' | 'merge';

const key = (c: Conflict) => `${c.layer}/${c.id}`;

/** What a conflict is about: a layer, the renovation projects table, or the settings (whose fields are settings). */
function defOf(layer: Conflict['layer'], lang: Lang): { title: string; fields: readonly { name: string; label: { zh: string; en: string } }[] } {
  if (layer === 'settings') return { title: sm(lang, 'settingsTitle'), fields: SETTING_DEFS.map((d) => ({ name: d.key, label: d.label })) };
  const def = layerDef(layer) ?? TABLES.find((t) => t.name === layer);
  return { title: def ? pick(def.label, lang) : layer, fields: def?.fields ?? [] };
}

function show(v: unknown, field: string, lang: Lang): string {
  if (field === 'geometry') return v ? sm(lang, 'shape') : '—';
  return formatValue(v, lang);
}

/** The typed text as the field's type: a number where mine or theirs is one. */
function typed(text: string, like: unknown[]): unknown {
  if (like.some((v) => typeof v === 'number')) {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : text;
  }
  if (like.some((v) => typeof v === 'boolean')) return text === 'true' || text === '1' || text === '是';
  return text === '' ? null : text;
}

/** The choice offered first: mine where only I changed the field (theirs kept what we both started from), else theirs. */
function firstChoice(f: FieldConflict): Choice {
  return f.base !== undefined && JSON.stringify(f.base ?? null) === JSON.stringify(f.theirs ?? null) ? 'mine' : 'theirs';
}

/**
 * `live`: the conflict of an edit saved on a project opened live (the base is
 * the feature as the user read it, the answer is saved at once); otherwise a check-in's.
 */
export function ConflictView({
  conflicts,
  lang,
  busy,
  onResolve,
  live = false,
  onDiscard,
}: {
  conflicts: Conflict[];
  lang: Lang;
  busy: boolean;
  onResolve: (r: Record<string, Resolution>) => void;
  live?: boolean;
  onDiscard?: () => void;
}) {
  const [choice, setChoice] = useState<Record<string, Choice>>(() => {
    const first: Record<string, Choice> = {};
    for (const x of conflicts) for (const f of x.fields) first[`${key(x)}|${f.field}`] = firstChoice(f);
    return first;
  });
  const [text, setText] = useState<Record<string, string>>({});
  const cell = { padding: '3px 6px', borderBottom: '1px solid #e3e7ea', verticalAlign: 'top' } as const;
  const all = (c: Choice) => {
    const next: Record<string, Choice> = {};
    for (const x of conflicts) for (const f of x.fields) next[`${key(x)}|${f.field}`] = c;
    setChoice(next);
  };
  const submit = () => {
    const out: Record<string, Resolution> = {};
    for (const x of conflicts) {
      const per: Record<string, 'mine' | 'theirs' | { value: unknown }> = {};
      for (const f of x.fields) {
        const k = `${key(x)}|${f.field}`;
        const c = choice[k] ?? 'theirs';
        per[f.field] = c === 'merge' ? { value: typed(text[k] ?? '', [f.mine, f.theirs]) } : c;
      }
      out[key(x)] = x.fields.length ? per : (choice[`${key(x)}|`] as 'mine' | 'theirs' | undefined) ?? 'theirs';
    }
    onResolve(out);
  };
  return (
    <div data-testid="conflicts">
      <p>{live && conflicts[0] ? sm(lang, 'liveConflict', { layer: defOf(conflicts[0].layer, lang).title, id: conflicts[0].id }) : sm(lang, 'conflicts', { n: conflicts.length })}</p>
      <div style={{ display: 'flex', gap: 8, marginBottom: 6 }}>
        <button type="button" onClick={() => all('mine')} disabled={busy} data-testid="all-mine">
          {sm(lang, 'allMine')}
        </button>
        <button type="button" onClick={() => all('theirs')} disabled={busy} data-testid="all-theirs">
          {sm(lang, 'allTheirs')}
        </button>
      </div>
      {conflicts.map((x) => {
        const def = defOf(x.layer, lang);
        return (
          <section key={key(x)} data-testid={`conflict-${key(x)}`} style={{ marginBottom: 10 }}>
            <h3 style={{ fontSize: 13, margin: '6px 0' }}>
              {def.title} {x.layer === 'settings' ? '' : x.id}
              {x.theirs === null ? ` ${sm(lang, 'deleted')}` : ''}
            </h3>
            <table style={{ borderCollapse: 'collapse', width: '100%', fontSize: 12 }}>
              <thead>
                <tr>
                  <th style={cell}>{sm(lang, 'field')}</th>
                  <th style={cell}>{sm(lang, live ? 'liveBase' : 'base')}</th>
                  <th style={cell}>{sm(lang, 'mine')}</th>
                  <th style={cell}>{sm(lang, 'theirs')}</th>
                  <th style={cell}>{sm(lang, 'merge')}</th>
                </tr>
              </thead>
              <tbody>
                {x.fields.map((f) => {
                  const k = `${key(x)}|${f.field}`;
                  const c = choice[k] ?? 'theirs';
                  const radio = (v: Choice, label: string) => (
                    <label style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
                      <input type="radio" name={k} checked={c === v} onChange={() => setChoice({ ...choice, [k]: v })} disabled={busy} data-testid={`${k}|${v}`} />
                      {label}
                    </label>
                  );
                  const fd = def.fields.find((d) => d.name === f.field);
                  return (
                    <tr key={k} data-testid={`row-${k}`}>
                      <td style={cell}>{fd ? pick(fd.label, lang) : f.field}</td>
                      <td style={cell}>{show(f.base, f.field, lang)}</td>
                      <td style={cell}>{radio('mine', show(f.mine, f.field, lang))}</td>
                      <td style={cell}>{radio('theirs', show(f.theirs, f.field, lang))}</td>
                      <td style={cell}>
                        {f.field !== 'geometry' && (
                          <>
                            {radio('merge', '')}
                            <input
                              value={text[k] ?? ''}
                              onChange={(e) => {
                                setText({ ...text, [k]: e.target.value });
                                setChoice({ ...choice, [k]: 'merge' });
                              }}
                              disabled={busy}
                              style={{ width: 90 }}
                              data-testid={`${k}|value`}
                            />
                          </>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        );
      })}
      <div style={{ display: 'flex', gap: 8 }}>
        <button type="button" onClick={submit} disabled={busy} data-testid="apply-resolutions">
          {sm(lang, live ? 'liveApply' : 'apply')}
        </button>
        {onDiscard && (
          <button type="button" onClick={onDiscard} disabled={busy} data-testid="discard-mine">
            {sm(lang, 'liveDiscard')}
          </button>
        )}
      </div>
    </div>
  );
}
