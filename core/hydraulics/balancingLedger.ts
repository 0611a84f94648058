/**
 * The balancing table (水力平衡) as a ledger sheet for the .xlsx export: per
 * station the design flow, ΔP, the ΔP its control valve must throttle, and
 * the flow before balancing (every valve fully open) with its deviation.
 */
import type { LedgerSheet } from '../plan/ledger';
import type { HydraulicsView } from './view';

export function balancingSheets(v: HydraulicsView, title: string): LedgerSheet[] {
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
        verdict: !s.served ? '无热源 no source' : s.light === 'short' ? '资用压头不足 below minimum ΔP' : b && b.excessDpKpa > 0 ? '需节流 throttle' : '—',
      };
    });
  const sum = (k: 'loadKw' | 'designFlowM3h' | 'flowM3h' | 'shortfallKw') => rows.reduce((a, r) => a + (r[k] ?? 0), 0);
  return [
    {
      name: '水力平衡',
      title: `${title} — 水力平衡表 (${sc.name}, 室外 ${sc.outdoorC} ℃, ${sc.friction})`,
      blocks: [
        {
          columns: [
            { key: 'station', header: '换热站 Station', width: 12 },
            { key: 'loadKw', header: '负荷 kW', width: 10, numFmt: '#,##0.0' },
            { key: 'designFlowM3h', header: '设计流量 m³/h', width: 12, numFmt: '0.00' },
            { key: 'flowM3h', header: '实际流量 m³/h', width: 12, numFmt: '0.00' },
            { key: 'dpKpa', header: '资用压头 ΔP kPa', width: 12, numFmt: '0.0' },
            { key: 'minDpKpa', header: '最小压头 kPa', width: 11, numFmt: '0.0' },
            { key: 'excessDpKpa', header: '需节流 kPa', width: 11, numFmt: '0.0' },
            { key: 'unbalancedFlowM3h', header: '平衡前流量 m³/h', width: 13, numFmt: '0.00' },
            { key: 'deviationPct', header: '平衡前偏差 %', width: 12, numFmt: '0.0' },
            { key: 'shortfallKw', header: '欠供 kW', width: 10, numFmt: '#,##0.0' },
            { key: 'verdict', header: '结论', width: 22 },
          ],
          rows,
          totals: { station: '合计', loadKw: sum('loadKw'), designFlowM3h: sum('designFlowM3h'), flowM3h: sum('flowM3h'), shortfallKw: sum('shortfallKw'), dpKpa: null, minDpKpa: null, excessDpKpa: null, unbalancedFlowM3h: null, deviationPct: null, verdict: null },
        },
      ],
    },
  ];
}
