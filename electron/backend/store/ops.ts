/**
 * One reversible operation of the undo journal. Every journaled write is a
 * list of these; applying one returns the operations that undo it (apply.ts).
 * Stored as JSON in warmnet_journal.ops, so the shape is part of the file format.
 */
import type { ProjectFeatureRow, ProjectRow } from '../../../core/model/project';
import type { LayerName } from '../../../core/model/schema';
import type { Feature } from '../../../core/model/types';

export type Op =
  | { t: 'put'; layer: LayerName; feature: Feature }
  | { t: 'del'; layer: LayerName; id: string }
  | { t: 'putMany'; layer: LayerName; features: Feature[] }
  | { t: 'delMany'; layer: LayerName; ids: string[] }
  | { t: 'putProject'; row: ProjectRow }
  | { t: 'delProject'; id: string }
  | { t: 'link'; links: ProjectFeatureRow[] }
  | { t: 'unlink'; links: ProjectFeatureRow[] }
  | { t: 'settings'; values: Record<string, unknown> };
