/**
 * The renovation project list (项目清单): projects with their km per level
 * (from the linked pipes), totals per year and level, a form for a project's
 * fields (问题 / 任务 / 措施 / 责任单位 / 时限, status, budget), tools to link
 * pipes by click, box or lasso or to draw new pipes into a project, and the
 * plan progress of a chosen year.
 */
import { useEffect, useState } from 'react';
import type { ProjectList } from '../../../electron/backend/editing.contract';
import { TABLES, PIPE_LEVELS, fieldDef } from '../../../core/model/schema';
import { invoke } from '../../api';
import { useAppStore } from '../../store';
import { formatValue, pick } from '../../i18n';
import { useEditStore } from '../../tools/editStore';
import { refresh } from '../../tools/actions';
import { projectStatusLabel, useEditT } from '../../tools/messages';
import { ProjectForm } from './ProjectForm';
import { PlanProgressView } from './PlanProgressView';
import { fixed } from '../../../core/format/number';


export function ProjectsPanel() {
  const { t, lang } = useEditT();
  const revision = useAppStore((s) => s.info?.revision);
  const tool = useEditStore((s) => s.tool);
  const setTool = useEditStore((s) => s.setTool);
  const [list, setList] = useState<ProjectList | null>(null);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const active = useEditStore((s) => s.activeProject);
  const setActive = useEditStore((s) => s.setActiveProject);
  const [year, setYear] = useState<number>(2024);

  useEffect(() => {
    void invoke('project:list', {}).then(setList);
  }, [revision]);

  const projectsTable = TABLES.find((x) => x.name === 'projects')!;
  const statusLabel = (s: string) => projectStatusLabel(s, lang);
  const linking = (how: 'box' | 'lasso' | 'click', id: string) => tool.kind === 'link' && tool.how === how && tool.projectId === id;
  const years = [...new Set([...(list?.totals.map((x) => x.year) ?? []), year])].sort();

  return (
    <section className="projects-panel" data-testid="projects-panel">
      <header>
        <h3>{pick(projectsTable.label, lang)}</h3>
        <button onClick={() => setEditing('new')} data-testid="project-new">
          + {t('newProject')}
        </button>
      </header>
      {editing && (
        <ProjectForm
          row={editing === 'new' ? null : (list?.projects.find((p) => p.id === editing) ?? null)}
          onDone={(id) => {
            setEditing(null);
            if (id) {
              setActive(id);
              void refresh();
            }
          }}
        />
      )}
      <table className="projects" data-testid="project-list">
        <thead>
          <tr>
            <th>{pick(projectsTable.fields.find((f) => f.name === 'id')!.label, lang)}</th>
            <th>{t('year')}</th>
            <th>{pick(projectsTable.fields.find((f) => f.name === 'status')!.label, lang)}</th>
            {PIPE_LEVELS.map((l) => (
              <th key={l}>{formatValue(l, lang, fieldDef('pipes', 'level'))} km</th>
            ))}
            <th>{t('budget')}</th>
          </tr>
        </thead>
        <tbody>
          {list?.projects.length === 0 && (
            <tr>
              <td colSpan={7}>{t('noProjects')}</td>
            </tr>
          )}
          {list?.projects.map((p) => {
            const len = list.lengths.find((l) => l.id === p.id);
            return (
              <tr
                key={p.id}
                data-project={p.id}
                data-pipes={len?.pipes.length ?? 0}
                className={active === p.id ? 'active' : ''}
                onClick={() => setActive(p.id)}
                title={[p.name, p.problem, p.task, p.measure, p.responsible, p.deadline].filter(Boolean).join(' · ')}
                data-value=""
              >
                <td data-value="">{p.id}</td>
                <td>{p.year}</td>
                <td data-status={p.status}>{statusLabel(p.status)}</td>
                {PIPE_LEVELS.map((l) => (
                  <td key={l} data-level={l} data-km={len?.km[l] ?? 0}>
                    {fixed(len?.km[l] ?? 0, 3)}
                  </td>
                ))}
                <td>{p.budget_wan ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {active && (
        <div className="project-tools" data-testid="project-tools" data-project={active}>
          <strong>{active}</strong>
          <button onClick={() => setEditing(active)} data-testid="project-edit">
            {t('edit')}
          </button>
          {(['box', 'lasso', 'click'] as const).map((how) => (
            <button
              key={how}
              className={linking(how, active) ? 'active' : ''}
              data-testid={`link-${how}`}
              onClick={() => setTool(linking(how, active) ? { kind: 'select' } : { kind: 'link', how, projectId: active })}
            >
              {t(how === 'box' ? 'linkBox' : how === 'lasso' ? 'linkLasso' : 'linkClick')}
            </button>
          ))}
          <button
            className={tool.kind === 'drawPipe' && tool.projectId === active ? 'active' : ''}
            data-testid="draw-into"
            onClick={() => setTool({ kind: 'drawPipe', projectId: active })}
          >
            {t('drawInto')}
          </button>
          {tool.kind !== 'select' && (
            <button onClick={() => setTool({ kind: 'select' })} data-testid="link-done">
              {t('stopLinking')}
            </button>
          )}
        </div>
      )}
      <h4>{t('totals')}</h4>
      <table className="projects totals" data-testid="project-totals">
        <thead>
          <tr>
            <th>{t('year')}</th>
            {PIPE_LEVELS.map((l) => (
              <th key={l}>{formatValue(l, lang, fieldDef('pipes', 'level'))} km</th>
            ))}
            <th>{t('budget')}</th>
          </tr>
        </thead>
        <tbody>
          {list?.totals.map((y) => (
            <tr key={y.year} data-year={y.year}>
              <td>{y.year}</td>
              {PIPE_LEVELS.map((l) => (
                <td key={l} data-level={l} data-km={y.km[l] ?? 0}>
                  {fixed(y.km[l] ?? 0, 3)}
                </td>
              ))}
              <td>{y.budgetWan}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>
        {t('planProgress')}{' '}
        <select value={year} onChange={(e) => setYear(Number(e.target.value))} data-testid="plan-year">
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </h4>
      <PlanProgressView year={year} revision={revision ?? 0} />
    </section>
  );
}
