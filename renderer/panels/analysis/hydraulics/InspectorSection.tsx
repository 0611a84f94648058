/** The numbers of the last hydraulic run for the pipe, station or source selected on the map. */
import { useEffect, useState } from 'react';
import type { LayerName } from '../../../../core/model/schema';
import type { HydraulicsPipeView } from '../../../../core/hydraulics/view';
import { invoke } from '../../../api';
import { hm, type HydraulicsMessageKey, type Lang } from '../../../i18n/messages';
import type { HydState } from './params';
import { LIGHT_COLORS, LIGHT_KEYS } from './themes';
import { grouped } from '../../../../core/format/number';

/**
 * A pipe's numbers: from the answer's rows, or (pipes drawn from tiles: the answer has none)
 * asked for by id from the run the backend keeps (`analysis:hydraulicsPipe`).
 */
function usePipe(state: HydState, layer: LayerName, id: string): HydraulicsPipeView | null {
  const r = state.result;
  const token = layer === 'pipes' && r?.converged ? (r.pipeTiles?.token ?? null) : null;
  const [asked, setAsked] = useState<{ token: string; id: string; pipe: HydraulicsPipeView | null } | null>(null);
  useEffect(() => {
    if (!token) return;
    let live = true;
    invoke('analysis:hydraulicsPipe', { token, pipeId: id }).then(
      (pipe) => live && setAsked({ token, id, pipe }),
      () => live && setAsked({ token, id, pipe: null }),
    );
    return () => {
      live = false;
    };
  }, [token, id]);
  if (layer !== 'pipes' || !r) return null;
  if (!token) return r.pipes.find((x) => x.id === id) ?? null;
  return asked && asked.token === token && asked.id === id ? asked.pipe : null;
}

export function HydraulicsInspector({ state, layer, id, lang }: { state: HydState; layer: LayerName; id: string; lang: Lang }) {
  const r = state.result;
  const pipe = usePipe(state, layer, id);
  if (!r?.converged) return null;
  const h = (k: HydraulicsMessageKey) => hm(lang, k);
  let rows: [string, string, string][];
  if (layer === 'pipes') {
    const p = pipe;
    if (!p) return null;
    rows = [
      [h('hydFlow'), grouped(p.flowM3h, 2), 'flowM3h'],
      [h('hydVelocity'), grouped(p.velocityMs, 3), 'velocityMs'],
      [h('hydR'), grouped(p.rPam, 1), 'rPam'],
      [h('hydHeadLoss'), grouped(p.headLossM, 3), 'headLossM'],
      [h('hydSupplyKpa'), grouped(p.supplyPressureKpa, 1), 'supplyPressureKpa'],
      [h('hydSupplyC'), `${grouped(p.supplyInC, 2)} → ${grouped(p.supplyOutC, 2)}`, 'supplyC'],
    ];
  } else if (layer === 'stations') {
    const s = r.stations.find((x) => x.id === id);
    if (!s) return null;
    const light = LIGHT_KEYS.find(([k]) => k === s.light)!;
    rows = [
      [h('hydStationLoad'), grouped(s.loadKw, 1), 'loadKw'],
      [h('hydDemand'), grouped(s.demandM3h, 2), 'demandM3h'],
      [h('hydFlow'), grouped(s.flowM3h, 2), 'flowM3h'],
      [h('hydStationDp'), grouped(s.dpKpa, 1), 'dpKpa'],
      [h('hydMinDp'), grouped(s.minDpKpa, 0), 'minDpKpa'],
      [h('hydSupplyC'), grouped(s.supplyC, 2), 'supplyC'],
      [h('hydShortfall'), grouped(s.shortfallKw, 1), 'shortfallKw'],
      [h('hydThemeDp'), h(light[1]), 'light'],
    ];
  } else if (layer === 'heat_sources') {
    const s = r.sources.find((x) => x.id === id);
    if (!s) return null;
    rows = [
      [h('hydFlow'), grouped(s.flowM3h, 1), 'flowM3h'],
      [h('hydHeatMw'), grouped(s.heatMw, 2), 'heatMw'],
      [h('hydShare'), `${grouped(s.share * 100, 1)} %`, 'share'],
      [h('hydHead'), grouped(s.headM, 1), 'headM'],
    ];
  } else return null;
  const st = layer === 'stations' ? r.stations.find((x) => x.id === id) : null;
  return (
    <section className="inspector-analysis" data-testid="inspector-hydraulics">
      <h3>
        {h('hydInspector')} · {h(r.scenario.name === 'design' ? 'hydScenarioDesign' : r.scenario.name === 'now' ? 'hydScenarioNow' : r.scenario.name === 'coldwave' ? 'hydScenarioColdwave' : 'hydScenarioOutage')}
        {st && <i className="dot filled" style={{ background: LIGHT_COLORS[st.light], borderColor: '#1d1d1d', marginLeft: 6 }} />}
      </h3>
      <dl className="fields">
        {rows.map(([label, value, key]) => (
          <div key={key} style={{ display: 'contents' }}>
            <dt>{label}</dt>
            <dd data-field={`hyd-${key}`}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
