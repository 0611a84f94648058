import { describe, expect, it } from 'vitest';
import { changedBoxes, tilesMeeting, type TileChange } from './tileRefresh';
import { tileBBox } from '../../electron/backend/tiles';

describe('tiles an edit made stale', () => {
  const changes: TileChange[] = [
    { layer: 'pipes', version: 3, boxes: [[115, 42, 115.001, 42.001]] },
    { layer: 'valves', version: 1, boxes: [[116, 43, 116, 43]] },
    { layer: 'pipes', version: 4, boxes: [[115.2, 42.2, 115.2, 42.2], [115.3, 42.3, 115.3, 42.3]] },
    { layer: 'pipes', version: 5, boxes: null },
  ];

  it('collects the boxes of every change between two versions of the layer', () => {
    expect(changedBoxes(changes, 'pipes', 2, 4)).toEqual([[115, 42, 115.001, 42.001], [115.2, 42.2, 115.2, 42.2], [115.3, 42.3, 115.3, 42.3]]);
    expect(changedBoxes(changes, 'pipes', 3, 4)).toEqual([[115.2, 42.2, 115.2, 42.2], [115.3, 42.3, 115.3, 42.3]]);
    expect(changedBoxes(changes, 'valves', 0, 1)).toEqual([[116, 43, 116, 43]]);
  });

  it('gives up (the whole layer reloads) when a change is not listed or touched the whole layer', () => {
    expect(changedBoxes(changes, 'pipes', 1, 4)).toBeNull(); // version 2 is no longer listed
    expect(changedBoxes(changes, 'pipes', 4, 5)).toBeNull(); // an import, a settings change
    expect(changedBoxes(changes, 'pipes', 4, 4)).toBeNull();
  });

  it('lists exactly the tiles whose extent with the buffer meets a box, at every zoom', () => {
    const box: [number, number, number, number] = [115.0301, 42.2871, 115.0309, 42.2872];
    const tiles = tilesMeeting([box], 8, 16);
    for (let z = 8; z <= 16; z++) {
      // the expected set, tested tile by tile against the backend's own tile extents
      const n = 2 ** z;
      const want: string[] = [];
      const cx = Math.floor(((box[0] + 180) / 360) * n);
      for (let x = cx - 2; x <= cx + 2; x++)
        for (let y = 0; y < n; y++) {
          const b = tileBBox(z, x, y);
          if (b[1] > box[3] + 1 || b[3] < box[1] - 1) continue;
          const m = ((b[2] - b[0]) * 64) / 4096;
          const my = ((b[3] - b[1]) * 64) / 4096;
          if (b[0] - m <= box[2] && b[2] + m >= box[0] && b[1] - my <= box[3] && b[3] + my >= box[1]) want.push(`${z}/${x}/${y}`);
        }
      const got = tiles.filter((t) => t.z === z).map((t) => `${t.z}/${t.x}/${t.y}`);
      expect(got.sort()).toEqual(want.sort());
    }
    // a small edit touches few tiles: one or two per zoom here
    expect(tiles.length).toBeLessThanOrEqual(2 * 9);
  });
});
