/**
 * 爆管分析: a pipe selected while the tab is open is isolated at once (the
 * valves to close, what loses heat); a right-click on a pipe isolates only
 * the valve segment at that point (`warmnet isolate --at`).
 */
import { useEffect } from 'react';
import type { Feature } from '../../../../core/model/geojson';
import type { IsolationResult } from '../../../../core/network/isolate';
import { bboxOf } from '../../../map/bbox';
import type { LayerName } from '../../../../core/model/schema';
import { defineAnalysis, type AnalysisContext, type PanelProps, type RunApi } from '../types';
import { analysisOverlay, featureById, pipesTiled, tiledIsolatedLayers } from '../overlay';
import { IdList, Kpi } from '../common';
import { grouped, lonLatText } from '../../../../core/format/number';

interface State {
  /** `features`: the marked valves and communities of tiled layers, fetched by id from the store. */
  burst: { pipeId: string; result: IsolationResult; features?: Record<string, Feature> } | null;
}

/**
 * The valves and communities a result marks that the renderer holds no GeoJSON of (their
 * layer comes as tiles), fetched by id from the store; empty when every layer is in memory.
 */
async function tiledFeatures(r: IsolationResult, api: RunApi, ctx: AnalysisContext): Promise<Record<string, Feature>> {
  const want: [LayerName, string][] = [
    ...[...r.valvesToClose, ...r.alreadyClosed].map((id): [LayerName, string] => ['valves', id]),
    ...r.communitiesCut.map((id): [LayerName, string] => ['communities', id]),
  ].filter(([layer]) => ctx.tiled?.has(layer));
  const got = await Promise.all(want.map(([layer, id]) => api.invoke('feature:get', { layer, id }).catch(() => null)));
  const out: Record<string, Feature> = {};
  got.forEach((d, i) => {
    if (d) out[`${want[i][0]}:${want[i][1]}`] = d.feature;
  });
  return out;
}

/** A marked feature: from the layer in memory, or from those fetched for a tiled layer. */
function markedFeature(s: State, ctx: AnalysisContext, layer: LayerName, id: string): Feature | undefined {
  if (ctx.tiled?.has(layer)) return s.burst?.features?.[`${layer}:${id}`];
  return featureById(ctx.layers, layer, id);
}

const selectedPipe = (ctx: AnalysisContext) => (ctx.selection.type === 'single' && ctx.selection.layer === 'pipes' ? ctx.selection.id : null);

function marks(s: State, ctx: AnalysisContext): Feature[] {
  const out: Feature[] = [];
  const r = s.burst?.result;
  if (!r) return out;
  // tiled pipes are marked by a style layer on their tiles (burstOverlay), not as GeoJSON
  if (!pipesTiled(ctx))
    for (const id of r.pipesIsolated) {
      const p = featureById(ctx.layers, 'pipes', id);
      if (p) out.push({ type: 'Feature', geometry: p.geometry, properties: { _mark: 'isolated', dn: p.properties?.dn ?? null } });
    }
  for (const id of r.communitiesCut) {
    const c = markedFeature(s, ctx, 'communities', id);
    if (c) out.push({ type: 'Feature', geometry: c.geometry, properties: { _mark: 'community' } });
  }
  for (const [ids, mark] of [[r.valvesToClose, 'valve'], [r.alreadyClosed, 'closed']] as const)
    for (const id of ids) {
      const v = markedFeature(s, ctx, 'valves', id);
      if (v && v.geometry.type === 'Point') out.push({ type: 'Feature', geometry: v.geometry, properties: { _mark: mark, id } });
    }
  return out;
}

export const burstView = defineAnalysis<State>({
  id: 'burst',
  label: 'tabBurst',
  initial: () => ({ burst: null }),
  // A result stays until another pipe is picked.
  stale: (s) => s,
  channel: 'analysis:isolate',
  run: async (_s, api, ctx) => {
    const pipeId = selectedPipe(ctx);
    if (!pipeId) return null;
    const r = await api.start('analysis:isolate', { pipeId });
    return r && { burst: { pipeId, result: r, features: await tiledFeatures(r, api, ctx) } };
  },
  overlay: (s, ctx) =>
    s.burst ? analysisOverlay(null, marks(s, ctx), ctx.lang, pipesTiled(ctx) ? tiledIsolatedLayers(s.burst.result.pipesIsolated) : []) : null,
  // Frame the affected area of each burst.
  frame: (s, ctx) => (s.burst ? { key: `burst:${s.burst.pipeId}`, box: bboxOf(marks(s, ctx).map((m) => m.geometry.coordinates)) } : null),
  Panel: BurstPanel,
});

function BurstPanel({ state, setState, run, api, ctx }: PanelProps<State>) {
  const { t, lang } = ctx;
  const pipe = selectedPipe(ctx);
  const burst = state.burst;
  // A pipe clicked while the tab is open is analysed at once.
  useEffect(() => {
    if (pipe && burst?.pipeId !== pipe) run();
    // Dependencies: runs for a newly selected pipe or project revision only
  }, [pipe, ctx.revision]);
  // Context action: a right-click on a pipe isolates only the valve segment at that point.
  useEffect(
    () =>
      ctx.onMapContextMenu((lng, lat) => {
        const label = lonLatText(lng, lat, ', ');
        void api
          .start('analysis:isolate', { lon: lng, lat })
          .then(async (r) => r && setState({ burst: { pipeId: label, result: r, features: await tiledFeatures(r, api, ctx) } }));
      }),
    // Dependencies: bound once while the tab is open
    [],
  );
  const r = burst?.result;
  return (
    <div data-testid="burst-view">
      <p className="analysis-summary">
        {t('selectedPipe')}: <b>{pipe ?? '—'}</b>
        <button onClick={() => run()} disabled={!pipe || ctx.running} data-testid="burst-run">
          {t('analysePipe')}
        </button>
      </p>
      {!r && <p className="muted">{t('burstHint')}</p>}
      {r && burst && (
        <div className="card" data-testid="burst-card" data-pipe={burst.pipeId}>
          <h3>
            {t('tabBurst')} · {burst.pipeId}
          </h3>
          <div className="kpis">
            <Kpi label={t('valvesToClose')} value={String(r.valvesToClose.length)} testid="burst-valve-count" accent />
            <Kpi label={t('households')} value={grouped(r.households, 0)} testid="burst-households" />
            <Kpi label={t('heatedArea')} value={grouped(r.heatedAreaM2, 0)} testid="burst-area" />
            <Kpi label={t('lostMW')} value={grouped(r.loadMW, 3)} testid="burst-mw" />
            <Kpi label={t('lengthM')} value={grouped(r.lengthM, 1)} testid="burst-length" />
          </div>
          <dl className="fields">
            <dt>
              <i className="sym valve-close" /> {t('valvesToClose')}
            </dt>
            <dd>
              <IdList ids={r.valvesToClose} onGo={ctx.goTo} lang={lang} testid="burst-valves" />
            </dd>
            <dt>
              <i className="sym valve-closed" /> {t('alreadyClosed')}
            </dt>
            <dd>
              <IdList ids={r.alreadyClosed} onGo={ctx.goTo} lang={lang} testid="burst-closed" />
            </dd>
            {!!r.cannotClose?.length && (
              <>
                <dt>{t('cannotClose')}</dt>
                <dd>
                  <IdList ids={r.cannotClose} onGo={ctx.goTo} lang={lang} />
                </dd>
              </>
            )}
            <dt>{t('stationsCut')}</dt>
            <dd>
              <IdList ids={r.stationsCut} onGo={ctx.goTo} lang={lang} testid="burst-stations" />
            </dd>
            <dt>{t('communitiesCut')}</dt>
            <dd>
              <IdList ids={r.communitiesCut} onGo={ctx.goTo} lang={lang} testid="burst-communities" />
            </dd>
            <dt>{t('pipesIsolated')}</dt>
            <dd>
              <IdList ids={r.pipesIsolated} onGo={ctx.goTo} lang={lang} testid="burst-pipes" />
            </dd>
          </dl>
        </div>
      )}
    </div>
  );
}
