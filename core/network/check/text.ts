/** A finding in words, for the renderer and the command line. */
import { t, type Lang } from '../../i18n';
import { valueLabel } from '../../model/schema';
import type { Finding } from './types';

/**
 * What is wrong, in `lang`. The `status` parameter is a pipe status code and
 * reads as its vocabulary label (core/model/schema.ts).
 */
export function findingText(lang: Lang, f: Pick<Finding, 'code' | 'params'>): string {
  const status = f.params.status;
  const params = status === undefined ? f.params : { ...f.params, status: valueLabel('pipes', 'status', status, lang) };
  return t(lang, f.code, params);
}
