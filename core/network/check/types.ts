/**
 * What the network check finds, and what a rule is. A finding names its
 * features, a point to fly to, and what is wrong as a catalogue message
 * (`code` and `params`), never as a sentence: the renderer and the command
 * line say it in the user's language (`findingText`).
 */
import type { MessageKey, Params } from '../../i18n';
import type { CheckContext } from './context';

export type FindingKind = 'dangling' | 'crossing' | 'duplicate' | 'zero_length' | 'off_network' | 'levels_joined' | 'island';

export const FINDING_KINDS: readonly FindingKind[] = ['dangling', 'crossing', 'duplicate', 'zero_length', 'off_network', 'levels_joined', 'island'];

/** A catalogue key a check rule may speak with (those under `check.`). */
export type CheckMessageKey = Extract<MessageKey, `check.${string}`>;

/** What one rule reports: the kind and the rule are added by the runner. */
export interface RuleFinding {
  code: CheckMessageKey;
  /** Feature ids, layer, tolerance … as data (ids as written, numbers unformatted). */
  params: Params;
  featureIds: string[];
  lon: number;
  lat: number;
}

export interface Finding extends RuleFinding {
  kind: FindingKind;
  /** The rule that found it (`CHECK_RULES[i].id`). */
  rule: string;
}

export interface CheckResult {
  findings: Finding[];
  counts: Record<FindingKind, number>;
}

/**
 * One rule of the check: a pure function of the prepared context. Rules share
 * the context's lazily built indexes, so two rules asking for the segment
 * index build it once.
 */
export interface CheckRule {
  id: string;
  kind: FindingKind;
  run(ctx: CheckContext): RuleFinding[];
}
