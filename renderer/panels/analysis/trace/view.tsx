/** 供热溯源: pipes coloured by the sources that feed them (`analysis:trace`), each source's load and capacity. */
import type { ResultOf } from '../../../../electron/backend/contract';
import { defineAnalysis, type AnalysisContext } from '../types';
import { pipeThemeOverlay } from '../overlay';
import { Legend, onEnter } from '../common';
import { grouped } from '../../../../core/format/number';

type Trace = ResultOf<'analysis:trace'>;
interface State {
  result: Trace | null;
}

const SOURCE_PALETTE = ['#1f78b4', '#33a02c', '#ff7f00', '#e7298a', '#6a3d9a', '#b15928', '#1b9e77', '#a6761d'];
const NO_SOURCE = '#9aa5b1';

/** Sources of a pipe as one class key (an area fed by S-1 and S-B is its own class). */
const sourceKey = (ids: string[] | undefined) => (ids && ids.length ? [...ids].sort().join('+') : '');
function sourceColours(trace: Trace): Map<string, string> {
  const keys = [...new Set(Object.values(trace.pipeSources).map(sourceKey))].filter(Boolean).sort();
  const m = new Map(keys.map((k, i) => [k, SOURCE_PALETTE[i % SOURCE_PALETTE.length]]));
  m.set('', NO_SOURCE);
  return m;
}

export const traceView = defineAnalysis<State>({
  id: 'trace',
  label: 'tabTrace',
  initial: () => ({ result: null }),
  channel: 'analysis:trace',
  needsRun: (s) => !s.result,
  run: async (_s, api) => {
    const r = await api.start('analysis:trace', {});
    return r && { result: r };
  },
  overlay: (s, ctx) => {
    const trace = s.result;
    if (!trace) return null;
    const colours = sourceColours(trace);
    const byPipe = new Map<string, string>();
    for (const [id, src] of Object.entries(trace.pipeSources)) {
      const c = colours.get(sourceKey(src));
      if (c) byPipe.set(id, c);
    }
    return pipeThemeOverlay(ctx, byPipe, null);
  },
  Panel: ({ state, ctx }) => (state.result ? <TracePanel r={state.result} ctx={ctx} /> : null),
});

function TracePanel({ r, ctx }: { r: Trace; ctx: AnalysisContext }) {
  const { t } = ctx;
  const colours = sourceColours(r);
  return (
    <div data-testid="trace-view">
      <p className="muted">{t('traceHint')}</p>
      <Legend rows={[...colours.entries()].map(([k, c]) => ({ color: c, label: k ? k.replace(/\+/g, ' + ') : t('noSource') }))} />
      <table className="analysis-table" data-testid="trace-sources">
        <thead>
          <tr>
            <th>{t('source')}</th>
            <th className="num">{t('loadMW')}</th>
            <th className="num">{t('capacityMW')}</th>
            <th className="num">{t('loadRatio')}</th>
            <th>{t('stations')}</th>
          </tr>
        </thead>
        <tbody>
          {r.sources.map((s) => (
            <tr key={s.id} tabIndex={0} onClick={() => ctx.goTo(s.id)} onKeyDown={onEnter(() => ctx.goTo(s.id))}>
              <td className="nowrap">
                <i className="swatch" style={{ background: colours.get([...colours.keys()].find((k) => k.split('+').includes(s.id)) ?? '') ?? NO_SOURCE }} /> {s.id}
              </td>
              <td className="num">{grouped(s.loadMW, 2)}</td>
              <td className="num">{grouped(s.capacityMW, 2)}</td>
              <td className="num">{s.loadRatio === null ? '—' : `${Math.round(s.loadRatio * 100)}%`}</td>
              <td>{s.stations.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
