/**
 * `deskew` as a pipeline step: every row (a square image, 784 pixels for MNIST) straightened on its own.
 * It learns nothing, so fitting only records the feature count; it exists so deskew → standardise →
 * PCA → k-NN can be one saved, tunable pipeline.
 */
import { matrix, Matrix } from "../matrix";
import { deskew } from "./deskew";
import { OptionlessTransformer } from "./transformer";

export class Deskew extends OptionlessTransformer {
  readonly name = "Deskew";

  /** No options: the image side is the square root of the feature count. */
  constructor(options: Record<string, never> = {}) {
    super("Deskew", options);
  }

  protected fitImpl(x: Matrix): void {
    imageSide(x.cols);
  }

  protected transformImpl(x: Matrix): Matrix {
    const side = imageSide(x.cols);
    const out = new Float32Array(x.data.length);
    for (let r = 0; r < x.rows; r++) {
      const image = x.data.subarray(r * x.cols, (r + 1) * x.cols);
      out.set(deskew(image, { height: side, width: side }), r * x.cols);
    }
    return matrix(out, x.rows, x.cols);
  }
}

function imageSide(features: number): number {
  const side = Math.round(Math.sqrt(features));
  if (side * side !== features)
    throw new RangeError(`Deskew: rows must be square images, got ${features} features per row`);
  return side;
}
