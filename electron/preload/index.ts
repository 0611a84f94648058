/**
 * Preload (sandboxed): exposes exactly two functions to the page, a typed
 * `invoke(channel, args)` and `on(event, cb)`. No Node, no ipcRenderer, no
 * other objects cross the bridge.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { BackendEvent, BackendEvents, BridgeApi } from '../backend/contract';

import { EVENT, INVOKE } from './names';

const api: BridgeApi = {
  invoke: (channel, args) => ipcRenderer.invoke(INVOKE, channel, args),
  on<E extends BackendEvent>(event: E, cb: (payload: BackendEvents[E]) => void) {
    const listener = (_e: IpcRendererEvent, name: string, payload: BackendEvents[E]) => {
      if (name === event) cb(payload);
    };
    ipcRenderer.on(EVENT, listener);
    return () => {
      ipcRenderer.removeListener(EVENT, listener);
    };
  },
};

contextBridge.exposeInMainWorld('warmnet', api);
