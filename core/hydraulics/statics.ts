/**
 * Pressure checks of a solved network (DOMAIN.md §3 item 11, CJJ 34):
 * - no boiling: the supply pressure everywhere stays above the saturation
 *   pressure of the water there plus a margin;
 * - no vacuum: no pressure below the minimum (air drawn in, the network
 *   emptying at high points);
 * - no over-pressure: nothing above the pipes' rating, checked at the lowest
 *   points;
 * and the same with the pumps stopped, on the static line (the make-up
 * pressure held at the pressure-holding source, level across its network).
 */
import { fixed } from '../format/number';
import { message, type Message } from '../i18n';

/** Saturation pressure of water at T (°C), kPa absolute (IAPWS-IF97 region 4). */
const IF97_N = [
  0.11670521452767e4, -0.72421316703206e6, -0.17073846940092e2, 0.12020824702470e5, -0.32325550322333e7,
  0.14915108613530e2, -0.48232657361591e4, 0.40511340542057e6, -0.23855557567849, 0.65017534844798e3,
] as const;

export function saturationPressureKpa(tempC: number): number {
  const n = IF97_N;
  const T = tempC + 273.15;
  const th = T + n[8] / (T - n[9]);
  const A = th * th + n[0] * th + n[1];
  const B = n[2] * th * th + n[3] * th + n[4];
  const C = n[5] * th * th + n[6] * th + n[7];
  const p = Math.pow((2 * C) / (-B + Math.sqrt(B * B - 4 * A * C)), 4);
  return p * 1000;
}

export type StaticFindingKind = 'boiling' | 'vacuum' | 'overpressure';

export interface StaticFinding {
  kind: StaticFindingKind;
  /** 'supply' / 'return' running, or 'static' (pumps stopped). */
  circuit: 'supply' | 'return' | 'static';
  /** Graph node and where it is. */
  node: number;
  lon: number;
  lat: number;
  groundM: number;
  /** Pressure there, kPa gauge, and the limit it breaks. */
  pressureKpa: number;
  limitKpa: number;
  /** Why, as a typed message (`hydraulics.pressure.<kind>`, the circuit as `c`: 0 static, 1 supply, 2 return). */
  reason: Message;
}

export interface PressureLimits {
  densityKgM3: number;
  gravityMs2: number;
  atmosphericKpa: number;
  boilingMarginKpa: number;
  minPressureKpa: number;
  maxPressureKpa: number;
}

/** Gauge pressure (kPa) of head H (m) at ground z (m). */
export function gaugeKpa(headM: number, groundM: number, L: Pick<PressureLimits, 'densityKgM3' | 'gravityMs2'>): number {
  return ((headM - groundM) * L.densityKgM3 * L.gravityMs2) / 1000;
}

/** Lowest gauge pressure (kPa) that keeps water at T from boiling, margin included. */
export function boilingLimitKpa(tempC: number, L: PressureLimits): number {
  return saturationPressureKpa(tempC) - L.atmosphericKpa + L.boilingMarginKpa;
}


/** One node's checks; findings go to `out` (the worst per kind and circuit is kept by the caller). */
export function checkPressure(
  circuit: StaticFinding['circuit'],
  node: number,
  lonLat: [number, number],
  groundM: number,
  headM: number,
  waterC: number,
  L: PressureLimits,
  out: StaticFinding[],
): void {
  const p = gaugeKpa(headM, groundM, L);
  const base = { circuit, node, lon: lonLat[0], lat: lonLat[1], groundM, pressureKpa: p };
  const c = circuit === 'static' ? 0 : circuit === 'supply' ? 1 : 2;
  if (circuit !== 'return' && Number.isFinite(waterC)) {
    const lim = boilingLimitKpa(waterC, L);
    if (p < lim)
      out.push({
        ...base,
        kind: 'boiling',
        limitKpa: lim,
        reason: message('hydraulics.pressure.boiling', { c, p: fixed(p, 1), lim: fixed(lim, 1), t: fixed(waterC, 1) }),
      });
  }
  if (p < L.minPressureKpa)
    out.push({
      ...base,
      kind: 'vacuum',
      limitKpa: L.minPressureKpa,
      reason: message('hydraulics.pressure.vacuum', { c, p: fixed(p, 1), lim: fixed(L.minPressureKpa, 1) }),
    });
  if (p > L.maxPressureKpa)
    out.push({
      ...base,
      kind: 'overpressure',
      limitKpa: L.maxPressureKpa,
      reason: message('hydraulics.pressure.overpressure', { c, p: fixed(p, 1), lim: fixed(L.maxPressureKpa, 1) }),
    });
}
