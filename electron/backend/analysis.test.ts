/* eslint-disable @typescript-eslint/no-explicit-any -- channel results and CLI JSON are compared field by field; their shape is what the test checks */
/**
 * The analysis channels through the real dispatcher on a temporary copy of the
 * Mingantu sample: the app's numbers equal `warmnet isolate / criticality /
 * loops / capacity --json` on the same file, the what-if falls by what the
 * option promised, progress arrives, cancel stops a run, malformed arguments
 * are refused, and settings writes land in the file.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractError } from './handlers';
import { analysisEvents, analysisRunner } from './analysis.handlers';
import { ANALYSIS_MALFORMED } from './analysis.malformed';
import type { AnalysisProgress } from './analysis.contract';
import { useTestProject } from './testProject';
import { worstFirst } from '../../core/network/capacity';
import { candidatesAnswer } from '../../core/network/candidates';
import { criticalityAnswer } from '../../core/network/criticality';
import { supplyAnswer } from '../../core/network/supply';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The sample when it is there (the numbers the issue talks about); the small fixture otherwise.
const project = useTestProject({ prefix: 'analysis', from: 'sample', after: () => analysisRunner().dispose() });
const call = (c: string, a: unknown) => project.dispatch(c, a) as Promise<any>;

function cli(...args: string[]): any {
  return JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bin/warmnet.mjs'), ...args, '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 200_000_000 }));
}

describe('analysis channels equal the command line', () => {
  it('criticality, then isolate of the worst segment’s first pipe, then loops and what-if', async () => {
    const crit = await call('analysis:criticality', {});
    const critCli = cli('criticality', project.path);
    expect(crit.loadAtRiskMWkm).toBeCloseTo(critCli.loadAtRiskMWkm, 9);
    // the app's part of the CLI's whole report
    expect(JSON.parse(JSON.stringify(crit))).toEqual(JSON.parse(JSON.stringify(criticalityAnswer(critCli))));
    expect(crit.segmentCount).toBe(critCli.segments.length);
    expect(crit.bridgeCount).toBe(critCli.bridges.length);

    const pipeId = crit.worstSegment?.pipes[0] ?? crit.worst[0].pipes[0];
    const iso = await call('analysis:isolate', { pipeId });
    const { cannotClose: _c, ...isoExact } = iso;
    expect(isoExact).toEqual(cli('isolate', project.path, '--pipe', pipeId));
    expect(iso.valvesToClose.length).toBeGreaterThan(0);

    const loops = await call('analysis:loops', {});
    const loopsCli = cli('loops', project.path);
    expect(loops.chosen).toEqual(loopsCli.chosen);
    expect(loops.options.length).toBe(loopsCli.options.length);
    const top = loops.options[0];
    expect(top.kind).toBe(loopsCli.options[0].kind);
    for (const k of ['rank', 'lengthM', 'dn', 'costWan', 'backupMW', 'riskReducedMWkm', 'benefitPerWan']) expect(top[k]).toBeCloseTo(loopsCli.options[0][k], 6);
    expect(top.from.source).toBe(loopsCli.options[0].from.source);
    expect(top.to.source).toBe(loopsCli.options[0].to.source);

    const what = await call('analysis:whatif', { optionRank: 1 });
    expect(what.before).toBeCloseTo(crit.loadAtRiskMWkm, 9);
    expect(what.after).toBeLessThan(what.before);
    expect(what.before - what.after).toBeCloseTo(top.riskReducedMWkm, 6);
    // The worker read the file and added the option itself: no project went across as data.
    expect(analysisRunner().lastMessage).toMatchObject({ name: 'criticality', withProject: false, extraPipes: [{ id: 'LOOP-1' }] });
    // The option lives only in memory: the file is unchanged.
    expect(project.store.listFeatures('pipes').some((p) => String(p.id).startsWith('LOOP-'))).toBe(false);
    await expect(call('analysis:whatif', { optionRank: 99_999 })).rejects.toThrow(/no loop option of rank 99999/);
  }, 60_000);

  it('a second call on the same revision is served from the cache; an edit recomputes', async () => {
    const runner = analysisRunner();
    const before = runner.runs;
    await call('analysis:criticality', {});
    expect(runner.runs).toBe(before);
    project.store.setSettings({ snapToleranceM: project.store.getSettings().snapToleranceM });
    await call('analysis:check', {});
    await call('analysis:criticality', {});
    expect(runner.runs).toBe(before + 2);
  }, 60_000);

  it('capacity equals warmnet capacity', async () => {
    const cap = await call('analysis:capacity', {});
    const capCli = cli('capacity', project.path);
    expect(cap.summary).toEqual(capCli.summary);
    // the app gets every mismatched pipe by code (ok, the most numerous class, goes unlisted), and the worst rows as the CLI lists them
    expect(cap.rest).toBe('ok');
    expect(cap.classes.mismatched).toEqual(capCli.pipes.filter((p: any) => p.status === 'mismatched').map((p: any) => p.id));
    const worst = [...capCli.pipes].sort(worstFirst).slice(0, cap.pipes.length);
    expect(cap.pipes.length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(cap.pipes))).toEqual(worst);
  }, 60_000);

  it('candidates and the cold wave (capacity from the worker, no whole snapshot) equal warmnet candidates / coldwave', async () => {
    const cand = await call('analysis:candidates', { asOf: '2026-06-30' });
    const candCli = cli('candidates', project.path, '--as-of', '2026-06-30');
    expect(cand.candidates).toBeGreaterThan(0);
    // the app's part of the CLI's whole ranking: its first rows, every candidate's code, the count scored
    const { file: _file, ...ranking } = candCli;
    expect(JSON.parse(JSON.stringify(cand))).toEqual(JSON.parse(JSON.stringify(candidatesAnswer(ranking))));
    expect(cand.scored).toBe(candCli.pipes.length);
    const forecast = join(ROOT, 'tests/fixtures/forecasts/hourly-below-threshold.csv');
    const cold = await call('analysis:coldwave', { csv: readFileSync(forecast, 'utf8') });
    const { file: _f, forecastFile: _ff, ...coldCli } = cli('coldwave', project.path, '--forecast', forecast);
    expect(cold.report.stations.length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(cold.report))).toEqual(coldCli);
  }, 120_000);

  it('the supply trace equals warmnet check --supply, its pipes grouped by their sources', async () => {
    const trace = await call('analysis:trace', {});
    const { file: _file, ...whole } = cli('check', project.path, '--supply');
    expect(trace.pipeGroups.length).toBeGreaterThan(1);
    expect(JSON.parse(JSON.stringify(trace))).toEqual(JSON.parse(JSON.stringify(supplyAnswer({ ...whole, edgeArea: new Int32Array(0) }, project.store.featureIds('pipes')))));
  }, 60_000);

  it('an unknown pipe is refused with its id', async () => {
    await expect(call('analysis:isolate', { pipeId: 'P-NOPE' })).rejects.toThrow(/P-NOPE/);
  });

  it('reports progress under the runId and stops when cancelled', async () => {
    const seen: AnalysisProgress[] = [];
    const on = (p: AnalysisProgress) => seen.push(p);
    analysisEvents.on('analysis:progress', on);
    try {
      // A fresh revision so the run is not a cache hit.
      project.store.setSettings({ snapToleranceM: project.store.getSettings().snapToleranceM });
      await call('analysis:criticality', { runId: 'r1' });
      expect(seen.filter((p) => p.runId === 'r1').length).toBeGreaterThan(0);
      expect(seen.every((p) => p.fraction >= 0 && p.fraction <= 1)).toBe(true);

      // The what-if's three steps report as one rising progress under one id.
      project.store.setSettings({ snapToleranceM: project.store.getSettings().snapToleranceM });
      await call('analysis:whatif', { optionRank: 1, runId: 'r3' });
      const w = seen.filter((p) => p.runId === 'r3').map((p) => p.fraction);
      expect(w.length).toBeGreaterThan(2);
      expect(w.every((x, i) => i === 0 || x >= w[i - 1])).toBe(true);
      expect(w[w.length - 1]).toBe(1);

      project.store.setSettings({ snapToleranceM: project.store.getSettings().snapToleranceM });
      const pending = call('analysis:loops', { runId: 'r2' }).then(
        () => 'finished',
        (e: Error) => e.message,
      );
      const cancelled = await call('analysis:cancel', { runId: 'r2' });
      expect(cancelled).toBe(true);
      expect(await pending).toMatch(/cancelled/);
      expect(await call('analysis:cancel', { runId: 'nothing-running' })).toBe(false);
    } finally {
      analysisEvents.off('analysis:progress', on);
    }
  }, 60_000);
});

describe('analysis:hydraulics', () => {
  it('equals warmnet hydraulics --json, carries the 水压图 profile and the balancing rows; cached per revision and scenario', async () => {
    const runner = analysisRunner();
    const app = await call('analysis:hydraulics', { scenario: 'design', runId: 'h1' });
    const j = cli('hydraulics', project.path);
    expect(app.converged).toBe(true);
    expect(app.unfavourable).toEqual(j.unfavourable);
    for (const s of j.sources) expect(app.sources.find((x: any) => x.id === s.id).heatMw).toBeCloseTo(s.heatMw, 9);
    for (const s of j.stations) expect(app.stations.find((x: any) => x.id === s.id).dpKpa).toBeCloseTo(s.dpKpa, 9);
    for (const p of j.pipes.slice(0, 50)) expect(app.pipes.find((x: any) => x.id === p.id).flowM3h).toBeCloseTo(p.flowM3h, 9);
    expect(app.profile.station).toBe(j.unfavourable.station);
    expect(app.profile.pipes).toEqual(j.unfavourable.path);
    expect(app.profile.points.length).toBeGreaterThanOrEqual(app.profile.pipes.length + 1);
    expect(app.profile.points[0].features).toContain(app.profile.source);
    expect(app.balancing.length).toBe(j.balancing.length);
    expect(app.balancing.every((b: any) => typeof b.deviationPct === 'number')).toBe(true);
    // Shares of the sources add up to one.
    expect(app.sources.reduce((a: number, s: any) => a + s.share, 0)).toBeCloseTo(1, 9);
    const before = runner.runs;
    await call('analysis:hydraulics', { scenario: 'design' });
    expect(runner.runs).toBe(before);
    const out = await call('analysis:hydraulics', { scenario: 'outage', sourcesOff: [j.sources[1].id], options: [1] });
    expect(runner.runs).toBe(before + 1);
    const outCli = cli('hydraulics', project.path, '--scenario', 'outage', '--source-off', j.sources[1].id, '--option', '1');
    expect(out.totals.servedMW).toBeCloseTo(outCli.stations.reduce((a: number, s: any) => a + s.loadKw - s.shortfallKw, 0) / 1000, 6);
    // A chosen station's profile.
    const other = app.stations.find((s: any) => s.id !== app.unfavourable.station && s.served).id;
    const chosen = await call('analysis:hydraulics', { scenario: 'design', profileStation: other });
    expect(chosen.profile.station).toBe(other);
  }, 120_000);

  it('refuses bad input naming the feature', async () => {
    await expect(call('analysis:hydraulics', { scenario: 'outage', sourcesOff: ['S-NOPE'] })).rejects.toThrow(/S-NOPE/);
    await expect(call('analysis:hydraulics', { scenario: 'design', options: [99_999] })).rejects.toThrow(/no loop option of rank 99999/);
  }, 60_000);

  it('export:profile draws the 水压图 as PDF (text read back by pdftotext) and PNG; a station the path cannot reach is named', async () => {
    const view = await call('analysis:hydraulics', { scenario: 'design' });
    const station = view.unfavourable.station;
    const pdf = await call('export:profile', { scenario: 'design', format: 'pdf', runId: 'p1' });
    expect(pdf.files[0].name).toMatch(new RegExp(`水压图-design-${station}-.*\\.pdf$`));
    const file = join(project.dir, 'profile.pdf');
    writeFileSync(file, Buffer.from(pdf.files[0].base64, 'base64'));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    for (const word of ['水压图', station, view.profile.source, '供水压力线', '回水压力线', '静水压线', '地形线']) expect(text).toContain(word);
    const png = await call('export:profile', { scenario: 'design', format: 'png', dpi: 100, labels: { profile: 'Profile', minimum: 'min', supply: 'Supply', return: 'Return', ground: 'Ground', static: 'Static', distance: 'm', head: 'Head m' } });
    const bytes = Buffer.from(png.files[0].base64, 'base64');
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(Math.round((260 / 25.4) * 100));
    await expect(call('export:profile', { scenario: 'design', format: 'pdf', profileStation: 'HS-NOPE' })).rejects.toThrow(/HS-NOPE/);
  }, 120_000);

  it('the hydraulic exports run on the file the worker reads, not on a snapshot posted to it', async () => {
    // a new revision: the run is no cache hit and the worker holds no network of it
    project.store.setSettings({ snapToleranceM: project.store.getSettings().snapToleranceM });
    await call('export:balancing', { scenario: 'design', runId: 'x0' });
    expect(analysisRunner().lastMessage).toMatchObject({ name: 'hydraulics', withProject: false, file: project.path });
  }, 120_000);

  it('export:balancing writes an .xlsx that openpyxl reads back, rows equal to the analysis', async () => {
    const view = await call('analysis:hydraulics', { scenario: 'design' });
    const r = await call('export:balancing', { scenario: 'design', runId: 'x1' });
    expect(r.files.length).toBe(1);
    expect(r.files[0].name).toMatch(/水力平衡.*\.xlsx$/);
    const xlsx = join(project.dir, 'balancing.xlsx');
    writeFileSync(xlsx, Buffer.from(r.files[0].base64, 'base64'));
    const py = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb[wb.sheetnames[0]]
rows = [[c.value for c in row] for row in ws.iter_rows()]
print(json.dumps({"sheets": wb.sheetnames, "rows": rows}))
`;
    const got = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, xlsx], { encoding: 'utf8' }));
    expect(got.sheets).toEqual(['水力平衡']);
    const header = got.rows.findIndex((row: any[]) => row[0] === '换热站');
    const body = got.rows.slice(header + 1).filter((row: any[]) => row[0] && row[0] !== '合计');
    const loaded = view.stations.filter((s: any) => s.loadKw > 0);
    expect(body.length).toBe(loaded.length);
    for (const row of body) {
      const st = view.stations.find((s: any) => s.id === row[0]);
      const b = view.balancing.find((x: any) => x.station === row[0]);
      expect(row[4]).toBeCloseTo(st.dpKpa, 9);
      expect(row[6]).toBeCloseTo(b.excessDpKpa, 9);
      expect(row[8]).toBeCloseTo(b.deviationPct, 9);
    }
    // In English: sheet, title, headers, verdicts and file name are English; station ids stay as written.
    const en = await call('export:balancing', { scenario: 'design', lang: 'en', runId: 'x2' });
    expect(en.files[0].name).toMatch(/-Balancing-design-.*\.xlsx$/);
    const enXlsx = join(project.dir, 'balancing-en.xlsx');
    writeFileSync(enXlsx, Buffer.from(en.files[0].base64, 'base64'));
    const gotEn = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, enXlsx], { encoding: 'utf8' }));
    expect(gotEn.sheets).toEqual(['Balancing']);
    const enHeader = gotEn.rows.findIndex((row: any[]) => row[0] === 'Station');
    expect(gotEn.rows[enHeader].slice(0, 3)).toEqual(['Station', 'Load kW', 'Design flow m³/h']);
    const stationIds = new Set(view.stations.map((s: any) => s.id));
    const words = gotEn.rows.flat().filter((v: unknown) => typeof v === 'string' && !stationIds.has(v)) as string[];
    expect(words.filter((w) => /[\p{Script=Han}]/u.test(w))).toEqual([]);
  }, 120_000);
});

describe('settings writes', () => {
  it('settings:set changes a value, settings:reset brings the default back, a wrong type is refused', async () => {
    const def = (await call('settings:reset', {})).snapToleranceM;
    const s = await call('settings:set', { patch: { snapToleranceM: def + 1 } });
    expect(s.snapToleranceM).toBe(def + 1);
    expect(project.store.getSettings().snapToleranceM).toBe(def + 1);
    await expect(call('settings:set', { patch: { snapToleranceM: 'wide' } })).rejects.toThrow(/snapToleranceM/);
    expect((await call('settings:reset', { keys: ['snapToleranceM'] })).snapToleranceM).toBe(def);
  });
});

describe('malformed arguments', () => {
  for (const [channel, cases] of Object.entries(ANALYSIS_MALFORMED)) {
    it(`${channel} refuses them naming the field`, async () => {
      const revision = project.store.revision();
      for (const c of cases) {
        const err = await call(channel, c.args).then(() => null, (e: unknown) => e);
        expect(err).toBeInstanceOf(ContractError);
        expect((err as Error).message).toContain(channel);
        expect((err as Error).message).toContain(`"${c.field}"`);
      }
      expect(project.store.revision()).toBe(revision);
    });
  }
});
