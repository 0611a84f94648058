/** Arguments that break each shared-project channel's schema, and the field the refusal must name (handlers.test.ts). */
import type { SharedContract } from './shared.contract';

const connection = { host: '127.0.0.1', port: 5432, database: 'warmnet', user: 'li', schema: 'mingantu' };

export const SHARED_MALFORMED: Record<keyof SharedContract, { args: unknown; field: string }[]> = {
  'shared:connections': [{ args: { all: true }, field: 'all' }],
  'shared:saveConnection': [
    { args: { label: 'x', connection: { ...connection, password: 'secret' } }, field: 'password' },
    { args: { label: 'x', connection: { ...connection, port: 0 } }, field: 'connection.port' },
  ],
  'shared:connect': [{ args: { connection: { ...connection, schema: 'x;drop' }, password: '' }, field: 'connection.schema' }],
  'shared:checkout': [
    { args: { connection, password: '', fileName: '../x.gpkg' }, field: 'fileName' },
    { args: { connection, password: '', fileName: 'x.gpkg', bbox: [1, 2, 3] }, field: 'bbox' },
  ],
  'shared:status': [{ args: { password: 5 }, field: 'password' }],
  'shared:watch': [{ args: { password: [] }, field: 'password' }],
  'shared:remote': [{ args: { since: -1 }, field: 'since' }],
  'shared:openLive': [{ args: { connection: { ...connection, port: 'x' }, password: '' }, field: 'connection.port' }],
  'shared:closeLive': [{ args: { force: true }, field: 'force' }],
  'shared:resolve': [
    { args: { conflict: { layer: 'nope', id: 'P-1', kind: 'changed', baseVersion: 1, theirVersion: 2, fields: [], mine: null, theirs: null }, resolution: 'mine' }, field: 'conflict.layer' },
    { args: { conflict: { layer: 'pipes', id: 'P-1', kind: 'changed', baseVersion: 1, theirVersion: 2, fields: [], mine: null, theirs: null }, resolution: 'both' }, field: 'resolution' },
  ],
  'shared:checkin': [
    { args: { prefer: 'both' }, field: 'prefer' },
    { args: { resolutions: { 'pipes/P-1': { dn: 'maybe' } } }, field: 'resolutions.pipes/P-1' },
  ],
};
