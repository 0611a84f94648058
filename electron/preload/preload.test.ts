import { describe, expect, it, vi } from 'vitest';

const exposed: Record<string, unknown> = {};
const ipc = { invoke: vi.fn(async (...a: unknown[]) => a), on: vi.fn(), removeListener: vi.fn() };
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: ipc,
}));

describe('preload', () => {
  it('exposes only invoke and on, as window.warmnet', async () => {
    await import('./index');
    expect(Object.keys(exposed)).toEqual(['warmnet']);
    const api = exposed.warmnet as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
  });

  it('invoke goes through the one IPC channel with channel and args', async () => {
    const api = exposed.warmnet as { invoke(c: string, a: unknown): Promise<unknown> };
    await api.invoke('layer:get', { layer: 'pipes' });
    expect(ipc.invoke).toHaveBeenCalledWith('warmnet:invoke', 'layer:get', { layer: 'pipes' });
  });

  it('on delivers only the named event and unsubscribes', async () => {
    const api = exposed.warmnet as { on(e: string, cb: (p: unknown) => void): () => void };
    const got: unknown[] = [];
    const off = api.on('project:changed', (p) => got.push(p));
    const listener = ipc.on.mock.calls[0][1] as (e: unknown, name: string, p: unknown) => void;
    listener({}, 'project:changed', { revision: 3 });
    listener({}, 'other', { revision: 4 });
    expect(got).toEqual([{ revision: 3 }]);
    off();
    expect(ipc.removeListener).toHaveBeenCalledWith('warmnet:event', listener);
  });
});
