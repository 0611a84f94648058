/**
 * Network check, topology QA: runs every rule of the registry on one shared
 * context and counts the findings by kind. Each rule is one file in rules/.
 */
import { checkAborted, type AnalysisOptions, type NetworkGraph } from '../graph';
import { CheckContext } from './context';
import { CHECK_RULES } from './registry';
import { FINDING_KINDS, type CheckResult, type CheckRule, type Finding, type FindingKind } from './types';

export type { CheckMessageKey, CheckResult, CheckRule, Finding, FindingKind, RuleFinding } from './types';
export { FINDING_KINDS } from './types';
export { CHECK_RULES } from './registry';
export { CheckContext } from './context';
export { findingText } from './text';

/** Run `rules` (all of them unless given) on the graph. */
export function checkNetwork(g: NetworkGraph, opts?: AnalysisOptions, rules: readonly CheckRule[] = CHECK_RULES): CheckResult {
  const ctx = new CheckContext(g, opts);
  const findings: Finding[] = [];
  rules.forEach((rule, i) => {
    checkAborted(opts);
    for (const f of rule.run(ctx)) findings.push({ kind: rule.kind, rule: rule.id, ...f });
    opts?.onProgress?.((i + 1) / rules.length);
  });
  const counts = Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<FindingKind, number>;
  for (const f of findings) counts[f.kind]++;
  return { findings, counts };
}
