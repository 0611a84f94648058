/** `warmnet check <file.gpkg> [--json]`: topology QA of the network (DOMAIN.md §3.1); rules in core/network/check.ts. */
import type { Command } from './index';
import { flag, positional, printJson } from './args';
import { readProject } from '../backend/analysis/project';
import { prepareNetwork, runAnalysis } from '../../core/network/analyses';

export const check: Command = {
  usage: '<file.gpkg> [--json]',
  options: { json: {} },
  run(args) {
    const path = positional(args, 0, 'the project file (.gpkg)');
    const result = runAnalysis('check', prepareNetwork(readProject(path)), {});
    if (flag(args, 'json')) {
      printJson(result);
      return;
    }
    const lines = [`${result.findings.length} 个问题 findings: ` + Object.entries(result.counts).map(([k, n]) => `${k} ${n}`).join(', ')];
    for (const f of result.findings) {
      lines.push(`  ${f.kind.padEnd(13)} ${f.featureIds.slice(0, 6).join(', ')}${f.featureIds.length > 6 ? ` …(+${f.featureIds.length - 6})` : ''}  @ ${f.lon.toFixed(6)},${f.lat.toFixed(6)}`);
      lines.push(`      ${f.reason.zh} / ${f.reason.en}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
  },
};
