import { describe, expect, it } from 'vitest';
import { colebrookFactor, colebrookSlope, colebrookX, epanetTransition, frictionFactor, swameeJainFactor, transitionCubic } from './friction';

const sj = { model: 'swamee-jain' as const, laminarRe: 2000, turbulentRe: 4000 };
const cw = { model: 'colebrook' as const, laminarRe: 2000, turbulentRe: 4000 };

describe('friction factor', () => {
  it('Colebrook–White satisfies its implicit equation', () => {
    for (const [re, e] of [[1e4, 1e-4], [1e5, 2.5e-3], [1e6, 1e-5], [5e7, 1e-2]]) {
      const f = colebrookFactor(re, e);
      const rhs = -2 * Math.log10(e / 3.7 + 2.51 / (re * Math.sqrt(f)));
      expect(1 / Math.sqrt(f)).toBeCloseTo(rhs, 12);
    }
    // Moody chart reading: Re 1e5, ε/D 1e-4 → 0.0185.
    expect(colebrookFactor(1e5, 1e-4)).toBeCloseTo(0.0185, 3);
  });

  it('Swamee–Jain stays within 3 % of Colebrook in its range (its published accuracy)', () => {
    for (const re of [5e3, 2e4, 1e5, 1e6, 1e7])
      for (const e of [1e-5, 1e-4, 1e-3, 5e-3]) expect(Math.abs(swameeJainFactor(re, e) / colebrookFactor(re, e) - 1)).toBeLessThan(0.03);
  });

  it('d f/d Re of Colebrook matches a finite difference', () => {
    const re = 2e5, e = 2e-3, h = 1;
    const x = colebrookX(re, e, 0);
    const fd = (colebrookFactor(re + h, e) - colebrookFactor(re - h, e)) / (2 * h);
    expect(colebrookSlope(re, e, x)).toBeCloseTo(fd, 12);
  });

  it('the general transition cubic is EPANET’s polynomial for Swamee–Jain at 2000–4000', () => {
    for (const e of [1e-4, 2.5e-3, 1e-2]) {
      const a = epanetTransition(e);
      const b = transitionCubic(e, sj);
      for (let i = 0; i < 4; i++) expect(b[i]).toBeCloseTo(a[i], 12);
    }
  });

  it('is continuous across the laminar, transitional and turbulent regimes (both laws)', () => {
    for (const opts of [sj, cw])
      for (const e of [1e-4, 2.5e-3]) {
        expect(frictionFactor(2000, e, opts)).toBeCloseTo(0.032, 12);
        expect(frictionFactor(2000 + 1e-6, e, opts)).toBeCloseTo(0.032, 8);
        const turb = opts.model === 'swamee-jain' ? swameeJainFactor(4000, e) : colebrookFactor(4000, e);
        expect(frictionFactor(4000 - 1e-6, e, opts)).toBeCloseTo(turb, 8);
      }
  });
});
