/**
 * The sample's offline vector basemap (示例数据，非实测): land use of every
 * street block, a river, the streets with their names, and labels for the
 * town and its landmarks — all invented, laid out on the sample's own street
 * grid, so the app shows a complete-looking town with no network.
 *
 * Layers and fields follow the OpenMapTiles schema (water, landuse, park,
 * transportation, transportation_name, place, poi; `name`, `name:zh`,
 * `class`), so the one bundled style draws the sample and an OpenMapTiles
 * MBTiles/PMTiles alike. Every feature carries note = 示例数据.
 */
import type { FeatureCollection, Feature, Position } from '../../core/model/geojson';
import type { ProjectData } from '../../core/model/project';
import { localFrame, type XY } from './frame';
import { EAST_WEST_STREETS, NORTH_SOUTH_STREETS } from './names';

const NOTE = '示例数据';
const TAG = '（示例）';

/** The super-blocks without a station (see index.ts) and what they are. */
const LANDMARKS: Record<string, { cls: string; name: string; landuse: string }> = {
  '0,0': { cls: 'park', name: `西郊公园${TAG}`, landuse: 'park' },
  '2,0': { cls: 'school', name: `明安图镇第一中学${TAG}`, landuse: 'school' },
  '5,0': { cls: 'shop', name: `农贸市场${TAG}`, landuse: 'retail' },
  '7,0': { cls: 'stadium', name: `全民健身中心${TAG}`, landuse: 'stadium' },
  '1,3': { cls: 'park', name: `人民公园${TAG}`, landuse: 'park' },
  '6,3': { cls: 'town_hall', name: `明安图镇人民政府${TAG}`, landuse: 'government' },
  '7,3': { cls: 'school', name: `第二小学${TAG}`, landuse: 'school' },
};
const BLOCK = 500;
const X0 = -2000;
const Y0 = -1000;
/** Block edges stand back from the street centre lines by this much, m. */
const SETBACK = 14;

export interface SampleBasemap {
  layers: Record<string, FeatureCollection>;
  attribution: string;
}

export function sampleBasemap(data: ProjectData): SampleBasemap {
  const frame = localFrame();
  const ll = (p: XY): Position => frame.toLonLat(p);
  const rect = (x0: number, y0: number, x1: number, y1: number): Position[][] => [[ll([x0, y0]), ll([x1, y0]), ll([x1, y1]), ll([x0, y1]), ll([x0, y0])]];
  const feature = (geometry: Feature['geometry'], properties: Record<string, unknown>): Feature =>
    ({ type: 'Feature', geometry, properties: { ...properties, note: NOTE } }) as Feature;

  const xs = NORTH_SOUTH_STREETS.map((s) => s.x).sort((a, b) => a - b);
  const ys = EAST_WEST_STREETS.map((s) => s.y).sort((a, b) => a - b);
  const landuse: Feature[] = [];
  const park: Feature[] = [];
  const poi: Feature[] = [];
  for (let i = 0; i + 1 < xs.length; i++) {
    for (let j = 0; j + 1 < ys.length; j++) {
      const cx = (xs[i] + xs[i + 1]) / 2, cy = (ys[j] + ys[j + 1]) / 2;
      const key = `${Math.floor((cx - X0) / BLOCK)},${Math.floor((cy - Y0) / BLOCK)}`;
      const mark = LANDMARKS[key];
      const g = { type: 'Polygon', coordinates: rect(xs[i] + SETBACK, ys[j] + SETBACK, xs[i + 1] - SETBACK, ys[j + 1] - SETBACK) } as Feature['geometry'];
      if (mark?.landuse === 'park') park.push(feature(g, { class: 'park', name: mark.name, 'name:zh': mark.name }));
      else landuse.push(feature(g, { class: mark?.landuse ?? 'residential' }));
    }
  }
  for (const [key, m] of Object.entries(LANDMARKS)) {
    const [c, r] = key.split(',').map(Number);
    const p = ll([X0 + BLOCK * c + BLOCK / 2, Y0 + BLOCK * r + BLOCK / 2]);
    poi.push(feature({ type: 'Point', coordinates: p } as Feature['geometry'], { class: m.cls, name: m.name, 'name:zh': m.name, rank: 1 }));
  }

  // A river north of the town, a gentle meander 60 m wide.
  const north: Position[] = [], south: Position[] = [];
  for (let x = -3800; x <= 3800; x += 100) {
    const y = 1330 + 45 * Math.sin(x / 700) + 20 * Math.sin(x / 230);
    north.push(ll([x, y + 30]));
    south.push(ll([x, y - 30]));
  }
  const riverName = `乌兰河${TAG}`;
  const water = [feature({ type: 'Polygon', coordinates: [[...south, ...north.reverse(), south[0]]] } as Feature['geometry'], { class: 'river' })];
  const waterName = [feature({ type: 'LineString', coordinates: south.slice(20, 56) } as Feature['geometry'], { class: 'river', name: riverName, 'name:zh': riverName })];

  const roadClass: Record<string, string> = { main: 'primary', secondary: 'secondary', lane: 'service' };
  const transportation: Feature[] = [];
  const transportationName: Feature[] = [];
  for (const s of data.layers.streets) {
    const cls = roadClass[String(s.properties.class)] ?? 'minor';
    transportation.push(feature(s.geometry, { class: cls }));
    if (s.properties.name) transportationName.push(feature(s.geometry, { class: cls, name: s.properties.name, 'name:zh': s.properties.name }));
  }
  const town = `明安图镇${TAG}`;
  const place = [feature({ type: 'Point', coordinates: ll([0, 130]) } as Feature['geometry'], { class: 'town', name: town, 'name:zh': town, rank: 1 })];

  const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
  return {
    layers: {
      landuse: fc(landuse),
      park: fc(park),
      water: fc(water),
      water_name: fc(waterName),
      transportation: fc(transportation),
      transportation_name: fc(transportationName),
      place: fc(place),
      poi: fc(poi),
    },
    attribution: '示例底图 · 示例数据，非实测',
  };
}
