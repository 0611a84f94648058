/** `warmnet export <file.gpkg | postgres://…?schema=NAME> --layer <layer> [--out F]`: a layer as GeoJSON (stdout without --out). */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Command } from './command';
import { UsageError, positional, str } from './args';
import { readProjectAt } from '../backend/store/location';
import { stringifyFeatureCollection, toFeatureCollection } from '../../core/io/geojson';
import { LAYER_NAMES, isLayerName } from '../../core/model/schema';

export const exportCommand: Command = {
  usage: '<file.gpkg> --layer <layer> [--out F]',
  options: { layer: { value: true }, out: { value: true } },
  async run(args) {
    const path = positional(args, 0, 'the project (a .gpkg file or postgres://…?schema=NAME)');
    const layer = str(args, 'layer');
    if (!layer) throw new UsageError('missing --layer <layer>');
    if (!isLayerName(layer)) throw new UsageError(`unknown layer "${layer}" (one of ${LAYER_NAMES.join(', ')})`);
    const out = str(args, 'out');
    const { data } = await readProjectAt(path);
    const text = stringifyFeatureCollection(toFeatureCollection(layer, data.layers[layer]));
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
