/**
 * 导入数据: pick a file (or its loose shapefile parts), the target layer,
 * check the detected coordinate system and the field mapping, see the first
 * features on the map and every problem, then import the whole file in one
 * transaction (one undo step). The backend reads the file with the same code
 * as `warmnet import`; nothing is written before the button is pressed.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { LAYER_NAMES, layerDef, type LayerName } from '../../../core/model/schema';
import type { FeatureCollection } from '../../../core/model/geojson';
import type { ImportCommitResult, ImportPreviewResult, ImportUpload } from '../../../electron/backend/import.contract';
import { inDesktopApp, invoke, runtime, saidOf } from '../../api';
import { formatValue, pick } from '../../i18n';
import { say } from '../../../core/i18n';
import { skippedCsv } from '../../../core/io/report';
import { mapController } from '../../map/MapView';
import { bboxOf } from '../../map/MapController';
import { useAppStore } from '../../store';
import { refresh } from '../../tools/actions';
import { crsGroups, crsLabel } from './crsOptions';
import { im, type ImportMessageKey } from './messages';
import { drawPreview } from './overlay';
import { readFiles, useImportUi } from './state';
import './import.css';

type Phase = { kind: 'edit' } | { kind: 'importing'; fraction: number } | { kind: 'done'; result: ImportCommitResult } | { kind: 'refused'; message: string };

const ACCEPT = '.zip,.shp,.dbf,.prj,.cpg,.shx,.dxf,.csv,.txt,.tsv,.gpkg,.geojson,.json';
const NONE = '=';
const SOURCE_WORD: Record<string, ImportMessageKey> = { file: 'fromFile', coordinates: 'fromCoordinates', user: 'fromUser' };

export function ImportWizard({ onClose }: { onClose: () => void }) {
  const lang = useAppStore((s) => s.lang);
  const setTable = useAppStore((s) => s.setTable);
  const t = (key: ImportMessageKey, vars?: Record<string, string | number>) => im(lang, key, vars);

  // The file as the main side holds it: an opaque handle (never a path) and the names to show.
  const [files, setFiles] = useState<ImportUpload | null>(null);
  const held = useRef<string | null>(null);
  const [reading, setReading] = useState(false);
  const [layer, setLayer] = useState<LayerName>('pipes');
  const [crs, setCrs] = useState('');
  const [encoding, setEncoding] = useState('');
  const [sourceLayer, setSourceLayer] = useState('');
  const [mode, setMode] = useState<'append' | 'replace'>('append');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [towgs84Text, setTowgs84Text] = useState('');
  const [overrides, setOverrides] = useState<Record<string, string>>({});
  const [constants, setConstants] = useState<Set<string>>(new Set());
  const [preview, setPreview] = useState<ImportPreviewResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'edit' });
  const [dragging, setDragging] = useState(false);
  const seq = useRef(0);
  const framed = useRef('');
  const inputRef = useRef<HTMLInputElement>(null);
  /** Run id of the import in progress, for its cancel button. */
  const importRun = useRef<string | null>(null);
  const panelRef = useRef<HTMLElement>(null);

  const def = layerDef(layer)!;
  const towgs84 = useMemo(() => {
    const v = towgs84Text.split(/[,\s]+/).filter(Boolean).map(Number);
    return v.length === 3 || v.length === 7 ? (v.every(Number.isFinite) ? v : null) : towgs84Text.trim() === '' ? undefined : null;
  }, [towgs84Text]);
  const targets = def.fields.filter((f) => !f.computed);

  /** Lets go of the file the backend holds for us (its uploaded copy is deleted). */
  function releaseHeld() {
    const h = held.current;
    held.current = null;
    if (h) void invoke('import:release', { handle: h }).catch(() => undefined);
  }
  useEffect(() => releaseHeld, []);

  async function takeFiles(list: readonly File[]) {
    if (!list.length) return;
    await take(async () => invoke('import:upload', { files: await readFiles(list) }));
  }

  /** Desktop app: the main process's own file dialog hands back a handle. */
  async function chooseInDialog() {
    await take(() => invoke('import:choose', {}));
  }

  async function take(get: () => Promise<ImportUpload | null>) {
    setReading(true);
    setError(null);
    try {
      const got = await get();
      if (!got) return;
      releaseHeld();
      held.current = got.handle;
      setFiles(got);
      setCrs('');
      setEncoding('');
      setSourceLayer('');
      setTowgs84Text('');
      setSkipInvalid(false);
      setOverrides({});
      setConstants(new Set());
      setPreview(null);
      setPhase({ kind: 'edit' });
      framed.current = '';
    } catch (e) {
      setError(failureText(e));
    } finally {
      setReading(false);
    }
  }

  // Files dropped on the map before (or while) the wizard is open.
  const dropped = useImportUi((s) => s.dropped);
  useEffect(() => {
    const d = useImportUi.getState().takeDropped();
    if (d) void takeFiles(d);
  }, [dropped]);

  // Preview again whenever a choice changes; typing a constant waits a moment, stale answers are dropped.
  useEffect(() => {
    if (!files || phase.kind === 'importing' || phase.kind === 'done') return;
    const my = ++seq.current;
    setBusy(true);
    const timer = setTimeout(async () => {
      try {
        const p = await invoke('import:preview', {
          handle: files.handle,
          layer,
          ...(crs ? { crs } : {}),
          ...(encoding ? { encoding } : {}),
          ...(sourceLayer ? { sourceLayer } : {}),
          ...(towgs84 ? { towgs84 } : {}),
          ...(skipInvalid ? { skipInvalid } : {}),
          ...(Object.keys(overrides).length ? { mapping: overrides } : {}),
        });
        if (my !== seq.current) return;
        setPreview(p);
        setError(null);
      } catch (e) {
        if (my === seq.current) setError(failureText(e));
      } finally {
        if (my === seq.current) setBusy(false);
      }
    }, 200);
    return () => clearTimeout(timer);
  }, [files, layer, crs, encoding, sourceLayer, overrides, towgs84, skipInvalid]);

  // The first features on the map; frame them once per file and coordinate system.
  useEffect(() => {
    const ctl = mapController();
    const fc: FeatureCollection | null = preview && phase.kind !== 'done' ? { type: 'FeatureCollection', features: preview.features as never } : null;
    // Drawn where the project's layers are drawn (shifted over a GCJ-02 basemap).
    const box = drawPreview(ctl?.map, fc && ctl ? ctl.shiftedCollection(fc) : fc);
    const key = `${files?.handle ?? ''}:${preview?.crs.crs?.code ?? ''}`;
    if (box && key !== framed.current) {
      framed.current = key;
      frame(box);
    }
  }, [preview, phase.kind]);
  useEffect(() => () => void drawPreview(mapController()?.map, null), []);

  /** Fit the map to features, clear of the drawer where it overlaps the map and the map is wide enough. */
  function frame(box: [number, number, number, number]) {
    const map = mapController()?.map;
    if (!map) return;
    const canvas = map.getCanvas().getBoundingClientRect();
    const overlap = Math.max(0, canvas.right - (panelRef.current?.getBoundingClientRect().left ?? canvas.right));
    const padding = canvas.width - overlap > 260 ? { top: 50, bottom: 50, left: 50, right: overlap + 40 } : 40;
    map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding, maxZoom: 17, duration: 300 });
  }

  const groups = useMemo(() => crsGroups(preview?.crs.suggestions ?? []), [preview?.crs.suggestions?.join()]);
  const words = { cm: t('cm'), zone: t('zone') };
  const sample = preview?.features[0]?.properties ?? {};
  const problems = preview?.problems ?? [];
  const summary = preview?.summary;
  const badOnly = problems.length > 0 && problems.every((p) => p.fid !== undefined);
  const canImport = !!preview && !busy && towgs84 !== null && problems.length === 0 && preview.total > 0 && (phase.kind === 'edit' || phase.kind === 'refused');
  const evidenceOf = (field: string) => {
    const e = preview?.guesses.find((g) => g.target === field)?.evidence;
    return e ? say(lang, e) : '';
  };
  const count = (r: Record<string, number> | undefined) =>
    Object.entries(r ?? {})
      .map(([k, n]) => `${k} ${n}`)
      .join(' · ');

  /** A failure in the wizard's language: the backend's typed message when it sent one (a refusal names file, place and reason). */
  const failureText = (e: unknown) => {
    const said = saidOf(e);
    return said ? say(lang, said) : (e as Error).message;
  };

  function downloadReport(csv: string, name: string) {
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function setMapping(field: string, value: string) {
    setOverrides((o) => ({ ...o, [field]: value }));
  }

  async function doImport() {
    if (!files || !preview) return;
    const runId = `import-${Date.now()}`;
    importRun.current = runId;
    setPhase({ kind: 'importing', fraction: 0 });
    const off = runtime.on('analysis:progress', (p) => {
      if (p.runId === runId) setPhase((ph) => (ph.kind === 'importing' ? { kind: 'importing', fraction: p.fraction } : ph));
    });
    try {
      const result = await invoke('import:commit', {
        handle: files.handle,
        layer,
        runId,
        mode,
        ...(crs ? { crs } : {}),
        ...(encoding ? { encoding } : {}),
        ...(sourceLayer ? { sourceLayer } : {}),
        ...(towgs84 ? { towgs84 } : {}),
        ...(skipInvalid ? { skipInvalid } : {}),
        // The mapping the preview showed, so what is written is what was checked.
        mapping: { ...preview.mapping, ...overrides },
      });
      // The backend let go of the file once it was written.
      held.current = null;
      setPhase({ kind: 'done', result });
      const stored = bboxOf(preview.features.map((f) => f.geometry.coordinates));
      const ctl = mapController();
      const box = stored && ctl ? ctl.screenBox(stored) : stored;
      drawPreview(mapController()?.map, null);
      await refresh();
      setTable(true, layer);
      // Show where the new features went: frame them once the table has taken its room, and let the table scroll to the first one.
      if (box) requestAnimationFrame(() => requestAnimationFrame(() => frame(box)));
      const first = preview.features[0]?.id;
      if (first !== undefined) useAppStore.getState().select({ type: 'single', layer, id: String(first) }, 'map');
    } catch (e) {
      setPhase({ kind: 'refused', message: failureText(e) });
    } finally {
      importRun.current = null;
      off();
    }
  }

  /** Stop the import in progress: it ends at its next checkpoint and writes nothing. */
  function cancelImport() {
    if (importRun.current) void invoke('analysis:cancel', { runId: importRun.current }).catch(() => undefined);
  }

  function reset() {
    releaseHeld();
    setFiles(null);
    setPreview(null);
    setPhase({ kind: 'edit' });
    if (inputRef.current) inputRef.current.value = '';
  }

  const crsState = preview?.crs;
  const crsClass = !crsState ? '' : !crsState.crs ? 'bad' : crsState.source === 'coordinates' ? 'guess' : 'ok';

  return (
    <section
      ref={panelRef}
      className="import-panel"
      data-testid="import-wizard"
      aria-label={t('title')}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header>
        <h2>{t('title')}</h2>
        <button className="icon" onClick={onClose} aria-label={t('close')} title={t('close')} data-testid="import-close">
          ×
        </button>
      </header>
      <div className="import-body">
        <h3>{t('stepFile')}</h3>
        <div
          className={'import-drop' + (dragging ? ' over' : '')}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          // The map area's drop handler (ImportHost) takes the files; this box only lights up.
          onDrop={() => setDragging(false)}
        >
          <button className="go" onClick={() => (inDesktopApp ? void chooseInDialog() : inputRef.current?.click())} disabled={phase.kind === 'importing'}>
            {t('chooseFile')}
          </button>
          <input ref={inputRef} type="file" multiple accept={ACCEPT} hidden data-testid="import-file" onChange={(e) => void takeFiles([...(e.target.files ?? [])])} />
          {files ? (
            <span className="import-files" data-testid="import-files">
              {files.names.join(' + ')}
              {preview && (
                <em>
                  {' '}
                  · {preview.format.toUpperCase()}
                  {preview.encoding ? ` · ${preview.encoding}` : ''} · {preview.sourceCount} {t('features')}
                </em>
              )}
            </span>
          ) : (
            <span className="muted">{t('dropHint')}</span>
          )}
          {reading && <span className="muted">{t('reading')}</span>}
        </div>

        {files && phase.kind !== 'done' && (
          <>
            <h3>{t('stepTarget')}</h3>
            <div className="import-grid">
              <label htmlFor="import-layer">{t('targetLayer')}</label>
              <div className="row">
                <select id="import-layer" value={layer} data-testid="import-layer" onChange={(e) => {
                  setLayer(e.target.value as LayerName);
                  setOverrides({});
                  setConstants(new Set());
                }}>
                  {LAYER_NAMES.map((l) => (
                    <option key={l} value={l}>
                      {pick(layerDef(l)?.label, lang)}
                    </option>
                  ))}
                </select>
                <select value={mode} onChange={(e) => setMode(e.target.value as 'append' | 'replace')} data-testid="import-mode">
                  <option value="append">{t('modeAppend')}</option>
                  <option value="replace">{t('modeReplace')}</option>
                </select>
              </div>
              {preview?.sourceLayers && preview.sourceLayers.length > 1 && (
                <>
                  <label htmlFor="import-source-layer">{t('sourceLayer')}</label>
                  <select id="import-source-layer" value={sourceLayer} onChange={(e) => setSourceLayer(e.target.value)} data-testid="import-source-layer">
                    {preview.format === 'dxf' ? <option value="">{t('allCad')}</option> : !sourceLayer && <option value="">—</option>}
                    {preview.sourceLayers.map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </select>
                </>
              )}
              <label htmlFor="import-crs">{t('crs')}</label>
              <div>
                <select id="import-crs" value={crs} onChange={(e) => setCrs(e.target.value)} data-testid="import-crs">
                  <option value="">{t('auto')}</option>
                  {groups.map((g) => (
                    <optgroup key={g.key} label={t(g.key)}>
                      {g.options.map((d) => (
                        <option key={`${g.key}-${d.code}`} value={d.code}>
                          {crsLabel(d, words)}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
                {crsState && (crsState.crs || crsState.reason.length > 0) && (
                  <div className={'import-crs ' + crsClass} data-testid="import-crs-detected">
                    <b>{crsState.crs ? `${crsState.crs.code} · ${crsState.crs.name}` : t('notDetected')}</b>
                    {crsState.source && <span className="tag">{t(SOURCE_WORD[crsState.source])}</span>}
                    <div className="reason">{say(lang, crsState.reason)}</div>
                    {crsState.shift && (
                      <div className="reason" data-testid="import-datum-shift">
                        {t('datumShift')}: {say(lang, crsState.shift.note)}
                      </div>
                    )}
                  </div>
                )}
              </div>
              {crsState?.crs && crsState.shift && crsState.shift.from !== 'none' && (
                <>
                  <label htmlFor="import-towgs84">{t('towgs84')}</label>
                  <div>
                    <input
                      id="import-towgs84"
                      value={towgs84Text}
                      placeholder={t('towgs84Placeholder')}
                      onChange={(e) => setTowgs84Text(e.target.value)}
                      data-testid="import-towgs84"
                    />
                    {towgs84 === null && <div className="reason bad">{t('towgs84Bad')}</div>}
                  </div>
                </>
              )}
              {(preview?.format === 'shapefile' || preview?.format === 'csv' || preview?.encoding) && (
                <>
                  <label htmlFor="import-encoding">{t('encoding')}</label>
                  <select id="import-encoding" value={encoding} onChange={(e) => setEncoding(e.target.value)} data-testid="import-encoding">
                    <option value="">{t('encodingAuto')}{preview?.encoding ? ` — ${preview.encoding}` : ''}</option>
                    <option value="utf-8">UTF-8</option>
                    <option value="gbk">GBK (936)</option>
                    <option value="gb18030">GB18030</option>
                    <option value="big5">Big5 (950)</option>
                  </select>
                  {summary?.encoding && (
                    <div className="reason import-encoding-why" data-testid="import-encoding-why">
                      {t('encodingWhy')}: {say(lang, summary.encoding.reason)}
                    </div>
                  )}
                </>
              )}
            </div>

            {preview && preview.sourceFields.length > 0 && (
              <>
                <h3>{t('stepMapping')}</h3>
                <table className="import-mapping" data-testid="import-mapping">
                  <thead>
                    <tr>
                      <th>{t('field')}</th>
                      <th>{t('source')}</th>
                      <th>{t('sample')}</th>
                      <th>{t('evidence')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {targets.map((f) => {
                      const value = overrides[f.name] ?? preview.mapping[f.name] ?? NONE;
                      const isConst = constants.has(f.name) || (value.startsWith('=') && value !== NONE);
                      const guessed = overrides[f.name] === undefined && preview.mapping[f.name] !== undefined && !value.startsWith('=');
                      return (
                        <tr key={f.name} className={value === NONE && !isConst ? 'off' : ''}>
                          <td>
                            {pick(f.label, lang)}
                            {f.required && <span className="req" title={t('required')}>*</span>}
                            <div className="fname">{f.name}</div>
                          </td>
                          <td>
                            <select
                              value={isConst ? '__const' : value}
                              data-testid={`import-map-${f.name}`}
                              onChange={(e) => {
                                const v = e.target.value;
                                setConstants((s) => {
                                  const n = new Set(s);
                                  if (v === '__const') n.add(f.name);
                                  else n.delete(f.name);
                                  return n;
                                });
                                setMapping(f.name, v === '__const' ? NONE : v);
                              }}
                            >
                              <option value={NONE}>{t('unmapped')}</option>
                              {preview.sourceFields.map((s) => (
                                <option key={s} value={s}>
                                  {s}
                                </option>
                              ))}
                              <option value="__const">{t('constant')}</option>
                            </select>
                            {isConst &&
                              (f.enum ? (
                                <select value={value.slice(1)} onChange={(e) => setMapping(f.name, '=' + e.target.value)} data-testid={`import-const-${f.name}`}>
                                  <option value="">—</option>
                                  {f.enum.map((v) => (
                                    <option key={v} value={v}>
                                      {formatValue(v, lang, f)}
                                    </option>
                                  ))}
                                </select>
                              ) : (
                                <input
                                  value={value.slice(1)}
                                  placeholder={t('constantPlaceholder')}
                                  onChange={(e) => setMapping(f.name, '=' + e.target.value)}
                                  data-testid={`import-const-${f.name}`}
                                />
                              ))}
                            {guessed && <span className="tag">{t('guessed')}</span>}
                          </td>
                          <td className="sample">{formatValue(sample[f.name], lang, f)}</td>
                          <td className="evidence" data-testid={`import-evidence-${f.name}`}>
                            {guessed ? evidenceOf(f.name) : ''}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
                <p className="muted">{t('extraKept')}</p>
                {preview.rejectedGuesses.length > 0 && (
                  <div className="import-rejected" data-testid="import-rejected">
                    <b>{t('notGuessed')}</b>
                    <ul>
                      {preview.rejectedGuesses.map((r) => (
                        <li key={r.target + r.source}>
                          <span className="where">{r.target}</span>
                          {say(lang, r.reason)}
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
              </>
            )}

            {preview && (
              <>
                <h3>{t('stepCheck')}</h3>
                <div className="import-summary" data-testid="import-summary">
                  <span>
                    {t('willImport')} <b>{preview.total}</b> {t('into')} <b>{pick(def.label, lang)}</b>
                    {busy && <span className="muted"> · {t('checking')}</span>}
                  </span>
                  {preview.features.length > 0 && (
                    <span className="muted">
                      <span className="swatch" /> {t('previewOnMap', { n: preview.features.length })}
                    </span>
                  )}
                </div>
                {summary && summary.records > 0 && (
                  <dl className="import-counts" data-testid="import-counts">
                    <dt>{t('records')}</dt>
                    <dd>
                      {summary.records} · {t('byKind')}: {count(summary.kinds)}
                    </dd>
                    <dt>{t('wouldWrite')}</dt>
                    <dd>
                      {summary.features} {t('fromRecords', { n: summary.recordsImported })}
                    </dd>
                    {Object.keys(summary.otherKinds).length > 0 && (
                      <>
                        <dt>{t('otherKinds')}</dt>
                        <dd>{count(summary.otherKinds)}</dd>
                      </>
                    )}
                    {summary.entities && (
                      <>
                        <dt>{t('entitiesRead')}</dt>
                        <dd data-testid="import-entities">
                          {count(summary.entities.read)}
                          {Object.keys(summary.entities.approximated).length > 0 && ` · ${t('entitiesApprox')}: ${count(summary.entities.approximated)}`}
                          {Object.keys(summary.entities.skipped).length > 0 && ` · ${t('entitiesSkipped')}: ${count(summary.entities.skipped)}`}
                        </dd>
                      </>
                    )}
                  </dl>
                )}
                <label className="import-skip">
                  <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} data-testid="import-skip-invalid" />
                  {t('skipInvalid')}
                </label>
                {skipInvalid && preview.skipped.length > 0 && (
                  <div className="import-skipped" data-testid="import-skipped">
                    <b>{t('willSkip', { n: preview.skipped.length })}</b>
                    <ul>
                      {preview.skipped.slice(0, 60).map((r, i) => (
                        <li key={i}>
                          <span className="where">{say(lang, r.where)}</span>
                          {r.field && <span className="where">{r.field}</span>}
                          {say(lang, r.message)}
                        </li>
                      ))}
                      {preview.skipped.length > 60 && <li className="muted">{t('moreProblems', { n: preview.skipped.length - 60 })}</li>}
                    </ul>
                  </div>
                )}
                {problems.length ? (
                  <div className="import-problems" data-testid="import-problems">
                    <b>
                      {t('problems')} ({problems.length})
                    </b>
                    <ul>
                      {problems.slice(0, 60).map((p, i) => (
                        <li key={i}>
                          {p.where && <span className="where">{say(lang, p.where)}</span>}
                          {p.field && <span className="where">{p.field}</span>}
                          {say(lang, p.message)}
                        </li>
                      ))}
                      {problems.length > 60 && <li className="muted">{t('moreProblems', { n: problems.length - 60 })}</li>}
                    </ul>
                  </div>
                ) : (
                  <div className="import-ok" data-testid="import-ok">
                    ✓ {t('noProblems')}
                  </div>
                )}
                {preview.notes.length > 0 && (
                  <details className="import-notes">
                    <summary>
                      {t('notes')} ({preview.notes.length})
                    </summary>
                    <ul>
                      {preview.notes.map((n, i) => (
                        <li key={i}>{say(lang, n)}</li>
                      ))}
                    </ul>
                  </details>
                )}
              </>
            )}
          </>
        )}
        {error && <div className="import-refused">{error}</div>}
        {phase.kind === 'refused' && (
          <div className="import-refused" data-testid="import-refused">
            <b>{t('refused')}</b>
            <pre>{phase.message}</pre>
          </div>
        )}
        {phase.kind === 'done' && (
          <div className="import-done" data-testid="import-done">
            ✓ {t('done', { n: phase.result.inserted, layer: pick(layerDef(phase.result.layer)?.label, lang) })}
            {phase.result.skipped.length > 0 && (
              <div className="import-skipped" data-testid="import-skipped-done">
                <b>{t('skippedDone', { n: phase.result.skipped.length })}</b>
                <ul>
                  {phase.result.skipped.slice(0, 60).map((r, i) => (
                    <li key={i}>
                      <span className="where">{say(lang, r.where)}</span>
                      {r.field && <span className="where">{r.field}</span>}
                      {say(lang, r.message)}
                    </li>
                  ))}
                </ul>
                {phase.result.skipped.length > 0 && (
                  <button onClick={() => downloadReport(skippedCsv(phase.result.skipped, lang), `${phase.result.fileName.replace(/\.[^.]+$/, '')}.skipped.csv`)} data-testid="import-report">
                    {t('downloadReport')}
                  </button>
                )}
              </div>
            )}
            <div className="row">
              <button onClick={() => setTable(true, phase.result.layer)}>{t('showTable')}</button>
              <button onClick={reset} data-testid="import-another">{t('another')}</button>
            </div>
          </div>
        )}
      </div>
      {files && phase.kind !== 'done' && (
        <footer>
          {phase.kind === 'importing' ? (
            <>
              <progress value={phase.fraction} max={1} data-testid="import-progress" />
              <span>{t('importing')}</span>
              <button onClick={cancelImport} data-testid="import-cancel">
                {t('cancelImport')}
              </button>
            </>
          ) : (
            <>
              <span className="muted">{preview && problems.length ? `${t('fixFirst')}${badOnly ? ` ${t('orSkip')}` : ''}` : ''}</span>
              <button className="go" disabled={!canImport} onClick={() => void doImport()} data-testid="import-go">
                {t('import')}
                {preview && preview.total > 0 ? ` ${preview.total}` : ''}
              </button>
            </>
          )}
        </footer>
      )}
    </section>
  );
}
