/**
 * 0001: the GeoPackage core (spatial reference systems, contents, geometry
 * columns, extensions), the nine feature layers with their spatial indexes
 * (gpkg_rtree_index: virtual table and triggers), the project ledger tables
 * and the settings table — as the first release wrote them.
 *
 * Frozen SQL: a literal snapshot of that schema, never built from today's
 * layer definitions (fields added later come with their own numbered
 * migration, e.g. 0006). The settings table starts empty: a key the file does
 * not hold reads as its documented default (core/model/settings.ts).
 */
import type { Migration } from './migration';

/** 'GPKG' as the SQLite application id, and GeoPackage 1.3.0 as the user version. */
const APPLICATION_ID = 0x47504b47;
const USER_VERSION = 10300;

export const SQL_0001 = `
CREATE TABLE gpkg_spatial_ref_sys (
      srs_name TEXT NOT NULL,
      srs_id INTEGER NOT NULL PRIMARY KEY,
      organization TEXT NOT NULL,
      organization_coordsys_id INTEGER NOT NULL,
      definition TEXT NOT NULL,
      description TEXT
    );
CREATE TABLE gpkg_contents (
      table_name TEXT NOT NULL PRIMARY KEY,
      data_type TEXT NOT NULL,
      identifier TEXT UNIQUE,
      description TEXT DEFAULT '',
      last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
      srs_id INTEGER,
      CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
    );
CREATE TABLE gpkg_geometry_columns (
      table_name TEXT NOT NULL,
      column_name TEXT NOT NULL,
      geometry_type_name TEXT NOT NULL,
      srs_id INTEGER NOT NULL,
      z TINYINT NOT NULL,
      m TINYINT NOT NULL,
      CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
      CONSTRAINT uk_gc_table_name UNIQUE (table_name),
      CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
      CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
    );
CREATE TABLE gpkg_extensions (
      table_name TEXT,
      column_name TEXT,
      extension_name TEXT NOT NULL,
      definition TEXT NOT NULL,
      scope TEXT NOT NULL,
      CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
    );
CREATE TABLE "heat_sources" (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    geom POINT,
    "id" TEXT NOT NULL UNIQUE,
    "name" TEXT,
    "kind" TEXT,
    "capacity_mw" REAL,
    "units" INTEGER,
    "is_backup" BOOLEAN,
    "fuel_stock_t" REAL,
    "fuel_t_per_day_design" REAL,
    "commissioned_year" INTEGER,
    "status" TEXT,
    "extra_json" TEXT
  );
CREATE VIRTUAL TABLE "rtree_heat_sources_geom" USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER "rtree_heat_sources_geom_insert" AFTER INSERT ON "heat_sources"
    WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
    BEGIN
      INSERT OR REPLACE INTO "rtree_heat_sources_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
    END;
CREATE TRIGGER "rtree_heat_sources_geom_update1" AFTER UPDATE OF geom ON "heat_sources"
      WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN INSERT OR REPLACE INTO "rtree_heat_sources_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_heat_sources_geom_update2" AFTER UPDATE OF geom ON "heat_sources"
      WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_heat_sources_geom" WHERE id = OLD.fid; END;
CREATE TRIGGER "rtree_heat_sources_geom_update3" AFTER UPDATE ON "heat_sources"
      WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_heat_sources_geom" WHERE id = OLD.fid; INSERT OR REPLACE INTO "rtree_heat_sources_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_heat_sources_geom_update4" AFTER UPDATE ON "heat_sources"
      WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_heat_sources_geom" WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER "rtree_heat_sources_geom_delete" AFTER DELETE ON "heat_sources"
      WHEN old.geom NOT NULL
      BEGIN DELETE FROM "rtree_heat_sources_geom" WHERE id = OLD.fid; END;
CREATE TABLE "pipes" (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    geom LINESTRING,
    "id" TEXT NOT NULL UNIQUE,
    "name" TEXT,
    "level" TEXT,
    "dn" INTEGER,
    "material" TEXT,
    "insulation" TEXT,
    "laying" TEXT,
    "install_year" INTEGER,
    "design_life_years" INTEGER,
    "leak_count_5y" INTEGER,
    "water_loss_rate" REAL,
    "condition" INTEGER,
    "status" TEXT,
    "renovation_status" TEXT,
    "project_id" TEXT,
    "length_m" REAL,
    "extra_json" TEXT
  );
CREATE VIRTUAL TABLE "rtree_pipes_geom" USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER "rtree_pipes_geom_insert" AFTER INSERT ON "pipes"
    WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
    BEGIN
      INSERT OR REPLACE INTO "rtree_pipes_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
    END;
CREATE TRIGGER "rtree_pipes_geom_update1" AFTER UPDATE OF geom ON "pipes"
      WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN INSERT OR REPLACE INTO "rtree_pipes_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_pipes_geom_update2" AFTER UPDATE OF geom ON "pipes"
      WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_pipes_geom" WHERE id = OLD.fid; END;
CREATE TRIGGER "rtree_pipes_geom_update3" AFTER UPDATE ON "pipes"
      WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_pipes_geom" WHERE id = OLD.fid; INSERT OR REPLACE INTO "rtree_pipes_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_pipes_geom_update4" AFTER UPDATE ON "pipes"
      WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_pipes_geom" WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER "rtree_pipes_geom_delete" AFTER DELETE ON "pipes"
      WHEN old.geom NOT NULL
      BEGIN DELETE FROM "rtree_pipes_geom" WHERE id = OLD.fid; END;
CREATE TABLE "valves" (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    geom POINT,
    "id" TEXT NOT NULL UNIQUE,
    "name" TEXT,
    "kind" TEXT,
    "dn" INTEGER,
    "state" TEXT,
    "operable" TEXT,
    "install_year" INTEGER,
    "last_inspected" DATE,
    "extra_json" TEXT
  );
CREATE VIRTUAL TABLE "rtree_valves_geom" USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER "rtree_valves_geom_insert" AFTER INSERT ON "valves"
    WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
    BEGIN
      INSERT OR REPLACE INTO "rtree_valves_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
    END;
CREATE TRIGGER "rtree_valves_geom_update1" AFTER UPDATE OF geom ON "valves"
      WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN INSERT OR REPLACE INTO "rtree_valves_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_valves_geom_update2" AFTER UPDATE OF geom ON "valves"
      WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_valves_geom" WHERE id = OLD.fid; END;
CREATE TRIGGER "rtree_valves_geom_update3" AFTER UPDATE ON "valves"
      WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_valves_geom" WHERE id = OLD.fid; INSERT OR REPLACE INTO "rtree_valves_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_valves_geom_update4" AFTER UPDATE ON "valves"
      WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_valves_geom" WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER "rtree_valves_geom_delete" AFTER DELETE ON "valves"
      WHEN old.geom NOT NULL
      BEGIN DELETE FROM "rtree_valves_geom" WHERE id = OLD.fid; END;
CREATE TABLE "stations" (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    geom POINT,
    "id" TEXT NOT NULL UNIQUE,
    "name" TEXT,
    "design_capacity_mw" REAL,
    "automation" TEXT,
    "install_year" INTEGER,
    "last_overhaul" INTEGER,
    "extra_json" TEXT
  );
CREATE VIRTUAL TABLE "rtree_stations_geom" USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER "rtree_stations_geom_insert" AFTER INSERT ON "stations"
    WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
    BEGIN
      INSERT OR REPLACE INTO "rtree_stations_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
    END;
CREATE TRIGGER "rtree_stations_geom_update1" AFTER UPDATE OF geom ON "stations"
      WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN INSERT OR REPLACE INTO "rtree_stations_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_stations_geom_update2" AFTER UPDATE OF geom ON "stations"
      WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_stations_geom" WHERE id = OLD.fid; END;
CREATE TRIGGER "rtree_stations_geom_update3" AFTER UPDATE ON "stations"
      WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_stations_geom" WHERE id = OLD.fid; INSERT OR REPLACE INTO "rtree_stations_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_stations_geom_update4" AFTER UPDATE ON "stations"
      WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_stations_geom" WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER "rtree_stations_geom_delete" AFTER DELETE ON "stations"
      WHEN old.geom NOT NULL
      BEGIN DELETE FROM "rtree_stations_geom" WHERE id = OLD.fid; END;
CREATE TABLE "communities" (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    geom POLYGON,
    "id" TEXT NOT NULL UNIQUE,
    "name" TEXT,
    "households" INTEGER,
    "buildings" INTEGER,
    "heated_area_m2" REAL,
    "year_built" INTEGER,
    "energy_saving" TEXT,
    "station_id" TEXT,
    "low_temp_households" INTEGER,
    "survey_date" DATE,
    "survey_note" TEXT,
    "extra_json" TEXT
  );
CREATE VIRTUAL TABLE "rtree_communities_geom" USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER "rtree_communities_geom_insert" AFTER INSERT ON "communities"
    WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
    BEGIN
      INSERT OR REPLACE INTO "rtree_communities_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
    END;
CREATE TRIGGER "rtree_communities_geom_update1" AFTER UPDATE OF geom ON "communities"
      WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN INSERT OR REPLACE INTO "rtree_communities_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_communities_geom_update2" AFTER UPDATE OF geom ON "communities"
      WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_communities_geom" WHERE id = OLD.fid; END;
CREATE TRIGGER "rtree_communities_geom_update3" AFTER UPDATE ON "communities"
      WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_communities_geom" WHERE id = OLD.fid; INSERT OR REPLACE INTO "rtree_communities_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_communities_geom_update4" AFTER UPDATE ON "communities"
      WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_communities_geom" WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER "rtree_communities_geom_delete" AFTER DELETE ON "communities"
      WHEN old.geom NOT NULL
      BEGIN DELETE FROM "rtree_communities_geom" WHERE id = OLD.fid; END;
CREATE TABLE "incidents" (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    geom POINT,
    "id" TEXT NOT NULL UNIQUE,
    "pipe_id" TEXT,
    "date" DATE,
    "kind" TEXT,
    "repair_hours" REAL,
    "water_lost_t" REAL,
    "extra_json" TEXT
  );
CREATE VIRTUAL TABLE "rtree_incidents_geom" USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER "rtree_incidents_geom_insert" AFTER INSERT ON "incidents"
    WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
    BEGIN
      INSERT OR REPLACE INTO "rtree_incidents_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
    END;
CREATE TRIGGER "rtree_incidents_geom_update1" AFTER UPDATE OF geom ON "incidents"
      WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN INSERT OR REPLACE INTO "rtree_incidents_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_incidents_geom_update2" AFTER UPDATE OF geom ON "incidents"
      WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_incidents_geom" WHERE id = OLD.fid; END;
CREATE TRIGGER "rtree_incidents_geom_update3" AFTER UPDATE ON "incidents"
      WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_incidents_geom" WHERE id = OLD.fid; INSERT OR REPLACE INTO "rtree_incidents_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_incidents_geom_update4" AFTER UPDATE ON "incidents"
      WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_incidents_geom" WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER "rtree_incidents_geom_delete" AFTER DELETE ON "incidents"
      WHEN old.geom NOT NULL
      BEGIN DELETE FROM "rtree_incidents_geom" WHERE id = OLD.fid; END;
CREATE TABLE "complaints" (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    geom POINT,
    "id" TEXT NOT NULL UNIQUE,
    "date" DATE,
    "community_id" TEXT,
    "category" TEXT,
    "indoor_temp_c" REAL,
    "status" TEXT,
    "extra_json" TEXT
  );
CREATE VIRTUAL TABLE "rtree_complaints_geom" USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER "rtree_complaints_geom_insert" AFTER INSERT ON "complaints"
    WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
    BEGIN
      INSERT OR REPLACE INTO "rtree_complaints_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
    END;
CREATE TRIGGER "rtree_complaints_geom_update1" AFTER UPDATE OF geom ON "complaints"
      WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN INSERT OR REPLACE INTO "rtree_complaints_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_complaints_geom_update2" AFTER UPDATE OF geom ON "complaints"
      WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_complaints_geom" WHERE id = OLD.fid; END;
CREATE TRIGGER "rtree_complaints_geom_update3" AFTER UPDATE ON "complaints"
      WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_complaints_geom" WHERE id = OLD.fid; INSERT OR REPLACE INTO "rtree_complaints_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_complaints_geom_update4" AFTER UPDATE ON "complaints"
      WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_complaints_geom" WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER "rtree_complaints_geom_delete" AFTER DELETE ON "complaints"
      WHEN old.geom NOT NULL
      BEGIN DELETE FROM "rtree_complaints_geom" WHERE id = OLD.fid; END;
CREATE TABLE "coal_areas" (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    geom POLYGON,
    "id" TEXT NOT NULL UNIQUE,
    "village" TEXT,
    "households" INTEGER,
    "status" TEXT,
    "extra_json" TEXT
  );
CREATE VIRTUAL TABLE "rtree_coal_areas_geom" USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER "rtree_coal_areas_geom_insert" AFTER INSERT ON "coal_areas"
    WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
    BEGIN
      INSERT OR REPLACE INTO "rtree_coal_areas_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
    END;
CREATE TRIGGER "rtree_coal_areas_geom_update1" AFTER UPDATE OF geom ON "coal_areas"
      WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN INSERT OR REPLACE INTO "rtree_coal_areas_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_coal_areas_geom_update2" AFTER UPDATE OF geom ON "coal_areas"
      WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_coal_areas_geom" WHERE id = OLD.fid; END;
CREATE TRIGGER "rtree_coal_areas_geom_update3" AFTER UPDATE ON "coal_areas"
      WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_coal_areas_geom" WHERE id = OLD.fid; INSERT OR REPLACE INTO "rtree_coal_areas_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_coal_areas_geom_update4" AFTER UPDATE ON "coal_areas"
      WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_coal_areas_geom" WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER "rtree_coal_areas_geom_delete" AFTER DELETE ON "coal_areas"
      WHEN old.geom NOT NULL
      BEGIN DELETE FROM "rtree_coal_areas_geom" WHERE id = OLD.fid; END;
CREATE TABLE "streets" (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    geom LINESTRING,
    "id" TEXT NOT NULL UNIQUE,
    "name" TEXT,
    "class" TEXT,
    "extra_json" TEXT
  );
CREATE VIRTUAL TABLE "rtree_streets_geom" USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER "rtree_streets_geom_insert" AFTER INSERT ON "streets"
    WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
    BEGIN
      INSERT OR REPLACE INTO "rtree_streets_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
    END;
CREATE TRIGGER "rtree_streets_geom_update1" AFTER UPDATE OF geom ON "streets"
      WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN INSERT OR REPLACE INTO "rtree_streets_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_streets_geom_update2" AFTER UPDATE OF geom ON "streets"
      WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_streets_geom" WHERE id = OLD.fid; END;
CREATE TRIGGER "rtree_streets_geom_update3" AFTER UPDATE ON "streets"
      WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_streets_geom" WHERE id = OLD.fid; INSERT OR REPLACE INTO "rtree_streets_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_streets_geom_update4" AFTER UPDATE ON "streets"
      WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "rtree_streets_geom" WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER "rtree_streets_geom_delete" AFTER DELETE ON "streets"
      WHEN old.geom NOT NULL
      BEGIN DELETE FROM "rtree_streets_geom" WHERE id = OLD.fid; END;
CREATE TABLE "projects" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "id" TEXT NOT NULL UNIQUE, "name" TEXT, "year" INTEGER NOT NULL, "kind" TEXT, "problem" TEXT, "task" TEXT, "measure" TEXT, "responsible" TEXT, "deadline" DATE, "status" TEXT, "budget_wan" REAL);
CREATE TABLE "project_features" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "project_id" TEXT NOT NULL, "layer" TEXT NOT NULL, "feature_id" TEXT NOT NULL,
 UNIQUE (project_id, layer, feature_id));
CREATE TABLE settings (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, key TEXT NOT NULL UNIQUE, value TEXT);
INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES ('China Geodetic Coordinate System 2000', 4490, 'EPSG', 4490, 'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4490"]]', 'CGCS2000 geographic (lon/lat)');
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES ('heat_sources', 'features', 'heat_sources', '热源 Heat sources', NULL, NULL, NULL, NULL, 4490);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES ('pipes', 'features', 'pipes', '管线 Pipes', NULL, NULL, NULL, NULL, 4490);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES ('valves', 'features', 'valves', '阀门井 Valve wells', NULL, NULL, NULL, NULL, 4490);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES ('stations', 'features', 'stations', '换热站 Exchange stations', NULL, NULL, NULL, NULL, 4490);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES ('communities', 'features', 'communities', '小区 Communities', NULL, NULL, NULL, NULL, 4490);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES ('incidents', 'features', 'incidents', '事故记录 Incidents', NULL, NULL, NULL, NULL, 4490);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES ('complaints', 'features', 'complaints', '投诉 Complaints', NULL, NULL, NULL, NULL, 4490);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES ('coal_areas', 'features', 'coal_areas', '散煤区域 Coal-burning areas', NULL, NULL, NULL, NULL, 4490);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES ('streets', 'features', 'streets', '道路 Streets', NULL, NULL, NULL, NULL, 4490);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES ('projects', 'attributes', 'projects', '项目清单 Projects', NULL, NULL, NULL, NULL, NULL);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES ('project_features', 'attributes', 'project_features', '项目关联要素 Project features', NULL, NULL, NULL, NULL, NULL);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES ('settings', 'attributes', 'settings', '工程参数 Engineering settings (JSON values)', NULL, NULL, NULL, NULL, NULL);
INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES ('heat_sources', 'geom', 'POINT', 4490, 0, 0);
INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES ('pipes', 'geom', 'LINESTRING', 4490, 0, 0);
INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES ('valves', 'geom', 'POINT', 4490, 0, 0);
INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES ('stations', 'geom', 'POINT', 4490, 0, 0);
INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES ('communities', 'geom', 'POLYGON', 4490, 0, 0);
INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES ('incidents', 'geom', 'POINT', 4490, 0, 0);
INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES ('complaints', 'geom', 'POINT', 4490, 0, 0);
INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES ('coal_areas', 'geom', 'POLYGON', 4490, 0, 0);
INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES ('streets', 'geom', 'LINESTRING', 4490, 0, 0);
INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES ('heat_sources', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES ('pipes', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES ('valves', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES ('stations', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES ('communities', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES ('incidents', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES ('complaints', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES ('coal_areas', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES ('streets', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
`;

export const migration0001: Migration = {
  version: 1,
  name: '0001_geopackage',
  up(db) {
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${USER_VERSION}`);
    db.exec(SQL_0001);
  },
};
