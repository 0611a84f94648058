/** Renewal candidates (改造候选) ranked with reasons; the planner ticks pipes and adds them to a project in one action. */
import { useEffect, useState } from 'react';
import type { CandidatesReport } from '../../../core/network/candidates';
import type { ProjectRow } from '../../../core/model/project';
import { PIPE_STATUS_LABELS } from '../../../core/model/schema';
import { fmt, L } from './data';

export interface CandidatesViewProps {
  report: CandidatesReport;
  lang: 'zh' | 'en';
  projects: ProjectRow[];
  onSelect?(id: string): void;
  /** Link the ticked pipes to a project (the app calls `project:link`). */
  onAddToProject?(projectId: string, pipeIds: string[]): Promise<string[]> | void;
  /** How many rows to show (the list is long on a real network). */
  limit?: number;
}

export function CandidatesView({ report, lang, projects, onSelect, onAddToProject, limit = 200 }: CandidatesViewProps) {
  const [ticked, setTicked] = useState<Set<string>>(() => new Set(report.pipes.filter((p) => p.candidate).map((p) => p.id)));
  const [projectId, setProjectId] = useState<string>(projects[0]?.id ?? '');
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setTicked(new Set(report.pipes.filter((p) => p.candidate).map((p) => p.id))), [report]);
  useEffect(() => {
    if (!projects.some((p) => p.id === projectId)) setProjectId(projects[0]?.id ?? '');
  }, [projects]);
  const toggle = (id: string) =>
    setTicked((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const add = async () => {
    if (!onAddToProject || !projectId || ticked.size === 0) return;
    const linked = (await onAddToProject(projectId, [...ticked])) ?? [];
    setMessage(L(lang, `已加入 ${projectId}: ${linked.length} 段`, `${linked.length} pipes added to ${projectId}`));
  };
  return (
    <div className="engineering candidates" data-testid="candidates-view">
      <p>
        {L(lang, `截至 ${report.asOf}, ${report.pipes.length} 段${PIPE_STATUS_LABELS.in_service.zh}管线中 ${report.candidates} 段评分 ≥ ${report.minScore}`, `As of ${report.asOf}: ${report.candidates} of ${report.pipes.length} ${PIPE_STATUS_LABELS.in_service.en.toLowerCase()} pipes score ≥ ${report.minScore}`)}
      </p>
      <div className="row">
        <select value={projectId} onChange={(e) => setProjectId(e.target.value)} data-testid="candidates-project">
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.id} {p.name ?? ''}
            </option>
          ))}
        </select>
        <button onClick={() => void add()} disabled={!projectId || ticked.size === 0} data-testid="candidates-add">
          {L(lang, `加入项目 (${ticked.size})`, `Add to project (${ticked.size})`)}
        </button>
        {message && <span className="muted">{message}</span>}
      </div>
      <table className="eng-table" data-testid="candidates-table">
        <thead>
          <tr>
            <th />
            <th>{L(lang, '排名', 'Rank')}</th>
            <th>{L(lang, '编号', 'ID')}</th>
            <th>DN</th>
            <th>{L(lang, '评分', 'Score')}</th>
            <th>{L(lang, '造价 万元', 'Cost 万元')}</th>
            <th>{L(lang, '项目', 'Project')}</th>
            <th>{L(lang, '原因', 'Reasons')}</th>
          </tr>
        </thead>
        <tbody>
          {report.pipes.slice(0, limit).map((p) => (
            <tr key={p.id} data-id={p.id} data-candidate={p.candidate ? 'yes' : 'no'}>
              <td>
                <input type="checkbox" checked={ticked.has(p.id)} onChange={() => toggle(p.id)} />
              </td>
              <td>{p.rank}</td>
              <td className="link" onClick={() => onSelect?.(p.id)}>
                {p.id}
              </td>
              <td>{p.dn ?? '—'}</td>
              <td>{fmt(p.score, 1)}</td>
              <td>{fmt(p.costWan, 1)}</td>
              <td>{p.projects.join(', ') || '—'}</td>
              <td>{(lang === 'zh' ? p.reasonZh : p.reasonEn) || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
