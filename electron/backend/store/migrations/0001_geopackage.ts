/**
 * 0001: the GeoPackage core, every layer of schema.ts as a feature table with
 * its spatial index, the project ledger tables and the settings table.
 */
import type { Migration } from './migration';
import { LAYERS, TABLES } from '../../../../core/model/schema';
import { DEFAULT_SETTINGS } from '../../../../core/model/settings';
import { columnFields, createCoreTables, createFeatureLayer, q, registerAttributes, sqlType } from '../gpkg';

export const migration0001: Migration = {
  version: 1,
  name: '0001_geopackage',
  up(db) {
    createCoreTables(db);
    for (const layer of LAYERS) createFeatureLayer(db, layer);
    for (const table of TABLES) {
      const cols = columnFields(table.fields).map((f) =>
        f.name === 'id' ? `${q('id')} TEXT NOT NULL UNIQUE` : `${q(f.name)} ${sqlType(f)}${f.required ? ' NOT NULL' : ''}`,
      );
      const unique = table.name === 'project_features' ? ',\n UNIQUE (project_id, layer, feature_id)' : '';
      db.exec(`CREATE TABLE ${q(table.name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, ${cols.join(', ')}${unique})`);
      registerAttributes(db, table.name, `${table.label.zh} ${table.label.en}`);
    }
    db.exec(`CREATE TABLE settings (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, key TEXT NOT NULL UNIQUE, value TEXT)`);
    registerAttributes(db, 'settings', '工程参数 Engineering settings (JSON values)');
    const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    for (const [k, v] of Object.entries(DEFAULT_SETTINGS)) put.run(k, JSON.stringify(v));
  },
};
