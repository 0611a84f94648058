/** `warmnet export <file.gpkg> --layer <layer> [--out F]`: a layer as GeoJSON (stdout without --out). */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Command } from './command';
import { UsageError, positional, str } from './args';
import { ProjectStore } from '../backend/store/index';
import { stringifyFeatureCollection } from '../../core/io/geojson';
import { LAYER_NAMES, isLayerName } from '../../core/model/schema';

export const exportCommand: Command = {
  usage: '<file.gpkg> --layer <layer> [--out F]',
  options: { layer: { value: true }, out: { value: true } },
  run(args) {
    const path = positional(args, 0, 'the project file (.gpkg)');
    const layer = str(args, 'layer');
    if (!layer) throw new UsageError('missing --layer <layer>');
    if (!isLayerName(layer)) throw new UsageError(`unknown layer "${layer}" (one of ${LAYER_NAMES.join(', ')})`);
    const out = str(args, 'out');
    const store = ProjectStore.open(path);
    let text: string;
    try {
      text = stringifyFeatureCollection(store.featureCollection(layer));
    } finally {
      store.close();
    }
    if (!out) {
      process.stdout.write(text);
      return;
    }
    const tmp = `${out}.tmp-${process.pid}`;
    try {
      writeFileSync(tmp, text);
      renameSync(tmp, out);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  },
};
