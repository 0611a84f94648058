/**
 * Where the wizard lives in the app: the tool-bar button (导入数据) and, over
 * the map, the wizard itself plus a drop target — files dragged onto the map
 * open the wizard with them.
 */
import { useEffect, useState } from 'react';
import { useAppStore } from '../../store';
import { ImportWizard } from './ImportWizard';
import { im } from './messages';
import { useImportUi } from './state';

export function ImportButton() {
  const lang = useAppStore((s) => s.lang);
  const open = useImportUi((s) => s.open);
  return (
    <button onClick={() => (open ? useImportUi.getState().hide() : useImportUi.getState().show())} aria-pressed={open} data-testid="toggle-import">
      ⇪ {im(lang, 'title')}
    </button>
  );
}

const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');

export function ImportHost() {
  const lang = useAppStore((s) => s.lang);
  const open = useImportUi((s) => s.open);
  const [over, setOver] = useState(false);

  useEffect(() => {
    const wrap = document.querySelector('.map-wrap');
    if (!wrap) return;
    const enter = (e: Event) => {
      if (!hasFiles(e as DragEvent)) return;
      e.preventDefault();
      setOver(true);
    };
    const leave = (e: Event) => {
      // Only when the pointer leaves the map area, not when it crosses a child.
      if (!wrap.contains((e as DragEvent).relatedTarget as Node | null)) setOver(false);
    };
    const drop = (e: Event) => {
      const d = e as DragEvent;
      if (!hasFiles(d)) return;
      d.preventDefault();
      setOver(false);
      useImportUi.getState().show([...(d.dataTransfer?.files ?? [])]);
    };
    wrap.addEventListener('dragover', enter);
    wrap.addEventListener('dragleave', leave);
    wrap.addEventListener('drop', drop);
    return () => {
      wrap.removeEventListener('dragover', enter);
      wrap.removeEventListener('dragleave', leave);
      wrap.removeEventListener('drop', drop);
    };
  }, []);

  return (
    <>
      {over && <div className="import-dropzone">{im(lang, 'dropOnMap')}</div>}
      {open && <ImportWizard onClose={() => useImportUi.getState().hide()} />}
    </>
  );
}
