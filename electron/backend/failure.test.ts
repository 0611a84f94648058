/**
 * Failures cross the bridge as typed objects: real calls through the one
 * dispatcher on a real temporary GeoPackage, and the code, params and issues
 * each failure carries — read from the error's class, not its text.
 */
import { describe, expect, it } from 'vitest';
import { failureOf } from './failure';
import { AnalysisError } from './analysis/runner';
import { useTestProject } from './testProject';

const YEAR = 2026;
const project = useTestProject({ prefix: 'failure', year: YEAR });

const failure = (p: Promise<unknown>) => p.then(() => null, failureOf);

describe('typed failures', () => {
  it('malformed arguments: bad_call', async () => {
    const f = await failure(project.dispatch('layer:get', { layer: 'roads' }));
    expect(f?.code).toBe('bad_call');
    expect(f?.message).toMatch(/layer/);
  });

  it('an edit against the schema: invalid, with the issues by field and code', async () => {
    const pipe = project.store.listFeatures('pipes')[0];
    const f = await failure(project.dispatch('edit:update', { layer: 'pipes', id: pipe.id, properties: { dn: 123 } }));
    expect(f?.code).toBe('invalid');
    expect(f?.issues?.length).toBeGreaterThan(0);
    expect(f?.issues?.[0]).toMatchObject({ field: 'dn' });
    expect(f?.issues?.[0].code).toBeTruthy();
  });

  it('an analysis of an unknown pipe, and a cancelled run, keep their own codes', async () => {
    const f = await failure(project.dispatch('analysis:isolate', { pipeId: 'NO-SUCH-PIPE', runId: 'r1' }));
    expect(f?.code).toBe('unknown_pipe');
    expect(failureOf(new AnalysisError('cancelled', 'analysis cancelled')).code).toBe('cancelled');
  });

  it('anything else: failed, with its message', () => {
    expect(failureOf(new Error('disk full'))).toEqual({ code: 'failed', message: 'disk full' });
  });
});
