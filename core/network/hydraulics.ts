/**
 * Pipe hydraulics for the capacity check (DOMAIN.md §3.6): from a heat load
 * to mass flow, velocity, Reynolds number, Colebrook friction factor and the
 * specific pressure drop R (比摩阻) by Darcy–Weisbach. Every physical number
 * (water properties, roughness, inner diameters, temperatures, limits) comes
 * from the project's settings.
 */
import type { PipeLevel } from '../model/schema';
import type { Settings } from '../model/settings';

/** Hydraulic state of one pipe carrying a given heat load. */
export interface PipeHydraulics {
  loadMW: number;
  /** Design temperature difference supply − return of the pipe's level, K. */
  deltaTK: number;
  /** Mass flow, kg/s. */
  flowKgS: number;
  /** Volumetric flow, m³/h. */
  flowM3h: number;
  /** Inner diameter used, mm. */
  innerDiameterMm: number;
  velocityMs: number;
  reynolds: number;
  /** Darcy friction factor λ (0 when nothing flows). */
  frictionFactor: number;
  /** Specific pressure drop, Pa/m. */
  rPaM: number;
}

/** Limits of a pipe level: maximum specific pressure drop and velocity. */
export interface LevelLimits {
  maxRPaM: number;
  maxVelocityMs: number;
}

/** Supply − return temperature difference of a level at design, K. */
export function designDeltaTK(level: PipeLevel, settings: Settings): number {
  return level === 'primary'
    ? settings.primarySupplyC - settings.primaryReturnC
    : settings.secondarySupplyC - settings.secondaryReturnC;
}

export function levelLimits(level: PipeLevel, settings: Settings): LevelLimits {
  const maxRPaM =
    level === 'primary'
      ? settings.primaryMaxRPam
      : level === 'secondary'
        ? settings.secondaryMaxRPam
        : settings.courtyardMaxRPam;
  return { maxRPaM, maxVelocityMs: settings.maxVelocityMs };
}

/**
 * Inner diameter (mm) of a DN from the settings table. A DN missing from the
 * table falls back to the DN itself, which is what the nominal size means
 * for the larger steel pipes; callers can tell by comparing with the table.
 */
export function innerDiameterMm(dn: number, settings: Settings): number {
  const d = settings.innerDiameterMm[String(dn)];
  return typeof d === 'number' && d > 0 ? d : dn;
}

/** Mass flow G = Q / (c·ΔT), kg/s, for a load in MW. */
export function massFlowKgS(loadMW: number, deltaTK: number, settings: Settings): number {
  if (!(loadMW > 0) || !(deltaTK > 0)) return 0;
  return (loadMW * 1e6) / (settings.waterCkJkgK * 1e3 * deltaTK);
}

/**
 * Swamee–Jain explicit approximation of Colebrook's friction factor. Used as
 * the starting point of the iteration (and to cross-check it): within about
 * 1 % of Colebrook for 10⁻⁶ < ε/d < 10⁻², 5000 < Re < 10⁸.
 */
export function swameeJain(reynolds: number, relativeRoughness: number): number {
  const t = Math.log10(relativeRoughness / 3.7 + 5.74 / Math.pow(reynolds, 0.9));
  return 0.25 / (t * t);
}

/**
 * Darcy friction factor. Laminar flow (Re < 2300) gives 64/Re; otherwise the
 * Colebrook–White equation 1/√λ = −2·log10(ε/(3.7d) + 2.51/(Re·√λ)) solved
 * by fixed-point iteration on x = 1/√λ from the Swamee–Jain value; the map
 * is a strong contraction for turbulent flow, so a handful of steps reach
 * 1e-12. The transition zone (2300–4000) uses Colebrook too, which errs on
 * the safe (higher friction) side for a capacity check.
 */
export function colebrookFrictionFactor(reynolds: number, relativeRoughness: number): number {
  if (!(reynolds > 0)) return 0;
  if (reynolds < 2300) return 64 / reynolds;
  let x = 1 / Math.sqrt(swameeJain(reynolds, relativeRoughness));
  for (let i = 0; i < 50; i++) {
    const next = -2 * Math.log10(relativeRoughness / 3.7 + 2.51 * x / reynolds);
    if (Math.abs(next - x) < 1e-12 * Math.abs(x)) {
      x = next;
      break;
    }
    x = next;
  }
  return 1 / (x * x);
}

/** Flow, velocity and specific pressure drop for a pipe of `dn` on `level` carrying `loadMW`. */
export function pipeHydraulics(loadMW: number, dn: number, level: PipeLevel, settings: Settings): PipeHydraulics {
  const deltaTK = designDeltaTK(level, settings);
  const dMm = innerDiameterMm(dn, settings);
  const d = dMm / 1000;
  const rho = settings.waterDensityKgM3;
  const flowKgS = massFlowKgS(loadMW, deltaTK, settings);
  const area = (Math.PI * d * d) / 4;
  const velocityMs = flowKgS > 0 ? flowKgS / (rho * area) : 0;
  const reynolds = (velocityMs * d) / settings.waterViscosityM2s;
  const frictionFactor = colebrookFrictionFactor(reynolds, settings.roughnessMm / dMm);
  const rPaM = (frictionFactor / d) * ((rho * velocityMs * velocityMs) / 2);
  return {
    loadMW: Math.max(0, loadMW),
    deltaTK,
    flowKgS,
    flowM3h: (flowKgS / rho) * 3600,
    innerDiameterMm: dMm,
    velocityMs,
    reynolds,
    frictionFactor,
    rPaM,
  };
}
