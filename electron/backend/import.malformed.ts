/** Arguments that break each import channel's schema, and the field the refusal must name (handlers.test.ts). */
import type { ImportContract } from './import.contract';

const file = { name: 'pipes.geojson', base64: 'e30=' };

export const IMPORT_MALFORMED: Record<keyof ImportContract, { args: unknown; field: string }[]> = {
  'import:preview': [
    { args: { files: [file], layer: 'roads' }, field: 'layer' },
    { args: { files: [{ name: '../etc/passwd', base64: '' }], layer: 'pipes' }, field: 'files.0.name' },
    { args: { layer: 'pipes' }, field: 'files' },
  ],
  'import:commit': [
    { args: { files: [file], layer: 'pipes', mapping: { dn: 7 } }, field: 'mapping.dn' },
    { args: { files: [file], path: '/tmp/x.shp', layer: 'pipes' }, field: 'files' },
    { args: { files: [file], layer: 'pipes', mode: 'merge' }, field: 'mode' },
  ],
};
