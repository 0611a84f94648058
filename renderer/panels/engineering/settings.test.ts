import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SETTING_DEFS } from '../../../core/model/settings';
import { parseSetting, SettingsPanel, settingText } from './SettingsPanel';

describe('settings panel', () => {
  it('shows every engineering default with its unit and source, marking changed values', () => {
    const settings = { ...structuredClone(DEFAULT_SETTINGS), coldWaveThresholdC: -30 };
    const html = renderToStaticMarkup(createElement(SettingsPanel, { settings, lang: 'zh' }));
    for (const d of SETTING_DEFS) {
      expect(html).toContain(`data-key="${d.key}"`);
      expect(html).toContain(d.label.zh);
    }
    expect(html).toContain('data-key="coldWaveThresholdC" data-changed="yes"');
    expect(html).toContain('data-key="coldWaveHours" data-changed="no"');
    expect(html).toContain('方案 三(五): 零下29摄氏度');
  });

  it('reads edits back, refusing text in a number and broken tables', () => {
    expect(parseSetting('roughnessMm', '0.2')).toEqual({ value: 0.2 });
    expect(parseSetting('roughnessMm', 'abc')).toHaveProperty('error');
    expect(parseSetting('roughnessMm', '')).toHaveProperty('error');
    expect(parseSetting('innerDiameterMm', settingText({ '100': 99 }))).toEqual({ value: { '100': 99 } });
    expect(parseSetting('innerDiameterMm', '{oops')).toHaveProperty('error');
    expect(parseSetting('ageClassBreaks', '{"a":1}')).toHaveProperty('error');
  });
});
