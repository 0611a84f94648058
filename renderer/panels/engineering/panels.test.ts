/* eslint-disable @typescript-eslint/no-explicit-any -- CLI JSON is read field by field; its shape is what the test checks */
/**
 * The engineering panels render the same numbers as the command line: data
 * read back from a real GeoPackage, computed with the same core functions as
 * the backend's analysis worker runs (the channels' own equality with the
 * command line is electron/backend/analysis.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectData } from '../../../core/model/project';
import { capacityAnswer, capacityCheck, worstFirst } from '../../../core/network/capacity';
import { candidatesAnswer, reasonMessages, renewalCandidates } from '../../../core/network/candidates';
import { say } from '../../../core/i18n';
import { ProjectStore } from '../../../electron/backend/store/index';
import { main } from '../../../electron/cli';
import { generateSample } from '../../../gis-data/generate/index';
import { CapacityView } from './CapacityView';
import { CandidatesView } from './CandidatesView';
import { ColdWaveResult } from './ColdWaveView';
import { ForecastError, parseForecastCsv } from '../../../core/plan/forecast';
import { coldWaveCheck } from '../../../core/plan/coldwave';

const dir = mkdtempSync(join(tmpdir(), 'warmnet-engineering-ui-'));
const path = join(dir, 'mingantu.gpkg');
let data: ProjectData;

async function cliJson(...argv: string[]): Promise<any> {
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof process.stdout.write;
  try {
    expect(await main([...argv, '--json'])).toBe(0);
  } finally {
    process.stdout.write = write;
  }
  return JSON.parse(stdout);
}

beforeAll(() => {
  ProjectStore.createFromData(path, generateSample()).close();
  const store = ProjectStore.open(path);
  data = store.snapshot();
  store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engineering panels', () => {
  it('capacity: the table lists the CLI’s mismatched pipes and overloaded stations with its numbers', async () => {
    const cli = await cliJson('capacity', path);
    const report = capacityAnswer(capacityCheck(data));
    expect(report.summary).toEqual(cli.summary);
    const html = renderToStaticMarkup(createElement(CapacityView, { report, lang: 'zh' }));
    const mismatched = cli.pipes.filter((p: { status: string }) => p.status === 'mismatched');
    expect(mismatched.length).toBeGreaterThan(0);
    for (const p of mismatched) {
      expect(html).toContain(`data-id="${p.id}" data-status="mismatched"`);
      expect(html).toContain(`<td>${p.rPaM.toFixed(1)}</td>`);
    }
    for (const s of cli.stations.filter((x: { status: string }) => x.status === 'overloaded'))
      expect(html).toContain(`data-id="${s.id}" data-status="overloaded"`);
    expect(html).toContain('小马拉大车');
  });

  it('capacity: an answer that brings only the worst rows says how many the whole report has', async () => {
    const cli = await cliJson('capacity', path);
    const problems = cli.summary.mismatched + cli.summary.oversized;
    expect(problems).toBeGreaterThan(2);
    const html = renderToStaticMarkup(createElement(CapacityView, { report: capacityAnswer(capacityCheck(data), 2), lang: 'en' }));
    // the two worst by R, as the CLI's list sorted the table's way
    const worst = [...cli.pipes].sort(worstFirst).slice(0, 2);
    const table = html.slice(html.indexOf('data-testid="capacity-pipes"'), html.indexOf('data-testid="capacity-stations"'));
    expect((table.match(/<tr data-id=/g) ?? []).length).toBe(2);
    for (const p of worst) expect(html).toContain(`data-id="${p.id}" data-status="${p.status}"`);
    expect(html).toMatch(new RegExp(`data-testid="capacity-pipes-more"[^>]*>[^<]*\\b2\\b[^<]*\\b${problems}\\b`));
  });

  it('capacity: the stations’ table shows the highest load ratios first, as many as the limit, and says how many there are', async () => {
    const cli = await cliJson('capacity', path);
    expect(cli.stations.length).toBeGreaterThan(2);
    const html = renderToStaticMarkup(createElement(CapacityView, { report: capacityAnswer(capacityCheck(data)), lang: 'en', limit: 2 }));
    const table = html.slice(html.indexOf('data-testid="capacity-stations"'), html.indexOf('data-testid="capacity-sources"'));
    const listed = [...table.matchAll(/<tr data-id="([^"]+)"/g)].map((m) => m[1]);
    const byRatio = [...cli.stations].sort((a: any, b: any) => (b.ratio ?? -1) - (a.ratio ?? -1)).slice(0, 2).map((st: any) => st.id);
    expect(listed).toEqual(byRatio);
    expect(html).toMatch(new RegExp(`data-testid="capacity-stations-more"[^>]*>[^<]*\\b2\\b[^<]*\\b${cli.stations.length}\\b`));
    // the answer leaves out the communities' attachments (the command line lists them)
    expect(cli.communities.length).toBeGreaterThan(0);
    expect('communities' in capacityAnswer(capacityCheck(data))).toBe(false);
  });

  it('candidates: the ranking and reasons equal the CLI’s', async () => {
    const cli = await cliJson('candidates', path, '--as-of', '2024-06-01', '--top', '10');
    const report = renewalCandidates(data, '2024-06-01');
    expect(report.pipes.slice(0, 10).map((p) => [p.id, p.score])).toEqual(cli.pipes.map((p: { id: string; score: number }) => [p.id, p.score]));
    const html = renderToStaticMarkup(createElement(CandidatesView, { report: candidatesAnswer(report), lang: 'zh', projects: data.projects, limit: 10 }));
    for (const p of report.pipes.slice(0, 10)) expect(html).toContain(say('zh', reasonMessages(p.reasons)));
  });

  it('cold wave: a pasted forecast gives the CLI’s answer; a malformed one its line and reason', async () => {
    const file = join('tests', 'fixtures', 'forecasts', 'hourly-49h.csv');
    const cli = await cliJson('coldwave', path, '--forecast', file);
    const report = coldWaveCheck(data, parseForecastCsv(readFileSync(file, 'utf8'), data.settings.coldWaveForecastDays));
    expect(report.flowIncreaseBy).toBe(cli.flowIncreaseBy);
    expect(report.sources.map((s) => s.reserveDays)).toEqual(cli.sources.map((s: { reserveDays: number | null }) => s.reserveDays));
    const html = renderToStaticMarkup(createElement(ColdWaveResult, { report, lang: 'zh' }));
    expect(html).toContain('data-triggered="yes"');
    expect(html).toContain(cli.flowIncreaseBy);
    const bad = () => parseForecastCsv(readFileSync(join('tests', 'fixtures', 'forecasts', 'bad-text-number.csv'), 'utf8'), data.settings.coldWaveForecastDays);
    let refused: unknown = null;
    try {
      bad();
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(ForecastError);
    const { line, reason } = refused as ForecastError;
    expect({ line, reason }).toEqual({ line: 4, reason: 'temperature_c "minus 25" is not a number' });
  });
});
