/**
 * Arguments that break each editing / journal / project / plan channel's
 * schema, and the field the refusal must name. The contract test
 * (handlers.test.ts) checks every channel with these.
 */
import type { EditContract } from './editing.contract';

export const EDIT_MALFORMED: Record<keyof EditContract, { args: unknown; field: string }[]> = {
  'edit:validate': [{ args: { layer: 'pipes' }, field: 'properties' }, { args: { layer: 'roads', properties: {} }, field: 'layer' }],
  'edit:nextId': [{ args: { layer: 'nope' }, field: 'layer' }],
  'edit:insert': [
    { args: { layer: 'pipes', properties: {}, geometry: { type: 'LineString', coordinates: [[115, 42]] } }, field: 'geometry.coordinates' },
    { args: { layer: 'pipes', properties: {}, geometry: { type: 'Point', coordinates: [500, 42] } }, field: 'geometry.coordinates.0' },
  ],
  'edit:update': [{ args: { layer: 'pipes', id: '' }, field: 'id' }],
  'edit:delete': [{ args: { layer: 'pipes', ids: [] }, field: 'ids' }],
  'edit:split': [{ args: { pipeId: 'P-1', at: [115] }, field: 'at' }],
  'edit:place': [{ args: { layer: 'pipes', at: [115, 42] }, field: 'layer' }],
  'edit:trace': [{ args: { pipeIds: [] }, field: 'pipeIds' }],
  'journal:get': [{ args: { n: 1 }, field: 'n' }],
  'journal:undo': [{ args: { steps: 2 }, field: 'steps' }],
  'journal:redo': [{ args: { steps: 2 }, field: 'steps' }],
  'project:list': [{ args: { year: 2024 }, field: 'year' }],
  'project:save': [{ args: { row: { id: 'PR-1', year: 'next' } }, field: 'row.year' }, { args: { row: { id: 'PR-1', colour: 'red' } }, field: 'row' }],
  'project:delete': [{ args: { id: 7 }, field: 'id' }],
  'project:link': [{ args: { projectId: 'PR-1', polygon: [[115, 42]] }, field: 'polygon' }],
  'project:unlink': [{ args: { projectId: 'PR-1', pipeIds: [] }, field: 'pipeIds' }],
  'plan:progress': [{ args: { year: 1800 }, field: 'year' }, { args: { year: 2024, today: 'tomorrow' }, field: 'today' }],
};
