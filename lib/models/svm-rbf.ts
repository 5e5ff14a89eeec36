/**
 * RBF-kernel SVM made tractable on all 60k MNIST samples: random Fourier features approximate the
 * kernel with an explicit map, and the linear SVM is trained on them. An exact kernel SVM needs the
 * n × n kernel matrix (scikit-learn's SVC takes 30 s on 20k samples and grows quadratically); this is
 * linear in n, and as accurate as the exact machine once nComponents is a few thousand.
 *
 * Works on any inputs; on MNIST it is much faster after PCA to ~50 dimensions (the feature map costs
 * nFeatures × nComponents per sample), which the caller does first.
 */
import { BaseClassifier, FitOptions, Matrix } from "./estimator";
import { RandomFourierFeatures, scaleGamma } from "./features/random-fourier";
import { LinearSvmClassifier, LinearSvmOptions } from "./svm-linear";
import { getKernels } from "../kernels/index";

export interface RbfSvmOptions extends LinearSvmOptions {
  /** Kernel width, exp(−gamma·‖x − y‖²); "scale" (default) is 1 / (nFeatures · variance) of the training data. */
  gamma?: number | "scale";
  /** Random Fourier features (default 4096): more is closer to the exact kernel, slower and larger. */
  nComponents?: number;
}

export class RbfSvmClassifier extends BaseClassifier {
  readonly implementation = "scratch";
  readonly name: string;
  readonly gamma: number | "scale";
  readonly nComponents: number;
  private readonly options: RbfSvmOptions;
  /** The kernel width actually used (resolves "scale"); null until fit. */
  fittedGamma: number | null = null;
  private features: RandomFourierFeatures | null = null;
  private linear: LinearSvmClassifier | null = null;

  constructor(options: RbfSvmOptions = {}) {
    super();
    this.options = { ...options, kernels: options.kernels ?? getKernels() };
    this.gamma = options.gamma ?? "scale";
    this.nComponents = options.nComponents ?? 4096;
    if (this.gamma !== "scale" && !(this.gamma > 0)) throw new RangeError(`RbfSvmClassifier: gamma must be positive or "scale", got ${this.gamma}`);
    this.name = options.name ?? `RBF SVM (${this.nComponents} random Fourier features)`;
    // Validates the linear SVM's options now rather than at fit.
    new LinearSvmClassifier(this.options);
  }

  protected async fitImpl(x: Matrix, y: Uint8Array, options: FitOptions): Promise<void> {
    this.fittedGamma = this.gamma === "scale" ? scaleGamma(x) : this.gamma;
    this.features = new RandomFourierFeatures({
      gamma: this.fittedGamma,
      nComponents: this.nComponents,
      seed: this.options.seed,
      kernels: this.options.kernels,
    }).fit(x.cols);
    const validation = options.validation && { x: this.features.transform(options.validation.x), y: options.validation.y };
    this.linear = new LinearSvmClassifier({ ...this.options, name: this.name });
    await this.linear.fit(this.features.transform(x), y, { ...options, validation });
    this.history = this.linear.history;
  }

  /** Softmax of the margins, not calibrated (see LinearSvmClassifier). */
  protected predictProbaImpl(x: Matrix): Float32Array {
    return this.linear!.predictProba(this.features!.transform(x));
  }
}
