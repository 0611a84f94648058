/** 工程校核: the engineering panels, with 负荷匹配 on the pipes and station load ratios on the map (`analysis:capacity`). */
import type { Feature } from '../../../../core/model/geojson';
import type { Settings } from '../../../../core/model/settings';
import type { CapacityAnswer } from '../../../../core/network/capacity';
import { EngineeringPanel } from '../../engineering/EngineeringPanel';
import { LOAD_MATCH_THEME, STATION_LOAD_THEME, loadMatchColours, stationLoadTheme } from '../../engineering/themes';
import { defineAnalysis } from '../types';
import { featureById, pipeThemeOverlay } from '../overlay';
import { Legend } from '../common';

interface State {
  capacity: CapacityAnswer | null;
  settings: Settings | null;
}

const stationTheme = (settings: Settings | null) => (settings ? stationLoadTheme(settings.stationNearLimitRatio, settings.stationOverloadRatio) : STATION_LOAD_THEME);

export const engineeringView = defineAnalysis<State>({
  id: 'engineering',
  label: 'tabEngineering',
  docked: true,
  initial: () => ({ capacity: null, settings: null }),
  channel: 'analysis:capacity',
  needsRun: (s) => !s.capacity,
  run: async (_s, api) => {
    const [settings, capacity] = await Promise.all([api.invoke('settings:get', {}), api.start('analysis:capacity', {})]);
    return capacity && { capacity, settings };
  },
  overlay: (s, ctx) => {
    const capacity = s.capacity;
    if (!capacity) return null;
    const st = stationTheme(s.settings);
    const marks: Feature[] = [];
    for (const x of capacity.stations) {
      const feat = featureById(ctx.layers, 'stations', x.id);
      if (!feat || feat.geometry.type !== 'Point' || x.ratio === null) continue;
      const c = x.ratio < Number(st.classes[0].value) ? st.classes[0].color : x.ratio < Number(st.classes[1].value) ? st.classes[1].color : st.classes[2].color;
      marks.push({ type: 'Feature', geometry: feat.geometry, properties: { _mark: 'station', _c: c } });
    }
    const { byPipe, others } = loadMatchColours(capacity);
    return pipeThemeOverlay(ctx, byPipe, marks, others);
  },
  Panel: ({ state, ctx, api }) => (
    <>
      {state.capacity && (
        <Legend
          rows={[
            ...LOAD_MATCH_THEME.classes.map((c) => ({ color: c.color, label: c.label[ctx.lang] })),
            ...stationTheme(state.settings).classes.map((c) => ({ color: c.color, label: `${ctx.t('stations')} ${c.label[ctx.lang]}`, dot: true })),
          ]}
          title={ctx.t('loadMatchOnMap')}
        />
      )}
      <EngineeringPanel capacity={state.capacity} api={api} />
    </>
  ),
});
