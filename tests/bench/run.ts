/**
 * `npm run bench`: runs every tests/bench/*.bench.ts (or those named on the
 * command line, e.g. `npm run bench -- store`) one after another and prints
 * their figures. Each bench module exports `default async () => void` and
 * prints its own numbers and ratios.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const all = readdirSync(here).filter((f) => f.endsWith('.bench.ts'));
// a name that is a bench's whole name picks that bench only (`map` is not also `basemap`); otherwise any bench containing it
const picks = (w: string) => (all.includes(`${w}.bench.ts`) ? (f: string) => f === `${w}.bench.ts` : (f: string) => f.includes(w));
const files = all.filter((f) => wanted.length === 0 || wanted.some((w) => picks(w)(f))).sort();

for (const f of files) {
  console.log(`\n=== ${f.replace('.bench.ts', '')} ===`);
  const mod = await import(pathToFileURL(join(here, f)).href);
  const t0 = performance.now();
  await mod.default();
  console.log(`(${f} took ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
