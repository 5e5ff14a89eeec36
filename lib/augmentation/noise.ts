/** Pixel noise, in place on one image of a batch (at `offset`, `size` pixels). */
import { Random } from "../random";

/** Adds Gaussian noise of std `std`, clamping to [min, max]. */
export function addGaussianNoise(
  images: Float32Array,
  offset: number,
  size: number,
  std: number,
  random: Random,
  min: number,
  max: number,
): void {
  for (let i = offset; i < offset + size; i++) {
    const v = images[i] + random.normal(0, std);
    images[i] = v < min ? min : v > max ? max : v;
  }
}

/**
 * Sets each pixel to `value` with probability p. The gaps between salted pixels are geometric, so
 * this draws one random number per salted pixel instead of one per pixel.
 */
export function addSaltNoise(
  images: Float32Array,
  offset: number,
  size: number,
  p: number,
  random: Random,
  value: number,
): void {
  if (p <= 0) return;
  const logKeep = Math.log1p(-p);
  let i = offset - 1;
  const end = offset + size;
  while (true) {
    i += p >= 1 ? 1 : 1 + Math.floor(Math.log1p(-random.next()) / logKeep);
    if (i >= end) return;
    images[i] = value;
  }
}
