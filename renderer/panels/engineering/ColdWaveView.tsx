/** Cold-wave check (极寒天气): paste or load a forecast CSV, see the rule, loads, coal days and the heating curve. */
import { useState } from 'react';
import type { ColdWaveReport } from '../../../core/plan/coldwave';
import type { ColdWaveAnswer } from '../../../electron/backend/analysis.contract';
import type { RunApi } from '../analysis/types';
import { say, t } from '../../../core/i18n';
import { fixed, percent } from '../../../core/format/number';

export function ColdWaveResult({ report: r, lang }: { report: ColdWaveReport; lang: 'zh' | 'en' }) {
  return (
    <div data-testid="coldwave-result" data-triggered={r.triggered ? 'yes' : 'no'}>
      <p className={r.triggered ? 'error strong' : 'strong'}>
        {r.triggered
          ? t(lang, 'engineering.coldWaveTriggered', { p0: r.coldPeriod!.start, p1: r.coldPeriod!.hours, thresholdC: r.rule.thresholdC })
          : t(lang, 'engineering.coldWaveNotTriggered', { longestColdHours: r.longestColdHours, thresholdC: r.rule.thresholdC })}
      </p>
      {r.triggered && (
        <p data-testid="coldwave-flow-by">
          {t(lang, 'engineering.raisePrimaryFlowBy')}
          <b>{r.flowIncreaseBy}</b>
          {r.flowIncreaseLate ? t(lang, 'engineering.alreadyPastTheForecast') : ''}
        </p>
      )}
      <p>
        {t(lang, 'engineering.forecastMinimum')} {r.minTemperatureC} ℃ ({r.minTemperatureAt}), {t(lang, 'engineering.relativeLoad')} {fixed(r.loadRatioAtMin, 3)}
      </p>
      <table className="eng-table" data-testid="coldwave-sources">
        <thead>
          <tr>
            <th>{t(lang, 'engineering.source')}</th>
            <th>{t(lang, 'engineering.designMw')}</th>
            <th>{t(lang, 'engineering.loadAtMinMw')}</th>
            <th>{t(lang, 'engineering.capacityMw')}</th>
            <th>{t(lang, 'engineering.ratio')}</th>
            <th>{t(lang, 'engineering.coalDays')}</th>
            <th>{t(lang, 'engineering.notes')}</th>
          </tr>
        </thead>
        <tbody>
          {r.sources.map((s) => (
            <tr key={s.id} data-id={s.id} data-status={s.status} data-reserve-low={s.reserveLow ? 'yes' : 'no'}>
              <td>{s.id}</td>
              <td>{fixed(s.designLoadMW, 2)}</td>
              <td>{fixed(s.loadAtTMW, 2)}</td>
              <td>{fixed(s.capacityMW, 1)}</td>
              <td>{percent(s.ratio)}</td>
              <td className={s.reserveLow ? 'error' : ''}>{fixed(s.reserveDays, 1)}</td>
              <td>{say(lang, s.reason)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t(lang, 'engineering.stationsShortOrNear')}</h3>
      <table className="eng-table" data-testid="coldwave-stations">
        <tbody>
          {r.stations
            .filter((s) => s.status === 'short' || s.status === 'near_limit')
            .map((s) => (
              <tr key={s.id} data-id={s.id} data-status={s.status}>
                <td>{s.id}</td>
                <td>{fixed(s.loadAtTMW, 2)} MW</td>
                <td>{fixed(s.capacityMW, 1)} MW</td>
                <td>{say(lang, s.reason)}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <h3>{t(lang, 'engineering.heatingCurveC')}</h3>
      <table className="eng-table" data-testid="coldwave-curve">
        <thead>
          <tr>
            <th />
            <th>{t(lang, 'engineering.outdoor')}</th>
            <th>{t(lang, 'engineering.primarySR')}</th>
            <th>{t(lang, 'engineering.secondarySR')}</th>
          </tr>
        </thead>
        <tbody>
          {r.heatingCurve.map((h, i) => (
            <tr key={i}>
              <td>{say(lang, h.label)}</td>
              <td>{fixed(h.outdoorC, 1)}</td>
              <td>
                {fixed(h.primarySupplyC, 1)} / {fixed(h.primaryReturnC, 1)}
              </td>
              <td>
                {fixed(h.secondarySupplyC, 1)} / {fixed(h.secondaryReturnC, 1)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The forecast is parsed and checked by the backend (as `warmnet coldwave`); a refused line comes back with its reason. */
export function ColdWaveView({ api, lang }: { api: RunApi; lang: 'zh' | 'en' }) {
  const [csv, setCsv] = useState('');
  const [result, setResult] = useState<ColdWaveAnswer | null>(null);
  const check = async (text: string) => {
    if (!text.trim()) return;
    const answer = await api.start('analysis:coldwave', { csv: text });
    if (answer) setResult(answer);
  };
  const loadFile = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    setCsv(text);
    await check(text);
  };
  return (
    <div className="engineering coldwave" data-testid="coldwave-view">
      <p className="muted">
        {t(lang, 'engineering.csvColumns')}
      </p>
      <textarea rows={6} value={csv} onChange={(e) => setCsv(e.target.value)} placeholder="time,temperature_c" data-testid="coldwave-csv" style={{ width: '100%' }} />
      <div className="row">
        <input type="file" accept=".csv,text/csv" onChange={(e) => void loadFile(e.target.files?.[0])} data-testid="coldwave-file" />
        <button onClick={() => void check(csv)} disabled={!csv.trim()} data-testid="coldwave-run">
          {t(lang, 'engineering.check')}
        </button>
      </div>
      {result && 'error' in result && (
        <p className="error" data-testid="coldwave-error">
          {t(lang, 'engineering.csvLine', { line: result.error.line })}
          {result.error.reason}
        </p>
      )}
      {result && 'report' in result && <ColdWaveResult report={result.report} lang={lang} />}
    </div>
  );
}
