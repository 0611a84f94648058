/** Plan progress of one year: km per level and budget against settings.planTargets, items past their deadline highlighted. */
import { useEffect, useState } from 'react';
import type { PlanProgress } from '../../../core/plan/progress';
import { invoke } from '../../api';
import { projectStatusLabel, useEditT } from '../../tools/messages';
import { PIPE_LEVEL_LABELS } from '../../../core/model/schema';
import { t as tr } from '../../../core/i18n';
import { fixed, percent } from '../../../core/format/number';

function Bar({ value, target, unit, testid }: { value: number; target: number | null; unit: string; testid: string }) {
  const ratio = target ? value / target : null;
  return (
    <div className="plan-bar" data-testid={testid} data-value={value} data-target={target ?? ''}>
      <div className="fill" style={{ width: `${Math.min(100, (ratio ?? 0) * 100)}%` }} />
      <span>
        {fixed(value, unit === 'km' ? 3 : 0)} / {target === null ? '—' : target} {unit}
        {ratio !== null ? ` (${percent(ratio)})` : ''}
      </span>
    </div>
  );
}

export function PlanProgressView({ year, revision }: { year: number; revision: number }) {
  const { t, lang } = useEditT();
  const [p, setP] = useState<PlanProgress | null>(null);
  useEffect(() => {
    void invoke('plan:progress', { year }).then(setP);
  }, [year, revision]);
  if (!p) return null;
  return (
    <div className="plan-progress" data-testid="plan-progress" data-year={p.year}>
      <label>{PIPE_LEVEL_LABELS.primary[lang]}</label>
      <Bar value={p.km.primary ?? 0} target={p.target?.primaryKm ?? null} unit="km" testid="plan-primary" />
      <label>{t('secondaryCourtyard')}</label>
      <Bar value={p.secondaryCourtyardKm} target={p.target?.secondaryCourtyardKm ?? null} unit="km" testid="plan-secondary" />
      <label>{t('budget')}</label>
      <Bar value={p.budgetWan} target={p.target?.budgetWan ?? null} unit={tr(lang, 'unit.wan')} testid="plan-budget" />
      {p.overdue.length > 0 && (
        <ul className="overdue" data-testid="plan-overdue">
          {p.overdue.map((o) => (
            <li key={o.id} data-project={o.id}>
              ⚠ {t('overdue')} <span data-value="">{o.id} {o.name ?? ''}</span> · {o.deadline} · {projectStatusLabel(o.status, lang)} · {o.daysLate} {t('daysLate')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
