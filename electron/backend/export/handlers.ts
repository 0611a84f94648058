/** Implementations of the presentation channels (contract.ts beside this file) over one store. */
import type { z } from 'zod';
import type { StoreApi } from '../store/api';
import { allCharts, keyFigures } from '../../../core/plan/charts';
import { prepareNetwork, runAnalysis } from '../../../core/network/analyses';
import type { PresentContract } from './contract';
import { defaultPlanYear } from './mapExport';

type PresentImpl = { [K in keyof PresentContract]: (args: z.input<PresentContract[K]['args']>) => z.output<PresentContract[K]['result']> };

export function bindPresentHandlers(store: StoreApi): PresentImpl {
  return {
    'present:charts': ({ year, planYear, lang }) => {
      const data = store.snapshot();
      const y = year ?? new Date().getFullYear();
      return allCharts(data, y, planYear ?? defaultPlanYear(data, y), lang);
    },
    'present:figures': ({ planYear, loops }) => {
      const data = store.snapshot();
      let options: number | null = null;
      if (loops !== false) {
        try {
          options = runAnalysis('loops', prepareNetwork(data), {}).options.length;
        } catch {
          // A network without a source has no loop options to count; the strip shows a dash.
          options = null;
        }
      }
      return keyFigures(data, planYear ?? defaultPlanYear(data, new Date().getFullYear()), options);
    },
  };
}
