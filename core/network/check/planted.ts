/**
 * Fixtures for the check's rule tests: a clean network to plant one defect
 * in, and the findings of a project as plain data (rule, kind, code, params,
 * feature ids) for exact comparison.
 */
import type { ProjectData } from '../../model/project';
import { net, type NetBuilder } from '../fixtures';
import { buildGraph } from '../graph';
import { checkNetwork } from './index';
import type { CheckRule, Finding } from './types';

/** S ─P1─ A ─P2─ B: a source at S, a station at B; the check finds nothing here. */
export function clean(): NetBuilder {
  return net().node('S', 0, 0).node('A', 100, 0).node('B', 200, 0).source('S1', 'S').pipe('P1', 'S', 'A').pipe('P2', 'A', 'B').station('HS1', 'B');
}

export type Plain = Pick<Finding, 'rule' | 'kind' | 'code' | 'params' | 'featureIds'>;

/** Every finding of the whole check (or of `rules`) on the project, without its location. */
export function findings(p: ProjectData, rules?: readonly CheckRule[]): Plain[] {
  return checkNetwork(buildGraph(p), undefined, rules).findings.map(({ rule, kind, code, params, featureIds }) => ({ rule, kind, code, params, featureIds }));
}
