/**
 * Shrinking or enlarging a grayscale image by area averaging: every output pixel is the mean of the
 * source area it covers (fractional pixels weighted by their overlap). Shrinking this way anti-aliases
 * like the MNIST authors' normalisation; enlarging becomes nearest-neighbour with blended edges.
 */
import type { GrayImage } from "./decode";

export function resizeArea(image: GrayImage, width: number, height: number): GrayImage {
  const sx = image.width / width;
  const sy = image.height / height;
  const out = new Float32Array(width * height);
  for (let oy = 0; oy < height; oy++) {
    const y0 = oy * sy;
    const y1 = y0 + sy;
    for (let ox = 0; ox < width; ox++) {
      const x0 = ox * sx;
      const x1 = x0 + sx;
      let sum = 0;
      for (let y = Math.floor(y0); y < Math.min(Math.ceil(y1), image.height); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(Math.ceil(x1), image.width); x++) {
          const wx = Math.min(x + 1, x1) - Math.max(x, x0);
          sum += wx * wy * image.data[y * image.width + x];
        }
      }
      out[oy * width + ox] = sum / (sx * sy);
    }
  }
  return { width, height, data: out };
}

/** The image cut to the rectangle [x, x + width) × [y, y + height). */
export function crop(image: GrayImage, x: number, y: number, width: number, height: number): GrayImage {
  const out = new Float32Array(width * height);
  for (let r = 0; r < height; r++) {
    out.set(image.data.subarray((y + r) * image.width + x, (y + r) * image.width + x + width), r * width);
  }
  return { width, height, data: out };
}
