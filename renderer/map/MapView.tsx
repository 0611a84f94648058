/** Mounts the MapController and keeps it in step with the store. */
import { useEffect, useRef } from 'react';
import { LAYER_NAMES } from '../../core/model/schema';
import { useAppStore } from '../store';
import { MapController } from './MapController';
import { invoke } from '../api';

declare global {
  interface Window {
    /** Handle for end-to-end tests and the benchmark (the map and its controller). */
    warmnetDebug?: { controller: MapController; ready: Promise<void>; firstDataIdleMs?: number; basemapIdleMs?: number };
  }
}

let current: MapController | null = null;
let drawn: () => void = () => {};
const drawnOnce = new Promise<void>((ok) => (drawn = ok));
/** Resolves when the map first stands idle with the project drawn. */
export function firstIdle(): Promise<void> {
  return drawnOnce;
}
/**
 * Resolves at the first idle with the project drawn, or after `ms` should that never come (a
 * project that failed to load): what is not needed for the first picture waits for it.
 */
export function afterFirstDraw(ms = 20_000): Promise<void> {
  return Promise.race([drawnOnce, new Promise<void>((ok) => setTimeout(ok, ms))]);
}
/** The live controller (panels use it to frame features and zoom to extent). */
export function mapController(): MapController | null {
  return current;
}

export function MapView() {
  const ref = useRef<HTMLDivElement>(null);
  const layers = useAppStore((s) => s.layers);
  const info = useAppStore((s) => s.info);
  const theme = useAppStore((s) => s.theme);
  const visible = useAppStore((s) => s.visible);
  const selection = useAppStore((s) => s.selection);
  const origin = useAppStore((s) => s.selectionOrigin);
  const hover = useAppStore((s) => s.hover);
  const ctl = useRef<MapController | null>(null);
  const framedExtent = useRef(false);

  useEffect(() => {
    const s = useAppStore.getState();
    const c = new MapController({
      container: ref.current!,
      theme: s.theme,
      visible: s.visible,
      onPick: (r) => useAppStore.getState().select(r ? { type: 'single', ...r } : { type: 'none' }, 'map'),
      onHover: (r) => useAppStore.getState().setHover(r),
      onCursor: (ll) => window.dispatchEvent(new CustomEvent('warmnet:cursor', { detail: ll })),
    });
    ctl.current = c;
    current = c;
    const ready = c.whenLoaded();
    window.warmnetDebug = { controller: c, ready };
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current!);
    return () => {
      ro.disconnect();
      c.destroy();
      ctl.current = null;
      current = null;
    };
  }, []);

  // Frame the project as soon as its extent is known (before the data arrives), so tiles load once.
  useEffect(() => {
    const c = ctl.current;
    if (!c || framedExtent.current || !info?.bbox) return;
    framedExtent.current = true;
    c.zoomTo(info.bbox, false);
  }, [info]);

  useEffect(() => {
    const c = ctl.current;
    if (!c) return;
    let cancelled = false;
    void c.whenLoaded().then(() => {
      if (cancelled) return;
      let changed = false;
      const info = useAppStore.getState().info;
      if (info && c.setTiles(info.tiles, info.layerVersions ?? info.revision, info.tileChanges)) changed = true;
      for (const l of LAYER_NAMES) {
        const fc = layers[l];
        if (fc && c.setLayerData(l, fc)) changed = true;
      }
      // the benchmark's figure: page load → the map idle with the project drawn
      if (changed && window.warmnetDebug && window.warmnetDebug.firstDataIdleMs === undefined) {
        performance.mark('wn:setData');
        void c.whenIdle().then(() => {
          if (window.warmnetDebug && window.warmnetDebug.firstDataIdleMs === undefined) {
            performance.mark('wn:idle');
            window.warmnetDebug.firstDataIdleMs = performance.now();
          }
          drawn();
        });
      }
    });
    return () => {
      cancelled = true;
    };
  }, [layers]);

  useEffect(() => {
    void ctl.current?.whenLoaded().then(() => ctl.current?.setTheme(theme));
  }, [theme]);

  useEffect(() => {
    const c = ctl.current;
    void c?.whenLoaded().then(() => {
      for (const l of LAYER_NAMES) c.setVisible(l, visible[l]);
    });
  }, [visible]);

  useEffect(() => {
    const c = ctl.current;
    void c?.whenLoaded().then(() => {
      const ref = selection.type === 'single' ? { layer: selection.layer, id: selection.id } : null;
      c.setSelection(ref);
      if (ref && origin !== 'map') {
        // a tiled layer's features are not in the renderer: ask the backend where it is
        if (c.isTiled(ref.layer)) void invoke('feature:get', ref).then((d) => c.frame(ref, d.feature.geometry), () => undefined);
        else c.frame(ref);
      }
    });
  }, [selection, origin]);

  useEffect(() => {
    void ctl.current?.whenLoaded().then(() => ctl.current?.setHover(hover));
  }, [hover]);

  return <div ref={ref} className="map" data-testid="map" />;
}
