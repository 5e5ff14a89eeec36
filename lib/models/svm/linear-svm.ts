/**
 * Linear support vector machine, from scratch: one-vs-rest over the 10 classes, trained jointly.
 *
 * Objective (per class c, labels t = +1 for c and −1 otherwise, margin s = w_c·x + b_c):
 *   mean over samples of loss(t·s)  +  alpha/2 · ‖W‖²      (biases are not regularised)
 * with loss(m) = max(0, 1 − m)² ("squared_hinge", the default: smooth, so SGD converges better) or
 * max(0, 1 − m) ("hinge"). Trained by mini-batch SGD with momentum and a cosine-decaying step size;
 * both matrix products per batch (scores and weight gradient) run in the GEMM kernel.
 *
 * `predictProba` is a softmax of the ten margins: it ranks classes like `predict` but is NOT a calibrated
 * probability (an SVM is not trained to produce one; calibrate on held-out data if you need it).
 */
import { Matrix } from "../../matrix";
import { EpochTrainedClassifier } from "../epoch-trained";
import { FitOptions } from "../estimator";
import { getKernels, type Kernels } from "../../kernels/index";
import { Random } from "../../random";
import { checkLoss } from "../../training/diverged";
import { type EpochResult, type HeldOutScores, type StepReporter } from "../../training/epochs";
import { checkChoice, checkScalar } from "../../validation";
import { columnMeans, matrixRows, type RowSource } from "./row-source";

export const SVM_LOSSES = ["hinge", "squared_hinge"] as const;
export type SvmLoss = (typeof SVM_LOSSES)[number];

export const LINEAR_SVM_PARAM_NAMES = [
  "alpha",
  "loss",
  "epochs",
  "batchSize",
  "learningRate",
  "momentum",
  "seed",
  "kernels",
  "name",
] as const;

export interface LinearSvmOptions {
  /** L2 regularisation strength (scikit-learn SGDClassifier's alpha; C ≈ 1 / (alpha · nSamples)). Default 1e-4. */
  alpha?: number;
  loss?: SvmLoss;
  epochs?: number;
  batchSize?: number;
  /** Initial step size, decayed to 0 along a cosine over the epochs (default 0.1). */
  learningRate?: number;
  momentum?: number;
  seed?: number;
  kernels?: Kernels;
  /** Display name in logs (default "Linear SVM"). */
  name?: string;
}

/** FitOptions for `fitRows`: the validation rows come from a RowSource too. */
export interface RowFitOptions extends Omit<FitOptions, "validation"> {
  validation?: { x: RowSource; y: Uint8Array };
}

export class LinearSvmClassifier extends EpochTrainedClassifier {
  readonly implementation = "scratch";
  readonly name: string;
  readonly alpha: number;
  readonly loss: SvmLoss;
  readonly momentum: number;
  readonly kernels: Kernels;
  /** nFeatures × numClasses weights (row-major) and numClasses biases; null until fit. */
  weights: Float32Array | null = null;
  biases: Float32Array | null = null;

  constructor(options: LinearSvmOptions = {}) {
    super(options, { epochs: 10, batchSize: 256, learningRate: 0.1 }, LINEAR_SVM_PARAM_NAMES);
    const who = "LinearSvmClassifier";
    this.name = options.name ?? "Linear SVM";
    this.alpha = checkScalar(who, "alpha", options.alpha ?? 1e-4, { min: 0 });
    this.loss = checkChoice(who, "loss", options.loss ?? "squared_hinge", SVM_LOSSES);
    this.momentum = checkScalar(who, "momentum", options.momentum ?? 0.9, {
      min: 0,
      max: 1,
      maxExclusive: true,
    });
    this.kernels = options.kernels ?? getKernels();
  }

  protected async fitImpl(x: Matrix, y: Uint8Array, options: FitOptions): Promise<void> {
    const validation = options.validation && {
      x: matrixRows(options.validation.x),
      y: options.validation.y,
    };
    await this.train(matrixRows(x), y, { ...options, validation });
  }

  /**
   * `fit` on rows read from any RowSource, e.g. features stored quantised (row-source.ts): the same
   * training, for data too large to hold as one Float32 matrix.
   */
  async fitRows(x: RowSource, y: Uint8Array, options: RowFitOptions = {}): Promise<this> {
    const vx = options.validation?.x;
    if (vx && vx.cols !== x.cols)
      throw new RangeError(`${this.name}: fitRows: validation has ${vx.cols} columns, expected ${x.cols}`);
    return this.fitChecked("fitRows", x, y, options.validation, () => this.train(x, y, options));
  }

  private async train(x: RowSource, y: Uint8Array, options: RowFitOptions): Promise<void> {
    const d = x.cols;
    const classes = this.numClasses;
    const random = new Random(this.seed);
    const weights = this.kernels.alloc(d * classes);
    const biases = new Float32Array(classes);
    const weightVelocity = new Float32Array(d * classes);
    const biasVelocity = new Float32Array(classes);
    const batchSize = Math.min(this.batchSize, x.rows);
    const batch = this.kernels.alloc(batchSize * d);
    const scores = this.kernels.alloc(batchSize * classes);
    const gradient = this.kernels.alloc(d * classes);
    const batchLabels = new Uint8Array(batchSize);
    // Training on centred features: random Fourier features have large means, and removing them
    // makes the problem far better conditioned for SGD. The model class is unchanged (the bias is
    // unregularised); the means are folded into the biases after training.
    const means = columnMeans(x);
    const stepsPerEpoch = Math.ceil(x.rows / batchSize);
    const totalSteps = stepsPerEpoch * this.epochs;
    this.weights = weights;
    this.biases = biases;
    let step = 0;
    let regulariser = 0;

    const trainEpoch = (epoch: number, reportSteps: StepReporter): EpochResult => {
      const order = random.permutation(x.rows);
      let lossSum = 0;
      let correct = 0;
      let learningRate = 0;
      for (let start = 0; start < x.rows; start += batchSize) {
        const rows = Math.min(batchSize, x.rows - start);
        for (let r = 0; r < rows; r++) {
          const i = order[start + r];
          x.copyCentredRow(i, means, batch, r * d);
          batchLabels[r] = y[i];
        }
        this.scoreRows(batch, rows, d, scores);
        correct += countCorrect(scores, batchLabels, rows, classes);
        // Scores become dLoss/dScore (already divided by the batch size), in place.
        const batchLoss = this.lossAndGradient(scores, batchLabels, rows);
        checkLoss(this.name, batchLoss, { epoch, step: step + 1, learningRate: this.learningRate });
        lossSum += batchLoss * rows;
        this.kernels.gemm(true, false, d, classes, rows, 1, batch, scores, 0, gradient);
        learningRate = 0.5 * this.learningRate * (1 + Math.cos((Math.PI * step) / totalSteps));
        for (let i = 0; i < weights.length; i++) {
          weightVelocity[i] = this.momentum * weightVelocity[i] + gradient[i] + this.alpha * weights[i];
          weights[i] -= learningRate * weightVelocity[i];
        }
        for (let c = 0; c < classes; c++) {
          let biasGradient = 0;
          for (let r = 0; r < rows; r++) biasGradient += scores[r * classes + c];
          biasVelocity[c] = this.momentum * biasVelocity[c] + biasGradient;
          biases[c] -= learningRate * biasVelocity[c];
        }
        step++;
        reportSteps(start / batchSize + 1, stepsPerEpoch);
      }
      regulariser = 0;
      for (let i = 0; i < weights.length; i++) regulariser += weights[i] * weights[i];
      const loss = lossSum / x.rows + (this.alpha / 2) * regulariser;
      return { loss, accuracy: correct / x.rows, learningRate, samples: x.rows };
    };

    const validation = options.validation;
    const validate = validation
      ? (): HeldOutScores => {
          const { x: vx, y: vy } = validation;
          this.biases = foldMeans(biases, weights, means, classes);
          const margins = this.margins(vx);
          this.biases = biases;
          const accuracy = countCorrect(margins, vy, vx.rows, classes) / vx.rows;
          const loss = this.lossAndGradient(margins, vy, vx.rows) + (this.alpha / 2) * regulariser;
          return { loss, accuracy };
        }
      : undefined;

    await this.trainEpochs(
      { epochs: this.epochs, learningRate: this.learningRate, trainEpoch, validate },
      { verbose: options.verbose, onEpoch: options.onEpoch },
    );
    this.biases = foldMeans(biases, weights, means, classes);
  }

  /** rows × numClasses margins w_c·x + b_c. */
  margins(x: Matrix | RowSource): Float32Array {
    const source = "data" in x ? matrixRows(x) : x;
    const out = new Float32Array(x.rows * this.numClasses);
    const blockRows = Math.min(1024, x.rows);
    const input = this.kernels.alloc(blockRows * x.cols);
    const scores = this.kernels.alloc(blockRows * this.numClasses);
    const zeros = new Float32Array(x.cols);
    for (let start = 0; start < x.rows; start += blockRows) {
      const rows = Math.min(blockRows, x.rows - start);
      for (let r = 0; r < rows; r++) source.copyCentredRow(start + r, zeros, input, r * x.cols);
      this.scoreRows(input, rows, x.cols, scores);
      out.set(scores.subarray(0, rows * this.numClasses), start * this.numClasses);
    }
    return out;
  }

  /** Softmax of the margins: a ranking, not a calibrated probability (see the file header). */
  protected predictProbaImpl(x: Matrix): Float32Array {
    const scores = this.margins(x);
    const classes = this.numClasses;
    for (let r = 0; r < x.rows; r++) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, scores[r * classes + c]);
      let sum = 0;
      for (let c = 0; c < classes; c++)
        sum += scores[r * classes + c] = Math.exp(scores[r * classes + c] - max);
      for (let c = 0; c < classes; c++) scores[r * classes + c] /= sum;
    }
    return scores;
  }

  private scoreRows(input: Float32Array, rows: number, d: number, scores: Float32Array): void {
    const classes = this.numClasses;
    this.kernels.gemm(false, false, rows, classes, d, 1, input, this.weights!, 0, scores);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < classes; c++) scores[r * classes + c] += this.biases![c];
  }

  /**
   * Mean one-vs-rest loss of `rows` score rows (summed over classes); overwrites the scores with the
   * gradient of that mean with respect to each score.
   */
  private lossAndGradient(scores: Float32Array, labels: Uint8Array, rows: number): number {
    const classes = this.numClasses;
    const squared = this.loss === "squared_hinge";
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < classes; c++) {
        const t = labels[r] === c ? 1 : -1;
        const slack = 1 - t * scores[r * classes + c];
        let gradient = 0;
        if (slack > 0) {
          loss += squared ? slack * slack : slack;
          gradient = squared ? -2 * t * slack : -t;
        }
        scores[r * classes + c] = gradient / rows;
      }
    }
    return loss / rows;
  }
}

/** Biases for uncentred inputs: w·(x − μ) + b = w·x + (b − w·μ). */
function foldMeans(
  biases: Float32Array,
  weights: Float32Array,
  means: Float32Array,
  classes: number,
): Float32Array {
  const folded = biases.slice();
  for (let j = 0; j < means.length; j++)
    for (let c = 0; c < classes; c++) folded[c] -= weights[j * classes + c] * means[j];
  return folded;
}

function countCorrect(scores: Float32Array, labels: Uint8Array, rows: number, classes: number): number {
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[r * classes + c] > scores[r * classes + best]) best = c;
    if (best === labels[r]) correct++;
  }
  return correct;
}
