/**
 * Implementations of the import channels (import.contract.ts). The file
 * comes by handle only (uploads.ts): uploaded bytes sit in a private temp
 * folder under their own names, so a loose shapefile finds its
 * .dbf/.prj/.cpg beside the .shp exactly as on disk, and the same importer
 * as `warmnet import` reads them. Progress of a commit goes out as
 * `analysis:progress` events under the caller's runId.
 */
import { message, SaidError, type Message, type Param } from '../../core/i18n';
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { z } from 'zod';
import Database from 'better-sqlite3';
import { listGpkgLayers } from '../../core/io/gpkgSource';
import { shapefilesInZip } from '../../core/io/shapefile';
import { ImportRefused } from '../../core/io/source';
import type { StoreApi } from './store/api';
import { analysisEvents } from './analysis.handlers';
import { importGeoJsonStreamed, importSettings, logEntryOf, prepareFileImport, previewGeoJsonStreamed, previewImport, projectOptions, readSourceFile, streamsImport, type FileImportOptions, type ImportPreview } from './importer';
import { prepareImport, type PreparedImport } from '../../core/io/prepare';
import type { AnalysisProgress } from './analysis.contract';
import type { ImportCommitResult, ImportContract, ImportPreviewResult, ImportUpload } from './import.contract';
import { uploads as defaultUploads, type UploadStore } from './uploads';
import { registerCancel } from './cancel';
import { ImportCancelled } from '../../core/io/limits';
import { ReadGuard } from '../../core/io/limits';
import { checkGpkgViews } from './gpkgGuard';

export { mainFileOf } from './uploads';

type ImportImpl = { [K in keyof ImportContract]: (args: z.output<ImportContract[K]['args']>) => Promise<z.output<ImportContract[K]['result']>> };
type SourceArgs = z.output<ImportContract['import:preview']['args']>;

/** What the process around the handlers offers: the desktop app's native file dialog. */
export interface ImportHost {
  /** Paths the user picked in the main process's open dialog, or null when cancelled. */
  chooseFiles?: () => Promise<string[] | null>;
  /** Where handles live (default: the process's one store). */
  uploads?: UploadStore;
}

/** Runs `fn` on the file behind the handle; a message never shows our temp folder, only the file's name. */
async function withSource<T>(uploads: UploadStore, handle: string, fn: (path: string) => Promise<T>): Promise<T> {
  const { path } = uploads.resolve(handle);
  try {
    return await fn(path);
  } catch (err) {
    if (err instanceof Error) err.message = uploads.scrub(err.message, handle);
    // What the wizard says is the typed message: its text parameters are scrubbed the same way.
    if (err instanceof SaidError) Object.defineProperty(err, 'said', { value: scrubbed(err.said, (t) => uploads.scrub(t, handle)) });
    throw err;
  }
}

/** A message with every text parameter (nested messages too) passed through `scrub`. */
function scrubbed(m: Message, scrub: (t: string) => string): Message {
  if (!m.params) return m;
  const one = (v: Param): Param => {
    if (typeof v === 'string') return scrub(v);
    if (Array.isArray(v)) return v.map((x) => scrubbed(x as Message, scrub));
    if (v && typeof v === 'object') return 'lines' in v ? { lines: v.lines.map((x) => scrubbed(x as Message, scrub)) } : scrubbed(v as Message, scrub);
    return v;
  };
  return { ...m, params: Object.fromEntries(Object.entries(m.params).map(([k, v]) => [k, one(v)])) };
}

function options(args: SourceArgs & { mode?: 'append' | 'replace' }, store: StoreApi): FileImportOptions {
  // The project's settings (curve tolerance, datum shifts), its longitude (to name the zones it lies in) and its ids.
  return projectOptions(store, args.layer, {
    ...(args.crs ? { crs: args.crs } : {}),
    ...(args.towgs84 ? { towgs84: args.towgs84 } : {}),
    ...(args.encoding ? { encoding: args.encoding } : {}),
    ...(args.mapping ? { mapping: args.mapping } : {}),
    ...(args.sourceLayer ? { sourceLayer: args.sourceLayer } : {}),
    ...(args.skipInvalid ? { skipInvalid: true } : {}),
    ...(args.mode ? { mode: args.mode } : {}),
  });
}

/** Shapefiles of a zip / feature tables of a GeoPackage; empty when there is nothing to choose or the file is unreadable. */
async function sourceLayersOf(path: string, opts: FileImportOptions): Promise<string[]> {
  const ext = extname(path).toLowerCase();
  const settings = importSettings(opts);
  try {
    // The same limits as the read: a zip bomb or a runaway view is not given a second chance here.
    const guard = new ReadGuard(basename(path), settings);
    if (ext === '.zip') {
      guard.fileSize(statSync(path).size);
      return [...(await shapefilesInZip(readFileSync(path), basename(path), guard)).keys()];
    }
    if (ext === '.gpkg' || ext === '.sqlite') {
      await checkGpkgViews(path, basename(path), settings);
      const db = new Database(path, { readonly: true, fileMustExist: true });
      try {
        return listGpkgLayers((sql, params = []) => db.prepare(sql).all(...params) as Record<string, unknown>[], basename(path)).map((l) => l.table);
      } finally {
        db.close();
      }
    }
  } catch {
    // The refusal already says what is wrong with the file.
  }
  return [];
}

/** Features drawn on the map in the preview; the check itself covers the whole file. */
const PREVIEW_FEATURES = 200;

/**
 * Like previewImport, but every feature of the file is checked (so the
 * problem list and the count are those of the real import) while only the
 * first ones come back to be drawn.
 */
async function wizardPreview(path: string, layer: SourceArgs['layer'], opts: FileImportOptions): Promise<ImportPreview> {
  // A large GeoJSON is checked streamed, as its commit reads it: bounded memory, the same count and problems.
  if (streamsImport(path, opts)) return previewGeoJsonStreamed(path, layer, { ...opts, limit: PREVIEW_FEATURES });
  let source: Awaited<ReturnType<typeof readSourceFile>>;
  try {
    source = await readSourceFile(path, opts);
  } catch (err) {
    if (!(err instanceof ImportRefused)) throw err;
    // previewImport turns a refused file into its problem list; a zip of several
    // shapefiles or a GeoPackage of several tables also gets the list to choose from.
    const p = await previewImport(path, layer, opts);
    const choices = await sourceLayersOf(path, opts);
    return choices.length > 1 ? { ...p, sourceLayers: choices } : p;
  }
  const full = prepareImport(source, layer, { ...opts, datumShifts: { beijing1954: opts.settings!.datumShiftBeijing1954, xian1980: opts.settings!.datumShiftXian1980 } });
  return {
    ...full,
    features: full.features.slice(0, PREVIEW_FEATURES),
    coerced: [],
    total: full.features.length,
    format: source.format,
    ...(source.encoding ? { encoding: source.encoding } : {}),
    ...(source.sourceLayers ? { sourceLayers: source.sourceLayers } : {}),
  };
}

export function bindImportHandlers(store: StoreApi, host: ImportHost = {}): ImportImpl {
  const uploads = host.uploads ?? defaultUploads;
  const progress = (runId: string | undefined, fraction: number) => {
    if (!runId) return;
    const p: AnalysisProgress = { runId, channel: 'import:commit', fraction };
    analysisEvents.emit('analysis:progress', p);
  };
  return {
    'import:upload': async ({ files }): Promise<ImportUpload> => uploads.addBytes(files.map((f) => ({ name: f.name, bytes: Buffer.from(f.base64, 'base64') }))),
    'import:choose': async (): Promise<ImportUpload | null> => {
      if (!host.chooseFiles) throw new SaidError(message('import.err.noDialog'));
      const paths = await host.chooseFiles();
      return paths && paths.length ? uploads.addPicked(paths) : null;
    },
    'import:release': async ({ handle }): Promise<boolean> => uploads.release(handle),
    'import:preview': (args): Promise<ImportPreviewResult> =>
      withSource(uploads, args.handle, (path) => wizardPreview(path, args.layer, options(args, store))),
    'import:commit': (args): Promise<ImportCommitResult> =>
      withSource(uploads, args.handle, async (path) => {
        // The wizard's cancel (analysis:cancel with this run id) stops the read at its next checkpoint.
        let cancelled = false;
        const unregister = args.runId ? registerCancel(args.runId, () => (cancelled = true)) : () => undefined;
        progress(args.runId, 0.05);
        try {
          let inserted: number;
          let prepared: PreparedImport;
          const opts = { ...options(args, store), cancelled: () => cancelled };
          if (streamsImport(path, opts)) {
            // A large GeoJSON: decided from its first features, then read, checked and written in one pass (bounded memory).
            ({ inserted, prepared } = importGeoJsonStreamed(store, args.layer, path, opts));
          } else {
            // Reading and checking the whole file is most of the time; the write is one transaction.
            prepared = await prepareFileImport(path, args.layer, { ...opts, forStore: true });
            progress(args.runId, 0.7);
            // A cancel that came while the file was read (it waits for the event loop) is honoured before writing.
            await new Promise<void>((r) => setImmediate(r));
            if (cancelled) throw new ImportCancelled(prepared.fileName);
            ({ inserted } = store.importFeatures(args.layer, prepared.features, {
              fileName: prepared.fileName,
              mode: args.mode ?? 'append',
              log: logEntryOf(prepared, prepared.summary.format),
              validated: { year: prepared.year, features: prepared.coerced },
            }));
          }
          progress(args.runId, 1);
          // Done: the uploaded copy is no longer needed.
          uploads.release(args.handle);
          return {
            inserted,
            layer: args.layer,
            fileName: prepared.fileName,
            notes: prepared.notes,
            skipped: prepared.skipped,
            summary: prepared.summary,
          };
        } catch (err) {
          progress(args.runId, 1);
          // The file, the row or entity and the reason, and that the project is untouched.
          if (err instanceof ImportRefused) throw new SaidError(message('import.err.refused', { detail: err.said }), { cause: err });
          throw err;
        } finally {
          unregister();
        }
      }),
  };
}
