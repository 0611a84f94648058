/**
 * 工程校核 Engineering checks: capacity (负荷匹配) and station overload,
 * renewal candidates, cold wave. Mount it where a panel fits, e.g. in App.tsx:
 *   import { EngineeringPanel } from './panels/engineering/EngineeringPanel';
 *   …{engineeringOpen && <EngineeringPanel onClose={() => setEngineeringOpen(false)} />}
 * It reads the layers the app already holds and computes with the same core
 * functions as the command line.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ProjectRow } from '../../../core/model/project';
import type { Settings } from '../../../core/model/settings';
import { RENOVATION_STATUS_LABELS } from '../../../core/model/schema';
import type { CapacityAnswer } from '../../../core/network/capacity';
import type { CandidatesAnswer } from '../../../core/network/candidates';
import { invoke } from '../../api';
import { useAppStore } from '../../store';
import { CapacityView } from './CapacityView';
import { CandidatesView } from './CandidatesView';
import { ColdWaveView } from './ColdWaveView';
import { projectDataFromLayers } from './data';
import './engineering.css';
import { t } from '../../../core/i18n';

type Tab = 'capacity' | 'candidates' | 'coldwave';

export function EngineeringPanel({ onClose }: { onClose?(): void }) {
  const lang = useAppStore((s) => s.lang);
  const layers = useAppStore((s) => s.layers);
  const revision = useAppStore((s) => s.info?.revision);
  const select = useAppStore((s) => s.select);
  const [tab, setTab] = useState<Tab>('capacity');
  const [settings, setSettings] = useState<Settings | null>(null);
  const [projects, setProjects] = useState<ProjectRow[]>([]);
  const [asOf, setAsOf] = useState(() => new Date().toISOString().slice(0, 10));

  useEffect(() => {
    void invoke('settings:get', {}).then(setSettings);
    void invoke('project:list', {}).then((l) => setProjects(l.projects));
  }, [revision]);

  const data = useMemo(() => (settings ? projectDataFromLayers(layers, settings, projects) : null), [layers, settings, projects]);
  // Capacity and candidates come from the backend (same core code as the CLI, cached per revision), off the UI thread.
  const [capacity, setCapacity] = useState<CapacityAnswer | null>(null);
  const [candidates, setCandidates] = useState<CandidatesAnswer | null>(null);
  useEffect(() => {
    void invoke('analysis:capacity', {}).then(setCapacity);
  }, [revision]);
  useEffect(() => {
    let live = true; // an answer for a date typed over must not land after the newer one
    if (/^\d{4}-\d{2}-\d{2}$/.test(asOf)) void invoke('analysis:candidates', { asOf }).then((r) => live && setCandidates(r));
    return () => {
      live = false;
    };
  }, [revision, asOf]);

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
      {!data && <p className="muted">{t(lang, 'engineering.loading')}</p>}
      {tab === 'capacity' && capacity && (
        <CapacityView report={capacity} lang={lang} onSelect={(layer, id) => select({ type: 'single', layer, id }, 'table')} />
      )}
      {tab === 'candidates' && data && (
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
      {tab === 'coldwave' && data && <ColdWaveView data={data} lang={lang} />}
    </section>
  );
}
