/** Capacity check (负荷匹配) and station overload (小马拉大车) as tables; pure view over a CapacityReport. */
import { useState } from 'react';
import type { CapacityReport, PipeCapacityStatus } from '../../../core/network/capacity';
import { fmt, L, pct } from './data';

export interface CapacityViewProps {
  report: CapacityReport;
  lang: 'zh' | 'en';
  onSelect?(layer: 'pipes' | 'stations' | 'heat_sources', id: string): void;
  /** Most pipe rows drawn (worst first); a town-wide "all" list would be too long for the DOM. */
  limit?: number;
}

const STATUS: Record<string, [string, string]> = {
  ok: ['正常', 'ok'],
  mismatched: ['负荷不匹配', 'mismatched'],
  oversized: ['管径偏大', 'oversized'],
  overloaded: ['小马拉大车', 'overloaded'],
  near_limit: ['接近满负荷', 'near limit'],
  no_capacity: ['缺设计负荷', 'no capacity'],
};

export function CapacityView({ report, lang, onSelect, limit = 1000 }: CapacityViewProps) {
  const [filter, setFilter] = useState<'problems' | 'all'>('problems');
  const s = report.summary;
  const order: Record<PipeCapacityStatus, number> = { mismatched: 0, oversized: 1, ok: 2 };
  const pipes = report.pipes
    .filter((p) => filter === 'all' || p.status !== 'ok')
    .sort((a, b) => order[a.status] - order[b.status] || b.rPaM - a.rPaM);
  const label = (k: string) => (STATUS[k] ? L(lang, STATUS[k][0], STATUS[k][1]) : k);
  return (
    <div className="engineering capacity" data-testid="capacity-view">
      <p data-testid="capacity-summary">
        {L(lang, '管段', 'Pipes')} {s.pipes}: <b>{s.mismatched}</b> {label('mismatched')}, <b>{s.oversized}</b> {label('oversized')} ·{' '}
        {L(lang, '换热站', 'Stations')}: <b>{s.stationsOverloaded}</b> {label('overloaded')}, <b>{s.stationsNearLimit}</b> {label('near_limit')}
      </p>
      <h3>
        {L(lang, '管段负荷匹配', 'Pipe load match')}{' '}
        <select value={filter} onChange={(e) => setFilter(e.target.value as 'problems' | 'all')} data-testid="capacity-filter">
          <option value="problems">{L(lang, '仅问题管段', 'Problems only')}</option>
          <option value="all">{L(lang, '全部', 'All')}</option>
        </select>
      </h3>
      <table className="eng-table" data-testid="capacity-pipes">
        <thead>
          <tr>
            <th>{L(lang, '编号', 'ID')}</th>
            <th>{L(lang, '级别', 'Level')}</th>
            <th>DN</th>
            <th>{L(lang, '负荷 MW', 'Load MW')}</th>
            <th>{L(lang, '流量 kg/s', 'Flow kg/s')}</th>
            <th>{L(lang, '流速 m/s', 'v m/s')}</th>
            <th>{L(lang, '比摩阻 Pa/m', 'R Pa/m')}</th>
            <th>{L(lang, '结论', 'Status')}</th>
            <th>{L(lang, '原因', 'Reason')}</th>
          </tr>
        </thead>
        <tbody>
          {pipes.slice(0, limit).map((p) => (
            <tr key={p.id} data-id={p.id} data-status={p.status} onClick={() => onSelect?.('pipes', p.id)}>
              <td>{p.id}</td>
              <td>{p.level}</td>
              <td>{p.dn}</td>
              <td>{fmt(p.loadMW, 3)}</td>
              <td>{fmt(p.flowKgS)}</td>
              <td>{fmt(p.velocityMs)}</td>
              <td>{fmt(p.rPaM, 1)}</td>
              <td className={`status ${p.status}`}>{label(p.status)}</td>
              <td>{p.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pipes.length > limit && <p className="muted">{L(lang, `仅显示前 ${limit} 段 (共 ${pipes.length} 段)`, `First ${limit} of ${pipes.length} pipes shown`)}</p>}
      <h3>{L(lang, '换热站负荷率', 'Station load ratio')}</h3>
      <table className="eng-table" data-testid="capacity-stations">
        <thead>
          <tr>
            <th>{L(lang, '换热站', 'Station')}</th>
            <th>{L(lang, '接入负荷 MW', 'Connected MW')}</th>
            <th>{L(lang, '设计负荷 MW', 'Design MW')}</th>
            <th>{L(lang, '负荷率', 'Ratio')}</th>
            <th>{L(lang, '结论', 'Status')}</th>
          </tr>
        </thead>
        <tbody>
          {[...report.stations]
            .sort((a, b) => (b.ratio ?? -1) - (a.ratio ?? -1))
            .map((st) => (
              <tr key={st.id} data-id={st.id} data-status={st.status} onClick={() => onSelect?.('stations', st.id)}>
                <td>{st.name ? `${st.id} ${st.name}` : st.id}</td>
                <td>{fmt(st.connectedMW, 3)}</td>
                <td>{fmt(st.designCapacityMW, 1)}</td>
                <td>{pct(st.ratio)}</td>
                <td className={`status ${st.status}`}>{label(st.status)}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <h3>{L(lang, '热源能力与备用', 'Sources: capacity and backup')}</h3>
      <table className="eng-table" data-testid="capacity-sources">
        <thead>
          <tr>
            <th>{L(lang, '热源', 'Source')}</th>
            <th>{L(lang, '负荷 MW', 'Load MW')}</th>
            <th>{L(lang, '能力 MW', 'Capacity MW')}</th>
            <th>{L(lang, '负荷率', 'Ratio')}</th>
            <th>{L(lang, '说明', 'Notes')}</th>
          </tr>
        </thead>
        <tbody>
          {report.sources.map((so) => (
            <tr key={so.id} data-id={so.id} data-status={so.status} onClick={() => onSelect?.('heat_sources', so.id)}>
              <td>
                {so.id}
                {so.isBackup ? L(lang, ' (备用)', ' (backup)') : ''}
              </td>
              <td>{fmt(so.loadMW, 3)}</td>
              <td>{fmt(so.capacityMW, 1)}</td>
              <td>{pct(so.ratio)}</td>
              <td>{so.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
