/** Arguments that break each import channel's schema, and the field the refusal must name (handlers.test.ts). */
import type { ImportContract } from './import.contract';

const file = { name: 'pipes.geojson', base64: 'e30=' };
const handle = '0123456789abcdef0123456789abcdef';

export const IMPORT_MALFORMED: Record<keyof ImportContract, { args: unknown; field: string }[]> = {
  'import:upload': [
    { args: { files: [{ name: '../etc/passwd', base64: '' }] }, field: 'files.0.name' },
    { args: { files: [{ name: '/etc/passwd', base64: '' }] }, field: 'files.0.name' },
    { args: { files: [] }, field: 'files' },
    { args: { files: [file], path: '/etc/passwd' }, field: 'path' },
  ],
  'import:choose': [{ args: { path: '/home' }, field: 'path' }],
  'import:release': [{ args: { handle: '/tmp/x' }, field: 'handle' }, { args: {}, field: 'handle' }],
  'import:preview': [
    { args: { handle, layer: 'roads' }, field: 'layer' },
    // no channel takes a path from the renderer: neither as a handle nor beside one
    { args: { handle: '/etc/passwd', layer: 'pipes' }, field: 'handle' },
    { args: { handle: '../../secret.csv', layer: 'pipes' }, field: 'handle' },
    { args: { handle, path: '/tmp/x.csv', layer: 'pipes' }, field: 'path' },
    { args: { files: [file], layer: 'pipes' }, field: 'handle' },
    { args: { layer: 'pipes' }, field: 'handle' },
  ],
  'import:commit': [
    { args: { handle, layer: 'pipes', mapping: { dn: 7 } }, field: 'mapping.dn' },
    { args: { handle: 'C:\\Users\\me\\secret.csv', layer: 'pipes' }, field: 'handle' },
    { args: { handle, path: '/tmp/x.shp', layer: 'pipes' }, field: 'path' },
    { args: { handle, layer: 'pipes', mode: 'merge' }, field: 'mode' },
  ],
};
