/**
 * 工程校核 Engineering checks: capacity (负荷匹配) and station overload,
 * renewal candidates, cold wave. It sits in the analysis drawer's 工程校核
 * view, which runs the capacity check and hands its answer down; the ranking
 * and the cold wave run through the same drawer job (progress, cancel). Every
 * number comes from the backend's analysis worker, with the same core code
 * as the command line, so nothing here needs the project's features: the
 * panel works the same on a project drawn from tiles.
 */
import { useEffect, useState } from 'react';
import type { ProjectRow } from '../../../core/model/project';
import { RENOVATION_STATUS_LABELS } from '../../../core/model/schema';
import type { CapacityAnswer } from '../../../core/network/capacity';
import type { CandidatesAnswer } from '../../../core/network/candidates';
import { invoke } from '../../api';
import { useAppStore } from '../../store';
import type { RunApi } from '../analysis/types';
import { CapacityView } from './CapacityView';
import { CandidatesView } from './CandidatesView';
import { ColdWaveView } from './ColdWaveView';
import './engineering.css';
import { t } from '../../../core/i18n';

type Tab = 'capacity' | 'candidates' | 'coldwave';

export interface EngineeringPanelProps {
  /** The capacity check's answer (the drawer's view runs it); null while it runs. */
  capacity: CapacityAnswer | null;
  /** The drawer's job: the ranking and the cold wave run through it. */
  api: RunApi;
  onClose?(): void;
}

export function EngineeringPanel({ capacity, api, onClose }: EngineeringPanelProps) {
  const lang = useAppStore((s) => s.lang);
  const revision = useAppStore((s) => s.info?.revision);
  const select = useAppStore((s) => s.select);
  const [tab, setTab] = useState<Tab>('capacity');
  const [projects, setProjects] = useState<ProjectRow[]>([]);
  const [asOf, setAsOf] = useState(() => new Date().toISOString().slice(0, 10));

  useEffect(() => {
    void invoke('project:list', {}).then((l) => setProjects(l.projects));
  }, [revision]);

  // The ranking runs once its tab is open and the capacity check is in (one drawer job at a time:
  // starting it earlier would cancel the check).
  const [candidates, setCandidates] = useState<CandidatesAnswer | null>(null);
  const ready = capacity !== null;
  useEffect(() => {
    if (tab !== 'candidates' || !ready || !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) return;
    let live = true; // an answer for a date typed over must not land after the newer one
    void api.start('analysis:candidates', { asOf }).then((r) => live && r && setCandidates(r));
    return () => {
      live = false;
    };
  }, [revision, asOf, tab, ready]);

  const tabs: [Tab, string][] = [
    ['capacity', t(lang, 'engineering.loadMatch')],
    ['candidates', RENOVATION_STATUS_LABELS.candidate[lang]],
    ['coldwave', t(lang, 'engineering.coldWave')],
  ];
  return (
    <section className="panel engineering-panel" data-testid="engineering-panel">
      <h2>
        {t(lang, 'engineering.engineeringChecks')}
        {tabs.map(([id, label]) => (
          <button key={id} className={tab === id ? 'active' : ''} onClick={() => setTab(id)} data-testid={`engineering-tab-${id}`}>
            {label}
          </button>
        ))}
        {onClose && (
          <button className="link close" onClick={onClose}>
            ×
          </button>
        )}
      </h2>
      {!capacity && <p className="muted">{t(lang, 'engineering.loading')}</p>}
      {tab === 'capacity' && capacity && (
        <CapacityView report={capacity} lang={lang} onSelect={(layer, id) => select({ type: 'single', layer, id }, 'table')} />
      )}
      {tab === 'candidates' && (
        <>
          <label>
            {t(lang, 'engineering.asOf')}
            <input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} data-testid="candidates-asof" />
          </label>
          {candidates && (
            <CandidatesView
              report={candidates}
              lang={lang}
              projects={projects}
              onSelect={(id) => select({ type: 'single', layer: 'pipes', id }, 'table')}
              onAddToProject={(projectId, pipeIds) => invoke('project:link', { projectId, pipeIds })}
            />
          )}
        </>
      )}
      {tab === 'coldwave' && <ColdWaveView api={api} lang={lang} />}
    </section>
  );
}
