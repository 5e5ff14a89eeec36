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
  // One pass of raw sums in doubles; the central moments follow from E[x²] − E[x]². With 28×28
  // coordinates and 8-bit or unit intensities nothing cancels badly enough to need a second pass.
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  let sumXX = 0;
  let sumYY = 0;
  let sumXY = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = image[y * width + x];
      mass += v;
      sumX += v * x;
      sumY += v * y;
      sumXX += v * x * x;
      sumYY += v * y * y;
      sumXY += v * x * y;
    }
  }
  if (mass <= 0) {
    const [centerX, centerY] = [(width - 1) / 2, (height - 1) / 2];
    return { mass: 0, centerX, centerY, varianceX: 0, varianceY: 0, covarianceXY: 0 };
  }
  const centerX = sumX / mass;
  const centerY = sumY / mass;
  return {
    mass,
    centerX,
    centerY,
    varianceX: sumXX / mass - centerX * centerX,
    varianceY: sumYY / mass - centerY * centerY,
    covarianceXY: sumXY / mass - centerX * centerY,
  };
}
