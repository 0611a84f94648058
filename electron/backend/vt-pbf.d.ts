/** vt-pbf ships no types: the one function the tile service calls. */
declare module 'vt-pbf' {
  interface GeojsonVtTile {
    features: unknown[];
  }
  const vtpbf: {
    fromGeojsonVt(layers: Record<string, GeojsonVtTile>, options?: { version?: number; extent?: number }): Uint8Array;
  };
  export default vtpbf;
}
