import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../model/settings';
import { clean, findings } from '../planted';
import { offNetwork } from './offNetwork';

const toleranceM = DEFAULT_SETTINGS.attachToleranceM;

describe('rule offNetwork', () => {
  it('finds a valve away from the network, and nothing else', () => {
    const p = clean().node('far', 500, 500).valve('V-far', 'far').build();
    const only = [{ rule: 'offNetwork', kind: 'off_network', code: 'check.offNetwork.valve', params: { layer: 'valves', id: 'V-far', toleranceM }, featureIds: ['V-far'] }];
    expect(findings(p)).toEqual(only);
    expect(findings(p, [offNetwork])).toEqual(only);
  });

  it('says which layer: a station and a heat source off the network', () => {
    const p = clean().node('far', 500, 500).node('far2', -500, 500).station('HS-far', 'far').source('S-far', 'far2').build();
    expect(findings(p).map((f) => [f.code, f.params.layer, f.params.id])).toEqual([
      ['check.offNetwork.station', 'stations', 'HS-far'],
      ['check.offNetwork.source', 'heat_sources', 'S-far'],
    ]);
  });

  it('a valve within the attach tolerance of a pipe is on it', () => {
    expect(findings(clean().node('near', 50, toleranceM * 0.9).valve('V-near', 'near').build())).toEqual([]);
  });
});
