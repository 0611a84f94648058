/** The hydraulics view's state (its own file: the view and its inspector section both read it). */
import type { HydraulicsView } from '../../../../core/hydraulics/view';
import type { HydParams } from './params';
import type { HydTheme } from './themes';

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
