/**
 * A GeoTIFF as a basemap source: its size, georeferencing and coordinate
 * system, and windows of it as RGBA (8-bit grey, grey + alpha, RGB, RGBA and
 * palette images; the GDAL no-data value made transparent). Windows are read
 * from the file as they are needed (geotiff.js reads only the strips or tiles
 * a window touches), so a raster larger than memory can be tiled.
 */
import { fromFile, type GeoTIFF, type GeoTIFFImage } from 'geotiff';
import { basename } from 'node:path';
import { crsFromWkt, lookupCrs, type CrsDef } from '../../../core/geo/crs';
import type { RasterWindow } from '../../../core/raster/warp';

/** Why a raster cannot be a basemap, naming the file and what is wrong. */
export class RasterRefused extends Error {}

export interface GeoTiffSource {
  file: string;
  width: number;
  height: number;
  /** Map coordinates of the top-left corner of pixel (0, 0) and the pixel size (y negative for north-up). */
  originX: number;
  originY: number;
  resX: number;
  resY: number;
  crs: CrsDef;
  /** How the CRS was found ('GeoTIFF key ProjectedCSTypeGeoKey = 4547', 'given with --crs'). */
  crsReason: string;
  bands: number;
  /** RGBA pixels of a window (x0, y0, width, height in source pixels). */
  read(x0: number, y0: number, width: number, height: number): Promise<RasterWindow>;
  close(): Promise<void>;
}

const USER_DEFINED = 32767;

/** The CRS a GeoTIFF's keys name: an EPSG code the importer knows, else the WKT GDAL writes into the citation. */
function crsOfKeys(image: GeoTIFFImage, file: string): { crs?: CrsDef; reason: string } {
  const keys = (image.getGeoKeys() ?? {}) as Record<string, unknown>;
  const projected = keys.ProjectedCSTypeGeoKey as number | undefined;
  const geographic = keys.GeographicTypeGeoKey as number | undefined;
  if (projected && projected !== USER_DEFINED) {
    const crs = lookupCrs(`EPSG:${projected}`);
    if (crs) return { crs, reason: `GeoTIFF key ProjectedCSTypeGeoKey = ${projected}` };
    return { reason: `${basename(file)}: coordinate system EPSG:${projected} is not one the importer knows (give one with --crs)` };
  }
  for (const k of ['PCSCitationGeoKey', 'GTCitationGeoKey'] as const) {
    const text = keys[k];
    if (typeof text === 'string' && /(PROJCS|GEOGCS)\[/.test(text)) {
      const crs = crsFromWkt(text);
      if (crs) return { crs, reason: `WKT in the GeoTIFF's ${k}` };
    }
  }
  if ((!projected || projected === USER_DEFINED) && geographic && geographic !== USER_DEFINED && keys.GTModelTypeGeoKey === 2) {
    const crs = lookupCrs(`EPSG:${geographic}`);
    if (crs) return { crs, reason: `GeoTIFF key GeographicTypeGeoKey = ${geographic}` };
  }
  return { reason: `${basename(file)}: no coordinate system the importer knows in the GeoTIFF keys (give one with --crs, e.g. --crs EPSG:4547)` };
}

export async function openGeoTiff(file: string, crsText?: string): Promise<GeoTiffSource> {
  const name = basename(file);
  let tiff: GeoTIFF;
  let image: GeoTIFFImage;
  try {
    tiff = await fromFile(file);
    image = await tiff.getImage();
  } catch (err) {
    throw new RasterRefused(`${name}: not a readable GeoTIFF (${(err as Error).message})`);
  }
  const width = image.getWidth();
  const height = image.getHeight();
  const spp = image.getSamplesPerPixel();
  const fd = image.getFileDirectory() as unknown as Record<string, unknown>;
  const photometric = Number(fd.PhotometricInterpretation ?? 2);
  for (let s = 0; s < spp; s++) {
    if (image.getBitsPerSample(s) !== 8 || image.getSampleFormat(s) !== 1) {
      throw new RasterRefused(
        `${name}: band ${s + 1} has ${image.getBitsPerSample(s)}-bit ${image.getSampleFormat(s) === 3 ? 'floating point' : 'integer'} samples; a basemap needs 8-bit images (convert with gdal_translate -ot Byte -scale)`,
      );
    }
  }
  // YCbCr comes out of geotiff.js's JPEG decoder as RGB.
  if (![0, 1, 2, 3].includes(photometric) && !(photometric === 6 && Number(fd.Compression) === 7)) {
    throw new RasterRefused(`${name}: photometric interpretation ${photometric} is not supported (grey, RGB or palette images)`);
  }
  if (fd.ModelTransformation) throw new RasterRefused(`${name}: rotated or sheared rasters (ModelTransformation) are not supported; warp it north-up with gdalwarp first`);
  let originX: number, originY: number, resX: number, resY: number;
  try {
    [originX, originY] = image.getOrigin();
    [resX, resY] = image.getResolution();
  } catch {
    throw new RasterRefused(`${name}: not georeferenced (no tie point and pixel scale)`);
  }
  if (!Number.isFinite(originX) || !Number.isFinite(resX) || resX === 0 || resY === 0) throw new RasterRefused(`${name}: not georeferenced (no tie point and pixel scale)`);
  let crs: CrsDef | undefined;
  let crsReason: string;
  if (crsText) {
    crs = lookupCrs(crsText);
    if (!crs) throw new RasterRefused(`${name}: unknown coordinate system "${crsText}" given with --crs`);
    crsReason = `given as ${crsText}`;
  } else {
    const found = crsOfKeys(image, file);
    if (!found.crs) throw new RasterRefused(found.reason);
    crs = found.crs;
    crsReason = found.reason;
  }
  const noDataText = image.getGDALNoData();
  const noData = noDataText === null || noDataText === undefined ? null : Number(noDataText);
  const colorMap = photometric === 3 ? (fd.ColorMap as ArrayLike<number> | undefined) : undefined;
  if (photometric === 3 && !colorMap) throw new RasterRefused(`${name}: a palette image without its colour map`);
  // Which extra sample is alpha (ExtraSamples 1 or 2 = associated / unassociated alpha).
  const extra = fd.ExtraSamples as number[] | number | undefined;
  const hasAlpha = extra !== undefined && (Array.isArray(extra) ? extra.some((e) => e === 1 || e === 2) : extra === 1 || extra === 2);
  const colourBands = photometric === 3 ? 1 : spp >= 3 ? 3 : 1;
  const whiteIsZero = photometric === 0;

  async function read(x0: number, y0: number, w: number, h: number): Promise<RasterWindow> {
    const raw = (await image.readRasters({ window: [x0, y0, x0 + w, y0 + h], interleave: true })) as unknown as Uint8Array;
    const n = w * h;
    const out = new Uint8Array(n * 4);
    for (let i = 0, p = 0, o = 0; i < n; i++, p += spp, o += 4) {
      if (colorMap) {
        const k = raw[p];
        const m = colorMap.length / 3;
        out[o] = colorMap[k] >> 8;
        out[o + 1] = colorMap[m + k] >> 8;
        out[o + 2] = colorMap[2 * m + k] >> 8;
      } else if (colourBands === 3) {
        out[o] = raw[p];
        out[o + 1] = raw[p + 1];
        out[o + 2] = raw[p + 2];
      } else {
        const g = whiteIsZero ? 255 - raw[p] : raw[p];
        out[o] = out[o + 1] = out[o + 2] = g;
      }
      let a = hasAlpha ? raw[p + colourBands] : 255;
      if (noData !== null) {
        let all = true;
        for (let b = 0; b < colourBands; b++) if (raw[p + b] !== noData) all = false;
        if (all) a = 0;
      }
      out[o + 3] = a;
    }
    return { data: out, x0, y0, width: w, height: h };
  }

  return {
    file,
    width,
    height,
    originX,
    originY,
    resX,
    resY,
    crs,
    crsReason,
    bands: spp,
    read,
    close: async () => {
      await tiff.close?.();
    },
  };
}
