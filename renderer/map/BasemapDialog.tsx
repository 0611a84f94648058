/**
 * 添加底图: a GeoTIFF (tiled into the project, with progress and cancel), an
 * MBTiles or PMTiles file (referenced by path or copied in), or an online
 * source by XYZ template or WMTS capabilities address. The file goes to the
 * backend by handle only, as in the import wizard: the desktop app's own
 * file dialog, or the file's bytes uploaded in browser mode — never a path
 * from this page. Refusals name the file and the reason.
 */
import { useEffect, useRef, useState } from 'react';
import { BackendError, inDesktopApp, invoke, runtime } from '../api';
import { useAppStore } from '../store';
import { readFiles } from '../panels/import/state';
import { scoped, type KeysUnder, type MessageKey } from '../../core/i18n';
import { t as translate } from '../../core/i18n';
import type { ImportUpload } from '../../electron/backend/import.contract';

const bm = scoped('basemap');
const ACCEPT = '.tif,.tiff,.mbtiles,.pmtiles';

type Phase = { kind: 'edit' } | { kind: 'adding'; fraction: number };

export function BasemapDialog({ onClose, onAdded }: { onClose(): void; onAdded(id: string): void }) {
  const lang = useAppStore((s) => s.lang);
  const t = (key: KeysUnder<'basemap'>, params?: Record<string, string | number>) => bm(lang, key, params);
  /** A refusal in the user's language: the catalogue's text for the backend's code, else its message. */
  const describe = (e: unknown) =>
    e instanceof BackendError && e.code.startsWith('basemap.') ? translate(lang, e.code as MessageKey, e.params as Record<string, string>) : (e as Error).message;

  const [tab, setTab] = useState<'file' | 'online'>('file');
  const [file, setFile] = useState<ImportUpload | null>(null);
  const held = useRef<string | null>(null);
  const [name, setName] = useState('');
  const [attribution, setAttribution] = useState('');
  const [copy, setCopy] = useState(false);
  const [crs, setCrs] = useState('');
  const [url, setUrl] = useState('');
  const [layer, setLayer] = useState('');
  const [gcj02, setGcj02] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'edit' });
  const [error, setError] = useState<string | null>(null);
  const run = useRef<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  /** Lets go of the file the backend holds for us (its uploaded copy is deleted). */
  const release = () => {
    const h = held.current;
    held.current = null;
    if (h) void invoke('import:release', { handle: h }).catch(() => undefined);
  };
  useEffect(() => release, []);

  async function take(get: () => Promise<ImportUpload | null>) {
    setError(null);
    try {
      const got = await get();
      if (!got) return;
      release();
      held.current = got.handle;
      setFile(got);
      setName(got.fileName.replace(/\.[^.]+$/, ''));
    } catch (e) {
      setError(describe(e));
    }
  }

  const isTiles = !!file && /\.(mbtiles|pmtiles)$/i.test(file.fileName);
  const isTiff = !!file && /\.tiff?$/i.test(file.fileName);

  async function addFile() {
    if (!file) return;
    const runId = `basemap-${Date.now()}`;
    run.current = runId;
    setError(null);
    setPhase({ kind: 'adding', fraction: 0 });
    const off = runtime.on('analysis:progress', (p) => {
      if (p.runId === runId) setPhase((ph) => (ph.kind === 'adding' ? { kind: 'adding', fraction: p.fraction } : ph));
    });
    try {
      const r = await invoke('basemap:add', {
        handle: file.handle,
        runId,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(attribution.trim() ? { attribution: attribution.trim() } : {}),
        ...(isTiles ? { copy: copy || !inDesktopApp } : {}),
        ...(isTiff && crs.trim() ? { crs: crs.trim() } : {}),
      });
      // The backend let go of the file once it was added.
      held.current = null;
      onAdded(r.id);
    } catch (e) {
      setError(describe(e));
    } finally {
      run.current = null;
      off();
      setPhase({ kind: 'edit' });
    }
  }

  async function addOnline() {
    setError(null);
    setPhase({ kind: 'adding', fraction: 0 });
    try {
      const r = await invoke('basemap:online', {
        url: url.trim(),
        name: name.trim(),
        ...(layer.trim() ? { layer: layer.trim() } : {}),
        ...(attribution.trim() ? { attribution: attribution.trim() } : {}),
        ...(gcj02 ? { gcj02 } : {}),
      });
      onAdded(r.id);
    } catch (e) {
      setError(describe(e));
    } finally {
      setPhase({ kind: 'edit' });
    }
  }

  /** Stop the add in progress: it ends at its next tile and the project is unchanged. */
  const cancel = () => {
    if (run.current) void invoke('analysis:cancel', { runId: run.current }).catch(() => undefined);
  };

  const busy = phase.kind === 'adding';
  return (
    <div className="basemap-dialog-backdrop">
      <section
        className="basemap-dialog"
        role="dialog"
        aria-label={t('dialogTitle')}
        data-testid="basemap-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape' && !busy) onClose();
        }}
      >
        <header>
          <h2>{t('dialogTitle')}</h2>
          <button className="icon" onClick={onClose} disabled={busy} aria-label={t('close')} title={t('close')} data-testid="basemap-dialog-close">
            ×
          </button>
        </header>
        <div className="basemap-tabs" role="tablist">
          <button role="tab" aria-selected={tab === 'file'} onClick={() => setTab('file')} disabled={busy} data-testid="basemap-tab-file">
            {t('tabFile')}
          </button>
          <button role="tab" aria-selected={tab === 'online'} onClick={() => setTab('online')} disabled={busy} data-testid="basemap-tab-online">
            {t('tabOnline')}
          </button>
        </div>
        {tab === 'file' ? (
          <div className="basemap-form">
            <p className="muted">{t('fileHint')}</p>
            <div className="row">
              <button onClick={() => (inDesktopApp ? void take(() => invoke('basemap:choose', {})) : inputRef.current?.click())} disabled={busy} data-testid="basemap-choose">
                {t('chooseFile')}
              </button>
              <input
                ref={inputRef}
                type="file"
                accept={ACCEPT}
                hidden
                data-testid="basemap-file"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f) void take(async () => invoke('import:upload', { files: await readFiles([f]) }));
                }}
              />
              <span className={file ? 'basemap-file' : 'muted'} data-testid="basemap-file-name">
                {file ? file.fileName : t('noFile')}
              </span>
            </div>
            <label>
              {t('name')}
              <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} data-testid="basemap-name" />
            </label>
            <label>
              {t('attribution')}
              <input value={attribution} onChange={(e) => setAttribution(e.target.value)} maxLength={300} data-testid="basemap-attribution" />
            </label>
            {isTiff && (
              <label>
                {t('crs')}
                <input value={crs} onChange={(e) => setCrs(e.target.value)} maxLength={100} placeholder="EPSG:4547" />
              </label>
            )}
            {isTiles &&
              (inDesktopApp ? (
                <label className="check">
                  <input type="checkbox" checked={copy} onChange={(e) => setCopy(e.target.checked)} data-testid="basemap-copy" />
                  {t('copy')}
                </label>
              ) : (
                <p className="muted">{t('copyUploaded')}</p>
              ))}
            <div className="row end">
              {busy && (
                <>
                  <span className="muted">{t('adding')}</span>
                  <progress value={phase.fraction} max={1} data-testid="basemap-progress" />
                  <button onClick={cancel} data-testid="basemap-cancel">
                    {t('cancel')}
                  </button>
                </>
              )}
              <button className="go" onClick={() => void addFile()} disabled={!file || busy || !name.trim()} data-testid="basemap-add-file">
                {t('addButton')}
              </button>
            </div>
          </div>
        ) : (
          <div className="basemap-form">
            <label>
              {t('url')}
              <input value={url} onChange={(e) => setUrl(e.target.value)} maxLength={2000} placeholder="https://…/{z}/{x}/{y}.png" data-testid="basemap-url" />
            </label>
            <label>
              {t('wmtsLayer')}
              <input value={layer} onChange={(e) => setLayer(e.target.value)} maxLength={200} data-testid="basemap-wmts-layer" />
            </label>
            <label>
              {t('name')}
              <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} data-testid="basemap-online-name" />
            </label>
            <label>
              {t('attribution')}
              <input value={attribution} onChange={(e) => setAttribution(e.target.value)} maxLength={300} />
            </label>
            <label className="check">
              <input type="checkbox" checked={gcj02} onChange={(e) => setGcj02(e.target.checked)} data-testid="basemap-gcj02" />
              {t('gcj02')}
            </label>
            <div className="row end">
              <button className="go" onClick={() => void addOnline()} disabled={busy || !url.trim() || !name.trim()} data-testid="basemap-add-online">
                {t('addButton')}
              </button>
            </div>
          </div>
        )}
        {error && (
          <p className="basemap-error" role="alert" data-testid="basemap-error">
            {error}
          </p>
        )}
      </section>
    </div>
  );
}
