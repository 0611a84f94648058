/** The inspector's analysis sections: each registered view with an Inspector and a state shows its numbers for the selected feature. */
import type { LayerName } from '../../../core/model/schema';
import type { Lang } from '../../i18n/messages';
import { ANALYSES } from './registry';
import { useAnalysisUi } from './state';

export function InspectorSections({ layer, id, lang }: { layer: LayerName; id: string; lang: Lang }) {
  const states = useAnalysisUi((s) => s.states);
  return (
    <>
      {ANALYSES.map((v) => {
        const state = states[v.id];
        const Section = v.Inspector;
        return Section && state !== undefined ? <Section key={v.id} state={state} layer={layer} id={id} lang={lang} /> : null;
      })}
    </>
  );
}
