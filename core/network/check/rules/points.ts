/** The point layers the check looks at, each with the graph's node of every feature and its catalogue keys. */
import type { Feature } from '../../../model/types';
import type { NetworkGraph } from '../../graph';
import type { CheckMessageKey } from '../types';

export interface PointLayer {
  layer: 'valves' | 'stations' | 'heat_sources';
  features: Feature[];
  nodeOf: Int32Array;
  offNetwork: CheckMessageKey;
  duplicate: CheckMessageKey;
}

export function pointLayers(g: NetworkGraph): PointLayer[] {
  const L = g.input.layers;
  return [
    { layer: 'valves', features: L.valves, nodeOf: g.valveNode, offNetwork: 'check.offNetwork.valve', duplicate: 'check.duplicatePoints.valve' },
    { layer: 'stations', features: L.stations, nodeOf: g.stationNode, offNetwork: 'check.offNetwork.station', duplicate: 'check.duplicatePoints.station' },
    { layer: 'heat_sources', features: L.heat_sources, nodeOf: g.sourceNode, offNetwork: 'check.offNetwork.source', duplicate: 'check.duplicatePoints.source' },
  ];
}

/** A point feature's coordinates, or null when it has none. */
export function pointOf(f: Feature): number[] | null {
  return (f.geometry as { coordinates?: number[] } | null)?.coordinates ?? null;
}
