/**
 * 工程参数 Settings panel: every engineering default of core/model/settings.ts
 * with its unit, source note, current value and a reset. The backend calls
 * are passed in (`onSave`, `onReset`) because the contract has only
 * `settings:get` so far; wire them to `settings:set` / `settings:reset`
 * channels over StoreApi.setSettings / resetSettings when those land:
 *   <SettingsPanel settings={s} lang={lang}
 *     onSave={(patch) => invoke('settings:set', { patch })}
 *     onReset={(keys) => invoke('settings:reset', { keys })} />
 */
import { useEffect, useState } from 'react';
import { DEFAULT_SETTINGS, SETTING_DEFS, type SettingDef, type Settings } from '../../../core/model/settings';
import { message, say, t, unitText, type Message } from '../../../core/i18n';

/** The text an input shows for a setting (numbers plain, tables as JSON). */
export function settingText(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : JSON.stringify(value);
}

/** Read an edited setting back; numbers must be finite, tables valid JSON of the default's shape. */
export function parseSetting(key: keyof Settings, text: string): { value: Settings[keyof Settings] } | { error: Message } {
  const d = DEFAULT_SETTINGS[key];
  if (typeof d === 'number') {
    const v = Number(text.trim());
    return text.trim() !== '' && Number.isFinite(v) ? { value: v } : { error: message('settings.err.notNumber', { text }) };
  }
  if (typeof d === 'string') return { value: text.trim() as Settings[keyof Settings] };
  try {
    const v = JSON.parse(text) as unknown;
    if (Array.isArray(d) !== Array.isArray(v) || typeof v !== 'object' || v === null) return { error: message('settings.err.shape') };
    // Datum shifts: none, 3 or 7 Helmert parameters.
    if (key.startsWith('datumShift') && !(Array.isArray(v) && [0, 3, 7].includes(v.length) && v.every((n) => typeof n === 'number' && Number.isFinite(n)))) {
      return { error: message('settings.err.towgs84') };
    }
    return { value: v as Settings[keyof Settings] };
  } catch (e) {
    return { error: message('settings.err.json', { detail: (e as Error).message }) };
  }
}


export interface SettingsPanelProps {
  settings: Settings;
  lang: 'zh' | 'en';
  onSave?(patch: Partial<Settings>): Promise<unknown> | void;
  onReset?(keys: (keyof Settings)[]): Promise<unknown> | void;
}

export function SettingsPanel({ settings, lang, onSave, onReset }: SettingsPanelProps) {
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, Message>>({});
  useEffect(() => setDraft({}), [settings]);
  const save = async () => {
    const patch: Partial<Settings> = {};
    const errs: Record<string, Message> = {};
    for (const [key, text] of Object.entries(draft)) {
      const r = parseSetting(key as keyof Settings, text);
      if ('error' in r) errs[key] = r.error;
      else (patch as Record<string, unknown>)[key] = r.value;
    }
    setErrors(errs);
    if (Object.keys(errs).length === 0 && Object.keys(patch).length > 0) await onSave?.(patch);
  };
  const groups: SettingDef['group'][] = ['temperature', 'load', 'hydraulics', 'network', 'cost', 'plan', 'classes', 'import', 'map', 'basemap'];
  return (
    <div className="engineering settings" data-testid="settings-panel">
      <div className="row">
        <button onClick={() => void save()} disabled={!onSave || Object.keys(draft).length === 0} data-testid="settings-save">
          {t(lang, 'engineering.save')}
        </button>
        <button onClick={() => void onReset?.(SETTING_DEFS.map((d) => d.key))} disabled={!onReset} data-testid="settings-reset-all">
          {t(lang, 'engineering.resetAll')}
        </button>
      </div>
      {groups.map((g) => (
        <section key={g}>
          <h3>{t(lang, `settings.group.${g}`)}</h3>
          <table className="eng-table">
            <tbody>
              {SETTING_DEFS.filter((d) => d.group === g).map((d) => {
                const current = settingText(settings[d.key]);
                const changed = current !== settingText(DEFAULT_SETTINGS[d.key]);
                return (
                  <tr key={d.key} data-key={d.key} data-changed={changed ? 'yes' : 'no'}>
                    <td title={d.key}>{d.label[lang]}</td>
                    <td>
                      <input
                        value={draft[d.key] ?? current}
                        onChange={(e) => setDraft({ ...draft, [d.key]: e.target.value })}
                        size={typeof DEFAULT_SETTINGS[d.key] === 'number' ? 8 : 30}
                      />
                      {errors[d.key] && <span className="error"> {say(lang, errors[d.key])}</span>}
                    </td>
                    <td>{unitText(lang, d.unit)}</td>
                    <td className="muted" lang="zh">
                      {d.source}
                    </td>
                    <td>
                      <button className="link" disabled={!onReset || !changed} onClick={() => void onReset?.([d.key])} title={t(lang, 'engineering.defaultValue', { p0: settingText(DEFAULT_SETTINGS[d.key]) })}>
                        {t(lang, 'engineering.reset')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
