/**
 * layer:since: what a reader holding a layer as layer:get gave it needs to catch up — on the
 * real store of a temporary GeoPackage, edited through the app's own channels.
 */
import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from '../../core/model/geojson';
import { patchCollection } from '../../core/model/collection';
import { useTestProject } from './testProject';

const project = useTestProject({ prefix: 'layer-since' });

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
});
