/** Implementations of the editing, journal, project and plan channels (editing.contract.ts) over one store. */
import type { z } from 'zod';
import type { Geometry } from '../../core/model/geojson';
import { planProgress, projectLengths, totalsPerYear } from '../../core/plan/progress';
import type { StoreApi } from './store/api';
import type { EditContract, JournalState, ProjectList } from './editing.contract';
import {
  deleteEdited,
  deleteProjectEdited,
  insertEdited,
  linkPipes,
  nextFeatureId,
  placeOnNetwork,
  saveProject,
  sourcesReaching,
  splitPipe,
  unlinkPipes,
  validateEdit,
} from './editing';

type EditImpl = { [K in keyof EditContract]: (args: z.input<EditContract[K]["args"]>) => z.output<EditContract[K]["result"]> };

function projectList(store: StoreApi): ProjectList {
  const data = { projects: store.listProjects(), projectFeatures: store.projectFeatures(), layers: { pipes: store.listFeatures('pipes') } as never };
  return { projects: data.projects, lengths: projectLengths(data), totals: totalsPerYear(data) };
}

function journal(store: StoreApi, done?: JournalState['done']): JournalState {
  const j = store.journal();
  // The lists can grow long; the buttons need only the next few labels.
  return { undo: j.undo.slice(0, 20), redo: j.redo.slice(0, 20), ...(done !== undefined ? { done } : {}) };
}

export function bindEditHandlers(store: StoreApi): EditImpl {
  return {
    'edit:validate': ({ layer, properties, geometry, currentId }) => validateEdit(store, layer, properties, geometry, currentId),
    'edit:nextId': ({ layer }) => nextFeatureId(store, layer),
    'edit:insert': ({ layer, geometry, properties, projectId }) => insertEdited(store, layer, { geometry: geometry as Geometry, properties }, projectId),
    'edit:update': ({ layer, id, properties, geometry }) =>
      store.updateFeature(layer, id, { ...(properties ? { properties } : {}), ...(geometry ? { geometry: geometry as Geometry } : {}) }),
    'edit:delete': ({ layer, ids }) => deleteEdited(store, layer, ids),
    'edit:split': ({ pipeId, at, ids }) => splitPipe(store, pipeId, at, ids),
    'edit:place': ({ layer, at, properties }) => placeOnNetwork(store, layer, at, properties),
    'edit:trace': ({ pipeIds }) => sourcesReaching(store, pipeIds),
    'journal:get': () => journal(store),
    'journal:undo': () => journal(store, store.undo()),
    'journal:redo': () => journal(store, store.redo()),
    'project:list': () => projectList(store),
    'project:save': ({ row }) => saveProject(store, row as never),
    'project:delete': ({ id }) => {
      deleteProjectEdited(store, id);
      return projectList(store);
    },
    'project:link': ({ projectId, pipeIds, polygon }) => linkPipes(store, projectId, { pipeIds, polygon }),
    'project:unlink': ({ projectId, pipeIds }) => {
      unlinkPipes(store, projectId, pipeIds);
      return projectList(store);
    },
    'plan:progress': ({ year, today }) => planProgress(store.snapshot(), year, today ?? new Date().toISOString().slice(0, 10)),
  };
}
