/**
 * Scaling pixels to a common range. `PixelScaler` is the usual choice for MNIST: intensities are
 * already bounded by 0..255, so dividing by 255 needs no learned state and maps every split the same
 * way. `MinMaxScaler` learns each feature's range from the training split, for data with unknown bounds.
 */
import { matrix, Matrix } from "../matrix";
import { checkOptionKeys, checkPositiveReal } from "../validation";
import { BaseTransformer, OptionlessTransformer } from "./transformer";

/** x / maxValue (default 255): raw pixel intensities to [0, 1]. Fitting only records the feature count. */
export interface PixelScalerOptions {
  /** The largest raw value (default 255). */
  maxValue?: number;
}

export class PixelScaler extends BaseTransformer<PixelScalerOptions> {
  readonly name: string;
  readonly maxValue: number;

  /** `new PixelScaler(255)` is short for `new PixelScaler({ maxValue: 255 })`. */
  constructor(options: number | PixelScalerOptions = {}) {
    super();
    const given = typeof options === "number" ? { maxValue: options } : options;
    checkOptionKeys("PixelScaler", given, ["maxValue"]);
    this.maxValue = checkPositiveReal("PixelScaler", "maxValue", given.maxValue ?? 255);
    this.name = `PixelScaler (÷${this.maxValue})`;
  }

  getParams(): PixelScalerOptions {
    return { maxValue: this.maxValue };
  }

  protected fitImpl(): void {}

  protected transformImpl(x: Matrix): Matrix {
    const out = new Float32Array(x.data.length);
    const scale = 1 / this.maxValue;
    for (let i = 0; i < out.length; i++) out[i] = x.data[i] * scale;
    return matrix(out, x.rows, x.cols);
  }

  inverseTransform(x: Matrix): Matrix {
    this.checkFittedInput(x, "inverseTransform", this.fittedFeatures("inverseTransform"));
    const out = new Float32Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = x.data[i] * this.maxValue;
    return matrix(out, x.rows, x.cols);
  }
}

/**
 * (x − min) / (max − min) per feature, min and max learned on the training split, so training data
 * lands in [0, 1] (other splits may fall slightly outside). Constant features map to 0.
 */
export class MinMaxScaler extends OptionlessTransformer {
  readonly name = "MinMaxScaler";

  /** No options: the range is learned. */
  constructor(options: Record<string, never> = {}) {
    super("MinMaxScaler", options);
  }

  /** Per-feature minimum and maximum seen by fit. */
  dataMin: Float32Array = new Float32Array(0);
  dataMax: Float32Array = new Float32Array(0);

  protected fitImpl(x: Matrix): void {
    const min = new Float32Array(x.cols).fill(Infinity);
    const max = new Float32Array(x.cols).fill(-Infinity);
    for (let r = 0; r < x.rows; r++) {
      const row = r * x.cols;
      for (let c = 0; c < x.cols; c++) {
        const v = x.data[row + c];
        if (v < min[c]) min[c] = v;
        if (v > max[c]) max[c] = v;
      }
    }
    this.dataMin = min;
    this.dataMax = max;
  }

  protected transformImpl(x: Matrix): Matrix {
    const out = new Float32Array(x.data.length);
    const inverseRange = this.dataMax.map((max, c) =>
      max > this.dataMin[c] ? 1 / (max - this.dataMin[c]) : 0,
    );
    for (let r = 0; r < x.rows; r++) {
      const row = r * x.cols;
      for (let c = 0; c < x.cols; c++) out[row + c] = (x.data[row + c] - this.dataMin[c]) * inverseRange[c];
    }
    return matrix(out, x.rows, x.cols);
  }
}
