/** Right panel: every field of the selected feature, its computed length and age, incidents and projects. */
import { lazy, Suspense, useEffect, useState } from 'react';
import { fieldDef, layerDef } from '../../core/model/schema';
import type { FeatureDetail } from '../../electron/backend/contract';
import { invoke } from '../api';
import { useAppStore } from '../store';
import { t as tr, unitText } from '../../core/i18n';
import { formatValue, isData, pick, useT } from '../i18n';
import { useAnalysisUi } from './analysis/state';
import { am } from './analysis/messages';
import { fixed } from '../../core/format/number';

// Analysis sections load with the analyses (only once one has run), not with the start-up bundle.
const InspectorSections = lazy(() => import('./analysis/InspectorSections').then((m) => ({ default: m.InspectorSections })));

export function Inspector() {
  const { t, lang } = useT();
  const selection = useAppStore((s) => s.selection);
  const select = useAppStore((s) => s.select);
  const revision = useAppStore((s) => s.info?.revision);
  const [detail, setDetail] = useState<FeatureDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const analysed = useAnalysisUi((s) => Object.keys(s.states).length > 0);

  useEffect(() => {
    if (selection.type !== 'single') {
      setDetail(null);
      return;
    }
    let live = true;
    invoke('feature:get', { layer: selection.layer, id: selection.id })
      .then((d) => live && (setDetail(d), setError(null)))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [selection, revision]);

  if (selection.type !== 'single') {
    return (
      <aside className="panel right" data-testid="inspector">
        <h2>{t('inspector')}</h2>
        <p className="muted">{t('nothingSelected')}</p>
      </aside>
    );
  }
  const def = layerDef(selection.layer)!;
  const props = detail?.feature.properties ?? {};
  return (
    <aside className="panel right" data-testid="inspector">
      <h2>
        <span className="badge">{pick(def.label, lang)}</span> <span data-testid="inspector-id" data-value="">{selection.id}</span>
        {selection.layer === 'pipes' && (
          <button onClick={() => useAnalysisUi.getState().show('burst')} data-testid="inspector-burst">
            {am(lang, 'tabBurst')}
          </button>
        )}
        <button className="link close" onClick={() => select({ type: 'none' }, null)} title={t('close')}>
          ×
        </button>
      </h2>
      {error && <p className="error">{error}</p>}
      {analysed && (
        <Suspense fallback={null}>
          <InspectorSections layer={selection.layer} id={selection.id} lang={lang} />
        </Suspense>
      )}
      {detail && (
        <>
          <dl className="fields">
            {detail.lengthM !== null && (
              <>
                <dt>{t('computedLength')}</dt>
                <dd data-field="computed_length" className="strong">{fixed(detail.lengthM, 1)} m</dd>
              </>
            )}
            {detail.ageYears !== null && (
              <>
                <dt>{t('age')}</dt>
                <dd data-field="computed_age" className="strong">{detail.ageYears} {t('years')}</dd>
              </>
            )}
            {def.fields
              .filter((f) => f.name !== 'id' && f.name !== 'length_m')
              .map((f) => (
                <FieldRow key={f.name} name={f.name} label={pick(f.label, lang)} value={formatValue(props[f.name], lang, f)} data={isData(props[f.name], f)} unit={props[f.name] == null ? undefined : unitText(lang, f.unit)} />
              ))}
            {Object.keys(props)
              .filter((k) => k !== 'id' && !k.startsWith('_') && !def.fields.some((f) => f.name === k))
              .map((k) => (
                <FieldRow key={k} name={k} label={k} value={formatValue(props[k], lang)} data={isData(props[k])} dataLabel />
              ))}
          </dl>
          {selection.layer === 'pipes' && (
            <>
              <h3>
                {t('incidents')} ({detail.incidents.length})
              </h3>
              {detail.incidents.length === 0 ? (
                <p className="muted">{t('none')}</p>
              ) : (
                <ul className="related" data-testid="inspector-incidents">
                  {detail.incidents.map((i) => (
                    <li key={i.id}>
                      <button className="link" data-value="" onClick={() => select({ type: 'single', layer: 'incidents', id: i.id }, 'search')}>
                        {i.id}
                      </button>{' '}
                      {formatValue(i.properties.date, lang)} · {formatValue(i.properties.kind, lang, fieldDef('incidents', 'kind'))}
                      {typeof i.properties.repair_hours === 'number' ? ` · ${i.properties.repair_hours} h` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
          <h3>
            {t('projects')} ({detail.projects.length})
          </h3>
          {detail.projects.length === 0 ? (
            <p className="muted">{t('none')}</p>
          ) : (
            <ul className="related" data-testid="inspector-projects">
              {detail.projects.map((p) => (
                <li key={p.id}>
                  <b data-value="">{p.id}</b> <span data-value="">{p.name}</span> · {p.year} · {formatValue(p.status, lang, fieldDef('projects', 'status'))}
                  {p.budget_wan != null ? ` · ${p.budget_wan} ${tr(lang, 'unit.wan')}` : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </aside>
  );
}

function FieldRow(props: { name: string; label: string; value: string; unit?: string; data?: boolean; dataLabel?: boolean }) {
  return (
    <>
      <dt data-value={props.dataLabel ? '' : undefined}>{props.label}</dt>
      <dd data-field={props.name}>
        <span data-value={props.data ? '' : undefined}>{props.value}</span>
        {props.unit && props.value !== '—' ? ` ${props.unit}` : ''}
      </dd>
    </>
  );
}
