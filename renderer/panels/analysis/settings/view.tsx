/** 工程参数: every engineering setting with its unit and default, saved to the project (settings:set / settings:reset). */
import { useState } from 'react';
import type { Settings } from '../../../../core/model/settings';
import { SettingsPanel } from '../../engineering/SettingsPanel';
import { defineAnalysis } from '../types';

interface State {
  settings: Settings | null;
}

export const settingsView = defineAnalysis<State>({
  id: 'settings',
  label: 'tabSettings',
  docked: true,
  initial: () => ({ settings: null }),
  needsRun: (s) => !s.settings,
  run: async (_s, api) => ({ settings: await api.invoke('settings:get', {}) }),
  Panel: function SettingsView({ state, setState, api, ctx }) {
    const [note, setNote] = useState<string | null>(null);
    if (!state.settings) return null;
    return (
      <>
        {note && <p className="analysis-note">{note}</p>}
        <SettingsPanel
          settings={state.settings}
          lang={ctx.lang}
          onSave={async (patch) => {
            setState({ settings: await api.invoke('settings:set', { patch }) });
            setNote(ctx.t('saved'));
          }}
          onReset={async (keys) => {
            setState({ settings: await api.invoke('settings:reset', { keys }) });
            setNote(ctx.t('saved'));
          }}
        />
      </>
    );
  },
});
