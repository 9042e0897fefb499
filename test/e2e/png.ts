/**
 * Just enough PNG decoding for the end-to-end checks: 8-bit RGB or RGBA, not interlaced (what
 * Chromium's screenshots are), to RGB or grey levels. No image library is needed.
 */
import { unzlibSync } from 'fflate';

/** A decoded screenshot as luminance, one byte per pixel, row-major. */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly grey: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A decoded screenshot as RGB, three bytes per pixel, row-major. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

/** Decodes a PNG file to grey levels (0.299 R + 0.587 G + 0.114 B). */
export function decodePngGrey(png: Uint8Array): GreyImage {
  const { width, height, rgb } = decodePngRgb(png);
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    const p = i * 3;
    grey[i] = Math.round(0.299 * rgb[p]! + 0.587 * rgb[p + 1]! + 0.114 * rgb[p + 2]!);
  }
  return { width, height, grey };
}

/** Decodes a PNG file to RGB (alpha dropped). */
export function decodePngRgb(png: Uint8Array): RgbImage {
  if (!SIGNATURE.every((b, i) => png[i] === b)) throw new Error('decodePngGrey: not a PNG file');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  while (at < png.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const depth = data[8]!;
      const colour = data[9]!;
      const interlace = data[12]!;
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) {
        throw new Error(
          `decodePngGrey: expected 8-bit RGB(A), not interlaced; found depth ${depth}, colour type ${colour}, interlace ${interlace}`,
        );
      }
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    at += 12 + length;
  }
  const joined = new Uint8Array(idat.reduce((n, d) => n + d.length, 0));
  let offset = 0;
  for (const d of idat) {
    joined.set(d, offset);
    offset += d.length;
  }
  const raw = unzlibSync(joined);
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const previous = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : null;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[x - channels]! : 0;
      const b = previous === null ? 0 : previous[x]!;
      const c = previous !== null && x >= channels ? previous[x - channels]! : 0;
      let predicted = 0;
      if (filter === 1) predicted = a;
      else if (filter === 2) predicted = b;
      else if (filter === 3) predicted = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[x] = (line[x]! + predicted) & 0xff;
    }
  }
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) rgb[3 * i + k] = pixels[i * channels + k]!;
  }
  return { width, height, rgb };
}

/** Standard deviation of the grey levels (0 for a blank image). */
export function greyStdDev(image: GreyImage): number {
  let sum = 0;
  let sumSq = 0;
  for (const g of image.grey) {
    sum += g;
    sumSq += g * g;
  }
  const n = image.grey.length;
  return Math.sqrt(Math.max(sumSq / n - (sum / n) ** 2, 0));
}

/** Mean absolute grey difference between two images of one size. */
export function meanAbsDiff(a: GreyImage, b: GreyImage): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`meanAbsDiff: sizes differ: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  }
  let total = 0;
  for (let i = 0; i < a.grey.length; i++) total += Math.abs(a.grey[i]! - b.grey[i]!);
  return total / a.grey.length;
}

/** Pixels whose grey level differs by more than `threshold` between two images of one size. */
export function changedPixels(a: GreyImage, b: GreyImage, threshold = 16): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`changedPixels: sizes differ: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  }
  let changed = 0;
  for (let i = 0; i < a.grey.length; i++) if (Math.abs(a.grey[i]! - b.grey[i]!) > threshold) changed++;
  return changed;
}
