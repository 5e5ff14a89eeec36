/**
 * Per-feature standardisation, z = (x − mean) / std, with mean and std learned on the training split.
 * MNIST's border pixels are 0 in every training image (std 0), and a few pixels are inked in only a
 * handful of images (std ≈ 0.004): dividing by such a std would blow test pixels up to hundreds, so
 * features with std below `minStd` are only centred, as scikit-learn does for zero variance.
 */
import { matrix, Matrix } from "../matrix";
import { BaseTransformer } from "./transformer";
import { checkOptionKeys, checkScalar } from "../validation";

export interface StandardScalerOptions {
  /** Features whose std is below this are centred but not scaled. Default 1e-6. */
  minStd?: number;
}

export class StandardScaler extends BaseTransformer<StandardScalerOptions> {
  readonly name = "StandardScaler";
  readonly minStd: number;
  /** Per-feature training mean. */
  mean: Float32Array = new Float32Array(0);
  /** Per-feature training std (population, ddof 0), before the minStd guard. */
  std: Float32Array = new Float32Array(0);
  /** The divisor actually used: std, or 1 where std < minStd. */
  scale: Float32Array = new Float32Array(0);

  constructor(options: StandardScalerOptions = {}) {
    super();
    checkOptionKeys("StandardScaler", options, ["minStd"]);
    this.minStd = checkScalar("StandardScaler", "minStd", options.minStd ?? 1e-6, { min: 0 });
  }

  getParams(): StandardScalerOptions {
    return { minStd: this.minStd };
  }

  protected fitImpl(x: Matrix): void {
    // Two passes in float64: one for the mean, one for squared deviations (no cancellation).
    const sum = new Float64Array(x.cols);
    for (let r = 0; r < x.rows; r++) {
      const row = r * x.cols;
      for (let c = 0; c < x.cols; c++) sum[c] += x.data[row + c];
    }
    const mean = sum.map((s) => s / x.rows);
    const squares = new Float64Array(x.cols);
    for (let r = 0; r < x.rows; r++) {
      const row = r * x.cols;
      for (let c = 0; c < x.cols; c++) {
        const deviation = x.data[row + c] - mean[c];
        squares[c] += deviation * deviation;
      }
    }
    this.mean = Float32Array.from(mean);
    this.std = Float32Array.from(squares, (s) => Math.sqrt(s / x.rows));
    this.scale = this.std.map((s) => (s < this.minStd ? 1 : s));
  }

  protected transformImpl(x: Matrix): Matrix {
    const out = new Float32Array(x.data.length);
    const inverse = this.scale.map((s) => 1 / s);
    for (let r = 0; r < x.rows; r++) {
      const row = r * x.cols;
      for (let c = 0; c < x.cols; c++) out[row + c] = (x.data[row + c] - this.mean[c]) * inverse[c];
    }
    return matrix(out, x.rows, x.cols);
  }

  inverseTransform(z: Matrix): Matrix {
    this.checkFittedInput(z, "inverseTransform", this.fittedFeatures("inverseTransform"));
    const out = new Float32Array(z.data.length);
    for (let r = 0; r < z.rows; r++) {
      const row = r * z.cols;
      for (let c = 0; c < z.cols; c++) out[row + c] = z.data[row + c] * this.scale[c] + this.mean[c];
    }
    return matrix(out, z.rows, z.cols);
  }
}
