/**
 * Every analysis the drawer offers, in tab order. Adding one: its core
 * module, its view folder here (one module implementing AnalysisView), one
 * line below, its tests.
 */
import type { AnalysisView } from './types';
import { checkView } from './check/view';
import { traceView } from './trace/view';
import { burstView } from './burst/view';
import { riskView } from './risk/view';
import { loopsView } from './loops/view';
import { hydraulicsView } from './hydraulics/view';
import { engineeringView } from './engineering/view';
import { settingsView } from './settings/view';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each view checks its own state type in defineAnalysis; the shell treats states as opaque
export const ANALYSES: readonly AnalysisView<any>[] = [checkView, traceView, burstView, riskView, loopsView, hydraulicsView, engineeringView, settingsView];

export const analysisById = (id: string) => ANALYSES.find((a) => a.id === id);
