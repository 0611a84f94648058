/** 网络检查: topology findings (`warmnet check`), each a mark on the map; a row selects the feature. */
import { useState } from 'react';
import { findingText, type CheckResult } from '../../../../core/network/check';
import type { Lang } from '../../../i18n/messages';
import { defineAnalysis, type AnalysisContext } from '../types';
import { FINDING_KIND } from '../messages';
import { analysisOverlay, MARK_COLORS, pointMark } from '../overlay';
import { onEnter } from '../common';

interface State {
  result: CheckResult | null;
}

export const checkView = defineAnalysis<State>({
  id: 'check',
  label: 'tabCheck',
  initial: () => ({ result: null }),
  channel: 'analysis:check',
  needsRun: (s) => !s.result,
  run: async (_s, api) => {
    const r = await api.start('analysis:check', {});
    return r && { result: r };
  },
  overlay: (s, ctx) => (s.result ? analysisOverlay(null, s.result.findings.map((fd) => pointMark(fd.lon, fd.lat, { _mark: 'finding', kind: fd.kind })), ctx.lang) : null),
  frame: false,
  Panel: ({ state, ctx }) => (state.result ? <CheckPanel r={state.result} lang={ctx.lang} t={ctx.t} onGo={ctx.goTo} /> : null),
});

function CheckPanel({ r, lang, t, onGo }: { r: CheckResult; lang: Lang; t: AnalysisContext["t"]; onGo(id: string, lon: number, lat: number): void }) {
  const [kind, setKind] = useState<string>('');
  const rows = r.findings.filter((x) => !kind || x.kind === kind);
  return (
    <div data-testid="check-view">
      <p className="analysis-summary">
        <b data-testid="check-count">{r.findings.length}</b> {t('findings')}
        <select value={kind} onChange={(e) => setKind(e.target.value)} aria-label={t('kind')}>
          <option value="">{t('allKinds')}</option>
          {Object.entries(r.counts)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => (
              <option key={k} value={k}>
                {FINDING_KIND[k]?.[lang] ?? k} ({n})
              </option>
            ))}
        </select>
      </p>
      {r.findings.length === 0 ? (
        <p className="muted">{t('noFindings')}</p>
      ) : (
        <table className="analysis-table" data-testid="check-findings">
          <thead>
            <tr>
              <th>{t('kind')}</th>
              <th>{t('feature')}</th>
              <th>{t('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, 500).map((x, i) => (
              <tr key={i} tabIndex={0} onClick={() => onGo(x.featureIds[0], x.lon, x.lat)} onKeyDown={onEnter(() => onGo(x.featureIds[0], x.lon, x.lat))} data-kind={x.kind}>
                <td className="nowrap">
                  <i className="dot" style={{ borderColor: MARK_COLORS.finding }} /> {FINDING_KIND[x.kind]?.[lang] ?? x.kind}
                </td>
                <td className="nowrap">{x.featureIds.join(', ')}</td>
                <td>{findingText(lang, x)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
