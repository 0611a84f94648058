/**
 * A layer's collection caught up with the features written since it was read (layer:since):
 * a new collection in which every feature not written keeps its object, so that the map can
 * tell what changed by identity and send only that.
 */
import type { FeatureCollection } from './geojson';

type Feature = FeatureCollection['features'][number];

/** A feature's code: its id, else its `id` property. */
export const featureCode = (f: Feature): string => String(f.id ?? f.properties?.id);

/**
 * `prev` with each of `written` in place of the feature of the same code (or after the rest,
 * in their order, when new) and the codes `removed` left out. A code in both lists is written.
 */
export function patchCollection(prev: FeatureCollection, written: readonly Feature[], removed: readonly string[]): FeatureCollection {
  const fresh = new Map(written.map((f) => [featureCode(f), f]));
  const gone = new Set(removed);
  const features: Feature[] = [];
  for (const f of prev.features) {
    const code = featureCode(f);
    const now = fresh.get(code);
    if (now) {
      features.push(now);
      fresh.delete(code);
    } else if (!gone.has(code)) features.push(f);
  }
  for (const f of fresh.values()) features.push(f);
  return { ...prev, features };
}
