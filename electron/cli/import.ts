/** `warmnet import <file.geojson> --into <file.gpkg> --layer <layer> [--create] [--replace] [--json]`. */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from './index';
import { CliError, UsageError, flag, positional, printJson, str } from './args';
import { ImportError, ProjectStore } from '../backend/store/index';
import { parseGeoJson } from '../../core/io/geojson';
import { LAYER_NAMES, isLayerName } from '../../core/model/schema';

export const importCommand: Command = {
  usage: '<file.geojson> --into <file.gpkg> --layer <layer> [--create] [--replace] [--json]',
  options: { into: { value: true }, layer: { value: true }, create: {}, replace: {}, json: {} },
  run(args) {
    const source = positional(args, 0, 'the GeoJSON file');
    const into = str(args, 'into');
    const layer = str(args, 'layer');
    if (!into) throw new UsageError('missing --into <file.gpkg>');
    if (!layer) throw new UsageError('missing --layer <layer>');
    if (!isLayerName(layer)) throw new UsageError(`unknown layer "${layer}" (one of ${LAYER_NAMES.join(', ')})`);
    if (!existsSync(source)) throw new CliError(`${source}: no such file`);
    const exists = existsSync(into);
    if (!exists && !flag(args, 'create')) throw new CliError(`${into}: no such file (add --create to make a new project)`);

    const fileName = basename(source);
    const parsed = parseGeoJson(readFileSync(source, 'utf8'), fileName);
    if (parsed.features.length === 0 && parsed.issues.length > 0) throw new ImportError(fileName, parsed.issues);

    const store = exists ? ProjectStore.open(into) : ProjectStore.create(into);
    let ok = false;
    try {
      const { inserted } = store.importFeatures(
        layer,
        parsed.features.map((f) => f.feature) as never,
        {
          fileName,
          mode: flag(args, 'replace') ? 'replace' : 'append',
          indexes: parsed.features.map((f) => f.index),
          priorIssues: parsed.issues,
        },
      );
      ok = true;
      if (flag(args, 'json')) printJson({ file: into, layer, inserted, source });
      else process.stdout.write(`${into}: ${inserted} features imported into ${layer} from ${source}\n`);
    } finally {
      store.close();
      // A project made for this import and left empty by a rejected file is not kept.
      if (!ok && !exists) ProjectStore.remove(into);
    }
  },
};
