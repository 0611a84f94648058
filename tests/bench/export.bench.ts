/**
 * Export speed on the Mingantu sample: an A3 landscape map as a 300-dpi
 * PDF (vector) and PNG (4961 × 3508 px), the atlas of every community, and
 * the xlsx ledger. Prints seconds and per-page / per-feature ratios.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectStore } from '../../electron/backend/store/index';
import { exportAtlas, exportLedger, exportMap } from '../../electron/backend/export/mapExport';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, (performance.now() - t0) / 1000];
}

export default async function exportBench(): Promise<void> {
  const sample = join(repo, 'gis-data', 'mingantu.gpkg');
  if (!existsSync(sample)) {
    console.log(`export: ${sample} missing — run \`npm run sample\` first`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'warmnet-export-bench-'));
  try {
    const [data, tRead] = await timed(async () => {
      const store = ProjectStore.open(sample);
      try {
        return store.snapshot();
      } finally {
        store.close();
      }
    });
    const L = data.layers;
    console.log(`sample: ${L.pipes.length} pipes, ${L.valves.length} valves, ${L.stations.length} stations, ${L.communities.length} communities (snapshot ${tRead.toFixed(2)} s)`);
    const opts = { paper: 'A3', orientation: 'landscape', theme: 'age', dpi: 300, year: 2026, date: '2026-11-27', projectFile: sample } as const;

    const pdf = join(dir, 'map.pdf');
    const [, tPdf] = await timed(() => exportMap(data, pdf, opts));
    console.log(`A3 landscape map, PDF (300 dpi, vector): ${tPdf.toFixed(2)} s, ${(statSync(pdf).size / 1024).toFixed(0)} KiB, ${((tPdf * 1000) / L.pipes.length).toFixed(2)} ms per pipe`);

    const png = join(dir, 'map.png');
    const [, tPng] = await timed(() => exportMap(data, png, opts));
    console.log(`A3 landscape map, PNG 300 dpi (4961 × 3508): ${tPng.toFixed(2)} s, ${(statSync(png).size / 1024 / 1024).toFixed(1)} MiB`);

    const atlas = join(dir, 'atlas.pdf');
    const [r, tAtlas] = await timed(() => exportAtlas(data, atlas, { year: 2026, date: '2026-11-27', projectFile: sample }));
    console.log(`atlas, all ${r.pages} communities: ${tAtlas.toFixed(2)} s, ${((tAtlas / r.pages) * 1000).toFixed(0)} ms per page, ${(statSync(atlas).size / 1024 / 1024).toFixed(1)} MiB`);

    const xlsx = join(dir, 'ledger.xlsx');
    const [l, tXlsx] = await timed(() => exportLedger(data, xlsx, { year: 2026 }));
    console.log(`ledger xlsx (${l.sheets} sheets): ${tXlsx.toFixed(2)} s`);
    console.log(`ratio atlas / single map PDF: ${(tAtlas / tPdf).toFixed(1)}×`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
