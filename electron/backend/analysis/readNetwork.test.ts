/**
 * The analysis worker's own read of a project file holds the features the
 * store holds (the network's columns of pipes and valves, every schema column
 * of the small layers), while keeping no coordinate arrays per pipe: a pipe's line is
 * made from the read's vertex columns when asked for (ColumnPipe).
 */
import { describe, expect, it } from 'vitest';
import type { Feature, LineStringGeom } from '../../../core/model/types';
import { ColumnPipe, readPipes } from '../../../core/network/build/snap';
import { useTestProject } from '../testProject';
import { NETWORK_COLUMNS, NETWORK_LAYERS, openReader, readNetworkInput } from './readNetwork';

const project = useTestProject({ prefix: 'read-network', from: 'sample' });
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

/** `use` with a read-only connection to the test project, closed after. */
function withReader<T>(use: (db: ReturnType<typeof openReader>) => T): T {
  const db = openReader(project.path);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** A feature with only the properties named (all when none are). */
function cut(f: Feature, columns?: readonly string[]): Feature {
  const properties = columns ? Object.fromEntries(columns.map((c) => [c, f.properties[c] ?? null])) : f.properties;
  return { type: 'Feature', id: f.id, geometry: f.geometry, properties };
}

describe('the network read of a project file', () => {
  it('holds the features the store holds, layer by layer and in order', () => {
    const { store } = project;
    withReader((db) => {
      const input = readNetworkInput(db);
      const snapshot = store.snapshot();
      for (const layer of NETWORK_LAYERS) {
        const read = input.layers[layer] as Feature[];
        const stored = snapshot.layers[layer] as Feature[];
        expect(read.length, layer).toBe(stored.length);
        // the small layers: every schema column (properties kept beside them, as a note, are not the network's)
        const columns = NETWORK_COLUMNS[layer] ?? (read.length ? Object.keys(read[0].properties) : []);
        expect(plain(read.map((f) => cut(f, columns))), layer).toEqual(plain(stored.map((f) => cut(f, columns))));
      }
      expect(input.layers.pipes.length).toBeGreaterThan(100);
    });
  });

  it('keeps each pipe line in the read’s columns and makes it when asked, equal to the stored line', () => {
    const { store } = project;
    withReader((db) => {
      const pipes = readNetworkInput(db).layers.pipes;
      const stored = new Map(store.snapshot().layers.pipes.map((p) => [p.id, p as Feature<LineStringGeom>]));
      expect(pipes.every((p) => p instanceof ColumnPipe)).toBe(true);
      // lines of more than two vertices are read back vertex for vertex
      const bent = pipes.filter((p) => p.geometry.coordinates.length > 2);
      expect(bent.length).toBeGreaterThan(0);
      for (const p of pipes) expect(p.geometry).toEqual(stored.get(p.id)!.geometry);
      // its own fields hold no line: a copy made by structured cloning (a message) carries none
      const p = pipes[0];
      expect(Object.keys(p).sort()).toEqual(['id', 'properties', 'type']);
      expect((structuredClone(p) as { geometry?: unknown }).geometry).toBeUndefined();
      // each call gives a new line: changing one leaves the pipe as it was
      p.geometry.coordinates[0][0] = 0;
      expect(p.geometry).toEqual(stored.get(p.id)!.geometry);
      // written out, it is a plain feature
      expect(plain(p)).toEqual(plain(cut(stored.get(p.id)!, Object.keys(p.properties))));
    });
  });

  it('walked again (a network caught up after an edit), gives the columns the stored features give', () => {
    const { store } = project;
    withReader((db) => {
      const pipes = readNetworkInput(db).layers.pipes;
      const walked = readPipes(pipes);
      const stored = readPipes(store.snapshot().layers.pipes);
      for (const k of ['start', 'lon', 'lat', 'level', 'storedLengthM', 'inService'] as const) expect(Array.from(walked[k]), k).toEqual(Array.from(stored[k]));
      expect(walked.ids).toEqual(stored.ids);
      expect(walked.proj).toEqual(stored.proj);
    });
  });
});
