/**
 * Station overload ("小马拉大车", DOMAIN.md §3.7) and source load against
 * capacity and backup (§3 plan item 三(三)1). Design loads come from the
 * communities: heated area × heat index (energy-saving or older stock);
 * a station's connected load is the sum over the communities naming it in
 * `station_id`, times the simultaneity factor.
 */
import type { NetworkInput } from './build/base';
import type { Settings } from '../model/settings';
import { stationLoads as connectedLoads } from './loads';
import { message, type Message } from '../i18n';
import { percent } from '../format/number';

export type StationStatus = 'overloaded' | 'near_limit' | 'ok' | 'no_capacity';

export interface StationOverload {
  id: string;
  name: string | null;
  /** Σ community design loads × simultaneity, MW. */
  connectedMW: number;
  designCapacityMW: number | null;
  /** connected / design capacity (null without a capacity). */
  ratio: number | null;
  status: StationStatus;
  communities: string[];
  households: number;
  heatedAreaM2: number;
  /** The verdict, as typed messages (core/i18n) the screens and the command line put into words. */
  reason: Message[];
}

export type SourceStatus = 'overloaded' | 'near_limit' | 'ok' | 'no_capacity';

export interface SourceLoadCheck {
  id: string;
  name: string | null;
  kind: string | null;
  isBackup: boolean;
  capacityMW: number | null;
  /** Σ connected loads of the stations this source feeds, MW. */
  loadMW: number;
  ratio: number | null;
  status: SourceStatus;
  stations: string[];
  /** Backup sources on the same primary network and what they can take over. */
  backup: { sources: string[]; spareMW: number; coverageRatio: number | null };
  reason: Message[];
}

function ratioStatus(ratio: number | null, settings: Settings): StationStatus {
  if (ratio === null) return 'no_capacity';
  if (ratio >= settings.stationOverloadRatio) return 'overloaded';
  if (ratio >= settings.stationNearLimitRatio) return 'near_limit';
  return 'ok';
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Connected load and load ratio of every station, in the layer's order. */
export function stationOverload(data: NetworkInput, settings: Settings = data.settings): StationOverload[] {
  // Connected loads come from the network's load rule (loads.ts) so every screen shows the same MW.
  const loads = connectedLoads({ layers: data.layers, settings });
  return data.layers.stations.map((s, i) => {
    const e = loads[i];
    const connectedMW = e.loadMW;
    const cap = num(s.properties.design_capacity_mw);
    const ratio = cap !== null && cap > 0 ? connectedMW / cap : null;
    const status = ratioStatus(ratio, settings);
    const reason = [
      status === 'overloaded'
        ? message('station.overloaded', { mw: connectedMW.toFixed(2), cap, pct: percent(ratio!) })
        : status === 'near_limit'
          ? message('station.nearLimit', { pct: percent(ratio!) })
          : status === 'no_capacity'
            ? message('station.noCapacity')
            : message('station.ratio', { pct: percent(ratio!) }),
    ];
    return {
      id: s.id,
      name: text(s.properties.name),
      connectedMW,
      designCapacityMW: cap,
      ratio,
      status,
      communities: e.communities.map((ci) => data.layers.communities[ci].id),
      households: e.households,
      heatedAreaM2: e.heatedAreaM2,
      reason,
    };
  });
}

/**
 * Load of every source from the stations it feeds (`stationSource`: station id
 * → feeding source id, from the supply tree) and its backup: the backup
 * sources in the same primary network (`networkOf`: source id → network key),
 * whose spare capacity could take the load over.
 */
export function sourceLoadCheck(
  data: NetworkInput,
  stations: StationOverload[],
  stationSource: ReadonlyMap<string, string>,
  networkOf: ReadonlyMap<string, number>,
  settings: Settings = data.settings,
): SourceLoadCheck[] {
  const stationMW = new Map(stations.map((s) => [s.id, s.connectedMW]));
  // Each source's stations and their load, summed once (in the stations' order) and looked up after.
  const fed = new Map<string, string[]>();
  for (const [st, src] of stationSource) {
    const list = fed.get(src);
    if (list) list.push(st);
    else fed.set(src, [st]);
  }
  const load = new Map<string, number>();
  for (const [src, list] of fed) load.set(src, list.reduce((a, st) => a + (stationMW.get(st) ?? 0), 0));
  const loadOf = (id: string) => load.get(id) ?? 0;
  return data.layers.heat_sources.map((h) => {
    const p = h.properties;
    const isBackup = p.is_backup === true || p.is_backup === 1 || p.is_backup === 'yes' || p.is_backup === 'true';
    const cap = num(p.capacity_mw);
    const loadMW = loadOf(h.id);
    const ratio = cap !== null && cap > 0 ? loadMW / cap : null;
    const status = ratioStatus(ratio, settings);
    const net = networkOf.get(h.id);
    const backups = data.layers.heat_sources.filter((o) => {
      if (o.id === h.id || net === undefined || networkOf.get(o.id) !== net) return false;
      const b = o.properties.is_backup;
      return b === true || b === 1 || b === 'yes' || b === 'true';
    });
    const spareMW = backups.reduce((a, o) => a + Math.max(0, (num(o.properties.capacity_mw) ?? 0) - loadOf(o.id)), 0);
    const coverageRatio = loadMW > 0 ? Math.min(1, spareMW / loadMW) : null;
    const parts: Message[] = [];
    if (status === 'overloaded') parts.push(message('source.overloaded', { mw: loadMW.toFixed(2), cap }));
    else if (status === 'near_limit') parts.push(message('source.nearLimit', { pct: percent(ratio!) }));
    else if (status === 'no_capacity') parts.push(message('source.noCapacity'));
    else parts.push(message('station.ratio', { pct: percent(ratio!) }));
    if (!isBackup && loadMW > 0) parts.push(backups.length === 0 ? message('source.noBackup') : message('source.backupCovers', { pct: percent(coverageRatio ?? 0) }));
    return {
      id: h.id,
      name: text(p.name),
      kind: text(p.kind),
      isBackup,
      capacityMW: cap,
      loadMW,
      ratio,
      status,
      stations: fed.get(h.id) ?? [],
      backup: { sources: backups.map((b) => b.id), spareMW, coverageRatio },
      reason: parts,
    };
  });
}
