import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../model/settings';
import {
  colebrookFrictionFactor,
  designDeltaTK,
  innerDiameterMm,
  levelLimits,
  massFlowKgS,
  pipeHydraulics,
  swameeJain,
} from './hydraulics';

// The hand calculations below were made with ν = 0.4e-6 m²/s (the default is now 0.39e-6 at 75 ℃).
const S: Settings = { ...DEFAULT_SETTINGS, waterViscosityM2s: 0.4e-6 };

/**
 * Hand calculations, one step per line, with the defaults of DOMAIN.md §4:
 * c = 4187 J/(kg·K), ρ = 975 kg/m³, ν = 0.4e-6 m²/s (pinned in S), ε = 0.5 mm;
 * primary ΔT = 110 − 70 = 40 K, secondary ΔT = 55 − 45 = 10 K.
 *
 *   G  = Q / (c·ΔT)              [kg/s]
 *   A  = π d² / 4                [m²]
 *   v  = G / (ρ A)               [m/s]
 *   Re = v d / ν
 *   λ  : Colebrook, solved below by bisection on λ (a different method from
 *        the fixed-point iteration in the code), read off to 4 digits here
 *   R  = λ / d · ρ v² / 2        [Pa/m]
 *
 * DN100 (d = 0.100 m, A = 0.0078540 m², ε/d = 0.005000)
 *   primary 0.5 MW: G = 0.5e6 / (4187·40) = 2.9854;  v = 2.9854 / (975·0.007854) = 0.3899
 *                   Re = 0.3899·0.1/0.4e-6 = 97 466;  λ = 0.03133
 *                   R = 0.03133/0.1 · 975·0.3899²/2 = 23.21
 *   primary 1.5 MW: G = 8.9563;  v = 1.1696;  Re = 292 398;  λ = 0.03070;  R = 204.7
 * DN200 (d = 0.207 m, A = 0.033654 m², ε/d = 0.0024155)
 *   primary 3 MW:   G = 3e6 / 167 480 = 17.913;  v = 17.913 / (975·0.033654) = 0.5459
 *                   Re = 0.5459·0.207/0.4e-6 = 282 510;  λ = 0.02520
 *                   R = 0.02520/0.207 · 975·0.5459²/2 = 17.69
 *   primary 8 MW:   G = 47.767;  v = 1.4558;  Re = 753 359;  λ = 0.02486;  R = 124.06
 * DN300 (d = 0.311 m, A = 0.075964 m², ε/d = 0.0016077)
 *   primary 10 MW:  G = 59.709;  v = 0.8062;  Re = 626 790;  λ = 0.02246;  R = 22.88
 *   primary 20 MW:  G = 119.417; v = 1.6123;  Re = 1 253 580; λ = 0.02229; R = 90.84
 * Secondary (ΔT = 10 K)
 *   DN100 0.3 MW:   G = 0.3e6 / 41 870 = 7.1650; v = 0.9357; Re = 233 918; λ = 0.03078; R = 131.36
 *   DN200 1.5 MW:   G = 35.825; v = 1.0918; Re = 565 020; λ = 0.02493; R = 69.98
 */
const HAND = [
  { dn: 100, level: 'primary', q: 0.5, G: 2.9854, v: 0.3899, Re: 97466, lambda: 0.03133, R: 23.21 },
  { dn: 100, level: 'primary', q: 1.5, G: 8.9563, v: 1.1696, Re: 292398, lambda: 0.0307, R: 204.7 },
  { dn: 200, level: 'primary', q: 3, G: 17.913, v: 0.5459, Re: 282510, lambda: 0.0252, R: 17.69 },
  { dn: 200, level: 'primary', q: 8, G: 47.767, v: 1.4558, Re: 753359, lambda: 0.02486, R: 124.06 },
  { dn: 300, level: 'primary', q: 10, G: 59.709, v: 0.8062, Re: 626790, lambda: 0.02246, R: 22.88 },
  { dn: 300, level: 'primary', q: 20, G: 119.417, v: 1.6123, Re: 1253580, lambda: 0.02229, R: 90.84 },
  { dn: 100, level: 'secondary', q: 0.3, G: 7.165, v: 0.9357, Re: 233918, lambda: 0.03078, R: 131.36 },
  { dn: 200, level: 'courtyard', q: 1.5, G: 35.825, v: 1.0918, Re: 565020, lambda: 0.02493, R: 69.98 },
] as const;

/** Colebrook by bisection on λ: g(λ) = 1/√λ + 2·log10(ε/3.7d + 2.51/(Re√λ)) changes sign once. */
function colebrookByBisection(re: number, rr: number): number {
  const g = (f: number) => 1 / Math.sqrt(f) + 2 * Math.log10(rr / 3.7 + 2.51 / (re * Math.sqrt(f)));
  let lo = 0.001;
  let hi = 0.2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (g(lo) * g(mid) <= 0) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

function within(actual: number, expected: number, rel = 0.01): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(rel);
}

describe('pipe hydraulics against hand calculations', () => {
  for (const h of HAND) {
    it(`DN${h.dn} ${h.level} at ${h.q} MW`, () => {
      const r = pipeHydraulics(h.q, h.dn, h.level, S);
      within(r.flowKgS, h.G);
      within(r.velocityMs, h.v);
      within(r.reynolds, h.Re);
      within(r.frictionFactor, h.lambda);
      within(r.rPaM, h.R);
      // The same chain recomputed independently here, with λ from bisection.
      const d = innerDiameterMm(h.dn, S) / 1000;
      const dT = h.level === 'primary' ? 110 - 70 : 55 - 45;
      const G = (h.q * 1e6) / (4187 * dT);
      const v = G / (975 * ((Math.PI * d * d) / 4));
      const re = (v * d) / 0.4e-6;
      const lambda = colebrookByBisection(re, 0.5e-3 / d);
      within(r.frictionFactor, lambda, 1e-6);
      within(r.rPaM, ((lambda / d) * 975 * v * v) / 2, 1e-6);
      // Volumetric flow is mass flow over density.
      within(r.flowM3h, (G / 975) * 3600);
    });
  }

  it('agrees with the rough-pipe formula of CJJ 34 (R = 6.88e-3·K^0.25·G²/(ρ·d^5.25), G in t/h) within 8 %', () => {
    // The Shifrinson formula assumes fully rough flow, so it reads a few per cent low.
    for (const h of HAND) {
      const r = pipeHydraulics(h.q, h.dn, h.level, S);
      const d = r.innerDiameterMm / 1000;
      const gTh = r.flowKgS * 3.6;
      const shifrinson = (6.88e-3 * Math.pow(0.5e-3, 0.25) * gTh * gTh) / (975 * Math.pow(d, 5.25));
      within(r.rPaM, shifrinson, 0.08);
    }
  });
});

describe('friction factor', () => {
  it('Swamee–Jain agrees with the iterated Colebrook value (3 % overall, 1 % at Re ≥ 1e5)', () => {
    // Swamee–Jain reads up to ~3 % high for very rough pipes near Re 5000; heating mains run at Re 1e5–1e6.
    for (const re of [5e3, 3e4, 2e5, 1e6, 5e6]) {
      for (const rr of [1e-4, 1e-3, 2.4e-3, 5e-3, 1e-2]) {
        within(swameeJain(re, rr), colebrookFrictionFactor(re, rr), re >= 1e5 ? 0.01 : 0.03);
      }
    }
  });

  it('is laminar 64/Re below Re 2300 and zero without flow', () => {
    expect(colebrookFrictionFactor(1000, 0.005)).toBeCloseTo(0.064, 12);
    expect(colebrookFrictionFactor(0, 0.005)).toBe(0);
  });
});

describe('settings drive the numbers', () => {
  it('takes ΔT, limits and diameters from settings', () => {
    expect(designDeltaTK('primary', S)).toBe(40);
    expect(designDeltaTK('courtyard', S)).toBe(10);
    expect(levelLimits('primary', S)).toEqual({ maxRPaM: 100, maxVelocityMs: 3.5 });
    expect(levelLimits('secondary', S).maxRPaM).toBe(300);
    expect(innerDiameterMm(300, S)).toBe(311);
    const hotter = { ...S, primarySupplyC: 130 };
    // ΔT doubles → flow halves.
    within(massFlowKgS(8, designDeltaTK('primary', hotter), hotter), 47.767 / 1.5);
    const smoother = { ...S, roughnessMm: 0.05 };
    expect(pipeHydraulics(8, 200, 'primary', smoother).rPaM).toBeLessThan(pipeHydraulics(8, 200, 'primary', S).rPaM);
  });

  it('gives zero flow, velocity and R for no load', () => {
    const r = pipeHydraulics(0, 200, 'primary', S);
    expect([r.flowKgS, r.velocityMs, r.rPaM]).toEqual([0, 0, 0]);
  });
});
