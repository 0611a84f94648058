import { describe, expect, it } from 'vitest';
import { isWmtsCapabilitiesUrl, parseXml, resolveUrl, wmtsSource } from './wmts';

const matrix = (id: string, z: number) =>
  `<TileMatrix><ows:Identifier>${id}</ows:Identifier><ScaleDenominator>${559082264.0287178 / 2 ** z}</ScaleDenominator><TopLeftCorner>-20037508.34 20037508.34</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight><MatrixWidth>${2 ** z}</MatrixWidth><MatrixHeight>${2 ** z}</MatrixHeight></TileMatrix>`;
const caps = (ids: [string, number][], resource = '') => `<?xml version="1.0"?><!-- c --><Capabilities xmlns:ows="o"><Contents>
  <Layer><ows:Identifier>a&amp;b</ows:Identifier><Format>image/png</Format><TileMatrixSetLink><TileMatrixSet>g</TileMatrixSet></TileMatrixSetLink>${resource}</Layer>
  <TileMatrixSet><ows:Identifier>g</ows:Identifier><ows:SupportedCRS>EPSG:3857</ows:SupportedCRS>${ids.map(([id, z]) => matrix(id, z)).join('')}</TileMatrixSet></Contents></Capabilities>`;

describe('WMTS capabilities', () => {
  it('reads elements, attributes, entities and CDATA; refuses unbalanced XML', () => {
    const doc = parseXml('<a x="1 &lt; 2"><b>t&#x4e2d;</b><![CDATA[<raw>]]><c/></a>');
    expect(doc).toMatchObject({ name: 'a', attrs: { x: '1 < 2' }, text: '<raw>' });
    expect(doc!.children.map((c) => [c.name, c.text])).toEqual([['b', 't中'], ['c', '']]);
    expect(parseXml('<a><b></a>')).toBeNull();
  });

  it('tile matrices named by zoom with a prefix become {z}; other names are refused', () => {
    const r = wmtsSource(caps([['EPSG:3857:3', 3], ['EPSG:3857:4', 4]]), 'http://h/wmts?service=WMTS');
    expect(r.ok && r.source).toMatchObject({ layer: 'a&b', minZoom: 3, maxZoom: 4, encoding: 'kvp' });
    // The address's own GetCapabilities parameters give way to the GetTile ones.
    expect(r.ok && r.source.url).toBe('http://h/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=a%26b&STYLE=default&TILEMATRIXSET=g&FORMAT=image%2Fpng&TILEMATRIX=EPSG:3857:{z}&TILEROW={y}&TILECOL={x}');
    const odd = wmtsSource(caps([['first', 3], ['second', 4]]), 'http://h/c.xml');
    expect(odd.ok || odd.error.code).toBe('basemap.wmtsNoMercator');
  });

  it('a relative ResourceURL template resolves against the capabilities address', () => {
    const r = wmtsSource(caps([['0', 0], ['1', 1]], '<ResourceURL format="image/png" resourceType="tile" template="tiles/{TileMatrix}/{TileRow}/{TileCol}.png"/>'), 'https://h/srv/WMTSCapabilities.xml');
    expect(r.ok && r.source.url).toBe('https://h/srv/tiles/{z}/{y}/{x}.png');
    expect(resolveUrl('/x', 'http://h:8/a/b')).toBe('http://h:8/x');
    expect(resolveUrl('//c/x', 'https://h/a')).toBe('https://c/x');
  });

  it('tells a capabilities address from an XYZ template', () => {
    expect(isWmtsCapabilitiesUrl('http://h/wmts?SERVICE=WMTS&REQUEST=GetCapabilities')).toBe(true);
    expect(isWmtsCapabilitiesUrl('http://h/1.0.0/WMTSCapabilities.xml')).toBe(true);
    expect(isWmtsCapabilitiesUrl('http://h/{z}/{x}/{y}.png')).toBe(false);
  });
});
