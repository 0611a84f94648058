/** A generated grid network for the map and scale benchmarks and the tile tests (ids P-000000…, valves V-…). */
import { emptyLayers, type ProjectData } from '../../core/model/project';
import { DEFAULT_SETTINGS } from '../../core/model/settings';
import type { Feature } from '../../core/model/types';

const DN = [50, 80, 100, 150, 200, 250, 300];
const LEVELS = ['primary', 'secondary', 'courtyard'];

/** A grid network of `n` pipe segments (~60 m each) with valves at every 10th node. */
export function gridProject(n: number): ProjectData {
  const layers = emptyLayers() as unknown as Record<string, Feature[]>;
  const side = Math.ceil(Math.sqrt(n / 2));
  const step = 0.0008;
  const x0 = 115.03 - (side * step) / 2, y0 = 42.287 - (side * step) / 2;
  const pipes: Feature[] = [];
  for (let i = 0; pipes.length < n; i++) {
    const r = Math.floor(i / side) % (side + 1), c = i % side;
    const horizontal = Math.floor(i / (side * (side + 1))) === 0;
    const a = horizontal ? [x0 + c * step, y0 + r * step] : [x0 + r * step, y0 + c * step];
    const b = horizontal ? [a[0] + step, a[1]] : [a[0], a[1] + step];
    const k = pipes.length;
    const id = `P-${String(k).padStart(6, '0')}`;
    pipes.push({
      type: 'Feature', id, geometry: { type: 'LineString', coordinates: [a, b] },
      properties: { id, level: LEVELS[k % 3], dn: DN[k % DN.length], install_year: 1975 + (k % 50), status: k % 17 === 0 ? 'planned' : 'in_service', leak_count_5y: k % 6, renovation_status: 'none' },
    } as Feature);
  }
  layers.pipes = pipes;
  layers.valves = pipes.filter((_, k) => k % 10 === 0).map((p, k) => {
    const id = `V-${String(k).padStart(6, '0')}`;
    return { type: 'Feature', id, geometry: { type: 'Point', coordinates: (p.geometry as { coordinates: number[][] }).coordinates[0] }, properties: { id, state: k % 9 === 0 ? 'closed' : 'open' } } as Feature;
  });
  // one heat source at the grid's corner, so that the network analyses have something to trace from
  layers.heat_sources = [
    { type: 'Feature', id: 'HS-1', geometry: { type: 'Point', coordinates: (pipes[0].geometry as { coordinates: number[][] }).coordinates[0] }, properties: { id: 'HS-1', name: 'HS-1', capacity_mw: 1e5, status: 'in_service' } } as Feature,
  ];
  return { layers: layers as unknown as ProjectData['layers'], projects: [], projectFeatures: [], settings: DEFAULT_SETTINGS };
}

