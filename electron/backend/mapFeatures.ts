/**
 * What the map draws of a feature: for pipes, the stored properties plus
 * `length_m` and the theme classes (`_class_age`, …) the style's expressions
 * read. GeoJSON layers (layer:get) and vector tiles use the same function, so
 * a theme colours a pipe the same whichever way it reached the map.
 */
import type { LayerName } from '../../core/model/schema';
import type { Settings } from '../../core/model/settings';
import type { Feature } from '../../core/model/types';
import { lineLengthM } from '../../core/geo/length';
import { annotatePipe } from '../../core/style/themes';

export function mapProperties(layer: LayerName, f: Feature, settings: Settings, year: number): Record<string, unknown> {
  if (layer !== 'pipes') return f.properties;
  const length_m =
    typeof f.properties.length_m === 'number'
      ? f.properties.length_m
      : f.geometry?.type === 'LineString'
        ? lineLengthM((f.geometry as { coordinates: number[][] }).coordinates)
        : null;
  return annotatePipe({ ...f.properties, length_m }, settings, year);
}
