/** Arguments that break each basemap channel's schema, and the field the refusal must name (handlers.test.ts). */
import type { BasemapContract } from './basemap.contract';

export const BASEMAP_MALFORMED: Record<keyof BasemapContract, { args: unknown; field: string }[]> = {
  'basemap:list': [{ args: { all: true }, field: 'all' }],
  'basemap:key': [{ args: { tianditu: 'key with spaces' }, field: 'tianditu' }, { args: {}, field: 'tianditu' }],
  'basemap:choose': [{ args: { path: '/etc/passwd' }, field: 'path' }],
  'basemap:add': [{ args: { handle: '/tmp/ortho.tif' }, field: 'handle' }, { args: { handle: 'a'.repeat(32), name: '' }, field: 'name' }],
  'basemap:online': [{ args: { name: 'x' }, field: 'url' }, { args: { url: 'http://h/{z}/{x}/{y}', name: 'x', gcj02: 'yes' }, field: 'gcj02' }],
  'basemap:remove': [{ args: { id: 'online:tianditu-vec' }, field: 'id' }],
  'view:set': [
    { args: { opacity: 2 }, field: 'opacity' },
    { args: { basemap: 'http://example.com/{z}' }, field: 'basemap' },
    { args: { views: [{ name: 'a', bbox: [1, 2, 3], theme: 'age' }] }, field: 'views.0.bbox' },
  ],
};
