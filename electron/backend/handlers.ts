/**
 * Binds every channel of the contract to the store. Arguments are checked
 * against the channel's schema before the store is touched, so a malformed
 * call from a renderer (or a test) fails with a message naming the channel
 * and the field, and never reaches SQLite.
 */
import { basename } from 'node:path';
import { LAYER_NAMES, type LayerName } from '../../core/model/schema';
import { pipeAge } from '../../core/model/classes';
import type { FeatureCollection } from '../../core/model/geojson';
import type { Feature } from '../../core/model/types';
import { toFeatureCollection } from '../../core/io/geojson';
import { lineLengthM } from '../../core/geo/length';
import { INFO_THEME_KEY, THEMES, legendRows } from '../../core/style/themes';
import { mapProperties } from './mapFeatures';
import { TileService } from './tiles';
import { infoFromParts, pipeClassKey, type ProjectInfo as PlanInfo } from '../../core/plan/info';
import type { Settings } from '../../core/model/settings';
import type { StoreApi } from './store/api';
import { infoParts } from './store/infoParts';
import { bindEditHandlers } from './editing.handlers';
import { bindAnalysisHandlers } from './analysis.handlers';
import { bindPresentHandlers } from './export/handlers';
import { bindExportHandlers } from './export/exportChannels';
import { bindImportHandlers, type ImportHost } from './import.handlers';
import { bindBasemapHandlers, type BasemapHost } from './basemap.handlers';
import { bindSharedHandlers, type PasswordKeychain } from './shared.handlers';
import { LiveSlot, type LiveProject } from './store/pg/live';
import { contract, isChannel, type ArgsOf, type Channel, type FeatureDetail, type ResultOf } from './contract';

const SEARCH_ORDER: LayerName[] = ['heat_sources', 'stations', 'communities', 'valves', 'pipes', 'streets', 'incidents', 'complaints', 'coal_areas'];

/** A call the contract refuses: unknown channel or arguments that fail the schema. */
export class ContractError extends Error {
  constructor(
    readonly channel: string,
    message: string,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}

/** What the process offers the handlers: the import wizard's file dialog and uploads, the OS keychain for connection passwords. */
export type BackendHost = ImportHost & BasemapHost & {
  passwords?: PasswordKeychain;
  /** The shared project opened live in place of the GeoPackage (createDispatcher makes one when not given). */
  live?: LiveSlot;
  /** The GeoPackage project the window opened (where a check-out goes beside). */
  local?: () => StoreApi;
};

type Impl = { [K in Channel]: (args: ArgsOf<K>) => ResultOf<K> | Promise<ResultOf<K>> };

const AGE_FIELD: Partial<Record<LayerName, string>> = {
  pipes: 'install_year',
  valves: 'install_year',
  stations: 'install_year',
  heat_sources: 'commissioned_year',
  communities: 'year_built',
};

/** Implementations of the channels over one open store. `year` is injectable so tests are stable. */
export function bindHandlers(store: StoreApi, year = new Date().getFullYear(), host: BackendHost = {}, tiles = new TileService(store, year)): Impl {
  const live: LiveProject | null = host.live?.current && host.live.current.store === store ? host.live.current : null;
  const layerCache = new Map<LayerName, { revision: number; fc: FeatureCollection }>();
  let infoCache: { revision: number; info: PlanInfo } | null = null;
  const featureCache = new Map<LayerName, { revision: number; features: Feature[] }>();

  /** A layer's features, read once per revision and shared by layer:get, theme:stats and project:info. */
  function features(name: LayerName): Feature[] {
    const rev = store.revision();
    const hit = featureCache.get(name);
    if (hit && hit.revision === rev) return hit.features;
    const list = store.listFeatures(name) as Feature[];
    featureCache.set(name, { revision: rev, features: list });
    return list;
  }

  let infoJob: { revision: number; info: Promise<PlanInfo> } | null = null;

  /**
   * The totals `warmnet info` prints, aggregated by the store in SQL (no
   * feature is read whole, at any size), once per revision. A large project
   * takes seconds: the work goes in steps with the event loop free between
   * them (tiles and edits are answered meanwhile); edits in between are
   * followed by the store (the pass neither starts again nor leaves a stale
   * answer), a settings change counts again; calls while it runs share it.
   */
  function planInfo(): PlanInfo | Promise<PlanInfo> {
    const rev = store.revision();
    if (infoCache && infoCache.revision === rev) return infoCache.info;
    // a pass running takes in the writes since it started: its answer is of the revision at its end
    if (infoJob) return infoJob.info;
    const job = { revision: rev, info: computeInfo() };
    infoJob = job;
    const done = () => {
      if (infoJob === job) infoJob = null;
    };
    job.info.then(done, done);
    return job.info;
  }

  let classifier: { settings: string; classify: (p: Record<string, unknown>) => string } | null = null;
  /** One classifier per settings: the store keeps the pipe totals per classifier and moves them by each edit. */
  function classifierFor(settings: Settings): (p: Record<string, unknown>) => string {
    const key = JSON.stringify(settings);
    if (classifier?.settings !== key) classifier = { settings: key, classify: (p) => pipeClassKey(p, settings, year) };
    return classifier.classify;
  }

  async function computeInfo(): Promise<PlanInfo> {
    for (;;) {
      const settings = store.getSettings();
      const classify = classifierFor(settings);
      const steps = store.pipeTotalsSteps(classify);
      let step = steps.next();
      while (!step.done) {
        await new Promise((ok) => setImmediate(ok));
        step = steps.next();
      }
      // edits meanwhile are in the totals (the store follows them); other settings are not: count again
      if (classifierFor(store.getSettings()) !== classify) continue;
      const at = store.revision();
      const info = infoFromParts(infoParts(store, settings, step.value), year);
      infoCache = { revision: at, info };
      return info;
    }
  }

  function layer(name: LayerName): FeatureCollection {
    const hit = layerCache.get(name);
    const rev = store.revision();
    if (hit && hit.revision === rev) return hit.fc;
    const fc = asLayerGives(name, features(name));
    layerCache.set(name, { revision: rev, fc });
    return fc;
  }

  /** Features as layer:get gives them: pipes with their computed classes and length. */
  function asLayerGives(name: LayerName, list: readonly Feature[]): FeatureCollection {
    const fc = toFeatureCollection(name, list);
    if (name === 'pipes') {
      const settings = store.getSettings();
      fc.features = fc.features.map((f) => ({ ...f, properties: mapProperties(name, f as Feature, settings, year) }));
    }
    return fc;
  }

  /** The layer's features written since `revision`, and those gone; null when the store cannot tell (layer:since). */
  function layerSince(name: LayerName, revision: number): { features: FeatureCollection['features']; removed: string[] } | null {
    // (another program's write, once the watcher has seen it, is a change of everything: null)
    const changes = store.changesSince?.(revision) ?? null;
    if (!changes) return null;
    const found: Feature[] = [];
    const removed: string[] = [];
    for (const id of changes.find((c) => c.layer === name)?.ids ?? []) {
      const f = store.getFeature(name, id);
      if (f) found.push(f as Feature);
      else removed.push(id);
    }
    return { features: asLayerGives(name, found).features, removed };
  }

  return {
    'project:info': () => {
      const counts = Object.fromEntries(LAYER_NAMES.map((l) => [l, store.count(l)])) as Record<LayerName, number>;
      const shared = live ? { ...live.info } : null;
      const fileName = live ? `${live.info.schema} @ ${new URL(live.info.url).host}` : basename(store.path);
      return { path: store.path, fileName, revision: store.revision(), bbox: store.bbox(), counts, year, tiles: tiles.plan(), layerVersions: tiles.layerVersions(), tileChanges: tiles.recentChanges(), shared };
    },
    'layer:get': ({ layer: name }) => layer(name),
    'layer:since': ({ layer: name, revision }) => layerSince(name, revision),
    'layer:page': ({ layer: name, ...opts }) => store.page(name, opts),
    'layer:box': ({ layer: name, bbox, limit = 5000 }) => {
      // one more than asked tells whether the box held more
      const found = store.featuresInBox(name, bbox, 0, limit + 1);
      return { features: found.slice(0, limit) as Feature[], complete: found.length <= limit };
    },
    'feature:get': ({ layer: name, id }) => {
      const feature = store.getFeature(name, id);
      if (!feature) throw new Error(`feature:get: no feature "${id}" in layer ${name}`);
      const g = feature.geometry;
      const lengthM =
        g.type === 'LineString'
          ? (typeof feature.properties.length_m === 'number' ? feature.properties.length_m : lineLengthM(g.coordinates))
          : null;
      const ageField = AGE_FIELD[name];
      const ageYears = ageField ? pipeAge(feature.properties[ageField], year) : null;
      const incidents = name === 'pipes' ? features('incidents').filter((i) => i.properties.pipe_id === id) : [];
      const linked = new Set(
        store
          .projectFeatures()
          .filter((pf) => pf.layer === name && pf.feature_id === id)
          .map((pf) => pf.project_id),
      );
      // pipes.project_id (所属项目) is derived from these links in the store (migration 0009): one record, no second source here.
      const projects = store.listProjects().filter((p) => linked.has(p.id));
      const detail: FeatureDetail = { layer: name, feature: feature as Feature, lengthM, ageYears, incidents, projects };
      return detail;
    },
    // The same totals `warmnet info` prints, so legend and command line agree by construction.
    'theme:stats': async ({ theme }) => legendRows(THEMES[theme], (await planInfo()).themes[INFO_THEME_KEY[theme]]),
    // Exact ids first, then ids and names that start with the query, then the rest; within a rank, the layers
    // people look for by name (sources, stations, communities) come first. Answered by the store from its indexes.
    'search:find': ({ query, limit = 50 }) => store.search(query, limit, SEARCH_ORDER),
    'settings:get': () => store.getSettings(),
    ...bindEditHandlers(store, live),
    ...bindAnalysisHandlers(store, undefined, tiles),
    ...bindPresentHandlers(store),
    ...bindExportHandlers(store, year),
    ...bindImportHandlers(store, host),
    ...bindBasemapHandlers(store, host),
    ...bindSharedHandlers(store, host.passwords, { slot: host.live, local: host.local ?? (() => store), year }),
  };
}

/** Human-readable reason from a zod error: `field "layer": Invalid option …`. */
function describeIssues(issues: { path: PropertyKey[]; message: string; code?: string; keys?: string[] }[]): string {
  return issues
    .map((i) => {
      const field = i.path.length ? i.path.map(String).join('.') : i.keys?.length ? i.keys.join(', ') : '(arguments)';
      return `field "${field}": ${i.message}`;
    })
    .join('; ');
}

/**
 * Whether the dispatcher also checks each result against its channel's result
 * schema: under the tests and in development (NODE_ENV `test` or
 * `development`), where a handler answering another shape than its contract
 * fails at once with the channel and the field; not in the built app, whose
 * answers the types and those tests already vouch for.
 */
export const CHECK_RESULTS = process.env.NODE_ENV === 'test' || process.env.NODE_ENV === 'development';

/**
 * Validates then dispatches one call; the single entry point of IPC and the HTTP bridge. `host`: what the process offers
 * (the desktop app's file dialog); `checkResults`: see CHECK_RESULTS.
 */
export function createDispatcher(getStore: () => StoreApi, year?: number, host: BackendHost = {}, checkResults = CHECK_RESULTS) {
  let bound: { store: StoreApi; tiles: TileService; impl: Impl } | null = null;
  const slot = host.live ?? new LiveSlot();
  const withSlot: BackendHost = { ...host, live: slot, local: getStore };
  /** The project the calls go to: the live shared project when one is open, else the GeoPackage. */
  const active = (): StoreApi => slot.current?.store ?? getStore();
  const dispatch = async function dispatch(channel: unknown, args: unknown): Promise<unknown> {
    if (!isChannel(channel)) throw new ContractError(String(channel), `unknown channel "${String(channel)}"`);
    const parsed = contract[channel].args.safeParse(args ?? undefined);
    if (!parsed.success) {
      throw new ContractError(channel, `${channel}: invalid arguments — ${describeIssues(parsed.error.issues as never)}`);
    }
    const store = active();
    if (!bound || bound.store !== store) {
      bound?.tiles.close();
      const tiles = new TileService(store, year ?? new Date().getFullYear());
      bound = { store, tiles, impl: bindHandlers(store, year, withSlot, tiles) };
    }
    const fn = bound.impl[channel] as (a: unknown) => unknown;
    const result = await fn(parsed.data);
    if (checkResults) {
      const checked = contract[channel].result.safeParse(result);
      if (!checked.success) {
        throw new ContractError(channel, `${channel}: result does not match the contract — ${describeIssues(checked.error.issues as never)}`);
      }
    }
    return result;
  };
  return Object.assign(dispatch, {
    active,
    slot,
    /** Close the live project if one is open (the window or the server is closing). */
    close: async () => {
      const l = slot.current;
      slot.current = null;
      await l?.close();
    },
  });
}
