/**
 * Geometric warps by inverse mapping: each output pixel asks where it comes from in the source and
 * reads it with bilinear interpolation; points outside the image read as 0 (background). Used by
 * deskewing, centring and every geometric augmentation.
 *
 * Pixel (row y, column x) has its centre at coordinates (x, y); the image centre is ((w−1)/2, (h−1)/2).
 */

/**
 * source = [a b; c d]·(output − centre) + centre + (tx, ty), with x first. The identity is
 * {a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0}; tx = −2 moves content 2 pixels to the right.
 */
export interface InverseAffine {
  a: number;
  b: number;
  c: number;
  d: number;
  tx: number;
  ty: number;
}

export const IDENTITY: Readonly<InverseAffine> = { a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0 };

/**
 * The bilinearly interpolated value of src (an image at srcOffset) at (x, y); 0 outside, and 0 for a
 * point that is not finite (an extreme zoom, shift or elastic displacement): it lies off the image too.
 */
export function sampleBilinear(
  src: Float32Array,
  srcOffset: number,
  height: number,
  width: number,
  x: number,
  y: number,
): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  // Plain comparisons, false for NaN; the shorter unsigned test (x0 >>> 0) < width − 1 took NaN for 0
  // and wrapped coordinates beyond 2^32 back into the image.
  if (x0 >= 0 && x0 < width - 1 && y0 >= 0 && y0 < height - 1) {
    const fx = x - x0;
    const i = srcOffset + y0 * width + x0;
    const top = src[i] + fx * (src[i + 1] - src[i]);
    const bottom = src[i + width] + fx * (src[i + width + 1] - src[i + width]);
    return top + (y - y0) * (bottom - top);
  }
  return sampleBorder(src, srcOffset, height, width, x, y, x0, y0);
}

/** The rare border case, kept out of sampleBilinear so that stays small enough to inline. */
function sampleBorder(
  src: Float32Array,
  srcOffset: number,
  height: number,
  width: number,
  x: number,
  y: number,
  x0: number,
  y0: number,
): number {
  // Written so that NaN (every comparison false) returns 0 too.
  if (!(x0 >= -1 && y0 >= -1 && x0 < width && y0 < height)) return 0;
  const fx = x - x0;
  const fy = y - y0;
  // Each of the four neighbours contributes only if it lies inside the image.
  let value = 0;
  const row0 = srcOffset + y0 * width;
  if (y0 >= 0) {
    if (x0 >= 0) value += (1 - fx) * (1 - fy) * src[row0 + x0];
    if (x0 + 1 < width) value += fx * (1 - fy) * src[row0 + x0 + 1];
  }
  if (y0 + 1 < height) {
    if (x0 >= 0) value += (1 - fx) * fy * src[row0 + width + x0];
    if (x0 + 1 < width) value += fx * fy * src[row0 + width + x0 + 1];
  }
  return value;
}

/**
 * The source point `map` (about the image centre) takes the first pixel of row y to; walking along the
 * row adds (a, c) to it each step.
 */
export function rowStart(map: InverseAffine, height: number, width: number, y: number): [number, number] {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const dy = y - cy;
  return [map.a * -cx + map.b * dy + cx + map.tx, map.c * -cx + map.d * dy + cy + map.ty];
}

/** Writes the warped image of src (at srcOffset) into dst (at dstOffset); src and dst must not overlap. */
export function warpAffine(
  src: Float32Array,
  srcOffset: number,
  dst: Float32Array,
  dstOffset: number,
  height: number,
  width: number,
  map: InverseAffine,
): void {
  for (let y = 0; y < height; y++) {
    let [sx, sy] = rowStart(map, height, width, y);
    const row = dstOffset + y * width;
    for (let x = 0; x < width; x++) {
      dst[row + x] = sampleBilinear(src, srcOffset, height, width, sx, sy);
      sx += map.a;
      sy += map.c;
    }
  }
}

/** Warps one image of either pixel type into a new image of the same type (bytes are rounded and clamped). */
export function warpImage<T extends Uint8Array | Float32Array>(
  image: T,
  height: number,
  width: number,
  map: InverseAffine,
): T {
  const src = image instanceof Float32Array ? image : Float32Array.from(image);
  const out = new Float32Array(height * width);
  warpAffine(src, 0, out, 0, height, width, map);
  if (image instanceof Float32Array) return out as T;
  return Uint8Array.from(out, (v) => Math.min(255, Math.max(0, Math.round(v)))) as T;
}
