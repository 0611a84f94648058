/** Applying one journal operation to the tables, returning the operations that undo it. */
import { coerceFeature, type CoercedFeature } from '../../../core/model/validate';
import type { BulkLoader } from './bulk';
import type { FeatureTables } from './features';
import type { Op } from './ops';
import type { ProjectTables } from './projects';
import type { SettingsTable } from './settings';

export interface Tables {
  features: FeatureTables;
  bulk: BulkLoader;
  projects: ProjectTables;
  settings: SettingsTable;
  /** Validation year for rows coming back from the journal (far ahead: a row once accepted is not refused later). */
  replayYear: number;
}

export function applyOp(t: Tables, op: Op): Op[] {
  switch (op.t) {
    case 'put': {
      const c = coerceFeature(op.layer, op.feature, { year: t.replayYear });
      return [t.features.put(op.layer, c, false)];
    }
    case 'del': {
      const before = t.features.remove(op.layer, op.id);
      return before ? [{ t: 'put', layer: op.layer, feature: before }] : [];
    }
    case 'putMany': {
      const fresh: CoercedFeature[] = [];
      const inverse: Op[] = [];
      for (const f of op.features) {
        const c = coerceFeature(op.layer, f, { year: t.replayYear });
        if (t.features.has(op.layer, c.id)) inverse.push(t.features.put(op.layer, c, false));
        else fresh.push(c);
      }
      t.bulk.insert(op.layer, fresh);
      if (fresh.length) inverse.push({ t: 'delMany', layer: op.layer, ids: fresh.map((c) => c.id) });
      return inverse;
    }
    case 'delMany': {
      const before = t.features.removeMany(op.layer, op.ids);
      return before.length ? [{ t: 'putMany', layer: op.layer, features: before }] : [];
    }
    case 'putProject': {
      const before = t.projects.get(op.row.id);
      t.projects.write(op.row);
      return [before ? { t: 'putProject', row: before } : { t: 'delProject', id: op.row.id }];
    }
    case 'delProject': {
      const gone = t.projects.remove(op.id);
      if (!gone) return [];
      return [{ t: 'putProject', row: gone.row }, ...(gone.links.length ? [{ t: 'link', links: gone.links } as Op] : [])];
    }
    case 'link': {
      const added = t.projects.link(op.links);
      return added.length ? [{ t: 'unlink', links: added }] : [];
    }
    case 'unlink': {
      const removed = t.projects.unlink(op.links);
      return removed.length ? [{ t: 'link', links: removed }] : [];
    }
    case 'settings':
      return [{ t: 'settings', values: t.settings.write(op.values) }];
  }
}
