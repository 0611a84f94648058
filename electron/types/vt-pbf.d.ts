/** vt-pbf ships no types: the one function WarmNet uses. */
declare module 'vt-pbf' {
  /** Encode geojson-vt tiles (one per layer name) as a Mapbox Vector Tile. */
  export function fromGeojsonVt(layers: Record<string, unknown>, options?: { version?: number; extent?: number }): Uint8Array;
}
