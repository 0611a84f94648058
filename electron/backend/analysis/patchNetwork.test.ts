/**
 * After edits, the analysis worker catches up by re-reading only the features
 * written since the revision it holds (store.changesSince + patchNetworkInput):
 * what it then holds equals a whole read of the file, feature for feature and
 * in the same order, whatever the edits (attributes, shapes, new features,
 * deletions, a renamed code, undo and redo); and an analysis run after an edit
 * reads only the changes and equals one on the whole snapshot.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Feature, LineStringGeom } from '../../../core/model/types';
import { criticalityOn, prepareNetwork, runAnalysis } from '../../../core/network/analyses';
import { useTestProject } from '../testProject';
import { AnalysisRunner, type ProjectRef } from './runner';
import { openReader, patchNetworkInput, readNetworkInput } from './readNetwork';

const project = useTestProject({ prefix: 'patch-network', from: 'sample' });
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

describe('the network caught up from the features written since a revision', () => {
  it('equals a whole read after attribute, shape, insert, delete, rename, undo and redo edits', () => {
    const { store } = project;
    const db = openReader(project.path);
    try {
      const r0 = store.revision();
      const base = readNetworkInput(db);
      const pipes = store.featureIds('pipes');
      const valves = store.featureIds('valves');
      expect(pipes.length).toBeGreaterThan(20);
      store.updateFeature('pipes', pipes[3], { properties: { dn: 800 } });
      store.updateFeature('valves', valves[0], { properties: { state: 'closed' } });
      // a pipe moved 5 m east
      const moved = store.getFeature('pipes', pipes[5]) as Feature<LineStringGeom>;
      store.updateFeature('pipes', pipes[5], { geometry: { type: 'LineString', coordinates: moved.geometry.coordinates.map(([x, y]) => [x + 0.00006, y]) } });
      // a new pipe, a copy of another beside it
      const copy = store.getFeature('pipes', pipes[10]) as Feature<LineStringGeom>;
      store.insertFeature('pipes', { type: 'Feature', id: 'P-PATCH-NEW', geometry: copy.geometry, properties: { ...copy.properties, id: 'P-PATCH-NEW' } });
      // deleted, then brought back by undo: the row comes back with a new fid, after the new pipe
      store.deleteFeature('pipes', pipes[7]);
      store.undo();
      store.deleteFeature('pipes', pipes[9]);
      store.updateFeature('pipes', pipes[12], { properties: { id: 'P-PATCH-RENAMED' } });
      store.undo();
      store.redo();
      // a layer the network does not read
      store.updateFeature('communities', store.featureIds('communities')[0], { properties: { name: 'patched' } });

      const changes = store.changesSince(r0);
      expect(changes).not.toBeNull();
      const named = new Map(changes!.map((c) => [c.layer, new Set(c.ids)]));
      for (const id of [pipes[3], pipes[5], pipes[7], pipes[9], pipes[12], 'P-PATCH-NEW', 'P-PATCH-RENAMED']) expect(named.get('pipes')?.has(id)).toBe(true);
      expect(named.get('valves')?.has(valves[0])).toBe(true);

      const patched = patchNetworkInput(db, base, changes!);
      const whole = readNetworkInput(db);
      expect(patched).not.toBeNull();
      expect(plain(patched)).toEqual(plain(whole));
      // the order is the file's, not the one held: the pipe brought back stands after the new one
      const order = whole.layers.pipes.map((f) => f.id);
      expect(order.indexOf(pipes[7])).toBeGreaterThan(order.indexOf('P-PATCH-NEW'));
      expect(order).not.toContain(pipes[9]);
      expect(order).not.toContain(pipes[12]);
      // nothing of the input held was changed in place
      expect(base.layers.pipes.map((f) => f.id)).toEqual(pipes);
    } finally {
      db.close();
    }
  });

  it('is not told by feature after a settings write or for a revision not yet made', () => {
    const { store } = project;
    const r = store.revision();
    expect(store.changesSince(r)).toEqual([]);
    expect(store.changesSince(r + 1)).toBeNull();
    store.setSettings({ snapToleranceM: store.getSettings().snapToleranceM });
    expect(store.changesSince(r)).toBeNull();
  });
});

describe('the analysis worker after an edit', () => {
  const runner = new AnalysisRunner();
  afterAll(() => runner.dispose());
  const ref = (): ProjectRef => ({
    path: project.path,
    revision: project.store.revision(),
    project: () => {
      throw new Error('a project file is not sent as data');
    },
    file: { path: project.path, revisionNow: () => project.store.revision(), changesSince: (r) => project.store.changesSince(r) },
  });

  it('reads only the features written since the revision it holds, and its results equal the whole snapshot’s', async () => {
    const { store } = project;
    // read ahead of the first analysis, which then finds the network held
    await runner.prepare(ref());
    expect(runner.lastRead).toBe('whole');
    const first = await runner.run(ref(), 'criticality', {});
    expect(runner.lastRead).toBe('held');
    expect(plain(first)).toEqual(plain(runAnalysis('criticality', prepareNetwork(store.snapshot()), {})));
    const crit = runAnalysis('criticality', prepareNetwork(store.snapshot()), {});
    const pipeId = criticalityOn(prepareNetwork(store.snapshot())).segments.filter((s) => s.loadLostMW > 0)[0].pipes[0];
    store.deleteFeature('pipes', pipeId);
    const after = await runner.run(ref(), 'criticality', {});
    expect(runner.lastRead).toBe('changes');
    expect(plain(after)).toEqual(plain(runAnalysis('criticality', prepareNetwork(store.snapshot()), {})));
    expect(plain(after)).not.toEqual(plain(crit));
    store.undo();
    const back = await runner.run(ref(), 'criticality', {});
    expect(runner.lastRead).toBe('changes');
    expect(plain(back)).toEqual(plain(runAnalysis('criticality', prepareNetwork(store.snapshot()), {})));
    // an incident recorded: nothing the network reads changed, the graph held is kept
    store.insertFeature('incidents', {
      type: 'Feature',
      id: 'INC-PATCH',
      geometry: { type: 'Point', coordinates: (store.getFeature('pipes', pipeId) as Feature<LineStringGeom>).geometry.coordinates[0] },
      properties: { id: 'INC-PATCH', pipe_id: pipeId, kind: 'leak', date: '2026-11-30' },
    });
    expect(plain(await runner.run(ref(), 'criticality', {}))).toEqual(plain(back));
    expect(runner.lastRead).toBe('kept');
    // a settings write is not told by feature: the whole file again
    store.setSettings({ snapToleranceM: store.getSettings().snapToleranceM });
    await runner.run(ref(), 'criticality', {});
    expect(runner.lastRead).toBe('whole');
  }, 60_000);
});
