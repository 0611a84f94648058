/**
 * Sizing a new primary link for loop options: the smallest DN that carries a
 * load within the primary economic specific pressure drop (the upper end of
 * 30–70 Pa/m, a new pipe is designed economic, not at the 100 Pa/m ceiling)
 * and the velocity limit, using the capacity check's hydraulics.
 */
import type { Settings } from '../model/settings';
import { pipeHydraulics } from './hydraulics';

/** Standard DNs with an inner diameter in the settings, smallest first (DN 50 and up for primary links). */
export function linkDns(settings: Settings): number[] {
  return Object.keys(settings.innerDiameterMm)
    .map(Number)
    .filter((dn) => Number.isFinite(dn) && dn >= 50)
    .sort((a, b) => a - b);
}

const capacityCache = new WeakMap<Settings, Map<number, number>>();

/** Largest load (MW) a primary pipe of this DN carries within the economic R and the velocity limit. */
export function linkCapacityMW(dn: number, settings: Settings): number {
  let cache = capacityCache.get(settings);
  if (!cache) capacityCache.set(settings, (cache = new Map()));
  const hit = cache.get(dn);
  if (hit !== undefined) return hit;
  const ok = (q: number) => {
    const h = pipeHydraulics(q, dn, 'primary', settings);
    return h.rPaM <= settings.primaryEconomicRMaxPam && h.velocityMs <= settings.maxVelocityMs;
  };
  let lo = 0;
  let hi = 1;
  while (ok(hi) && hi < 1e5) hi *= 2;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  cache.set(dn, lo);
  return lo;
}

/** Smallest DN carrying `loadMW` (the largest DN when none does). */
export function sizeLink(loadMW: number, settings: Settings): { dn: number; capacityMW: number } {
  const dns = linkDns(settings);
  for (const dn of dns) {
    const cap = linkCapacityMW(dn, settings);
    if (cap >= loadMW) return { dn, capacityMW: cap };
  }
  const dn = dns[dns.length - 1];
  return { dn, capacityMW: linkCapacityMW(dn, settings) };
}
