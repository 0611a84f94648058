/**
 * Helpers shared by the store's tests: a temporary folder per test, small
 * features and a street-grid network near the sample town, GDAL's validator.
 */
import { afterEach, beforeEach } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature } from '../../../core/model/types';

export const VALIDATE_GPKG = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';

/** A fresh temporary folder for each test of the calling file (removed after it). */
export function useTempDir(): { readonly path: string } {
  const box = { path: '' };
  beforeEach(() => {
    box.path = mkdtempSync(join(tmpdir(), 'warmnet-store-'));
  });
  afterEach(() => {
    rmSync(box.path, { recursive: true, force: true });
  });
  return box;
}

export function pipe(id: string, coords: number[][], props: Record<string, unknown> = {}): Feature {
  return { type: 'Feature', id, geometry: { type: 'LineString', coordinates: coords }, properties: { level: 'secondary', dn: 100, ...props } };
}

export function valve(id: string, lon: number, lat: number, props: Record<string, unknown> = {}): Feature {
  return { type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] }, properties: props };
}

/** A small street-grid network: n×n nodes, about 80 m apart, near Mingantu. */
export function gridPipes(n: number): Feature[] {
  const out: Feature[] = [];
  const d = 0.001;
  let k = 0;
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      const x = 115.02 + c * d;
      const y = 42.28 + r * d * 0.75;
      if (c < n - 1) out.push(pipe(`P-${k++}`, [[x, y], [x + d, y]], { level: k % 3 === 0 ? 'primary' : 'secondary', install_year: 1990 + (k % 30) }));
      if (r < n - 1) out.push(pipe(`P-${k++}`, [[x, y], [x, y + d * 0.75]], { level: 'courtyard', install_year: 2010 }));
    }
  return out;
}

export function python(): string {
  // The Debian python carries GDAL's bindings; a pyenv python on PATH may not.
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}
