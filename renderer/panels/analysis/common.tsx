/** Small pieces the analysis views share: legend rows, id chips, key figures (numbers: core/format/number.ts). */
import type { KeyboardEvent } from 'react';
import type { Lang } from '../../i18n/messages';
import { am } from './messages';

export const onEnter = (fn: () => void) => (e: KeyboardEvent) => {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    fn();
  }
};

export function Legend({ rows, title, testid }: { rows: { color: string; label: string; extra?: string; dot?: boolean }[]; title?: string; testid?: string }) {
  return (
    <div className="analysis-legend" data-testid={testid}>
      {title && <div className="muted">{title}</div>}
      {rows.map((r) => (
        <span key={r.label}>
          <i className={r.dot ? 'dot filled' : 'swatch'} style={r.dot ? { background: r.color, borderColor: '#1d1d1d' } : { background: r.color }} /> {r.label}
          {r.extra && <em> {r.extra}</em>}
        </span>
      ))}
    </div>
  );
}

export function IdList({ ids, onGo, lang, testid }: { ids: string[]; onGo(id: string): void; lang: Lang; testid?: string }) {
  if (!ids.length) return <span className="muted">{am(lang, 'none')}</span>;
  return (
    <span className="id-list" data-testid={testid}>
      {ids.map((id) => (
        <button key={id} className="chip" onClick={() => onGo(id)} data-id={id}>
          {id}
        </button>
      ))}
    </span>
  );
}

export function Kpi({ label, value, testid, accent }: { label: string; value: string; testid?: string; accent?: boolean }) {
  return (
    <div className={'kpi' + (accent ? ' accent' : '')}>
      <b data-testid={testid}>{value}</b>
      <span>{label}</span>
    </div>
  );
}
