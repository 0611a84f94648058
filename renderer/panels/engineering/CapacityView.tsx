/** Capacity check (负荷匹配) and station overload (小马拉大车) as tables; pure view over the app's part of a capacity report. */
import { useMemo, useState } from 'react';
import { CAPACITY_ROWS_SHOWN, type CapacityAnswer } from '../../../core/network/capacity';
import { say, t, type MessageKey } from '../../../core/i18n';
import { fixed, percent } from '../../../core/format/number';

export interface CapacityViewProps {
  report: CapacityAnswer;
  lang: 'zh' | 'en';
  onSelect?(layer: 'pipes' | 'stations' | 'heat_sources', id: string): void;
  /** Most pipe rows drawn (worst first; the answer brings CAPACITY_ROWS_SHOWN); a town-wide "all" list would be too long for the DOM. */
  limit?: number;
}

const STATUS_KEYS = new Set(['ok', 'mismatched', 'oversized', 'overloaded', 'near_limit', 'no_capacity']);

export function CapacityView({ report, lang, onSelect, limit = CAPACITY_ROWS_SHOWN }: CapacityViewProps) {
  const [filter, setFilter] = useState<'problems' | 'all'>('problems');
  const s = report.summary;
  // the answer's rows come worst first (worstFirst); the filter keeps their order
  const pipes = report.pipes.filter((p) => filter === 'all' || p.status !== 'ok');
  // how many pipes the filter selects in the whole report (the answer holds only the worst of them)
  const total = filter === 'all' ? s.pipes : s.mismatched + s.oversized;
  const shown = Math.min(limit, pipes.length);
  // stations highest load ratio first, as many rows as the pipes' table at most (a city has tens of thousands)
  const stations = useMemo(() => report.stations.slice().sort((a, b) => (b.ratio ?? -1) - (a.ratio ?? -1)).slice(0, limit), [report, limit]);
  const label = (k: string) => (STATUS_KEYS.has(k) ? t(lang, `engineering.status.${k}` as MessageKey) : k);
  return (
    <div className="engineering capacity" data-testid="capacity-view">
      <p data-testid="capacity-summary">
        {t(lang, 'engineering.pipes')} {s.pipes}: <b>{s.mismatched}</b> {label('mismatched')}, <b>{s.oversized}</b> {label('oversized')} ·{' '}
        {t(lang, 'engineering.stations')}: <b>{s.stationsOverloaded}</b> {label('overloaded')}, <b>{s.stationsNearLimit}</b> {label('near_limit')}
      </p>
      <h3>
        {t(lang, 'engineering.pipeLoadMatch')}{' '}
        <select value={filter} onChange={(e) => setFilter(e.target.value as 'problems' | 'all')} data-testid="capacity-filter">
          <option value="problems">{t(lang, 'engineering.problemsOnly')}</option>
          <option value="all">{t(lang, 'engineering.all')}</option>
        </select>
      </h3>
      <table className="eng-table" data-testid="capacity-pipes">
        <thead>
          <tr>
            <th>{t(lang, 'engineering.id')}</th>
            <th>{t(lang, 'engineering.level')}</th>
            <th>DN</th>
            <th>{t(lang, 'engineering.loadMw')}</th>
            <th>{t(lang, 'engineering.flowKgS')}</th>
            <th>{t(lang, 'engineering.vMS')}</th>
            <th>{t(lang, 'engineering.rPaM')}</th>
            <th>{t(lang, 'engineering.status')}</th>
            <th>{t(lang, 'engineering.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {pipes.slice(0, limit).map((p) => (
            <tr key={p.id} data-id={p.id} data-status={p.status} onClick={() => onSelect?.('pipes', p.id)}>
              <td>{p.id}</td>
              <td>{p.level}</td>
              <td>{p.dn}</td>
              <td>{fixed(p.loadMW, 3)}</td>
              <td>{fixed(p.flowKgS, 2)}</td>
              <td>{fixed(p.velocityMs, 2)}</td>
              <td>{fixed(p.rPaM, 1)}</td>
              <td className={`status ${p.status}`}>{label(p.status)}</td>
              <td>{say(lang, p.reason)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > shown && <p className="muted" data-testid="capacity-pipes-more">{t(lang, 'engineering.firstPipesShown', { limit: shown, length: total })}</p>}
      <h3>{t(lang, 'engineering.stationLoadRatio')}</h3>
      <table className="eng-table" data-testid="capacity-stations">
        <thead>
          <tr>
            <th>{t(lang, 'engineering.station')}</th>
            <th>{t(lang, 'engineering.connectedMw')}</th>
            <th>{t(lang, 'engineering.designMw')}</th>
            <th>{t(lang, 'engineering.ratio')}</th>
            <th>{t(lang, 'engineering.status')}</th>
          </tr>
        </thead>
        <tbody>
          {stations.map((st) => (
            <tr key={st.id} data-id={st.id} data-status={st.status} onClick={() => onSelect?.('stations', st.id)}>
              <td data-value="">{st.name ? `${st.id} ${st.name}` : st.id}</td>
              <td>{fixed(st.connectedMW, 3)}</td>
              <td>{fixed(st.designCapacityMW, 1)}</td>
              <td>{percent(st.ratio)}</td>
              <td className={`status ${st.status}`}>{label(st.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.stations.length > stations.length && (
        <p className="muted" data-testid="capacity-stations-more">
          {t(lang, 'engineering.firstStationsShown', { limit: stations.length, length: report.stations.length })}
        </p>
      )}
      <h3>{t(lang, 'engineering.sourcesCapacityAndBackup')}</h3>
      <table className="eng-table" data-testid="capacity-sources">
        <thead>
          <tr>
            <th>{t(lang, 'engineering.source')}</th>
            <th>{t(lang, 'engineering.loadMw')}</th>
            <th>{t(lang, 'engineering.capacityMw')}</th>
            <th>{t(lang, 'engineering.ratio')}</th>
            <th>{t(lang, 'engineering.notes')}</th>
          </tr>
        </thead>
        <tbody>
          {report.sources.map((so) => (
            <tr key={so.id} data-id={so.id} data-status={so.status} onClick={() => onSelect?.('heat_sources', so.id)}>
              <td>
                {so.id}
                {so.isBackup ? t(lang, 'engineering.backup') : ''}
              </td>
              <td>{fixed(so.loadMW, 3)}</td>
              <td>{fixed(so.capacityMW, 1)}</td>
              <td>{percent(so.ratio)}</td>
              <td>{say(lang, so.reason)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
