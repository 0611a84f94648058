/**
 * The shared-project dialog. For a local project: a connection form (saved
 * without the password), the role the server gives, and check-out into a
 * GeoPackage beside the open project. For a checked-out project: where it
 * came from and check-in, with conflicts shown side by side (ConflictView).
 * What the role may not do is not offered (a viewer gets neither check-out
 * nor check-in); the server refuses it anyway.
 */
import { useEffect, useState } from 'react';
import type { ChangeEvent, CheckinResult, Resolution, Role, SavedConnection, SharedConnection, SharedStatus } from '../../../electron/backend/shared.contract';
import { layerDef } from '../../../core/model/schema';
import { pick } from '../../i18n';
import { invoke } from '../../api';
import { useT } from '../../i18n';
import { ConflictView } from './ConflictView';
import { useAppStore } from '../../store';
import { refresh } from '../../tools/actions';
import { sm } from './messages';
import type { Lang } from '../../i18n/messages';

const EMPTY: SharedConnection = { host: '127.0.0.1', port: 5432, database: 'warmnet', user: '', schema: 'mingantu' };

export function SharedDialog({ onClose }: { onClose: () => void }) {
  const { lang } = useT();
  const [status, setStatus] = useState<SharedStatus | null>(null);
  const [saved, setSaved] = useState<SavedConnection[]>([]);
  const [keychain, setKeychain] = useState(false);
  const [remember, setRemember] = useState(false);
  const [conn, setConn] = useState<SharedConnection>(EMPTY);
  const [label, setLabel] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role | null>(null);
  const [fileName, setFileName] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<CheckinResult | null>(null);
  const live = useAppStore((s) => s.info?.shared ?? null);
  const [remote, setRemote] = useState<(ChangeEvent & { at: string })[] | null>(live ? [] : null);

  // Once connected to the copy's server: hear others' committed edits (LISTEN/NOTIFY on the backend, fetched each second).
  const watching = remote !== null;
  useEffect(() => {
    if (!watching) return;
    let since = 0;
    const timer = setInterval(() => {
      void invoke('shared:remote', { since }).then((r) => {
        if (r.events.length === 0) return;
        since = r.events[r.events.length - 1].seq;
        setRemote((old) => [...(old ?? []), ...r.events].slice(-200));
      });
    }, 1000);
    return () => clearInterval(timer);
  }, [watching]);

  useEffect(() => {
    void invoke('shared:status', {}).then(setStatus, (e: Error) => setError(e.message));
    void invoke('shared:connections', {}).then(
      (r) => {
        setSaved(r.connections);
        setKeychain(r.keychain);
      },
      () => setSaved([]),
    );
  }, []);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const field = (k: keyof SharedConnection, type: 'text' | 'number' = 'text') => (
    <label style={{ display: 'grid', gridTemplateColumns: '120px 1fr', gap: 6, alignItems: 'center' }}>
      <span>{sm(lang, k)}</span>
      <input
        type={type}
        value={String(conn[k])}
        onChange={(e) => {
          setConn({ ...conn, [k]: type === 'number' ? Number(e.target.value) : e.target.value });
          setRole(null);
        }}
        disabled={busy}
        data-testid={`conn-${k}`}
      />
    </label>
  );

  const checkin = (resolutions?: Record<string, Resolution>) =>
    run(async () => {
      const r = await invoke('shared:checkin', { password: password || undefined, resolutions });
      setResult(r);
      if (r.committed) {
        setMessage(sm(lang, 'checkinDone', { changes: r.changes, inserted: r.inserted, updated: r.updated, merged: r.merged, deleted: r.deleted, resolved: r.resolved, projects: r.projects, links: r.links, settings: r.settings }));
        setStatus(await invoke('shared:status', {}));
      }
    });

  /** Open the server project in the app (or go back to the file): the whole app reloads from the new project. */
  const switchTo = (open: boolean) =>
    run(async () => {
      if (open) await invoke('shared:openLive', { connection: conn, password, label: label || undefined });
      else await invoke('shared:closeLive', {});
      // The map, tables and the undo list now come from the other project.
      await refresh();
      onClose();
    });

  const co = status?.checkout ?? null;
  const roleText = (r: Role) => sm(lang, r);

  return (
    <div role="presentation" style={{ position: 'fixed', inset: 0, background: 'rgba(20,30,40,0.35)', zIndex: 900, display: 'flex', alignItems: 'center', justifyContent: 'center' }} onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <section role="dialog" aria-modal="true" aria-label={sm(lang, 'title')} data-testid="shared-dialog" className="panel" style={{ width: 720, maxWidth: '94vw', maxHeight: '90vh', overflow: 'auto', borderRadius: 8, boxShadow: '0 8px 30px rgba(0,0,0,0.3)', padding: '12px 18px 16px', fontSize: 13 }}>
        <h2 style={{ display: 'flex' }}>
          <span style={{ flex: 1 }}>{sm(lang, 'title')}</span>
          <button type="button" onClick={onClose} disabled={busy} aria-label={sm(lang, 'close')} title={sm(lang, 'close')}>
            ×
          </button>
        </h2>

        {live ? (
          <div data-testid="live-info">
            <p>
              <strong>{sm(lang, 'liveTitle')}</strong>: <code>{live.url}</code>
              <br />
              {sm(lang, 'liveUser')}: {live.user} · <span data-testid="role">{sm(lang, 'role')}: {roleText(live.role)}</span>
            </p>
            <p>{live.role === 'viewer' ? sm(lang, 'liveReadOnly') : sm(lang, 'liveNote')}</p>
            {remote && <RemoteEdits events={remote} lang={lang} />}
            <button type="button" disabled={busy} onClick={() => void switchTo(false)} data-testid="close-live">
              {sm(lang, 'closeLive')}
            </button>
          </div>
        ) : co ? (
          <div data-testid="checkout-info">
            <p>
              {sm(lang, 'thisCopy')}: <code>{co.serverUrl}</code>
              <br />
              {sm(lang, 'at')}: {co.at} · {sm(lang, 'user')}: {co.user}
            </p>
            {co.checkedInAt ? (
              <p>{sm(lang, 'checkedInAt', { at: co.checkedInAt })}</p>
            ) : (
              <>
                <label style={{ display: 'grid', gridTemplateColumns: '120px 1fr', gap: 6, alignItems: 'center' }}>
                  <span>{sm(lang, 'password')}</span>
                  <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy} data-testid="checkin-password" />
                </label>
                <div style={{ display: 'flex', gap: 8, margin: '8px 0' }}>
                  <button
                    type="button"
                    disabled={busy}
                    data-testid="shared-role"
                    onClick={() =>
                      run(async () => {
                        const st = await invoke('shared:status', { password });
                        setStatus(st);
                        if (st.role && !watching) {
                          await invoke('shared:watch', { password });
                          setRemote([]);
                        }
                      })
                    }
                  >
                    {sm(lang, 'connect')}
                  </button>
                  {status?.role && <span data-testid="role">{sm(lang, 'role')}: {roleText(status.role)}</span>}
                  {status?.error && <span className="error">{status.error}</span>}
                  {/* A viewer may not check in: the button is not offered (the server would refuse it). */}
                  {status?.role && status.role !== 'viewer' && (
                    <button type="button" disabled={busy} onClick={() => void checkin()} data-testid="checkin">
                      {sm(lang, 'checkin')}
                    </button>
                  )}
                </div>
                {status?.role === 'viewer' && <p>{sm(lang, 'readOnlyNote')}</p>}
                {remote && <RemoteEdits events={remote} lang={lang} />}
                {result && !result.committed && <ConflictView conflicts={result.conflicts} lang={lang} busy={busy} onResolve={(r) => void checkin(r)} />}
              </>
            )}
          </div>
        ) : (
          <div data-testid="connection-form">
            <p>{sm(lang, 'notShared')}</p>
            <div style={{ marginBottom: 8 }}>
              <span>{sm(lang, 'saved')}: </span>
              {saved.length === 0 && <span>{sm(lang, 'noneSaved')}</span>}
              {saved.map((c) => (
                <button
                  key={c.label}
                  type="button"
                  disabled={busy}
                  data-testid={`saved-${c.label}`}
                  onClick={() => {
                    setConn({ host: c.host, port: c.port, database: c.database, user: c.user, schema: c.schema });
                    setLabel(c.label);
                    setRole(null);
                  }}
                  style={{ marginRight: 4 }}
                >
                  {c.label}
                </button>
              ))}
            </div>
            <div style={{ display: 'grid', gap: 4 }}>
              {field('host')}
              {field('port', 'number')}
              {field('database')}
              {field('user')}
              {field('schema')}
              <label style={{ display: 'grid', gridTemplateColumns: '120px 1fr', gap: 6, alignItems: 'center' }}>
                <span>{sm(lang, 'password')}</span>
                <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy} data-testid="conn-password" />
              </label>
              <label style={{ display: 'grid', gridTemplateColumns: '120px 1fr auto', gap: 6, alignItems: 'center' }}>
                <span>{sm(lang, 'label')}</span>
                <input value={label} onChange={(e) => setLabel(e.target.value)} disabled={busy} data-testid="conn-label" />
                <button
                  type="button"
                  disabled={busy || !label}
                  data-testid="conn-save"
                  onClick={() => run(async () => setSaved(await invoke('shared:saveConnection', { label, connection: conn, rememberPassword: keychain && remember && password ? password : undefined })))}
                >
                  {sm(lang, 'save')}
                </button>
              </label>
            </div>
            {/* Only the desktop app has a keychain; browser mode never writes a password down. */}
            {keychain && (
              <label style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
                <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} disabled={busy} data-testid="conn-remember" />
                {sm(lang, 'remember')}
              </label>
            )}
            {saved.some((c) => c.label === label && c.passwordSaved) && <span>{sm(lang, 'inKeychain')}</span>}
            <div style={{ display: 'flex', gap: 8, margin: '8px 0', alignItems: 'center' }}>
              <button
                type="button"
                disabled={busy}
                data-testid="conn-connect"
                onClick={() =>
                  run(async () => {
                    const r = await invoke('shared:connect', { connection: conn, password, label: label || undefined });
                    setRole(r.role);
                    if (!fileName) setFileName(`${conn.schema}-checkout.gpkg`);
                  })
                }
              >
                {sm(lang, 'connect')}
              </button>
              {role && <span data-testid="role">{sm(lang, 'role')}: {roleText(role)}</span>}
            </div>
            {role === 'viewer' && <p>{sm(lang, 'readOnlyNote')}</p>}
            {role && (
              <div style={{ margin: '6px 0' }}>
                <button type="button" disabled={busy} onClick={() => void switchTo(true)} data-testid="open-live">
                  {sm(lang, 'openLive')}
                </button>
              </div>
            )}
            {role && role !== 'viewer' && (
              <label style={{ display: 'grid', gridTemplateColumns: '120px 1fr auto', gap: 6, alignItems: 'center' }}>
                <span>{sm(lang, 'fileName')}</span>
                <input value={fileName} onChange={(e) => setFileName(e.target.value)} disabled={busy} data-testid="checkout-file" />
                <button
                  type="button"
                  disabled={busy || !fileName}
                  data-testid="checkout"
                  onClick={() =>
                    run(async () => {
                      const r = await invoke('shared:checkout', { connection: conn, password, label: label || undefined, fileName });
                      setMessage(sm(lang, 'checkedOut', { n: Object.values(r.features).reduce((a, b) => a + b, 0), path: r.path }));
                    })
                  }
                >
                  {sm(lang, 'checkout')}
                </button>
              </label>
            )}
          </div>
        )}
        {busy && <p>{sm(lang, 'working')}</p>}
        {message && (
          <p data-testid="shared-message" style={{ color: '#1b6e3a' }}>
            {message}
          </p>
        )}
        {error && (
          <p data-testid="shared-error" className="error" style={{ color: '#b3261e' }}>
            {error}
          </p>
        )}
      </section>
    </div>
  );
}

/** The top-bar button that opens the dialog. */
/** Others' committed edits as they arrive (the last 20, newest first). */
function RemoteEdits({ events, lang }: { events: (ChangeEvent & { at: string })[]; lang: Lang }) {
  return (
    <div data-testid="remote-edits" style={{ margin: '6px 0' }}>
      <div>{events.length ? sm(lang, 'remote', { n: events.length }) : sm(lang, 'remoteNone')}</div>
      <ul style={{ margin: '2px 0', paddingLeft: 18, maxHeight: 120, overflow: 'auto' }}>
        {events
          .slice(-20)
          .reverse()
          .map((e) => (
            <li key={e.seq}>
              {e.at.slice(11, 19)} {e.user} {sm(lang, e.op === 'insert' ? 'opInsert' : e.op === 'delete' ? 'opDelete' : 'opUpdate')} {pick(layerDef(e.layer)?.label, lang) || e.layer} {e.id}
            </li>
          ))}
      </ul>
    </div>
  );
}

export function SharedButton() {
  const { lang } = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} data-testid="open-shared">
        ⇅ {sm(lang, 'open')}
      </button>
      {open && <SharedDialog onClose={() => setOpen(false)} />}
    </>
  );
}
