/**
 * Batch normalisation over the last axis: per feature for dense inputs [batch, features], per channel
 * for NHWC images (statistics over batch, height and width). Training uses the batch's mean and
 * variance and updates running averages; inference uses the running averages.
 *
 * The passes over the batch run on the kernels (column sums and per-column scale-and-shift); only the
 * per-channel arithmetic stays here, in float64.
 */
import { checkPositiveReal, checkScalar } from "../../validation";
import { Layer, newParam, type BuildContext, type NamedArray, type Param } from "../layer";
import { BatchBuffer, sizeOf, type Tensor } from "../tensor";

export interface BatchNormOptions {
  /** Weight of the current batch in the running averages (PyTorch's convention, default 0.1). */
  momentum?: number;
  epsilon?: number;
}

export class BatchNorm extends Layer {
  readonly kind = "batchnorm";
  readonly momentum: number;
  readonly epsilon: number;
  private channels = 0;
  private gamma!: Param;
  private beta!: Param;
  private runningMean!: Float32Array;
  private runningVar!: Float32Array;
  /**
   * x − m̃ for the last training batch, m̃ its mean as a float32 sum gives it, and `residual` = mean of
   * that, m − m̃. Kept rather than x̂ = (x − m)/σ = (centered − residual)/σ: the passes over these
   * values see no cancellation (the corrected two-pass algorithm of Chan, Golub and LeVeque), so a
   * channel's mean far from zero next to a small spread costs no accuracy; backward folds the residual
   * and 1/σ into its per-channel weights.
   */
  private centered!: BatchBuffer;
  private residual!: Float64Array;
  private output!: BatchBuffer;
  private gradInput!: BatchBuffer;
  private invStd!: Float64Array;
  /** Per-channel kernel operands: column sums, and the weights and shift of combineColumns. */
  private columnSums!: Float32Array;
  private ones!: Float32Array;
  private scale!: Float32Array;
  private secondScale!: Float32Array;
  private shift!: Float32Array;
  private lastBatch = 0;

  constructor(options: BatchNormOptions = {}) {
    super();
    this.momentum = options.momentum ?? 0.1;
    this.epsilon = options.epsilon ?? 1e-5;
    checkScalar("batchnorm", "momentum", this.momentum, { min: 0, minExclusive: true, max: 1 });
    checkPositiveReal("batchnorm", "epsilon", this.epsilon);
  }

  protected setup(inputShape: readonly number[], context: BuildContext): readonly number[] {
    const { kernels, batchCapacity } = context;
    const allocate = (n: number) => kernels.alloc(n);
    const c = (this.channels = inputShape[inputShape.length - 1]);
    this.gamma = newParam(kernels, `${this.name}.gamma`, c, false);
    this.gamma.value.fill(1);
    this.beta = newParam(kernels, `${this.name}.beta`, c, false);
    this.runningMean = kernels.alloc(c);
    this.runningVar = kernels.alloc(c).fill(1);
    this.centered = new BatchBuffer(allocate, inputShape, batchCapacity);
    this.output = new BatchBuffer(allocate, inputShape, batchCapacity);
    if (context.needsInputGradient) this.gradInput = new BatchBuffer(allocate, inputShape, batchCapacity);
    this.invStd = new Float64Array(c);
    this.residual = new Float64Array(c);
    this.columnSums = kernels.alloc(c);
    this.ones = kernels.alloc(c).fill(1);
    this.scale = kernels.alloc(c);
    this.secondScale = kernels.alloc(c);
    this.shift = kernels.alloc(c);
    return inputShape;
  }

  forward(input: Tensor, training: boolean): Tensor {
    const batch = this.checkInput(input);
    const c = this.channels;
    const k = this.kernels;
    const x = input.data;
    const output = this.output.view(batch);
    const gamma = this.gamma.value;
    const rows = batch * (sizeOf(this.inputShape) / c);
    if (!training) {
      // y = γ·(x − μ)/σ + β as one scale and shift per channel.
      for (let j = 0; j < c; j++) {
        const scale = gamma[j] / Math.sqrt(this.runningVar[j] + this.epsilon);
        this.scale[j] = scale;
        this.shift[j] = this.beta.value[j] - this.runningMean[j] * scale;
      }
      k.combineColumns(x, this.scale, null, null, this.shift, rows, c, output.data);
      this.lastBatch = 0;
      return output;
    }
    const centered = this.centered.view(batch).data;
    const residual = this.residual;
    k.sumRows(x, rows, c, this.columnSums);
    for (let j = 0; j < c; j++) this.shift[j] = -this.columnSums[j] / rows;
    k.combineColumns(x, this.ones, null, null, this.shift, rows, c, centered);
    k.sumRows(centered, rows, c, this.columnSums);
    for (let j = 0; j < c; j++) residual[j] = this.columnSums[j] / rows;
    k.sumRowsOfProducts(centered, centered, rows, c, this.columnSums);
    for (let j = 0; j < c; j++) {
      // shift still holds −m̃.
      const mean = residual[j] - this.shift[j];
      // Not negative but for rounding, and then only for a constant channel.
      const variance = Math.max(this.columnSums[j] / rows - residual[j] * residual[j], 0);
      this.invStd[j] = 1 / Math.sqrt(variance + this.epsilon);
      const unbiased = rows > 1 ? (variance * rows) / (rows - 1) : variance;
      this.runningMean[j] += this.momentum * (mean - this.runningMean[j]);
      this.runningVar[j] += this.momentum * (unbiased - this.runningVar[j]);
      // y = γ·(centered − residual)/σ + β.
      this.scale[j] = gamma[j] * this.invStd[j];
      this.shift[j] = this.beta.value[j] - residual[j] * this.scale[j];
    }
    k.combineColumns(centered, this.scale, null, null, this.shift, rows, c, output.data);
    this.lastBatch = batch;
    return output;
  }

  backward(gradOutput: Tensor): Tensor | null {
    const batch = this.lastBatch;
    if (batch === 0) throw new Error(`${this.name}: backward without a training-mode forward`);
    const c = this.channels;
    const k = this.kernels;
    const dy = gradOutput.data;
    const rows = dy.length / c;
    const centered = this.centered.view(batch).data;
    const { invStd, residual } = this;
    const gradGamma = this.gamma.grad;
    const gradBeta = this.beta.grad;
    k.sumRows(dy, rows, c, gradBeta);
    k.sumRowsOfProducts(dy, centered, rows, c, this.columnSums);
    // Σ dy·x̂ = (Σ dy·centered − residual · Σ dy)/σ.
    const sumOfDyTimesXhat = (j: number) => (this.columnSums[j] - residual[j] * gradBeta[j]) * invStd[j];
    for (let j = 0; j < c; j++) gradGamma[j] = sumOfDyTimesXhat(j);
    if (!this.needsInputGradient) return null;
    // dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)), means over the rows of one channel, with
    // x̂ = (centered − residual)/σ: dy, centered and a constant, weighted per channel.
    const gamma = this.gamma.value;
    for (let j = 0; j < c; j++) {
      const scale = gamma[j] * invStd[j];
      const centeredWeight = (-scale * invStd[j] * sumOfDyTimesXhat(j)) / rows;
      this.scale[j] = scale;
      this.secondScale[j] = centeredWeight;
      this.shift[j] = (-scale * gradBeta[j]) / rows - residual[j] * centeredWeight;
    }
    const gradInput = this.gradInput.view(batch);
    k.combineColumns(dy, this.scale, centered, this.secondScale, this.shift, rows, c, gradInput.data);
    return gradInput;
  }

  params(): Param[] {
    return [this.gamma, this.beta];
  }

  state(): NamedArray[] {
    return [
      this.gamma,
      this.beta,
      { name: `${this.name}.runningMean`, value: this.runningMean },
      { name: `${this.name}.runningVar`, value: this.runningVar },
    ];
  }
}
