/**
 * 0009: one fact, one place — which project a pipe belongs to.
 *
 * `project_features` is the record of membership (a pipe may be linked to
 * several projects). `pipes.project_id` (所属项目) is derived from it by
 * triggers, so the inspector's 所属项目 and 关联项目 cannot disagree:
 * - a pipe written with a project_id is linked to that project, and moving it
 *   to another project unlinks the old one;
 * - linking a pipe that belongs to no project makes that project its own;
 * - unlinking a pipe from its own project clears project_id (to another
 *   linked project when there is one);
 * - a deleted pipe leaves no links behind.
 * Existing files are reconciled once: every pipe's project_id is linked, and
 * a linked pipe without one takes its first link.
 *
 * Frozen SQL: it says exactly what this change does, whatever schema.ts says later.
 */
import type { Migration } from './migration';

export const SQL_0009 = `
INSERT OR IGNORE INTO project_features (project_id, layer, feature_id)
  SELECT project_id, 'pipes', id FROM pipes WHERE project_id IS NOT NULL AND project_id != '' ORDER BY fid;
UPDATE pipes SET project_id = (
    SELECT pf.project_id FROM project_features pf WHERE pf.layer = 'pipes' AND pf.feature_id = pipes.id ORDER BY pf.fid LIMIT 1)
  WHERE (project_id IS NULL OR project_id = '')
    AND EXISTS (SELECT 1 FROM project_features pf WHERE pf.layer = 'pipes' AND pf.feature_id = pipes.id);
CREATE TRIGGER "warmnet_pipe_project_insert" AFTER INSERT ON "pipes"
  WHEN NEW.project_id IS NOT NULL AND NEW.project_id != ''
  BEGIN
    INSERT OR IGNORE INTO project_features (project_id, layer, feature_id) VALUES (NEW.project_id, 'pipes', NEW.id);
  END;
CREATE TRIGGER "warmnet_pipe_project_update" AFTER UPDATE OF project_id, id ON "pipes"
  WHEN OLD.project_id IS NOT NEW.project_id OR OLD.id IS NOT NEW.id
  BEGIN
    DELETE FROM project_features WHERE layer = 'pipes' AND feature_id = OLD.id AND project_id = OLD.project_id
      AND (OLD.id IS NOT NEW.id OR OLD.project_id IS NOT NEW.project_id);
    INSERT OR IGNORE INTO project_features (project_id, layer, feature_id)
      SELECT NEW.project_id, 'pipes', NEW.id WHERE NEW.project_id IS NOT NULL AND NEW.project_id != '';
  END;
CREATE TRIGGER "warmnet_pipe_project_delete" AFTER DELETE ON "pipes"
  BEGIN
    DELETE FROM project_features WHERE layer = 'pipes' AND feature_id = OLD.id;
  END;
CREATE TRIGGER "warmnet_project_link_insert" AFTER INSERT ON "project_features"
  WHEN NEW.layer = 'pipes'
  BEGIN
    UPDATE pipes SET project_id = NEW.project_id WHERE id = NEW.feature_id AND (project_id IS NULL OR project_id = '');
  END;
CREATE TRIGGER "warmnet_project_link_delete" AFTER DELETE ON "project_features"
  WHEN OLD.layer = 'pipes'
  BEGIN
    UPDATE pipes SET project_id = (
        SELECT pf.project_id FROM project_features pf WHERE pf.layer = 'pipes' AND pf.feature_id = OLD.feature_id ORDER BY pf.fid LIMIT 1)
      WHERE id = OLD.feature_id AND project_id = OLD.project_id;
  END;
`;

export const migration0009: Migration = {
  version: 9,
  name: '0009_project_membership',
  up(db) {
    db.exec(SQL_0009);
  },
};
