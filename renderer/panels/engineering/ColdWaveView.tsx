/** Cold-wave check (极寒天气): paste or load a forecast CSV, see the rule, loads, coal days and the heating curve. */
import { useState } from 'react';
import type { ProjectData } from '../../../core/model/project';
import { ForecastError, parseForecastCsv } from '../../../core/plan/forecast';
import { coldWaveCheck, type ColdWaveReport } from '../../../core/plan/coldwave';
import { fmt, L, pct } from './data';

/** Parse and check in one step; a malformed forecast comes back as its line and reason. */
export function runColdWave(data: ProjectData, csv: string): { report: ColdWaveReport } | { error: { line: number; reason: string } } {
  try {
    const forecast = parseForecastCsv(csv, data.settings.coldWaveForecastDays);
    return { report: coldWaveCheck(data, forecast) };
  } catch (e) {
    if (e instanceof ForecastError) return { error: { line: e.line, reason: e.reason } };
    throw e;
  }
}

export function ColdWaveResult({ report: r, lang }: { report: ColdWaveReport; lang: 'zh' | 'en' }) {
  return (
    <div data-testid="coldwave-result" data-triggered={r.triggered ? 'yes' : 'no'}>
      <p className={r.triggered ? 'error strong' : 'strong'}>
        {r.triggered
          ? L(lang, `触发极寒预警: ${r.coldPeriod!.start} 起 ${r.coldPeriod!.hours} 小时 ≤ ${r.rule.thresholdC} ℃`, `Cold wave: ${r.coldPeriod!.hours} h at or below ${r.rule.thresholdC} °C from ${r.coldPeriod!.start}`)
          : L(lang, `未触发 (最长 ${r.longestColdHours} 小时 ≤ ${r.rule.thresholdC} ℃)`, `Not triggered (longest ${r.longestColdHours} h at or below ${r.rule.thresholdC} °C)`)}
      </p>
      {r.triggered && (
        <p data-testid="coldwave-flow-by">
          {L(lang, '一网提前加大流量时间: ', 'Raise primary flow by: ')}
          <b>{r.flowIncreaseBy}</b>
          {r.flowIncreaseLate ? L(lang, ' (已晚于预报起点, 立即调节)', ' (already past the forecast start: act now)') : ''}
        </p>
      )}
      <p>
        {L(lang, '预报最低', 'Forecast minimum')} {r.minTemperatureC} ℃ ({r.minTemperatureAt}), {L(lang, '相对负荷', 'relative load')} {fmt(r.loadRatioAtMin, 3)}
      </p>
      <table className="eng-table" data-testid="coldwave-sources">
        <thead>
          <tr>
            <th>{L(lang, '热源', 'Source')}</th>
            <th>{L(lang, '设计负荷 MW', 'Design MW')}</th>
            <th>{L(lang, '最低温负荷 MW', 'Load at min MW')}</th>
            <th>{L(lang, '能力 MW', 'Capacity MW')}</th>
            <th>{L(lang, '负荷率', 'Ratio')}</th>
            <th>{L(lang, '储煤天数', 'Coal days')}</th>
            <th>{L(lang, '说明', 'Notes')}</th>
          </tr>
        </thead>
        <tbody>
          {r.sources.map((s) => (
            <tr key={s.id} data-id={s.id} data-status={s.status} data-reserve-low={s.reserveLow ? 'yes' : 'no'}>
              <td>{s.id}</td>
              <td>{fmt(s.designLoadMW)}</td>
              <td>{fmt(s.loadAtTMW)}</td>
              <td>{fmt(s.capacityMW, 1)}</td>
              <td>{pct(s.ratio)}</td>
              <td className={s.reserveLow ? 'error' : ''}>{fmt(s.reserveDays, 1)}</td>
              <td>{s.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{L(lang, '能力不足或临界的换热站', 'Stations short or near limit')}</h3>
      <table className="eng-table" data-testid="coldwave-stations">
        <tbody>
          {r.stations
            .filter((s) => s.status === 'short' || s.status === 'near_limit')
            .map((s) => (
              <tr key={s.id} data-id={s.id} data-status={s.status}>
                <td>{s.id}</td>
                <td>{fmt(s.loadAtTMW)} MW</td>
                <td>{fmt(s.capacityMW, 1)} MW</td>
                <td>{s.reason}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <h3>{L(lang, '供回水温度曲线 ℃', 'Heating curve °C')}</h3>
      <table className="eng-table" data-testid="coldwave-curve">
        <thead>
          <tr>
            <th />
            <th>{L(lang, '室外', 'Outdoor')}</th>
            <th>{L(lang, '一网供/回', 'Primary S/R')}</th>
            <th>{L(lang, '二网供/回', 'Secondary S/R')}</th>
          </tr>
        </thead>
        <tbody>
          {r.heatingCurve.map((h, i) => (
            <tr key={i}>
              <td>{h.date ?? L(lang, '预报最低', 'minimum')}</td>
              <td>{fmt(h.outdoorC, 1)}</td>
              <td>
                {fmt(h.primarySupplyC, 1)} / {fmt(h.primaryReturnC, 1)}
              </td>
              <td>
                {fmt(h.secondarySupplyC, 1)} / {fmt(h.secondaryReturnC, 1)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ColdWaveView({ data, lang }: { data: ProjectData; lang: 'zh' | 'en' }) {
  const [csv, setCsv] = useState('');
  const [result, setResult] = useState<ReturnType<typeof runColdWave> | null>(null);
  const loadFile = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    setCsv(text);
    setResult(runColdWave(data, text));
  };
  return (
    <div className="engineering coldwave" data-testid="coldwave-view">
      <p className="muted">
        {L(lang, 'CSV 列: time (ISO 8601), temperature_c; 逐时或逐日, 至少 5 天', 'CSV columns: time (ISO 8601), temperature_c; hourly or daily, at least 5 days')}
      </p>
      <textarea rows={6} value={csv} onChange={(e) => setCsv(e.target.value)} placeholder="time,temperature_c" data-testid="coldwave-csv" style={{ width: '100%' }} />
      <div className="row">
        <input type="file" accept=".csv,text/csv" onChange={(e) => void loadFile(e.target.files?.[0])} data-testid="coldwave-file" />
        <button onClick={() => setResult(runColdWave(data, csv))} data-testid="coldwave-run">
          {L(lang, '校核', 'Check')}
        </button>
      </div>
      {result && 'error' in result && (
        <p className="error" data-testid="coldwave-error">
          {L(lang, `第 ${result.error.line} 行: `, `Line ${result.error.line}: `)}
          {result.error.reason}
        </p>
      )}
      {result && 'report' in result && <ColdWaveResult report={result.report} lang={lang} />}
    </div>
  );
}
