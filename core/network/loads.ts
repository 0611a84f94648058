/**
 * Heat loads (DOMAIN.md §3 item 4): community load = heated area × heat index
 * (by the energy-saving flag); station load = Σ its communities × simultaneity.
 */
import type { Feature } from '../model/types';
import type { Settings } from '../model/settings';
import type { NetworkInput } from './graph';

/** Community design load, MW. */
export function communityLoadMW(community: Feature, settings: Settings): number {
  const area = Number(community.properties.heated_area_m2) || 0;
  const index =
    community.properties.energy_saving === 'yes' ? settings.heatIndexEnergySavingWm2 : settings.heatIndexOldWm2;
  return (area * index) / 1e6;
}

/** What each station carries: its communities and their totals. */
export interface StationLoad {
  communities: number[];
  loadMW: number;
  households: number;
  heatedAreaM2: number;
}

/** Per-station totals, indexed like `layers.stations`; communities naming an unknown station are left out. */
export function stationLoads(input: NetworkInput): StationLoad[] {
  const { stations, communities } = input.layers;
  const index = new Map<string, number>();
  stations.forEach((s, i) => index.set(String(s.id), i));
  const out: StationLoad[] = stations.map(() => ({ communities: [], loadMW: 0, households: 0, heatedAreaM2: 0 }));
  communities.forEach((c, ci) => {
    const si = index.get(String(c.properties.station_id ?? ''));
    if (si === undefined) return;
    const s = out[si];
    s.communities.push(ci);
    s.loadMW += communityLoadMW(c, input.settings) * input.settings.simultaneity;
    s.households += Number(c.properties.households) || 0;
    s.heatedAreaM2 += Number(c.properties.heated_area_m2) || 0;
  });
  return out;
}
