/** The hydraulics view's parameters and state, and the channel arguments they make (shared with the export dialog and the inspector section). */
import type { ScenarioName } from '../../../../core/hydraulics/simulate';
import type { HydraulicsView } from '../../../../core/hydraulics/view';
import type { ArgsOf } from '../../../../electron/backend/contract';
import type { HydTheme } from './themes';

export interface HydParams {
  scenario: ScenarioName;
  outdoorC: string;
  sourcesOff: string[];
  /** Loop option ranks built, as typed ("1, 3"). */
  options: string;
  friction: 'colebrook' | 'swamee-jain';
  /** '' = the most unfavourable station. */
  profileStation: string;
}

/** The view's state: parameters, the result and how it is shown. */
export interface HydState {
  params: HydParams;
  result: HydraulicsView | null;
  /** The same scenario without the loop options built (shown before → after). */
  baseline: HydraulicsView | null;
  theme: HydTheme;
  sub: 'summary' | 'profile' | 'balancing';
  /** A scenario another view asks for (the loop options' outage): applied and run when the tab shows. */
  pending?: Partial<Pick<HydParams, 'scenario' | 'sourcesOff'>> & { options?: number[] };
}

export const DEFAULT_PARAMS: HydParams = { scenario: 'design', outdoorC: '', sourcesOff: [], options: '', friction: 'colebrook', profileStation: '' };

/** The channel arguments of the form (the contract checks them again). */
export function hydraulicsArgs(p: HydParams): ArgsOf<'analysis:hydraulics'> {
  const a: ArgsOf<'analysis:hydraulics'> = { scenario: p.scenario, friction: p.friction };
  const t = Number(p.outdoorC);
  if (p.outdoorC.trim() !== '' && Number.isFinite(t)) a.outdoorC = t;
  if (p.scenario === 'outage' && p.sourcesOff.length) a.sourcesOff = p.sourcesOff;
  const ranks = p.options
    .split(/[,，\s]+/)
    .filter(Boolean)
    .map(Number)
    .filter((x) => Number.isInteger(x) && x > 0);
  if (ranks.length) a.options = [...new Set(ranks)];
  if (p.profileStation) a.profileStation = p.profileStation;
  return a;
}

