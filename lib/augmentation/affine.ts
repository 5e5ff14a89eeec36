/**
 * Affine transforms about the image centre: rotation, zoom, shear and shift, composed as
 * output = shift + R(rotation)·Shear·Scale·(input − centre) + centre and sampled by inverse mapping.
 * Single-image functions for notebooks take Uint8Array or Float32Array images and return a new one.
 */
import { Random } from "../random";
import { checkImage, PixelArray } from "../preprocessing/images";
import { InverseAffine, warpImage } from "../preprocessing/warp";
import type { AffineConfig } from "./options";
import { checkOptionKeys, checkPositiveReal, checkScalar } from "../validation";

export interface AffineParameters {
  /** Degrees, positive = counter-clockwise as displayed (row 0 at the top). */
  rotation?: number;
  /** Zoom factor (> 0; 2 doubles the size). */
  scale?: number;
  /** Horizontal shear angle, degrees, in (−90, 90); positive moves lower rows to the right. */
  shear?: number;
  /** Shift in pixels, right and down. */
  shiftX?: number;
  shiftY?: number;
}

const RADIANS = Math.PI / 180;

/** Writes the inverse map of the given transform into `out` (reused to avoid allocation per image). */
export function inverseAffine(
  rotation: number,
  scale: number,
  shear: number,
  shiftX: number,
  shiftY: number,
  out: InverseAffine,
): InverseAffine {
  const cos = Math.cos(rotation * RADIANS);
  const sin = Math.sin(rotation * RADIANS);
  const k = Math.tan(shear * RADIANS);
  // (R·H·S)⁻¹ = S⁻¹·H⁻¹·Rᵀ, with y pointing down so a counter-clockwise R is [cos sin; −sin cos].
  const inv = 1 / scale;
  out.a = (cos - k * sin) * inv;
  out.b = (-sin - k * cos) * inv;
  out.c = sin * inv;
  out.d = cos * inv;
  out.tx = -(out.a * shiftX + out.b * shiftY);
  out.ty = -(out.c * shiftX + out.d * shiftY);
  return out;
}

/** Draws a random transform within the configured strengths. */
export function randomInverseAffine(config: AffineConfig, random: Random, out: InverseAffine): InverseAffine {
  const rotation = config.rotation > 0 ? random.uniform(-config.rotation, config.rotation) : 0;
  const scale = config.scale > 0 ? random.uniform(1 - config.scale, 1 + config.scale) : 1;
  const shear = config.shear > 0 ? random.uniform(-config.shear, config.shear) : 0;
  const shiftX = config.shiftX > 0 ? random.uniform(-config.shiftX, config.shiftX) : 0;
  const shiftY = config.shiftY > 0 ? random.uniform(-config.shiftY, config.shiftY) : 0;
  return inverseAffine(rotation, scale, shear, shiftX, shiftY, out);
}

export interface ImageSize {
  height?: number;
  width?: number;
}

/** Applies one affine transform to one image. */
export function affine<T extends PixelArray>(
  image: T,
  parameters: AffineParameters,
  size: ImageSize = {},
): T {
  checkOptionKeys("affine", parameters, ["rotation", "scale", "shear", "shiftX", "shiftY"]);
  checkOptionKeys("affine", size, ["height", "width"]);
  const { height = 28, width = 28 } = size;
  checkImage("affine", image, height, width);
  const { rotation = 0, scale = 1, shear = 0, shiftX = 0, shiftY = 0 } = parameters;
  for (const [name, value] of Object.entries({ rotation, shiftX, shiftY })) {
    checkScalar("affine", name, value);
  }
  checkPositiveReal("affine", "scale", scale);
  // Degrees; ±90 would be an infinite shear.
  checkScalar("affine", "shear", shear, { min: -90, max: 90, minExclusive: true, maxExclusive: true });
  const map = inverseAffine(rotation, scale, shear, shiftX, shiftY, { a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0 });
  return warpImage(image, height, width, map);
}

export function rotate<T extends PixelArray>(image: T, degrees: number, size?: ImageSize): T {
  return affine(image, { rotation: degrees }, size);
}

export function translate<T extends PixelArray>(
  image: T,
  shiftX: number,
  shiftY: number,
  size?: ImageSize,
): T {
  return affine(image, { shiftX, shiftY }, size);
}

export function zoom<T extends PixelArray>(image: T, scale: number, size?: ImageSize): T {
  return affine(image, { scale }, size);
}

export function shear<T extends PixelArray>(image: T, degrees: number, size?: ImageSize): T {
  return affine(image, { shear: degrees }, size);
}
