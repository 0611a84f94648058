/** Implementations of the editing, journal, project and plan channels (editing.contract.ts) over one store. */
import type { z } from 'zod';
import type { Geometry } from '../../core/model/geojson';
import type { LayerName } from '../../core/model/schema';
import { planProgress, projectLengths, totalsPerYear } from '../../core/plan/progress';
import type { StoreApi } from './store/api';
import type { LiveProject } from './store/pg/live';
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

type EditImpl = { [K in keyof EditContract]: (args: z.input<EditContract[K]["args"]>) => z.output<EditContract[K]["result"]> | Promise<z.output<EditContract[K]["result"]>> };

/** Channels that write: on a live shared project each runs as one save on the server (LiveProject.save). */
const WRITES = ['edit:insert', 'edit:update', 'edit:delete', 'edit:split', 'edit:place', 'project:save', 'project:delete', 'project:link', 'project:unlink'] as const;

function projectList(store: StoreApi): ProjectList {
  const data = { projects: store.listProjects(), projectFeatures: store.projectFeatures(), layers: { pipes: store.linkedPipes() } as never };
  return { projects: data.projects, lengths: projectLengths(data), totals: totalsPerYear(data) };
}

function journal(store: StoreApi, done?: JournalState['done']): JournalState {
  const j = store.journal();
  // The lists can grow long; the buttons need only the next few labels.
  return { undo: j.undo.slice(0, 20), redo: j.redo.slice(0, 20), ...(done !== undefined ? { done } : {}) };
}

/**
 * The channels over one store. With `live` (a shared project opened live) the
 * same code runs, each write as one versioned save on the server, and undo
 * takes back the user's own newest edit there; there is no redo.
 */
export function bindEditHandlers(store: StoreApi, live?: LiveProject | null): EditImpl {
  const impl = bindLocal(store);
  if (!live) return impl;
  const out = { ...impl } as Record<string, (args: never) => unknown>;
  for (const ch of WRITES) {
    const local = impl[ch] as (args: never) => unknown;
    out[ch] = (args: never) => live.save(() => local(args));
  }
  // A form's save: only the fields the user changed, and a conflict where someone else changed one of them since the form read it.
  out['edit:update'] = (({ base, ...args }: { base?: Record<string, unknown>; layer: LayerName; id: string; properties?: Record<string, unknown> }) =>
    live.save(() => {
      const properties = base && args.properties ? live.ownChanges(args.layer, args.id, args.properties, base) : args.properties;
      return impl['edit:update']({ ...args, ...(properties ? { properties } : {}) });
    })) as never;
  out['journal:get'] = () => live.journal();
  out['journal:undo'] = async () => {
    const done = await live.undo();
    return { ...(await live.journal()), done };
  };
  out['journal:redo'] = async () => ({ ...(await live.journal()), done: null });
  return out as EditImpl;
}

function bindLocal(store: StoreApi): { [K in keyof EditContract]: (args: z.input<EditContract[K]["args"]>) => z.output<EditContract[K]["result"]> } {
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
