/**
 * Arguments that break each analysis / settings channel's schema, and the
 * field the refusal must name (checked by analysis.test.ts like the editing
 * table is by handlers.test.ts).
 */
import type { AnalysisContract } from './analysis.contract';

export const ANALYSIS_MALFORMED: Record<keyof AnalysisContract, { args: unknown; field: string }[]> = {
  'analysis:check': [{ args: { pipeId: 'P-1' }, field: 'pipeId' }],
  'analysis:trace': [{ args: { runId: 7 }, field: 'runId' }],
  'analysis:isolate': [
    { args: { pipeId: '' }, field: 'pipeId' },
    { args: { lon: 500, lat: 42 }, field: 'lon' },
  ],
  'analysis:criticality': [{ args: { depth: 2 }, field: 'depth' }],
  'analysis:prepare': [{ args: { now: true }, field: 'now' }],
  'analysis:loops': [
    { args: { maxLengthM: -5 }, field: 'maxLengthM' },
    { args: { budgetWan: 'much' }, field: 'budgetWan' },
  ],
  'analysis:whatif': [
    { args: {}, field: 'optionRank' },
    { args: { optionRank: 1.5 }, field: 'optionRank' },
  ],
  'analysis:capacity': [{ args: { all: true }, field: 'all' }],
  'analysis:candidates': [{ args: { asOf: 'tomorrow' }, field: 'asOf' }],
  'analysis:coldwave': [{ args: { csv: '' }, field: 'csv' }, { args: {}, field: 'csv' }],
  'analysis:hydraulicsPipe': [
    { args: { pipeId: 'P-1' }, field: 'token' },
    { args: { token: 'not-a-token', pipeId: 'P-1' }, field: 'token' },
    { args: { token: '0123456789abcdef' }, field: 'pipeId' },
  ],
  'analysis:hydraulics': [
    { args: {}, field: 'scenario' },
    { args: { scenario: 'spring' }, field: 'scenario' },
    { args: { scenario: 'now' }, field: 'outdoorC' },
    { args: { scenario: 'outage', options: [0] }, field: 'options.0' },
    { args: { scenario: 'design', friction: 'hazen' }, field: 'friction' },
  ],
  'analysis:cancel': [{ args: {}, field: 'runId' }],
  'settings:set': [{ args: { patch: { noSuchSetting: 1 } }, field: 'patch' }, { args: {}, field: 'patch' }],
  'settings:reset': [{ args: { keys: ['noSuchSetting'] }, field: 'keys.0' }],
};
