/**
 * `warmnet import <file> --into <file.gpkg> --layer <layer> …`: every kind of
 * file (GeoJSON included) goes through the same importer, so a file gives the
 * same features with or without options, numbered from 1 as GDAL numbers
 * them. `--dry-run` reads and checks everything and prints what would be
 * written (counts by geometry kind, CRS and encoding used and why, the
 * mapping with its evidence, the bad records, curve approximations) and
 * writes nothing. `--skip-invalid` imports the good records and writes a
 * report of the others beside the file.
 *
 * A large GeoJSON file (setting importStreamMinBytes, or any with `--stream`)
 * is imported streamed, in bounded memory: the coordinate system and the
 * field mapping are decided from its first features, then the whole file is
 * read piece by piece, checked against those decisions and written in the
 * same one transaction (a bad record anywhere refuses it, nothing written).
 * Its `--dry-run` reads it the same way: every record checked, nothing kept
 * but the counts and the problems.
 */
import { existsSync, linkSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from './command';
import { CliError, UsageError, flag, positional, printJson, str } from './args';
import { ProjectStore } from '../backend/store/index';
import { LAYER_NAMES, isLayerName, type LayerName } from '../../core/model/schema';
import { importGeoJsonStreamed, logEntryOf, prepareFileImport, previewGeoJsonStreamed, previewImport, projectOptions, streamsImport, writeSkipReport, type FileImportOptions } from '../backend/importer';
import { parseMappingOptions } from '../../core/io/fieldMap';
import { parseTowgs84 } from '../../core/geo/crs';
import { problemMessage, problemPlace, type ImportSummary, type PreparedImport } from '../../core/io/prepare';
import { ImportRefused } from '../../core/io/source';
import { ImportCancelled } from '../../core/io/limits';
import type { ParsedArgs } from './args';
import { oneLang, say } from './lang';
import { message } from '../../core/i18n';

export const importCommand: Command = {
  usage:
    '<file.geojson|.shp|.zip|.dxf|.csv|.gpkg> --into <file.gpkg> --layer <layer> [--crs EPSG:4547|gcj02|+proj=…] [--towgs84 dx,dy,dz[,rx,ry,rz,ds]] [--map field=source|field==value]… [--encoding gbk|utf-8|big5|gb18030] [--source-layer name] [--skip-invalid] [--force] [--dry-run] [--create] [--replace] [--stream] [--json]',
  options: {
    into: { value: true },
    layer: { value: true },
    create: {},
    replace: {},
    json: {},
    crs: { value: true },
    towgs84: { value: true },
    map: { value: true, repeat: true },
    encoding: { value: true },
    'source-layer': { value: true },
    'skip-invalid': {},
    force: {},
    'dry-run': {},
    stream: {},
  },
  run: (args) => importAnyFormat(args),
};

/** The source file, the project and the layer, checked the same way for every kind of file. */
function importArgs(args: ParsedArgs): { source: string; into: string | undefined; layer: LayerName } {
  const source = positional(args, 0, 'the file to import');
  const into = str(args, 'into');
  const layer = str(args, 'layer');
  if (!into && !flag(args, 'dry-run')) throw new UsageError('missing --into <file.gpkg>');
  if (!layer) throw new UsageError('missing --layer <layer>');
  if (!isLayerName(layer)) throw new UsageError(`unknown layer "${layer}" (one of ${LAYER_NAMES.join(', ')})`);
  if (!existsSync(source)) throw new CliError(`${source}: no such file`);
  return { source, into, layer };
}

function fileOptions(args: ParsedArgs, layer: LayerName): FileImportOptions {
  let mapping;
  try {
    mapping = parseMappingOptions(layer, (args.options.map as string[] | undefined) ?? []);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const towgs84Text = str(args, 'towgs84');
  let towgs84: number[] | undefined;
  if (towgs84Text !== undefined) {
    const t = parseTowgs84(towgs84Text);
    if (typeof t === 'string') throw new UsageError(`--towgs84: ${t}`);
    towgs84 = t;
  }
  const crs = str(args, 'crs');
  const encoding = str(args, 'encoding');
  const sourceLayer = str(args, 'source-layer');
  return {
    ...(crs ? { crs } : {}),
    ...(towgs84 ? { towgs84 } : {}),
    ...(Object.keys(mapping).length ? { mapping } : {}),
    ...(encoding ? { encoding } : {}),
    ...(sourceLayer ? { sourceLayer } : {}),
    mode: flag(args, 'replace') ? 'replace' : 'append',
    skipInvalid: flag(args, 'skip-invalid'),
    ...(flag(args, 'force') ? { force: true } : {}),
  };
}

const counts = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

/** The summary as lines for people (the --json form is the summary object itself). */
export function summaryLines(s: ImportSummary, problems: PreparedImport['problems']): string[] {
  const out: string[] = [];
  out.push(`  records: ${s.records}${Object.keys(s.kinds).length ? ` (${counts(s.kinds)})` : ''}`);
  out.push(`  would write: ${s.features} ${s.layer} features from ${s.recordsImported} records`);
  if (Object.keys(s.otherKinds).length) out.push(`  left out, not of this layer's kind: ${counts(s.otherKinds)}`);
  if (s.collectionPartsLeftOut) out.push(`  GeometryCollection parts of other kinds left out: ${s.collectionPartsLeftOut}`);
  out.push(`  coordinate system: ${s.crs.code ? `${s.crs.code} ${s.crs.name} — ` : ''}${say(s.crs.reason)}`);
  if (s.crs.datumShift) out.push(`  datum: ${say(s.crs.datumShift)}`);
  if (s.encoding) out.push(`  encoding: ${s.encoding.encoding} — ${say(s.encoding.reason)}`);
  if (s.mapping.length || Object.keys(s.userMapping).length) {
    out.push('  field mapping:');
    for (const [target, source] of Object.entries(s.userMapping)) out.push(`    ${target} ← ${source.startsWith('=') ? `constant "${source.slice(1)}"` : source} (given with --map)`);
    for (const g of s.mapping) out.push(`    ${g.target} ← ${g.source} (${say(g.evidence)})`);
  }
  for (const r of s.rejectedGuesses) out.push(`    ${r.target} ✗ ${r.source}: ${say(r.reason)}`);
  if (s.entities) {
    const { read, approximated, skipped } = s.entities;
    if (Object.keys(read).length) out.push(`  entities read: ${counts(read)}`);
    if (Object.keys(approximated).length) out.push(`  curves approximated by chords: ${counts(approximated)}`);
    if (Object.keys(skipped).length) out.push(`  entities skipped: ${counts(skipped)}`);
  }
  if (s.badRecords.length) {
    out.push(`  bad records (${s.badRecords.length}), ${s.skipInvalid ? 'skipped (--skip-invalid)' : 'each refuses the import (add --skip-invalid to import the rest)'}:`);
    for (const b of s.badRecords) {
      const place = problemPlace(b);
      out.push(`    ${say(place ? message('io.problem.at', { where: place, reason: b.message }) : b.message)}`);
    }
  }
  const fileWide = problems.filter((p) => p.fid === undefined);
  for (const p of fileWide) out.push(`  problem: ${say(problemMessage(s.file, p))}`);
  for (const n of s.notes) out.push(`  note: ${say(n)}`);
  return out;
}

/**
 * Ctrl-C / SIGTERM during an import: while the file is read nothing has been written, so the command stops at
 * once (a new project's temporary file removed) with 130 / 143; the write itself is one transaction and ends
 * either way. `cancelled` is asked at the readers' checkpoints.
 */
function cancelOnSignals(describe: () => string, cleanup: () => void) {
  let signal: NodeJS.Signals | undefined;
  let phase: 'reading' | 'writing' | 'done' = 'reading';
  const onSignal = (sig: NodeJS.Signals) => {
    signal = sig;
    if (phase === 'writing') return;
    const code = sig === 'SIGINT' ? 130 : 143;
    if (phase === 'reading') {
      cleanup();
      process.stderr.write(`\nimport cancelled (${sig}); ${describe()}\n`);
    } else process.stderr.write(`\n${sig}: the import had already finished\n`);
    process.exit(code);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    cancelled: () => signal !== undefined,
    /** End now as the signal asks (after a checkpoint saw it). */
    stop(): void {
      phase = 'reading';
      onSignal(signal ?? 'SIGTERM');
    },
    set phase(p: 'reading' | 'writing' | 'done') {
      phase = p;
    },
    /** A signal that came while writing: the write finished, the command still ends with the signal's status. */
    after(): void {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (signal && phase === 'done') onSignal(signal);
    },
  };
}

/** Let signals that arrived during synchronous work be handled now (they wait for the event loop). */
const yieldToSignals = () => new Promise<void>((r) => setImmediate(r));

async function importAnyFormat(args: ParsedArgs): Promise<void> {
  const { source, into, layer } = importArgs(args);
  const opts = fileOptions(args, layer);
  const json = flag(args, 'json');
  const exists = into !== undefined && existsSync(into);
  if (flag(args, 'dry-run')) return dryRun(source, into, layer, opts, exists, json, flag(args, 'stream'));
  const create = flag(args, 'create');
  if (create && exists) throw new CliError(`${into}: already exists; refusing to overwrite it (leave out --create to import into it)`);
  if (!exists && !create) throw new CliError(`${into}: no such file (add --create to make a new project)`);
  // A new project is written under a temporary name beside the target and linked into place at the end (linking
  // fails if the name was taken meanwhile): a refused, cancelled or killed import never leaves a project behind.
  const temp = create ? join(dirname(into!), `.${basename(into!)}.${process.pid}.importing`) : undefined;
  const cancel = cancelOnSignals(
    () => (create ? `nothing was created (${into})` : `${into} is unchanged`),
    () => {
      if (temp) ProjectStore.remove(temp);
    },
  );
  const withCancel = { ...opts, cancelled: cancel.cancelled };
  const streamed = flag(args, 'stream') || streamsImport(source, opts);
  let prepared: PreparedImport | undefined;
  let store: ProjectStore | undefined;
  let ok = false;
  try {
    let inserted: number;
    if (streamed) {
      // Read and written in one pass: a refusal rolls the transaction back (and a new project is removed).
      store = create ? ProjectStore.create(temp!) : ProjectStore.open(into!);
      cancel.phase = 'writing';
      try {
        ({ inserted, prepared } = importGeoJsonStreamed(store, layer, source, withCancel));
      } catch (err) {
        if (err instanceof ImportRefused && !(err instanceof ImportCancelled)) throw new CliError(say(message('import.err.refused', { detail: err.said })));
        throw err;
      }
    } else {
      // A new project is made only for a file that reads and checks.
      if (create) prepared = await prepareOrRefuse(source, layer, { ...withCancel, forStore: true });
      await yieldToSignals();
      if (cancel.cancelled()) throw new ImportCancelled(basename(source));
      store = create ? ProjectStore.create(temp!) : ProjectStore.open(into!);
      prepared ??= await prepareOrRefuse(source, layer, { ...projectOptions(store, layer, withCancel), forStore: true });
      await yieldToSignals();
      if (cancel.cancelled()) throw new ImportCancelled(basename(source));
      cancel.phase = 'writing';
      ({ inserted } = store.importFeatures(layer, prepared.features, {
        fileName: prepared.fileName,
        mode: opts.mode ?? 'append',
        log: logEntryOf(prepared, prepared.summary.format),
        validated: { year: prepared.year, features: prepared.coerced },
      }));
    }
    if (create) {
      store.close();
      store = undefined;
      try {
        linkSync(temp!, into!);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError(`${into}: already exists (made by another command meanwhile); refusing to overwrite it\nnothing was written`);
        throw err;
      }
    }
    ok = true;
    cancel.phase = 'done';
    const report = prepared.skipped.length ? writeSkipReport(source, into!, prepared, oneLang()) : undefined;
    if (json) {
      printJson({
        file: into,
        layer,
        inserted,
        source,
        crs: prepared.crs.crs?.code,
        crsFrom: prepared.crs.source,
        encoding: prepared.summary.encoding?.encoding,
        mapping: prepared.mapping,
        skipped: prepared.skipped.length,
        ...(report ? { report } : {}),
        notes: prepared.notes,
        summary: prepared.summary,
      });
    } else {
      process.stdout.write(`${into}: ${inserted} features imported into ${layer} from ${source} (${say(prepared.crs.reason)})\n`);
      if (report) process.stdout.write(`  ${prepared.skipped.length} bad records skipped; report: ${report.csv} (and .json)\n`);
      for (const n of prepared.notes) process.stdout.write(`  note: ${say(n)}\n`);
    }
  } catch (err) {
    if (err instanceof ImportCancelled && cancel.cancelled()) {
      // Seen at a checkpoint: the read stopped, nothing was written (and the write transaction, if open, is undone).
      store?.close();
      store = undefined;
      cancel.stop();
    }
    throw err;
  } finally {
    store?.close();
    if (temp && !ok) ProjectStore.remove(temp);
    else if (temp) rmSync(temp, { force: true });
    cancel.after();
  }
}

async function prepareOrRefuse(source: string, layer: LayerName, opts: FileImportOptions): Promise<PreparedImport> {
  try {
    return await prepareFileImport(source, layer, opts);
  } catch (err) {
    if (err instanceof ImportCancelled) throw err;
    if (err instanceof ImportRefused) throw new CliError(say(message('import.err.refused', { detail: err.said })));
    throw err;
  }
}

/** Read and check everything, print what would be written; exit 1 when the import would be refused. */
async function dryRun(source: string, into: string | undefined, layer: LayerName, opts: FileImportOptions, exists: boolean, json: boolean, stream: boolean): Promise<void> {
  let full = opts;
  if (exists) {
    const store = ProjectStore.open(into!);
    try {
      full = projectOptions(store, layer, opts);
    } finally {
      store.close();
    }
  }
  const preview = stream || streamsImport(source, full) ? previewGeoJsonStreamed(source, layer, { ...full, limit: 0 }) : await previewImport(source, layer, { ...full, limit: 0 });
  const wouldImport = preview.problems.length === 0 && preview.total > 0;
  if (json) {
    printJson({ dryRun: true, wouldImport, source, layer, ...(into ? { into } : {}), problems: preview.problems, summary: preview.summary });
  } else {
    process.stdout.write(`${source} → ${layer} (dry run, nothing written): ${wouldImport ? 'would import' : 'would be refused'}\n`);
    for (const line of summaryLines(preview.summary, preview.problems)) process.stdout.write(line + '\n');
  }
  if (!wouldImport) {
    // Exit 1 as the import itself would; the reason on stderr, stdout keeps the one document.
    const headline = preview.problems.length ? say(problemMessage(preview.fileName, preview.problems[0])) : `${preview.fileName}: nothing to import`;
    throw new CliError(`${headline}${preview.problems.length > 1 ? ` (and ${preview.problems.length - 1} more problems, listed above)` : ''}\nthe import would be refused; nothing was written`);
  }
}
