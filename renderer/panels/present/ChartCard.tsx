/** One chart as inline SVG with PNG / SVG download buttons; no store or backend access, so it renders anywhere. */
import { useMemo, useState } from 'react';
import type { ChartData } from '../../../core/plan/charts';
import { chartPng, chartSvg, download } from './chartImage';

export function ChartCard({ chart, dpi = 200, pngLabel }: { chart: ChartData; dpi?: number; pngLabel: string }) {
  const { svg } = useMemo(() => chartSvg(chart), [chart]);
  const [busy, setBusy] = useState(false);
  return (
    <figure className="chart-card" data-testid={`chart-${chart.id}`} style={{ margin: '0 0 16px', background: '#fff', border: '1px solid #dde3ea', borderRadius: 6, padding: 8 }}>
      <div style={{ width: '100%' }} dangerouslySetInnerHTML={{ __html: svg.replace(/width="[\d.]+mm" height="[\d.]+mm"/, 'width="100%"') }} />
      <figcaption style={{ display: 'flex', justifyContent: 'flex-end', gap: 8 }}>
        <button
          type="button"
          data-testid={`chart-png-${chart.id}`}
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              download(await chartPng(chart, dpi), `${chart.id}.png`);
            } finally {
              setBusy(false);
            }
          }}
        >
          {pngLabel}
        </button>
        <button type="button" onClick={() => download(new Blob([svg], { type: 'image/svg+xml' }), `${chart.id}.svg`)}>
          SVG
        </button>
      </figcaption>
    </figure>
  );
}
