/**
 * Moment-based normalisation, the classic MNIST preprocessing (LeCun et al. 1998 used deskewing for
 * several of their best classifiers): `deskew` removes slant, `centerByMass` removes position.
 * Both accept a Uint8Array (0..255) or Float32Array image and return a new image of the same type.
 */
import { checkImage, PixelArray } from "./images";
import { imageMoments } from "./moments";
import { warpImage } from "./warp";
import { checkOptionKeys } from "../validation";

export interface ImageSize {
  height?: number;
  width?: number;
}

/**
 * Shears the image horizontally, around its centre of mass, by alpha = cov(x, y) / var(y): afterwards
 * the ink has no correlation between row and column (a slanted stroke stands upright) and the centre
 * of mass stays where it was. Blank images and single-row ink are returned unchanged.
 */
export function deskew<T extends PixelArray>(image: T, size: ImageSize = {}): T {
  checkOptionKeys("deskew", size, ["height", "width"]);
  const { height = 28, width = 28 } = size;
  checkImage("deskew", image, height, width);
  const m = imageMoments(image, height, width);
  const alpha = m.varianceY > 1e-12 ? m.covarianceXY / m.varianceY : 0;
  // Output (x, y) reads source (x + alpha·(y − centreY), y).
  const cy = (height - 1) / 2;
  return warpImage(image, height, width, { a: 1, b: alpha, c: 0, d: 1, tx: alpha * (cy - m.centerY), ty: 0 });
}

/** Shifts the image (bilinearly, by a fraction of a pixel if needed) so its centre of mass is the image centre. */
export function centerByMass<T extends PixelArray>(image: T, size: ImageSize = {}): T {
  checkOptionKeys("centerByMass", size, ["height", "width"]);
  const { height = 28, width = 28 } = size;
  checkImage("centerByMass", image, height, width);
  const m = imageMoments(image, height, width);
  return warpImage(image, height, width, {
    a: 1,
    b: 0,
    c: 0,
    d: 1,
    tx: m.centerX - (width - 1) / 2,
    ty: m.centerY - (height - 1) / 2,
  });
}
