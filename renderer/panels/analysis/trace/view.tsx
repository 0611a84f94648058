/** 供热溯源: pipes coloured by the sources that feed them (`analysis:trace`), each source's load and capacity. */
import type { ResultOf } from '../../../../electron/backend/contract';
import { defineAnalysis, type AnalysisContext } from '../types';
import { pipeThemeOverlay } from '../overlay';
import { Legend, onEnter } from '../common';
import { grouped } from '../../../../core/format/number';
import { sourcesKey } from '../../../../core/network/supply';

type Trace = ResultOf<'analysis:trace'>;
interface State {
  result: Trace | null;
}

const SOURCE_PALETTE = ['#1f78b4', '#33a02c', '#ff7f00', '#e7298a', '#6a3d9a', '#b15928', '#1b9e77', '#a6761d'];
const NO_SOURCE = '#9aa5b1';

/** Colour of each set of sources (its key: an area fed by S-1 and S-B is its own class), '' the legend's "no source". */
function sourceColours(trace: Trace): Map<string, string> {
  const keys = trace.pipeGroups.map((g) => sourcesKey(g.sources)).filter(Boolean).sort();
  const m = new Map(keys.map((k, i) => [k, SOURCE_PALETTE[i % SOURCE_PALETTE.length]]));
  m.set('', NO_SOURCE);
  return m;
}

/** Pipes no source reaches keep the base theme: drawn clear where listed. */
const CLEAR = 'rgba(0,0,0,0)';

/**
 * The theme as the map draws it: each listed pipe its group's colour, every pipe not listed that of
 * the most numerous group (`others`; none when that is the group no source reaches).
 */
export function traceTheme(trace: Trace): { colours: Map<string, string>; others: string | undefined } {
  const palette = sourceColours(trace);
  const colourOf = (sources: string[]) => (sources.length ? palette.get(sourcesKey(sources)) : CLEAR);
  const colours = new Map<string, string>();
  for (const g of trace.pipeGroups) {
    const c = colourOf(g.sources);
    if (c) for (const id of g.pipes) colours.set(id, c);
  }
  const rest = trace.pipeGroups[trace.rest];
  const others = rest && rest.sources.length ? colourOf(rest.sources) : undefined;
  // with no default colour, the pipes no source reaches need not be listed
  if (others === undefined) for (const [id, c] of colours) if (c === CLEAR) colours.delete(id);
  return { colours, others };
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
    if (!s.result) return null;
    const { colours, others } = traceTheme(s.result);
    return pipeThemeOverlay(ctx, colours, null, others);
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
              <td>{s.stationCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
