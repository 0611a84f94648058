/** `warmnet import <file.geojson> --into <file.gpkg> --layer <layer> [--create] [--replace] [--json]`. */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from './index';
import { CliError, UsageError, flag, positional, printJson, str } from './args';
import { ImportError, ProjectStore } from '../backend/store/index';
import { parseGeoJson } from '../../core/io/geojson';
import { LAYER_NAMES, isLayerName, type LayerName } from '../../core/model/schema';
import { importFile } from '../backend/importer';
import { parseMappingOptions } from '../../core/io/fieldMap';
import { ImportRefused } from '../../core/io/source';
import type { ParsedArgs } from './args';

export const importCommand: Command = {
  usage:
    '<file.geojson|.shp|.zip|.dxf|.csv|.gpkg> --into <file.gpkg> --layer <layer> [--crs EPSG:4547|gcj02] [--map field=source|field==value]… [--encoding gbk|utf-8] [--source-layer name] [--create] [--replace] [--json]',
  options: {
    into: { value: true },
    layer: { value: true },
    create: {},
    replace: {},
    json: {},
    crs: { value: true },
    map: { value: true, repeat: true },
    encoding: { value: true },
    'source-layer': { value: true },
  },
  run(args) {
    if (usesImporter(args)) return importOtherFormat(args);
    const { source, into, layer } = importArgs(args, 'the GeoJSON file');
    const exists = targetExists(args, into);

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

/** The source file, the project and the layer, checked the same way for every kind of file. */
function importArgs(args: ParsedArgs, what: string): { source: string; into: string; layer: LayerName } {
  const source = positional(args, 0, what);
  const into = str(args, 'into');
  const layer = str(args, 'layer');
  if (!into) throw new UsageError('missing --into <file.gpkg>');
  if (!layer) throw new UsageError('missing --layer <layer>');
  if (!isLayerName(layer)) throw new UsageError(`unknown layer "${layer}" (one of ${LAYER_NAMES.join(', ')})`);
  if (!existsSync(source)) throw new CliError(`${source}: no such file`);
  return { source, into, layer };
}

/** Whether the project exists; a missing one is made only with --create. */
function targetExists(args: ParsedArgs, into: string): boolean {
  const exists = existsSync(into);
  if (!exists && !flag(args, 'create')) throw new CliError(`${into}: no such file (add --create to make a new project)`);
  return exists;
}

/** Files other than GeoJSON, or any of --crs / --map / --encoding, go through electron/backend/importer.ts. */
function usesImporter(args: ParsedArgs): boolean {
  const source = args.positional[0] ?? '';
  return !/\.(geo)?json$/i.test(source) || ['crs', 'map', 'encoding', 'source-layer'].some((k) => args.options[k] !== undefined);
}

async function importOtherFormat(args: ParsedArgs): Promise<void> {
  const { source, into, layer } = importArgs(args, 'the file to import');
  let mapping;
  try {
    mapping = parseMappingOptions(layer, (args.options.map as string[] | undefined) ?? []);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const exists = targetExists(args, into);
  const store = exists ? ProjectStore.open(into) : ProjectStore.create(into);
  let ok = false;
  try {
    const { inserted, prepared } = await importFile(store, layer, source, {
      crs: str(args, 'crs'),
      mapping,
      encoding: str(args, 'encoding'),
      sourceLayer: str(args, 'source-layer'),
      mode: flag(args, 'replace') ? 'replace' : 'append',
    });
    ok = true;
    const crs = prepared.crs.crs?.code;
    if (flag(args, 'json')) printJson({ file: into, layer, inserted, source, crs, crsFrom: prepared.crs.source, mapping: prepared.mapping, notes: prepared.notes });
    else {
      process.stdout.write(`${into}: ${inserted} features imported into ${layer} from ${source} (${prepared.crs.reason})\n`);
      for (const n of prepared.notes) process.stdout.write(`  note: ${n}\n`);
    }
  } catch (err) {
    if (err instanceof ImportRefused) throw new CliError(`${err.message}\nnothing was written`);
    throw err;
  } finally {
    store.close();
    if (!ok && !exists) ProjectStore.remove(into);
  }
}
