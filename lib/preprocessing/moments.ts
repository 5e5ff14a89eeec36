/** Image moments: pixel intensities as mass, giving the ink's centre and spread. */
import { checkImage, PixelArray } from "./images";

export interface ImageMoments {
  /** Total intensity (0 for a blank image). */
  mass: number;
  /** Centre of mass, column (x) and row (y); the image centre for a blank image. */
  centerX: number;
  centerY: number;
  /** Intensity-weighted variances and covariance of the column and row coordinates. */
  varianceX: number;
  varianceY: number;
  covarianceXY: number;
}

export function imageMoments(image: PixelArray, height = 28, width = 28): ImageMoments {
  checkImage("imageMoments", image, height, width);
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = image[y * width + x];
      mass += v;
      sumX += v * x;
      sumY += v * y;
    }
  }
  if (mass <= 0)
    return {
      mass: 0,
      centerX: (width - 1) / 2,
      centerY: (height - 1) / 2,
      varianceX: 0,
      varianceY: 0,
      covarianceXY: 0,
    };
  const centerX = sumX / mass;
  const centerY = sumY / mass;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = image[y * width + x];
      const dx = x - centerX;
      const dy = y - centerY;
      xx += v * dx * dx;
      yy += v * dy * dy;
      xy += v * dx * dy;
    }
  }
  return { mass, centerX, centerY, varianceX: xx / mass, varianceY: yy / mass, covarianceXY: xy / mass };
}
