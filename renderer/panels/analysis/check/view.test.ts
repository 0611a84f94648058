/**
 * The network-check view with a real project: a GeoPackage with planted
 * defects, checked by `warmnet check --json` (the store reads the file). The
 * panel lists every finding with the CLI's reason, word for word, in Chinese
 * and in English (no CJK character in English outside the ids).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clean } from '../../../../core/network/check/planted';
import type { CheckResult } from '../../../../core/network/check';
import { ProjectStore } from '../../../../electron/backend/store/index';
import { main } from '../../../../electron/cli';
import { checkResultSchema } from '../../../../electron/backend/results/network';
import { am } from '../messages';
import type { AnalysisContext, RunApi } from '../types';
import { checkView } from './view';

const dir = mkdtempSync(join(tmpdir(), 'warmnet-checkview-'));
const path = join(dir, 'planted.gpkg');
type CliResult = Omit<CheckResult, 'findings'> & { findings: (CheckResult['findings'][number] & { reason: { zh: string; en: string } })[] };
let cli: CliResult;

beforeAll(async () => {
  // A loose end (P3), an island (P9) and two stations at one place (HS1, HS2).
  const data = clean().node('X', 100, 100).pipe('P3', 'A', 'X').node('I', 1000, 0).node('J', 1100, 0).pipe('P9', 'I', 'J').valve('VI', 'I').valve('VJ', 'J').station('HS2', 'B').build();
  ProjectStore.createFromData(path, data).close();
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string | Uint8Array) => ((out += String(s)), true)) as typeof process.stdout.write;
  try {
    expect(await main(['check', path, '--json'])).toBe(0);
  } finally {
    process.stdout.write = write;
  }
  cli = JSON.parse(out);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctx = (lang: 'zh' | 'en'): AnalysisContext => ({
  lang,
  t: (k) => am(lang, k),
  layers: {},
  revision: 1,
  selection: { type: 'none' },
  running: false,
  goTo: () => undefined,
  flyTo: () => undefined,
  onMapContextMenu: () => () => undefined,
});

const api = {} as RunApi;

describe('the network-check view', () => {
  it('the CLI finds the planted defects; without the CLI reasons the result is what the contract schema says', () => {
    expect(cli.findings.map((f) => `${f.rule}:${f.featureIds.join('+')}`).sort()).toEqual(['dangling:P3', 'duplicatePoints:HS1+HS2', 'island:P9']);
    const result = { ...cli, findings: cli.findings.map(({ reason: _reason, ...f }) => f) };
    expect(checkResultSchema.parse(result)).toEqual(result);
    expect(() => checkResultSchema.parse(cli)).toThrow();
  });

  for (const lang of ['zh', 'en'] as const)
    it(`lists each finding with the CLI's reason (${lang})`, () => {
      const html = renderToStaticMarkup(createElement(checkView.Panel, { state: { result: cli }, setState: () => undefined, run: () => undefined, api, ctx: ctx(lang) }));
      const rows = [...html.matchAll(/<tr [^>]*data-kind="([a-z_]+)"[^>]*>([\s\S]*?)<\/tr>/g)];
      expect(rows.map((r) => r[1])).toEqual(cli.findings.map((f) => f.kind));
      cli.findings.forEach((f, i) => expect(rows[i][2]).toContain(`<td>${f.reason[lang].replace(/&/g, '&amp;')}</td>`));
      if (lang === 'en') expect(html.replace(/P\d+|HS\d+/g, '')).not.toMatch(/\p{Script=Han}/u);
      else expect(html).toContain('孤立管网');
    });
});
