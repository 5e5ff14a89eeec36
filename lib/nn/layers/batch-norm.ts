/**
 * Batch normalisation over the last axis: per feature for dense inputs [batch, features], per channel
 * for NHWC images (statistics over batch, height and width). Training uses the batch's mean and
 * variance and updates running averages; inference uses the running averages.
 */
import { Layer, type BuildContext, type NamedArray, type Param } from "../layer";
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
  private normalized!: BatchBuffer;
  private output!: BatchBuffer;
  private gradInput!: BatchBuffer;
  private invStd!: Float64Array;
  private sums!: Float64Array;
  private squares!: Float64Array;
  private lastBatch = 0;

  constructor(options: BatchNormOptions = {}) {
    super();
    this.momentum = options.momentum ?? 0.1;
    this.epsilon = options.epsilon ?? 1e-5;
    if (!(this.momentum > 0 && this.momentum <= 1)) throw new RangeError(`batchnorm: momentum must be in (0, 1], got ${this.momentum}`);
    if (!(this.epsilon > 0)) throw new RangeError(`batchnorm: epsilon must be positive, got ${this.epsilon}`);
  }

  protected setup(inputShape: readonly number[], context: BuildContext): readonly number[] {
    const { kernels, batchCapacity } = context;
    const allocate = (n: number) => kernels.alloc(n);
    const c = (this.channels = inputShape[inputShape.length - 1]);
    this.gamma = { name: `${this.name}.gamma`, value: kernels.alloc(c).fill(1), grad: kernels.alloc(c), decay: false };
    this.beta = { name: `${this.name}.beta`, value: kernels.alloc(c), grad: kernels.alloc(c), decay: false };
    this.runningMean = kernels.alloc(c);
    this.runningVar = kernels.alloc(c).fill(1);
    this.normalized = new BatchBuffer(allocate, inputShape, batchCapacity);
    this.output = new BatchBuffer(allocate, inputShape, batchCapacity);
    if (context.needsInputGradient) this.gradInput = new BatchBuffer(allocate, inputShape, batchCapacity);
    this.invStd = new Float64Array(c);
    this.sums = new Float64Array(c);
    this.squares = new Float64Array(c);
    return inputShape;
  }

  forward(input: Tensor, training: boolean): Tensor {
    const batch = this.checkInput(input);
    const c = this.channels;
    const x = input.data;
    const output = this.output.view(batch);
    const y = output.data;
    const gamma = this.gamma.value;
    const beta = this.beta.value;
    const rows = batch * (sizeOf(this.inputShape) / c);
    if (!training) {
      for (let j = 0; j < c; j++) this.invStd[j] = 1 / Math.sqrt(this.runningVar[j] + this.epsilon);
      for (let i = 0; i < x.length; i += c) {
        for (let j = 0; j < c; j++) y[i + j] = gamma[j] * (x[i + j] - this.runningMean[j]) * this.invStd[j] + beta[j];
      }
      this.lastBatch = 0;
      return output;
    }
    const sums = this.sums.fill(0);
    const squares = this.squares.fill(0);
    for (let i = 0; i < x.length; i += c) {
      for (let j = 0; j < c; j++) {
        const v = x[i + j];
        sums[j] += v;
        squares[j] += v * v;
      }
    }
    const xhat = this.normalized.view(batch).data;
    for (let j = 0; j < c; j++) {
      const mean = sums[j] / rows;
      const variance = Math.max(squares[j] / rows - mean * mean, 0);
      this.invStd[j] = 1 / Math.sqrt(variance + this.epsilon);
      sums[j] = mean;
      const unbiased = rows > 1 ? (variance * rows) / (rows - 1) : variance;
      this.runningMean[j] += this.momentum * (mean - this.runningMean[j]);
      this.runningVar[j] += this.momentum * (unbiased - this.runningVar[j]);
    }
    const invStd = this.invStd;
    for (let i = 0; i < x.length; i += c) {
      for (let j = 0; j < c; j++) {
        const n = (x[i + j] - sums[j]) * invStd[j];
        xhat[i + j] = n;
        y[i + j] = gamma[j] * n + beta[j];
      }
    }
    this.lastBatch = batch;
    return output;
  }

  backward(gradOutput: Tensor): Tensor | null {
    const batch = this.lastBatch;
    if (batch === 0) throw new Error(`${this.name}: backward without a training-mode forward`);
    const c = this.channels;
    const dy = gradOutput.data;
    const xhat = this.normalized.view(batch).data;
    const gradGamma = this.sums.fill(0);
    const gradBeta = this.squares.fill(0);
    for (let i = 0; i < dy.length; i += c) {
      for (let j = 0; j < c; j++) {
        gradBeta[j] += dy[i + j];
        gradGamma[j] += dy[i + j] * xhat[i + j];
      }
    }
    for (let j = 0; j < c; j++) {
      this.gamma.grad[j] = gradGamma[j];
      this.beta.grad[j] = gradBeta[j];
    }
    if (!this.needsInputGradient) return null;
    // dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)), all means over the rows of one channel.
    const rows = dy.length / c;
    const gamma = this.gamma.value;
    const invStd = this.invStd;
    const gradInput = this.gradInput.view(batch);
    const dx = gradInput.data;
    for (let j = 0; j < c; j++) {
      gradBeta[j] /= rows;
      gradGamma[j] /= rows;
    }
    for (let i = 0; i < dy.length; i += c) {
      for (let j = 0; j < c; j++) {
        dx[i + j] = gamma[j] * invStd[j] * (dy[i + j] - gradBeta[j] - xhat[i + j] * gradGamma[j]);
      }
    }
    return gradInput;
  }

  params(): Param[] {
    return [this.gamma, this.beta];
  }

  state(): NamedArray[] {
    return [this.gamma, this.beta, { name: `${this.name}.runningMean`, value: this.runningMean }, { name: `${this.name}.runningVar`, value: this.runningVar }];
  }
}
