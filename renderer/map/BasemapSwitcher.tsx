/**
 * 底图 switcher over the map: none / the project's offline basemaps / online
 * sources, opacity, and the muted meeting look. The choice is saved in the
 * project (view:set), so it travels with the file. Online failures (no key,
 * 403, timeout) are shown once in the status bar, not as a broken map.
 */
import { useEffect, useRef, useState } from 'react';
import { invoke, runtime } from '../api';
import { useAppStore } from '../store';
import { afterFirstDraw, mapController } from './MapView';
import type { BasemapChoice } from './basemapStyle';
import type { BasemapList } from '../../electron/backend/basemap.contract';
import type { ViewState } from '../../core/basemap/view';
import { say, scoped, t, type KeysUnder, type Lang } from '../../core/i18n';
import { BasemapDialog } from './BasemapDialog';

const bm = scoped('basemap');
const L = (lang: Lang, key: KeysUnder<'basemap'>, params?: Record<string, string | number>) => bm(lang, key, params);

/** The template as an absolute URL without encoding its {z}/{x}/{y}. */
const absolute = (t: string) => new URL('.', window.location.href).href + t;

export function choiceOf(list: BasemapList, id: string, lang: Lang): (BasemapChoice & { gcj02?: boolean; approvalNumber?: boolean }) | null {
  if (id.startsWith('gpkg:')) {
    const b = list.basemaps.find((x) => x.id === id);
    if (!b) return null;
    return { id, format: b.format, tiles: [absolute(b.tiles)], minZoom: b.minZoom, maxZoom: b.maxZoom, bounds: b.bounds, attribution: b.attribution || (b.sample ? t(lang, 'cli.sampleData') : '') };
  }
  if (id.startsWith('online:')) {
    const s = list.online.find((x) => x.id === id);
    if (!s || !s.ready) return null;
    return { id, format: 'raster', tiles: s.tiles.map(absolute), minZoom: 0, maxZoom: s.maxZoom, attribution: s.attribution, gcj02: s.gcj02, approvalNumber: s.approvalNumber };
  }
  return null;
}

/** Online failures to show once: a small event the status bar listens to. */
function announce(message: string) {
  window.dispatchEvent(new CustomEvent('warmnet:status', { detail: message }));
}

export function BasemapSwitcher() {
  const lang = useAppStore((s) => s.lang);
  const [list, setList] = useState<BasemapList | null>(null);
  const [open, setOpen] = useState(false);
  const [adding, setAdding] = useState(false);
  const shown = useRef(new Set<string>());

  useEffect(() => {
    let live = true;
    const load = () => void invoke('basemap:list', {}).then((l) => live && setList(l));
    // The project's data is drawn first; the basemap comes under it right after (the first
    // picture then costs only the data, and the backend answers the data's calls first).
    void afterFirstDraw().then(() => live && load());
    const off = runtime.on('project:changed', load);
    return () => {
      live = false;
      off();
    };
  }, []);

  // Draw the chosen basemap.
  useEffect(() => {
    const c = mapController();
    if (!c || !list) return;
    void c.whenLoaded().then(() => {
      c.setBasemap(choiceOf(list, list.view.basemap, lang), { opacity: list.view.opacity, muted: list.view.muted });
      if (window.warmnetDebug && window.warmnetDebug.basemapIdleMs === undefined)
        void c.whenIdle().then(() => {
          if (window.warmnetDebug && window.warmnetDebug.basemapIdleMs === undefined) {
            performance.mark('wn:basemap-idle');
            window.warmnetDebug.basemapIdleMs = performance.now();
          }
        });
      document.documentElement.dataset.basemap = list.view.basemap;
      document.documentElement.dataset.basemapMuted = String(list.view.muted);
    });
  }, [list, lang]);

  // Tile errors of online sources: ask the backend what failed, show each source's failure once.
  useEffect(() => {
    const c = mapController();
    if (!c) return;
    let pending = false;
    const onError = (ev: unknown) => {
      const e = ev as { sourceId?: string };
      if (!e.sourceId?.startsWith('basemap-') || pending) return;
      pending = true;
      setTimeout(() => {
        pending = false;
        void invoke('basemap:list', {}).then((l) => {
          // the language at the time of the failure (the effect outlives a switch of language)
          const now = useAppStore.getState().lang;
          for (const f of l.failures) {
            if (shown.current.has(f.source)) continue;
            shown.current.add(f.source);
            announce(L(now, 'failure', { source: f.name[now], reason: say(now, f.said) }));
          }
        });
      }, 300);
    };
    c.map.on('error', onError);
    return () => void c.map.off('error', onError);
  }, [list !== null]);

  if (!list) return null;
  // Shown at once, then saved in the project; the backend's answer is the state kept.
  const save = (patch: Partial<ViewState>) => {
    setList({ ...list, view: { ...list.view, ...patch } });
    void invoke('view:set', patch).then((view) => setList((l) => (l ? { ...l, view } : l)));
  };
  const current = list.view.basemap;
  // The chosen basemap, when it is one of the project's own (a file, a pyramid in the file, a source the user added): it can be removed.
  const removable = list.basemaps.find((b) => b.id === current) ?? list.online.find((s) => s.id === current && s.fid !== null);
  const removableName = removable ? ('sample' in removable ? removable.name : removable.name[lang]) : '';
  const remove = () => {
    if (!removable || !window.confirm(L(lang, 'removeConfirm', { name: removableName }))) return;
    void invoke('basemap:remove', { id: current }).then(
      () => invoke('basemap:list', {}).then(setList),
      (e: Error) => announce(e.message),
    );
  };
  return (
    <div className="basemap-switcher" data-testid="basemap-switcher">
      {adding && (
        <BasemapDialog
          onClose={() => setAdding(false)}
          onAdded={(id) => {
            setAdding(false);
            // The new basemap is shown at once (and the choice saved in the project).
            void invoke('view:set', { basemap: id }).then(() => invoke('basemap:list', {}).then(setList));
          }}
        />
      )}
      <button onClick={() => setOpen(!open)} aria-expanded={open} data-testid="basemap-toggle" title={L(lang, 'title')}>
        ▦ {L(lang, 'title')}
      </button>
      {open && (
        <div className="basemap-panel">
          <select value={current} onChange={(e) => save({ basemap: e.target.value })} data-testid="basemap-select">
            <option value="none">{L(lang, 'none')}</option>
            {list.basemaps.length > 0 && (
              <optgroup label={L(lang, 'offline')}>
                {list.basemaps.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </optgroup>
            )}
            <optgroup label={L(lang, 'online')}>
              {list.online.map((s) => (
                <option key={s.id} value={s.id} disabled={!s.ready}>
                  {s.name[lang]}
                  {!s.ready ? L(lang, 'needsKey') : ''}
                  {s.gcj02 ? ' · GCJ-02' : ''}
                </option>
              ))}
            </optgroup>
          </select>
          <label>
            {L(lang, 'opacity')}
            <input
              type="range"
              min={0}
              max={100}
              value={Math.round(list.view.opacity * 100)}
              onChange={(e) => save({ opacity: Number(e.target.value) / 100 })}
              data-testid="basemap-opacity"
            />
          </label>
          <label>
            <input type="checkbox" checked={list.view.muted} onChange={(e) => save({ muted: e.target.checked })} data-testid="basemap-muted" />
            {L(lang, 'muted')}
          </label>
          <div className="basemap-actions">
            <button onClick={() => setAdding(true)} data-testid="basemap-add">
              {L(lang, 'add')}
            </button>
            {removable && (
              <button onClick={remove} data-testid="basemap-remove" title={removableName}>
                {L(lang, 'remove')}
              </button>
            )}
          </div>
          {list.online.some((s) => !s.ready) && <TiandituKey lang={lang} onSaved={() => void invoke('basemap:list', {}).then(setList)} />}
        </div>
      )}
    </div>
  );
}

function TiandituKey({ lang, onSaved }: { lang: Lang; onSaved(): void }) {
  const [key, setKey] = useState('');
  const [msg, setMsg] = useState('');
  return (
    <div className="basemap-key">
      <input value={key} onChange={(e) => setKey(e.target.value.trim())} placeholder={L(lang, 'keyPlaceholder')} size={20} />
      <button
        disabled={!key}
        onClick={() =>
          void invoke('basemap:key', { tianditu: key }).then(
            (r) => {
              setMsg(r.protection === 'keychain' ? L(lang, 'keyInKeychain') : L(lang, 'keyInFile'));
              onSaved();
            },
            (e: Error) => setMsg(e.message),
          )
        }
      >
        {L(lang, 'keySave')}
      </button>
      {msg && <span className="muted"> {msg}</span>}
    </div>
  );
}
