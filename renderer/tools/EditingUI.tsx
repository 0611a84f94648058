/**
 * Everything editing adds to the map area: the tool bar, the attribute form,
 * the projects drawer, the notice when another program changed the file, and
 * the keyboard (Ctrl+Z / Ctrl+Shift+Z undo / redo, Delete deletes the
 * selection, Esc leaves the tool; Enter finishes a drawing inside Terra Draw).
 */
import { useEffect, useRef, useState } from 'react';
import './editing.css';
import { invoke, runtime } from '../api';
import type { Feature } from '../../core/model/geojson';
import { mapController } from '../map/MapView';
import { useAppStore } from '../store';
import { ProjectsPanel } from '../panels/projects/ProjectsPanel';
import { EditController } from './editController';
import { useEditStore, type Tool } from './editStore';
import { AttributeForm } from './AttributeForm';
import { areaClosed, deleteSelected, editFeature, networkClick, pipeDrawn, redo, refresh, resolveConflict, saveVertices, undo } from './actions';
import { ConflictView } from '../panels/shared/ConflictView';
import { sm } from '../panels/shared/messages';
import { useEditT, type EditMessageKey } from './messages';
import { refusalText } from './issueText';
import { DEFAULT_SNAP_PX, SNAP_PX_MAX, SNAP_PX_MIN } from './snapping';

declare global {
  interface Window {
    /** Handle for end-to-end tests: the editing controller (Terra Draw and snapping). */
    warmnetEdit?: { controller: EditController | null };
  }
}

let editCtl: EditController | null = null;

const HINT: Partial<Record<string, EditMessageKey>> = {
  drawPipe: 'hintDraw',
  split: 'hintSplit',
  place: 'hintPlace',
  vertices: 'hintVertices',
  'link:box': 'hintBox',
  'link:lasso': 'hintLasso',
  'link:click': 'hintClick',
};

function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' || el.isContentEditable);
}

export function EditingUI() {
  // A feature of a layer drawn from tiles is not in the renderer's store: the backend gives it.
  const [fetched, setFetched] = useState<{ layer: string; id: string; feature: Feature } | null>(null);
  const sel = useAppStore((s) => s.selection);
  const revision = useAppStore((s) => s.info?.revision);
  useEffect(() => {
    if (sel.type !== 'single' || useAppStore.getState().layers[sel.layer]) return;
    let live = true;
    void invoke('feature:get', { layer: sel.layer, id: sel.id }).then(
      (d) => live && setFetched({ layer: sel.layer, id: sel.id, feature: d.feature as Feature }),
      () => live && setFetched(null),
    );
    return () => {
      live = false;
    };
  }, [sel, revision]);
  const { t, lang } = useEditT();
  const tool = useEditStore((s) => s.tool);
  const setTool = useEditStore((s) => s.setTool);
  const journal = useEditStore((s) => s.journal);
  const error = useEditStore((s) => s.error);
  const form = useEditStore((s) => s.form);
  const external = useEditStore((s) => s.externalChange);
  const projectsOpen = useEditStore((s) => s.projectsOpen);
  const setProjectsOpen = useEditStore((s) => s.setProjectsOpen);
  const status = useAppStore((s) => s.status);
  const selection = useAppStore((s) => s.selection);
  const snapPx = useEditStore((s) => s.snapPx);
  const conflict = useEditStore((s) => s.conflict);
  // A shared project opened live as a viewer: no editing tools (the server would refuse the writes anyway).
  const readOnly = useAppStore((s) => s.info?.shared?.role === 'viewer');
  const live = useAppStore((s) => !!s.info?.shared);
  const started = useRef(false);

  // Terra Draw starts once the map has loaded.
  useEffect(() => {
    if (status !== 'ready' || started.current) return;
    const ctl = mapController();
    if (!ctl) return;
    started.current = true;
    void ctl.whenLoaded().then(() => {
      editCtl = new EditController(ctl, {
        onPipeDrawn: (c) => void pipeDrawn(c),
        onArea: (r) => void areaClosed(r),
        onNetworkClick: (target, at, onPipe) => void networkClick(target, at, onPipe),
      });
      window.warmnetEdit = { controller: editCtl };
      editCtl.snapPx = useEditStore.getState().snapPx;
      editCtl.setTool(useEditStore.getState().tool);
    });
    void refresh();
  }, [status]);

  useEffect(() => {
    editCtl?.setTool(tool);
  }, [tool]);

  useEffect(() => {
    if (editCtl) editCtl.snapPx = snapPx;
  }, [snapPx]);

  // after an edit (or another program's) the features around the view are asked for again
  useEffect(() => {
    editCtl?.refreshNearby();
  }, [revision]);

  // Another program (QGIS) wrote the file: the app reloads (store/load.ts) and says so here.
  useEffect(() => runtime.on('project:changed', (p) => p.external && useEditStore.getState().setExternalChange(true)), []);

  useEffect(() => {
    if (readOnly) {
      useEditStore.getState().setTool({ kind: 'select' });
      useEditStore.getState().setForm(null);
    }
  }, [readOnly]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e) || useAppStore.getState().info?.shared?.role === 'viewer') return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && (e.key === 'z' || e.key === 'Z')) {
        e.preventDefault();
        void (e.shiftKey ? redo() : undo());
      } else if (mod && (e.key === 'y' || e.key === 'Y')) {
        e.preventDefault();
        void redo();
      } else if (e.key === 'Delete' && useEditStore.getState().tool.kind === 'select') {
        void deleteSelected();
      } else if (e.key === 'Escape') {
        // Terra Draw cancels the line in progress; leaving the tool on a second Esc.
        const st = useEditStore.getState();
        if (st.form) st.setForm(null);
        else if (st.tool.kind !== 'drawPipe' || !editCtl?.draw.getSnapshot().length) st.setTool({ kind: 'select' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const hintKey = HINT[tool.kind === 'link' ? `link:${tool.how}` : tool.kind];
  const btn = (k: Tool, label: EditMessageKey, testid: string, disabled = false) => (
    <button
      className={tool.kind === k.kind && JSON.stringify(tool) === JSON.stringify(k) ? 'active' : ''}
      onClick={() => setTool(tool.kind === k.kind && JSON.stringify(tool) === JSON.stringify(k) ? { kind: 'select' } : k)}
      data-testid={testid}
      disabled={disabled}
    >
      {t(label)}
    </button>
  );
  const selectedPipe = selection.type === 'single' && selection.layer === 'pipes' ? selection.id : null;
  const selectedFeature =
    (selection.type === 'single' ? useAppStore.getState().layers[selection.layer]?.features.find((f) => String(f.id ?? f.properties.id) === selection.id) : undefined) ??
    (fetched && selection.type === 'single' && fetched.layer === selection.layer && fetched.id === selection.id ? fetched.feature : undefined);

  if (readOnly) {
    return (
      <div className="edit-column">
        <div className="edit-hint" data-testid="read-only" role="status">
          {sm(lang, 'liveReadOnly')}
        </div>
      </div>
    );
  }

  return (
    <>
      <div className="edit-column">
        <div className="edit-toolbar" data-testid="edit-toolbar" data-tool={tool.kind}>
          {btn({ kind: 'drawPipe' }, 'drawPipe', 'tool-draw-pipe')}
          <label className="snap-px" title={`${t('snapTitle')} ${DEFAULT_SNAP_PX}`}>
            {t('snapTolerance')}
            <input
              type="number"
              min={SNAP_PX_MIN}
              max={SNAP_PX_MAX}
              step={1}
              key={snapPx}
              defaultValue={snapPx}
              data-testid="snap-px"
              onChange={(e) => e.target.value !== '' && Number(e.target.value) >= SNAP_PX_MIN && useEditStore.getState().setSnapPx(e.target.value)}
              onBlur={(e) => {
                useEditStore.getState().setSnapPx(e.target.value);
                e.target.value = String(useEditStore.getState().snapPx);
              }}
            />
            px
          </label>
          {btn({ kind: 'split' }, 'split', 'tool-split')}
          {btn({ kind: 'place', layer: 'valves' }, 'placeValve', 'tool-place-valve')}
          {btn({ kind: 'place', layer: 'stations' }, 'placeStation', 'tool-place-station')}
          {btn({ kind: 'vertices', pipeId: selectedPipe ?? '' }, 'editVertices', 'tool-vertices', !selectedPipe && tool.kind !== 'vertices')}
          {tool.kind === 'vertices' && (
            <button
              className="primary"
              data-testid="save-vertices"
              onClick={() => {
                const c = editCtl?.editedGeometry();
                if (c) void saveVertices(tool.pipeId, c);
              }}
            >
              {t('saveGeometry')}
            </button>
          )}
          <button
            disabled={!selectedFeature}
            data-testid="tool-edit-attributes"
            onClick={() => selection.type === 'single' && selectedFeature && editFeature(selection.layer, selection.id, selectedFeature.properties)}
          >
            {t('editAttributes')}
          </button>
          <button disabled={selection.type !== 'single'} onClick={() => void deleteSelected()} data-testid="tool-delete">
            {t('delete')}
          </button>
          <span className="sep" />
          <button disabled={!journal.undo.length} onClick={() => void undo()} data-testid="undo" title={journal.undo[0]?.label ?? ''}>
            ↶ {t('undo')}
          </button>
          {/* On a shared project opened live, undo takes back your own edits on the server; there is no redo. */}
          {!live && (
            <button disabled={!journal.redo.length} onClick={() => void redo()} data-testid="redo" title={journal.redo[0]?.label ?? ''}>
              ↷ {t('redo')}
            </button>
          )}
          <span className="sep" />
          <button className={projectsOpen ? 'active' : ''} onClick={() => setProjectsOpen(!projectsOpen)} data-testid="toggle-projects">
            {t('projectsPanel')}
          </button>
        </div>
        {hintKey && (
          <div className="edit-hint" data-testid="edit-hint">
            {t(hintKey)}
          </div>
        )}
        {projectsOpen && <ProjectsPanel />}
      </div>
      {error && !form && (
        <div className="edit-error" data-testid="edit-error" onClick={() => useEditStore.getState().setError(null)}>
          {refusalText(error, lang)}
        </div>
      )}
      {external && (
        <div className="edit-notice" data-testid="external-change" role="status">
          {t('fileChanged')}{' '}
          <button onClick={() => useEditStore.getState().setExternalChange(false)} data-testid="external-change-dismiss">
            {t('dismiss')}
          </button>
        </div>
      )}
      {conflict && (
        <div className="edit-conflict panel" data-testid="live-conflict" role="dialog" aria-label={sm(lang, 'liveBase')}>
          <ConflictView
            key={`${conflict.layer}/${conflict.id}/${conflict.theirVersion ?? ''}`}
            conflicts={[conflict]}
            lang={lang}
            busy={false}
            live
            onResolve={(r) => void resolveConflict(conflict, r[`${conflict.layer}/${conflict.id}`] ?? 'theirs')}
            onDiscard={() => {
              useEditStore.getState().setConflict(null);
              useEditStore.getState().setError(null);
            }}
          />
        </div>
      )}
      <AttributeForm />
    </>
  );
}
