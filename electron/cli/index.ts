/**
 * The registry of `warmnet` commands. Each command lives in its own file
 * beside this one and is listed here once. A command's module is loaded only
 * when it runs (or for the help, which lists them all): loading every command
 * and what it imports took about a second at each start.
 */
import type { Command } from './command';

export type { Command };

export const commands: Record<string, () => Promise<Command>> = {
  check: async () => (await import('./check')).check,
  isolate: async () => (await import('./isolate')).isolate,
  criticality: async () => (await import('./criticality')).criticalityCommand,
  loops: async () => (await import('./loops')).loops,
  'export-map': async () => (await import('./export-map')).exportMapCommand,
  ledger: async () => (await import('./ledger')).ledgerCommand,
  atlas: async () => (await import('./atlas')).atlasCommand,
  charts: async () => (await import('./charts')).chartsCommand,
  info: async () => (await import('./info')).info,
  import: async () => (await import('./import')).importCommand,
  export: async () => (await import('./export')).exportCommand,
  sample: async () => (await import('./sample')).sample,
  capacity: async () => (await import('./capacity')).capacityCommand,
  candidates: async () => (await import('./candidates')).candidatesCommand,
  coldwave: async () => (await import('./coldwave')).coldwaveCommand,
  hydraulics: async () => (await import('./hydraulics')).hydraulicsCommand,
  publish: async () => (await import('./publish')).publishCommand,
  history: async () => (await import('./history')).historyCommand,
  grant: async () => (await import('./grant')).grantCommand,
  checkout: async () => (await import('./checkout')).checkoutCommand,
  checkin: async () => (await import('./checkout')).checkinCommand,
  upgrade: async () => (await import('./upgrade')).upgradeCommand,
  undo: async () => (await import('./undo')).undoCommand,
  basemap: async () => (await import('./basemap')).basemapCommand,
};
