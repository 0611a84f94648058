/**
 * A hydraulic run's per-pipe columns made straight from the solver's numbers
 * (no object per pipe) equal those made from the result's pipe objects, on
 * the sample and on the scale benchmark's generated network, in each
 * of two scenarios: ids, every number (null as NaN) and the pieces of divided pipes.
 */
import { describe, expect, it } from 'vitest';
import { generateSample } from '../../gis-data/generate/index';
import { benchNetwork } from '../bench/network.bench';
import { runHydraulics } from '../../core/hydraulics/scenario';
import { pipeNumbersOfResult, type HydraulicResult } from '../../core/hydraulics/simulate';
import { columnsOfNumbers, columnsOfPipes, pipeColumns, pipeViews } from '../../core/hydraulics/view';
import type { HydraulicNetwork } from '../../core/hydraulics/network';
import type { NetworkInput } from '../../core/network/graph';

function both(net: HydraulicNetwork, r: HydraulicResult) {
  const s = net.graph.input.settings;
  const rg = s.waterDensityKgM3 * (r.scenario.friction === 'swamee-jain' ? s.crossCheckGravityMs2 : s.gravityMs2);
  const nodeKpa = (n: number) => ((r.nodes.supplyHeadM[n] - r.nodes.groundM[n]) * rg) / 1000;
  const numbers = pipeNumbersOfResult(r);
  expect(numbers).not.toBeNull();
  const fromNumbers = columnsOfNumbers(net.graph, numbers!, nodeKpa);
  // what the app did before: the result's objects
  const fromObjects = columnsOfPipes(net.graph, r.pipes, nodeKpa);
  // once the objects are built, the columns come from them
  expect(pipeNumbersOfResult(r)).toBeNull();
  expect(pipeColumns(net, r)).toEqual(fromObjects);
  return { fromNumbers, fromObjects };
}

const networks: [string, () => NetworkInput][] = [
  ['the sample', () => generateSample() as unknown as NetworkInput],
  ['the generated network', () => benchNetwork(4000) as unknown as NetworkInput],
];

describe('pipe columns without pipe objects', () => {
  for (const [label, make] of networks)
    it(`equal those of the pipe objects on ${label}, the design and the "now" scenario`, () => {
      const project = make();
      for (const req of [{ scenario: 'design' as const, unbalanced: true }, { scenario: 'now' as const, outdoorC: -5 }]) {
        const run = runHydraulics(project, req);
        const { fromNumbers, fromObjects } = both(run.network, run.result);
        expect(fromNumbers.ids.length).toBeGreaterThan(0);
        expect(fromNumbers.ids).toEqual(fromObjects.ids);
        for (const k of ['dn', 'flowM3h', 'velocityMs', 'rPam', 'headLossM', 'supplyInC', 'supplyOutC', 'supplyPressureKpa'] as const)
          expect(Array.from(fromNumbers[k]), `${req.scenario} ${k}`).toEqual(Array.from(fromObjects[k]));
        expect(fromNumbers.parts).toEqual(fromObjects.parts);
        // the generated network has valves inside pipes: divided pipes with their pieces
        if (label === 'the generated network') expect(fromNumbers.parts.size).toBeGreaterThan(0);
        // and the rows made of them are the result's pipes with their DN and lowest supply pressure
        const rows = pipeViews(fromNumbers);
        rows.forEach((row, j) => {
          const { dn: _d, supplyPressureKpa: _p, ...pipe } = row;
          expect(pipe).toEqual(run.result.pipes[j]);
        });
      }
    }, 120_000);
});
