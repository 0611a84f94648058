/**
 * The registry of `warmnet` commands. Each command lives in its own file
 * beside this one and is listed here once.
 */
import type { Command } from './command';
import { info } from './info';
import { importCommand } from './import';
import { exportCommand } from './export';
import { sample } from './sample';
import { check } from './check';
import { isolate } from './isolate';
import { criticalityCommand } from './criticality';
import { loops } from './loops';
import { exportMapCommand } from './export-map';
import { ledgerCommand } from './ledger';
import { atlasCommand } from './atlas';
import { chartsCommand } from './charts';
import { capacityCommand } from './capacity';
import { candidatesCommand } from './candidates';
import { coldwaveCommand } from './coldwave';
import { hydraulicsCommand } from './hydraulics';
import { publishCommand } from './publish';
import { historyCommand } from './history';
import { grantCommand } from './grant';
import { checkoutCommand, checkinCommand } from './checkout';
import { upgradeCommand } from './upgrade';
import { undoCommand } from './undo';
import { basemapCommand } from './basemap';

export type { Command };

export const commands: Record<string, Command> = {
  check, isolate, criticality: criticalityCommand, loops,
  'export-map': exportMapCommand, ledger: ledgerCommand, atlas: atlasCommand, charts: chartsCommand,
  info, import: importCommand, export: exportCommand, sample,
  capacity: capacityCommand, candidates: candidatesCommand, coldwave: coldwaveCommand,
  hydraulics: hydraulicsCommand,
  publish: publishCommand, history: historyCommand, grant: grantCommand, checkout: checkoutCommand, checkin: checkinCommand, upgrade: upgradeCommand, undo: undoCommand,
  basemap: basemapCommand,
};
