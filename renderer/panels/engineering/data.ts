/**
 * The engineering panels compute with the same core functions as
 * `warmnet capacity / candidates / coldwave`, on the layers the app already
 * holds, so the numbers on screen equal the command line's.
 */
import type { FeatureCollection } from '../../../core/model/geojson';
import { emptyLayers, type ProjectData, type ProjectFeatureRow, type ProjectRow } from '../../../core/model/project';
import type { LayerName } from '../../../core/model/schema';
import type { Settings } from '../../../core/model/settings';
import type { Feature } from '../../../core/model/types';

/** A bilingual label picked by language. */
export type Bi = { zh: string; en: string };
export const L = (lang: 'zh' | 'en', zh: string, en: string): string => (lang === 'zh' ? zh : en);

/** Plain project data from the layers held by the app store (computed `_class_*` properties are harmless). */
export function projectDataFromLayers(
  layers: Partial<Record<LayerName, FeatureCollection>>,
  settings: Settings,
  projects: ProjectRow[] = [],
  projectFeatures: ProjectFeatureRow[] = [],
): ProjectData {
  const out = emptyLayers();
  for (const name of Object.keys(out) as LayerName[]) {
    const fc = layers[name];
    if (!fc) continue;
    (out[name] as Feature[]) = fc.features.map((f) => {
      const props = (f.properties ?? {}) as Record<string, unknown>;
      return { ...f, id: String(f.id ?? props.id), properties: props } as Feature;
    });
  }
  return { layers: out, projects, projectFeatures, settings };
}

