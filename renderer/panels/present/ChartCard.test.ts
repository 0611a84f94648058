import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ChartCard } from './ChartCard';
import { fixtureProject } from '../../../core/carto/fixture';
import { allCharts } from '../../../core/plan/charts';

describe('ChartCard', () => {
  it('renders each chart as inline SVG with its title, bars and a PNG button', () => {
    for (const chart of allCharts(fixtureProject(), 2026, 2024)) {
      const html = renderToStaticMarkup(createElement(ChartCard, { chart, pngLabel: '导出 PNG' }));
      expect(html).toContain(`data-testid="chart-${chart.id}"`);
      expect(html).toContain('<svg');
      expect(html).toContain(chart.title);
      expect(html).toContain('导出 PNG');
      expect((html.match(/<rect /g) ?? []).length).toBeGreaterThan(2);
    }
  });
});
