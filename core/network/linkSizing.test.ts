import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../model/settings';
import { linkCapacityMW, linkDns, sizeLink } from './linkSizing';
import { pipeHydraulics } from './hydraulics';

describe('link sizing', () => {
  const s = DEFAULT_SETTINGS;
  it('capacity grows with DN and sits on the economic R or velocity limit', () => {
    const dns = linkDns(s);
    expect(dns[0]).toBe(50);
    for (let i = 1; i < dns.length; i++) expect(linkCapacityMW(dns[i], s)).toBeGreaterThan(linkCapacityMW(dns[i - 1], s));
    const cap = linkCapacityMW(200, s);
    const h = pipeHydraulics(cap, 200, 'primary', s);
    expect(h.rPaM).toBeLessThanOrEqual(s.primaryEconomicRMaxPam + 1e-6);
    expect(Math.max(h.rPaM / s.primaryEconomicRMaxPam, h.velocityMs / s.maxVelocityMs)).toBeGreaterThan(0.999);
  });

  it('picks the smallest DN that carries the load', () => {
    const { dn, capacityMW } = sizeLink(10, s);
    expect(capacityMW).toBeGreaterThanOrEqual(10);
    const dns = linkDns(s);
    const smaller = dns[dns.indexOf(dn) - 1];
    expect(linkCapacityMW(smaller, s)).toBeLessThan(10);
    expect(sizeLink(0, s).dn).toBe(50);
    expect(sizeLink(1e6, s).dn).toBe(dns[dns.length - 1]);
  });
});
