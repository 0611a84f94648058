/**
 * 导出 Export dialog: map sheet (PDF/PNG, A4/A3, orientation, 150–300 dpi, the
 * active theme, title, issuing unit, whole network or current view), ledger
 * (xlsx/csv) and community atlas (PDF). The backend writes the file with the
 * same functions as the command line and answers its bytes; the dialog hands
 * them to a download — a file in the browser's downloads in browser mode,
 * Electron's native save dialog in the desktop app. Long runs show progress
 * from the backend's `analysis:progress` events under this run's id.
 */
import { useEffect, useRef, useState } from 'react';
import type { BBox } from '../../../core/model/geojson';
import { THEMES } from '../../../core/style/themes';
import type { ExportResult } from '../../../electron/backend/export/exportContract';
import { invoke, runtime } from '../../api';
import { useAppStore } from '../../store';
import { download } from './chartImage';
import { usePresentT } from './strings';
import { hm } from '../../i18n/messages';
import { useAnalysisUi } from '../analysis/state';
import { DEFAULT_PARAMS, hydraulicsArgs, type HydParams } from '../analysis/hydraulics/params';
import { profileLabels } from '../analysis/hydraulics/ProfileChart';

const SCENARIO_LABEL = { design: 'hydScenarioDesign', now: 'hydScenarioNow', coldwave: 'hydScenarioColdwave', outage: 'hydScenarioOutage' } as const;

type Kind = 'map' | 'ledger' | 'atlas' | 'profile';

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const row: React.CSSProperties = { display: 'grid', gridTemplateColumns: '120px 1fr', alignItems: 'center', gap: 8, margin: '8px 0' };

export function ExportDialog({ onClose, getView }: { onClose(): void; getView?: () => BBox | undefined }) {
  const { t, lang } = usePresentT();
  const theme = useAppStore((s) => s.theme);
  const [kind, setKind] = useState<Kind>('map');
  const [format, setFormat] = useState<'pdf' | 'png'>('pdf');
  const [paper, setPaper] = useState<'A4' | 'A3'>('A3');
  const [orientation, setOrientation] = useState<'landscape' | 'portrait'>('landscape');
  const [dpi, setDpi] = useState(300);
  const [title, setTitle] = useState('');
  const [unit, setUnit] = useState('');
  const [extent, setExtent] = useState<'all' | 'view'>('all');
  const [ledgerFormat, setLedgerFormat] = useState<'xlsx' | 'csv'>('xlsx');
  const [busy, setBusy] = useState(false);
  const [fraction, setFraction] = useState(0);
  const [elapsed, setElapsed] = useState(0);
  const [result, setResult] = useState<{ ok: true; r: ExportResult } | { ok: false; message: string } | null>(null);
  const runId = useRef('');
  // The 水压图 of the scenario the hydraulics view shows (the design scenario when it has not run).
  const hyd = useAnalysisUi((s) => s.states.hydraulics as { params?: HydParams; result?: { unfavourable: { station: string } | null } | null } | undefined);
  const hydParams = hyd?.params ?? DEFAULT_PARAMS;

  useEffect(() => runtime.on('analysis:progress', (p) => p.runId === runId.current && setFraction(p.fraction)), []);
  useEffect(() => {
    if (!busy) return;
    const t0 = performance.now();
    const timer = setInterval(() => setElapsed((performance.now() - t0) / 1000), 250);
    return () => clearInterval(timer);
  }, [busy]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !busy && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onClose]);

  async function run() {
    const id = `export-${Date.now()}`;
    runId.current = id;
    setBusy(true);
    setFraction(0);
    setElapsed(0);
    setResult(null);
    try {
      const bbox = extent === 'view' ? getView?.() : undefined;
      const r =
        kind === 'map'
          ? await invoke('export:map', {
              format, paper, orientation, dpi, theme, lang, runId: id,
              ...(title.trim() ? { title: title.trim() } : {}),
              ...(unit.trim() ? { unit: unit.trim() } : {}),
              ...(bbox ? { bbox } : {}),
            })
          : kind === 'ledger'
            ? await invoke('export:ledger', { format: ledgerFormat, lang, runId: id })
            : kind === 'profile'
              ? await invoke('export:profile', { ...hydraulicsArgs(hydParams), format, ...(format === 'png' ? { dpi } : {}), labels: profileLabels(lang), lang, runId: id })
              : await invoke('export:atlas', { lang, runId: id });
      for (const f of r.files) download(new Blob([bytesOf(f.base64)], { type: f.mime }), f.name);
      setResult({ ok: true, r });
    } catch (e) {
      setResult({ ok: false, message: (e as Error).message });
    } finally {
      setBusy(false);
      setFraction(1);
    }
  }

  const tab = (k: Kind, label: string) => (
    <button type="button" role="tab" aria-selected={kind === k} data-testid={`export-tab-${k}`} onClick={() => setKind(k)} className={kind === k ? 'active' : ''} style={{ fontWeight: kind === k ? 700 : 400, flex: 1 }}>
      {label}
    </button>
  );
  const choice = <T extends string>(value: T, set: (v: T) => void, options: [T, string][], testId: string) => (
    <div style={{ display: 'flex', gap: 12 }} data-testid={testId}>
      {options.map(([v, label]) => (
        <label key={v} style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
          <input type="radio" name={testId} value={v} checked={value === v} onChange={() => set(v)} disabled={busy} />
          {label}
        </label>
      ))}
    </div>
  );

  return (
    <div role="presentation" style={{ position: 'fixed', inset: 0, background: 'rgba(20,30,40,0.35)', zIndex: 900, display: 'flex', alignItems: 'center', justifyContent: 'center' }} onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <section role="dialog" aria-modal="true" aria-label={t('exportTitle')} data-testid="export-dialog" className="panel" style={{ width: 460, maxWidth: '92vw', borderRadius: 8, boxShadow: '0 8px 30px rgba(0,0,0,0.3)', padding: '12px 18px 16px', fontSize: 13 }}>
        <h2>
          <span style={{ flex: 1 }}>{t('exportTitle')}</span>
          <button type="button" onClick={onClose} disabled={busy} aria-label={t('close')} title={t('close')}>
            ×
          </button>
        </h2>
        <div role="tablist" style={{ display: 'flex', gap: 4, marginBottom: 6 }}>
          {tab('map', t('mapSheet'))}
          {tab('ledger', t('ledger'))}
          {tab('atlas', t('atlas'))}
          {tab('profile', hm(lang, 'hydViewProfile'))}
        </div>

        {kind === 'map' && (
          <>
            <div style={row}>
              <span>{t('format')}</span>
              {choice(format, setFormat, [['pdf', 'PDF'], ['png', 'PNG']], 'export-format')}
            </div>
            <div style={row}>
              <span>{t('paper')}</span>
              {choice(paper, setPaper, [['A4', 'A4'], ['A3', 'A3']], 'export-paper')}
            </div>
            <div style={row}>
              <span>{t('orientation')}</span>
              {choice(orientation, setOrientation, [['landscape', t('landscape')], ['portrait', t('portrait')]], 'export-orientation')}
            </div>
            <div style={row}>
              <span>{t('dpi')}</span>
              <span style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
                <input type="range" min={150} max={300} step={50} value={dpi} onChange={(e) => setDpi(Number(e.target.value))} disabled={busy} data-testid="export-dpi" style={{ flex: 1 }} />
                <span style={{ width: 36, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>{dpi}</span>
              </span>
            </div>
            <div style={row}>
              <span>{t('themeLabel')}</span>
              <strong data-testid="export-theme" data-theme={theme}>
                {THEMES[theme].label[lang]}
              </strong>
            </div>
            <div style={row}>
              <span>{t('extent')}</span>
              {choice(extent, setExtent, [['all', t('extentAll')], ['view', t('extentView')]], 'export-extent')}
            </div>
            <label style={row}>
              <span>{t('title')}</span>
              <input type="text" value={title} onChange={(e) => setTitle(e.target.value)} placeholder={t('titlePlaceholder')} maxLength={120} disabled={busy} data-testid="export-title" />
            </label>
            <label style={row}>
              <span>{t('unit')}</span>
              <input type="text" value={unit} onChange={(e) => setUnit(e.target.value)} placeholder={t('unitPlaceholder')} maxLength={120} disabled={busy} data-testid="export-unit" />
            </label>
          </>
        )}
        {kind === 'ledger' && (
          <>
            <div style={row}>
              <span>{t('format')}</span>
              {choice(ledgerFormat, setLedgerFormat, [['xlsx', 'Excel (.xlsx)'], ['csv', 'CSV']], 'export-ledger-format')}
            </div>
            <p style={{ color: '#52606d' }}>{t('ledgerNote')}</p>
          </>
        )}
        {kind === 'atlas' && <p style={{ color: '#52606d' }}>{t('atlasNote')} (PDF)</p>}
        {kind === 'profile' && (
          <>
            <div style={row}>
              <span>{t('format')}</span>
              {choice(format, setFormat, [['pdf', 'PDF'], ['png', 'PNG']], 'export-profile-format')}
            </div>
            {format === 'png' && (
              <div style={row}>
                <span>{t('dpi')}</span>
                <span style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
                  <input type="range" min={150} max={300} step={50} value={dpi} onChange={(e) => setDpi(Number(e.target.value))} disabled={busy} style={{ flex: 1 }} />
                  <span style={{ width: 36, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>{dpi}</span>
                </span>
              </div>
            )}
            <div style={row}>
              <span>{hm(lang, 'hydScenario')}</span>
              <strong data-testid="export-profile-scenario" data-scenario={hydParams.scenario}>
                {hm(lang, SCENARIO_LABEL[hydParams.scenario])}
                {hydParams.scenario === 'outage' && hydParams.sourcesOff.length ? ` · ${hydParams.sourcesOff.join(', ')}` : ''}
                {hydParams.options.trim() ? ` · #${hydParams.options}` : ''}
              </strong>
            </div>
            <div style={row}>
              <span>{hm(lang, 'hydProfileTo')}</span>
              <strong data-testid="export-profile-station">{hydParams.profileStation || `${hm(lang, 'hydProfileUnfavourable')}${hyd?.result?.unfavourable ? ` (${hyd.result.unfavourable.station})` : ''}`}</strong>
            </div>
          </>
        )}

        <div style={{ display: 'flex', alignItems: 'center', gap: 10, marginTop: 12 }}>
          <progress max={1} value={busy ? fraction : result ? 1 : 0} style={{ flex: 1 }} data-testid="export-progress" />
          <button type="button" className="primary" onClick={() => void run()} disabled={busy} data-testid="export-start">
            {busy ? `${t('working')} ${elapsed.toFixed(0)} ${t('seconds')}` : t('start')}
          </button>
        </div>
        {result && (
          <p data-testid="export-result" data-ok={result.ok} style={{ color: result.ok ? '#1e7e34' : '#c0392b', wordBreak: 'break-all' }}>
            {result.ok
              ? `${t('wrote')}: ${result.r.files.map((f) => `${f.name} (${(f.bytes / 1024).toFixed(0)} KB)`).join(', ')} · ${result.r.seconds.toFixed(1)} ${t('seconds')}`
              : `${t('failed')}: ${result.message}`}
          </p>
        )}
      </section>
    </div>
  );
}
