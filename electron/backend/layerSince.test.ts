/**
 * layer:since: what a reader holding a layer as layer:get gave it needs to catch up — on the
 * real store of a temporary GeoPackage, edited through the app's own channels.
 */
import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from '../../core/model/geojson';
import { patchCollection } from '../../core/model/collection';
import { useTestProject } from './testProject';
import { seededRandom } from '../../core/random';

const project = useTestProject({ prefix: 'layer-since' });
/** Random edits of the sequence test (WARMNET_FUZZ_CASES, default 40) and its seed (WARMNET_FUZZ_SEED). */
const STEPS = Number(process.env.WARMNET_FUZZ_CASES ?? 40);
const SEED = Number(process.env.WARMNET_FUZZ_SEED ?? 20261206);

type Since = { features: FeatureCollection['features']; removed: string[] } | null;
const get = async (layer: string) => (await project.dispatch('layer:get', { layer })) as FeatureCollection;
const since = async (layer: string, revision: number) => (await project.dispatch('layer:since', { layer, revision })) as Since;
const byId = (fc: FeatureCollection) => [...fc.features].sort((a, b) => String(a.id).localeCompare(String(b.id)));

describe('layer:since', () => {
  it('gives the features written since a revision as layer:get gives them now, and the codes gone', async () => {
    const rev0 = project.store.revision();
    const pipes0 = await get('pipes');
    const valves0 = await get('valves');
    const [first, second] = pipes0.features;
    const a = first.geometry.coordinates as number[][];
    await project.dispatch('edit:update', { layer: 'pipes', id: first.id, properties: { dn: first.properties.dn === 300 ? 250 : 300 } });
    await project.dispatch('edit:delete', { layer: 'pipes', ids: [second.id] });
    const made = (await project.dispatch('edit:insert', {
      layer: 'pipes',
      geometry: { type: 'LineString', coordinates: [a[0], [a[0][0] + 0.001, a[0][1] + 0.001]] },
      properties: { id: 'P-SINCE', level: 'secondary', dn: 150, install_year: 2025 },
    })) as { id: string };

    const d = (await since('pipes', rev0))!;
    expect(d).not.toBeNull();
    expect(d.features.map((f) => f.id).sort()).toEqual([String(first.id), made.id].sort());
    expect(d.removed).toEqual([String(second.id)]);
    const now = await get('pipes');
    for (const f of d.features) expect(f).toEqual(now.features.find((g) => g.id === f.id));
    // caught up, the collection read before is the layer as read now
    expect(byId(patchCollection(pipes0, d.features, d.removed))).toEqual(byId(now));
    // a layer not written: nothing to catch up
    expect(await since('valves', rev0)).toEqual({ features: [], removed: [] });
    expect(await get('valves')).toEqual(valves0);
    // from the revision now: nothing either
    expect(await since('pipes', project.store.revision())).toEqual({ features: [], removed: [] });
  });

  it('says null when the store cannot tell feature by feature: a settings change, or a revision it has not reached', async () => {
    const rev = project.store.revision();
    expect(await since('pipes', rev + 5)).toBeNull();
    await project.dispatch('settings:set', { patch: { designLifeYears: 31 } });
    // every pipe's age class may have moved: read the layer whole
    expect(await since('pipes', rev)).toBeNull();
    expect(await since('valves', rev)).toBeNull();
  });

  it(`a reader catching up after each of ${STEPS} random edits (attributes, renames, inserts, deletes, splits, undo, redo) holds the layers as layer:get gives them`, async () => {
    const rnd = seededRandom(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const layers = ['pipes', 'valves'] as const;
    const held = new Map<string, { fc: FeatureCollection; revision: number }>();
    for (const l of layers) held.set(l, { revision: project.store.revision(), fc: await get(l) });
    let made = 0, caught = 0, whole = 0;
    const kinds: string[] = [];
    const ok: Record<string, number> = {};
    for (let step = 0; step < STEPS; step++) {
      const pipes = (await get('pipes')).features;
      const p = pick(pipes);
      const coords = p.geometry.coordinates as number[][];
      const kind = pick(['dn', 'dn', 'rename', 'insert', 'delete', 'split', 'undo', 'redo', 'valve', 'settings']);
      kinds.push(kind);
      const edits: Record<string, () => Promise<unknown>> = {
        dn: () => project.dispatch('edit:update', { layer: 'pipes', id: p.id, properties: { dn: pick([100, 150, 200, 250, 300]) } }),
        rename: () => project.dispatch('edit:update', { layer: 'pipes', id: p.id, properties: { id: `P-R${++made}` } }),
        insert: () =>
          project.dispatch('edit:insert', {
            layer: 'pipes',
            geometry: { type: 'LineString', coordinates: [coords[0], [coords[0][0] + 0.0004 * rnd(), coords[0][1] + 0.0004 * rnd()]] },
            properties: { id: `P-N${++made}`, level: 'courtyard', dn: 50, install_year: 2024 },
          }),
        delete: () => project.dispatch('edit:delete', { layer: 'pipes', ids: [p.id] }),
        split: () => project.dispatch('edit:split', { pipeId: p.id, at: [(coords[0][0] + coords[1][0]) / 2, (coords[0][1] + coords[1][1]) / 2] }),
        undo: () => project.dispatch('journal:undo', {}),
        redo: () => project.dispatch('journal:redo', {}),
        valve: async () => {
          const v = pick((await get('valves')).features);
          return project.dispatch('edit:update', { layer: 'valves', id: v.id, properties: { state: v.properties.state === 'closed' ? 'open' : 'closed' } });
        },
        settings: () => project.dispatch('settings:set', { patch: { designLifeYears: 25 + Math.floor(rnd() * 10) } }),
      };
      // an edit the store refuses (nothing to undo, a split too near an end) changes nothing: still caught up below
      await edits[kind]().then(() => (ok[kind] = (ok[kind] ?? 0) + 1), () => undefined);
      for (const l of layers) {
        const mine = held.get(l)!;
        const revision = project.store.revision();
        const d = await since(l, mine.revision);
        const fc = d ? patchCollection(mine.fc, d.features, d.removed) : await get(l);
        if (d) caught++;
        else whole++;
        expect(byId(fc), `${l} after step ${step} (${kind})`).toEqual(byId(await get(l)));
        held.set(l, { fc, revision });
      }
    }
    // the edits were made, of most kinds (a refused one leaves nothing to catch up)
    if (STEPS >= 40) expect(Object.keys(ok).length).toBeGreaterThanOrEqual(6);
    // both ways were taken: by the changes, and whole after a settings change
    expect(caught).toBeGreaterThan(0);
    if (kinds.includes('settings')) expect(whole).toBeGreaterThan(0);
  });
});
