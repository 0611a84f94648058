/**
 * Any error a call throws, as the typed failure that crosses the bridge
 * (contract.ts `BackendFailure`): the code comes from the error's class or its
 * own `code`, never from its text.
 */
import { SaidError } from '../../core/i18n';
import type { BackendFailure } from './contract';
import { AnalysisError } from './analysis/runner';
import { ContractError } from './handlers';
import { ImportError, StoreOpenError, ValidationError } from './store/errors';

export function failureOf(e: unknown): BackendFailure {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof AnalysisError) return { code: e.code, message, ...(e.params ? { params: e.params } : {}) };
  if (e instanceof ImportError) return { code: 'import_refused', message, params: { file: e.fileName }, issues: e.issues };
  if (e instanceof ValidationError) return { code: 'invalid', message, issues: e.issues };
  if (e instanceof ContractError) return { code: 'bad_call', message };
  if (e instanceof StoreOpenError) return { code: 'cannot_open', message, params: { file: e.path } };
  const code = e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'failed';
  const own = e && typeof e === 'object' && (e as { params?: unknown }).params;
  // A typed message from core travels as `params.said`, for the renderer to say in its language.
  const params = { ...(own && typeof own === 'object' ? (own as Record<string, unknown>) : {}), ...(e instanceof SaidError ? { said: e.said } : {}) };
  return { code, message, ...(Object.keys(params).length ? { params } : {}) };
}
