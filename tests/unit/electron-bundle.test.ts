/**
 * The desktop build: main, preload and the analysis worker bundle, and the
 * bundled worker (what the packaged app runs, with no tsx) gives the same
 * answers as the analyses run in-process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AnalysisRunner } from '../../electron/backend/analysis/runner';
import { generateNetwork } from '../../core/network/fixtures';
import { prepareNetwork, runAnalysis } from '../../core/network/analyses';

const root = join(import.meta.dirname, '..', '..');
const out = join(root, 'dist-electron');
let runner: AnalysisRunner;

beforeAll(async () => {
  const { buildElectron } = await import('../../scripts/build-electron.mjs');
  await buildElectron();
  process.env.WARMNET_ANALYSIS_WORKER = join(out, 'analysis-worker.cjs');
  runner = new AnalysisRunner();
}, 120_000);

afterAll(() => {
  void runner?.dispose();
  delete process.env.WARMNET_ANALYSIS_WORKER;
});

describe('desktop bundle', () => {
  it('writes main, preload and the analysis worker', () => {
    for (const f of ['main.cjs', 'preload.cjs', 'analysis-worker.cjs', 'gpkg-probe.cjs']) expect(existsSync(join(out, f)), f).toBe(true);
  });

  it('runs criticality in the bundled worker with the in-process result', async () => {
    const gen = generateNetwork({ seed: 7, side: 10, areas: 2, valveProb: 0.4, stationProb: 0.3, secondary: true });
    const r = await runner.run({ path: 'mem://bundle', revision: 1, project: () => gen.project }, 'criticality', {});
    const direct = runAnalysis('criticality', prepareNetwork(gen.project), {});
    expect(r.loadAtRiskMWkm).toBeCloseTo(direct.loadAtRiskMWkm, 9);
    expect(r.bridges).toEqual(direct.bridges);
  }, 60_000);
});
