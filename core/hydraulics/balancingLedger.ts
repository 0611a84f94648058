/**
 * The balancing table (水力平衡) as a ledger sheet for the .xlsx export: per
 * station the design flow, ΔP, the ΔP its control valve must throttle, and
 * the flow before balancing (every valve fully open) with its deviation.
 */
import { t, type Lang } from '../i18n';
import type { LedgerSheet } from '../plan/ledger';
import type { HydraulicsRun } from './view';

/** The sheet with its headers, verdicts and title in `lang` (station ids stay as written). */
type BalancingWord = 'noSource' | 'belowMinimum' | 'throttle' | 'sheet' | 'station' | 'loadKw' | 'designFlow' | 'flow' | 'dp' | 'minDp' | 'excessDp' | 'unbalancedFlow' | 'deviation' | 'shortfall' | 'verdict';

export function balancingSheets(v: HydraulicsRun['view'], title: string, lang: Lang): LedgerSheet[] {
  const h = (k: BalancingWord) => t(lang, `balancing.${k}`);
  const sc = v.scenario;
  const rows = v.stations
    .filter((s) => s.loadKw > 0)
    .map((s) => {
      const b = v.balancing.find((x) => x.station === s.id);
      return {
        station: s.id,
        loadKw: s.loadKw,
        designFlowM3h: s.demandM3h,
        flowM3h: s.flowM3h,
        dpKpa: s.dpKpa,
        minDpKpa: s.minDpKpa,
        excessDpKpa: b ? b.excessDpKpa : null,
        unbalancedFlowM3h: b?.unbalancedFlowM3h ?? null,
        deviationPct: b?.deviationPct ?? null,
        shortfallKw: s.shortfallKw,
        verdict: !s.served ? h('noSource') : s.light === 'short' ? h('belowMinimum') : b && b.excessDpKpa > 0 ? h('throttle') : '—',
      };
    });
  const sum = (k: 'loadKw' | 'designFlowM3h' | 'flowM3h' | 'shortfallKw') => rows.reduce((a, r) => a + (r[k] ?? 0), 0);
  return [
    {
      name: h('sheet'),
      title: t(lang, 'balancing.title', { project: title, scenario: sc.name, outdoorC: sc.outdoorC, friction: sc.friction }),
      blocks: [
        {
          columns: [
            { key: 'station', header: h('station'), width: 12 },
            { key: 'loadKw', header: h('loadKw'), width: 10, numFmt: '#,##0.0' },
            { key: 'designFlowM3h', header: h('designFlow'), width: 12, numFmt: '0.00' },
            { key: 'flowM3h', header: h('flow'), width: 12, numFmt: '0.00' },
            { key: 'dpKpa', header: h('dp'), width: 12, numFmt: '0.0' },
            { key: 'minDpKpa', header: h('minDp'), width: 11, numFmt: '0.0' },
            { key: 'excessDpKpa', header: h('excessDp'), width: 11, numFmt: '0.0' },
            { key: 'unbalancedFlowM3h', header: h('unbalancedFlow'), width: 13, numFmt: '0.00' },
            { key: 'deviationPct', header: h('deviation'), width: 12, numFmt: '0.0' },
            { key: 'shortfallKw', header: h('shortfall'), width: 10, numFmt: '#,##0.0' },
            { key: 'verdict', header: h('verdict'), width: 22 },
          ],
          rows,
          totals: { station: t(lang, 'common.total'), loadKw: sum('loadKw'), designFlowM3h: sum('designFlowM3h'), flowM3h: sum('flowM3h'), shortfallKw: sum('shortfallKw'), dpKpa: null, minDpKpa: null, excessDpKpa: null, unbalancedFlowM3h: null, deviationPct: null, verdict: null },
        },
      ],
    },
  ];
}
