/**
 * Arguments that break each presentation / export channel's schema, and the
 * field the refusal must name. The contract test (handlers.test.ts) checks
 * every channel with these.
 */
import type { PresentContract } from './contract';
import type { ExportContract } from './exportContract';

const MAP_OK = { format: 'pdf', paper: 'A3', orientation: 'landscape', dpi: 300, theme: 'age' };

export const PRESENT_MALFORMED: Record<keyof PresentContract | keyof ExportContract, { args: unknown; field: string }[]> = {
  'present:charts': [{ args: { year: 1800 }, field: 'year' }, { args: { planYear: '2024' }, field: 'planYear' }],
  'present:figures': [{ args: { loops: 'yes' }, field: 'loops' }, { args: { planYear: 2024.5 }, field: 'planYear' }],
  'export:map': [
    { args: { ...MAP_OK, paper: 'A0' }, field: 'paper' },
    { args: { ...MAP_OK, dpi: 1200 }, field: 'dpi' },
    { args: { ...MAP_OK, theme: 'rainbow' }, field: 'theme' },
    { args: { ...MAP_OK, format: 'svg' }, field: 'format' },
    { args: { ...MAP_OK, bbox: [115, 42, 116] }, field: 'bbox' },
    { args: { ...MAP_OK, out: '/etc/passwd' }, field: 'out' },
  ],
  'export:ledger': [{ args: { format: 'xls' }, field: 'format' }, { args: {}, field: 'format' }],
  'export:balancing': [{ args: {}, field: 'scenario' }, { args: { scenario: 'design', friction: 'x' }, field: 'friction' }],
  'export:profile': [{ args: { scenario: 'design' }, field: 'format' }, { args: { scenario: 'design', format: 'svg' }, field: 'format' }, { args: { scenario: 'design', format: 'png', dpi: 5000 }, field: 'dpi' }],
  'export:atlas': [{ args: { runId: '' }, field: 'runId' }, { args: { pages: 3 }, field: 'pages' }],
};
