/** Renewal candidates (改造候选) ranked with reasons; the planner ticks pipes and adds them to a project in one action. */
import { useEffect, useState } from 'react';
import { CANDIDATE_ROWS_SHOWN, reasonMessages, type CandidatesAnswer } from '../../../core/network/candidates';
import type { ProjectRow } from '../../../core/model/project';
import { PIPE_STATUS_LABELS } from '../../../core/model/schema';
import { say, t } from '../../../core/i18n';
import { fixed, wan } from '../../../core/format/number';

export interface CandidatesViewProps {
  report: CandidatesAnswer;
  lang: 'zh' | 'en';
  projects: ProjectRow[];
  onSelect?(id: string): void;
  /** Link the ticked pipes to a project (the app calls `project:link`). */
  onAddToProject?(projectId: string, pipeIds: string[]): Promise<string[]> | void;
  /** How many rows to show (the list is long on a real network; the answer brings CANDIDATE_ROWS_SHOWN). */
  limit?: number;
}

export function CandidatesView({ report, lang, projects, onSelect, onAddToProject, limit = CANDIDATE_ROWS_SHOWN }: CandidatesViewProps) {
  const [ticked, setTicked] = useState<Set<string>>(() => new Set(report.candidateIds));
  const [projectId, setProjectId] = useState<string>(projects[0]?.id ?? '');
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setTicked(new Set(report.candidateIds)), [report]);
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
    setMessage(t(lang, 'engineering.pipesAdded', { projectId, length: linked.length }));
  };
  return (
    <div className="engineering candidates" data-testid="candidates-view">
      <p>
        {t(lang, 'engineering.candidatesSummary', { asOf: report.asOf, length: report.scored, status: PIPE_STATUS_LABELS.in_service[lang].toLowerCase(), candidates: report.candidates, minScore: report.minScore })}
      </p>
      <div className="row">
        <select value={projectId} onChange={(e) => setProjectId(e.target.value)} data-testid="candidates-project">
          {projects.map((p) => (
            <option key={p.id} value={p.id} data-value="">
              {p.id} {p.name ?? ''}
            </option>
          ))}
        </select>
        <button onClick={() => void add()} disabled={!projectId || ticked.size === 0} data-testid="candidates-add">
          {t(lang, 'engineering.addToProject', { size: ticked.size })}
        </button>
        {message && <span className="muted">{message}</span>}
      </div>
      <table className="eng-table" data-testid="candidates-table">
        <thead>
          <tr>
            <th />
            <th>{t(lang, 'engineering.rank')}</th>
            <th>{t(lang, 'engineering.id')}</th>
            <th>DN</th>
            <th>{t(lang, 'engineering.score')}</th>
            <th>{t(lang, 'engineering.cost')}</th>
            <th>{t(lang, 'engineering.project')}</th>
            <th>{t(lang, 'engineering.reasons')}</th>
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
              <td>{fixed(p.score, 1)}</td>
              <td>{wan(p.costWan)}</td>
              <td>{p.projects.join(', ') || '—'}</td>
              <td>{p.reasons.length ? say(lang, reasonMessages(p.reasons)) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
