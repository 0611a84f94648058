import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildGraph } from './graph';
import { buildSegments } from './segments';
import { isolatePipe, isolateAt, NoSourceError, UnknownPipeError } from './isolate';
import { generateNetwork, lonLatAt, net } from './fixtures';
import { refIsolatePipe, refModel } from './reference';

const model = (p: ReturnType<ReturnType<typeof net>['build']>) => buildSegments(buildGraph(p));

/** S1 ─P1─ A ─P2─ B ─P3─ C, stations at B and C; valves as each test adds. */
const line = () =>
  net()
    .node('S', 0, 0)
    .node('A', 100, 0)
    .node('B', 200, 0)
    .node('C', 300, 0)
    .source('S1', 'S')
    .pipe('P1', 'S', 'A')
    .pipe('P2', 'A', 'B')
    .pipe('P3', 'B', 'C')
    .station('HS-B', 'B')
    .station('HS-C', 'C')
    .community('C-B', 'HS-B', { households: 10, heated_area_m2: 1000, energy_saving: 'yes' })
    .community('C-C', 'HS-C', { households: 20, heated_area_m2: 2000, energy_saving: 'no' });

describe('isolate: hand-built cases', () => {
  it('closes the valves on both sides and cuts what lies downstream', () => {
    const r = isolatePipe(model(line().valve('VA', 'A').valve('VB', 'B').build()), 'P2');
    expect(r.valvesToClose).toEqual(['VA', 'VB']);
    expect(r.alreadyClosed).toEqual([]);
    expect(r.pipesIsolated).toEqual(['P2']);
    expect(r.stationsCut).toEqual(['HS-B', 'HS-C']);
    expect(r.communitiesCut).toEqual(['C-B', 'C-C']);
    expect(r.households).toBe(30);
    expect(r.heatedAreaM2).toBe(3000);
    expect(r.loadMW).toBeCloseTo((1000 * 45 + 2000 * 62) / 1e6, 12);
    expect(r.lengthM).toBeGreaterThan(99);
    expect(r.lengthM).toBeLessThan(101);
  });

  it('lists an already-closed boundary valve apart from the ones to close', () => {
    const r = isolatePipe(model(line().valve('VA', 'A', { state: 'closed' }).valve('VB', 'B').build()), 'P2');
    expect(r.valvesToClose).toEqual(['VB']);
    expect(r.alreadyClosed).toEqual(['VA']);
    // VA was closed before the burst: B and C had no heat to lose.
    expect(r.stationsCut).toEqual([]);
  });

  it('grows through an inoperable open valve to the next valves', () => {
    const r = isolatePipe(model(line().valve('VA', 'A').valve('VB', 'B', { operable: 'no' }).valve('VC', 'C').build()), 'P2');
    expect(r.pipesIsolated).toEqual(['P2', 'P3']);
    expect(r.valvesToClose).toEqual(['VA', 'VC']);
  });

  it('splits a pipe at a valve inside it and isolates only its piece', () => {
    const p = line().valve('VA', 'A').valve('VB', 'B').valveOnPipe('VM', 'P2', 0.5).build();
    const m = model(p);
    expect(m.graph.pipeEdgeStart[2] - m.graph.pipeEdgeStart[1]).toBe(2);
    const [lon, lat] = lonLatAt(175, 0);
    const r = isolateAt(m, lon, lat);
    expect(r.valvesToClose).toEqual(['VB', 'VM']);
    expect(r.pipesIsolated).toEqual(['P2']);
    expect(r.lengthM).toBeCloseTo(50, 0);
    // The whole pipe: both pieces, and the interior valve is no longer a boundary.
    const whole = isolatePipe(m, 'P2');
    expect(whole.valvesToClose).toEqual(['VA', 'VB']);
    expect(whole.lengthM).toBeCloseTo(100, 0);
  });

  it('keeps stations fed around a loop', () => {
    const p = line()
      .node('D', 200, 100)
      .pipe('P4', 'S', 'D')
      .pipe('P5', 'D', 'B')
      .valve('VA', 'A')
      .valve('VB', 'B')
      .build();
    const r = isolatePipe(model(p), 'P2');
    expect(r.valvesToClose).toEqual(['VA', 'VB']);
    expect(r.stationsCut).toEqual([]);
    expect(r.loadMW).toBe(0);
  });

  it('cuts a station inside the isolated segment even when the loop passes it', () => {
    // Station at A with no valve on A: the segment contains its node.
    const p = line().station('HS-A', 'A').community('C-A', 'HS-A').valve('VS', 'S').valve('VB', 'B').build();
    const r = isolatePipe(model(p), 'P2');
    expect(r.stationsCut).toContain('HS-A');
  });

  it('does not empty the secondary network through a station', () => {
    const p = line()
      .node('X', 300, 50)
      .pipe('P-2nd', 'C', 'X', { level: 'secondary', dn: 100 })
      .valve('VB', 'B')
      .build();
    const r = isolatePipe(model(p), 'P3');
    expect(r.pipesIsolated).toEqual(['P3']);
    expect(r.stationsCut).toEqual(['HS-C']);
  });

  it('ignores pipes that are not in service', () => {
    const p = line().node('D', 200, 100).pipe('P4', 'S', 'D', { status: 'planned' }).pipe('P5', 'D', 'B').valve('VA', 'A').valve('VB', 'B').build();
    const r = isolatePipe(model(p), 'P2');
    expect(r.stationsCut).toEqual(['HS-B', 'HS-C']);
  });

  it('rejects an unknown pipe and a project without a source', () => {
    expect(() => isolatePipe(model(line().build()), 'P-404')).toThrow(UnknownPipeError);
    const noSource = net().node('A', 0, 0).node('B', 100, 0).pipe('P1', 'A', 'B').build();
    expect(() => isolatePipe(model(noSource), 'P1')).toThrow(NoSourceError);
  });
});

describe('isolate: property test against a brute-force reference', () => {
  it('matches remove-the-segment-and-search on generated networks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 3, max: 7 }),
        fc.boolean(),
        (seed, side, secondary) => {
          const gen = generateNetwork({
            seed,
            side,
            loopProb: 0.25,
            valveProb: 0.4,
            interiorValveProb: 0.2,
            closedProb: 0.1,
            inoperableProb: 0.25,
            notInServiceProb: 0.05,
            sources: 2,
            stationProb: 0.35,
            secondary,
          });
          const m = model(gen.project);
          const ref = refModel(gen.project);
          for (const pipe of gen.project.layers.pipes) {
            const got = isolatePipe(m, String(pipe.id));
            const want = refIsolatePipe(ref, String(pipe.id));
            expect({ ...got, lengthM: 0, loadMW: 0, heatedAreaM2: 0, cannotClose: undefined }).toEqual({
              ...want,
              lengthM: 0,
              loadMW: 0,
              heatedAreaM2: 0,
              cannotClose: undefined,
            });
            expect(got.lengthM).toBeCloseTo(want.lengthM, 6);
            expect(got.loadMW).toBeCloseTo(want.loadMW, 9);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
