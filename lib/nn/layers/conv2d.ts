/**
 * 2-D convolution over NHWC images as im2col + GEMM. The unfolded patches `cols` are
 * [batch·outH·outW, kh·kw·C] and the filters W are [kh·kw·C, filters], so cols·W is the NHWC output
 * itself, colsᵀ·dY the filter gradient and dY·Wᵀ the patch gradient that col2im folds back.
 */
import { convOutputSize, type ConvShape } from "../../kernels/api";
import { Layer, type BuildContext, type Param } from "../layer";
import { initializeWeights, type Initializer } from "../init";
import { BatchBuffer, formatShape, type Tensor } from "../tensor";

export interface Conv2DOptions {
  /** Square kernel size (default 3). */
  kernelSize?: number;
  stride?: number;
  /** Zero padding on every side (default 0, "valid"). */
  pad?: number;
  init?: Initializer;
  /** Default true; false before batch-norm, whose shift makes a bias redundant. */
  bias?: boolean;
}

export class Conv2D extends Layer {
  readonly kind = "conv2d";
  readonly kernelSize: number;
  readonly stride: number;
  readonly pad: number;
  readonly init: Initializer;
  readonly useBias: boolean;
  private shape!: ConvShape;
  private patchSize = 0;
  private outPixels = 0;
  private weights!: Param;
  /** Null without a bias (e.g. before batch-norm, which cancels it). */
  private bias: Param | null = null;
  private cols!: BatchBuffer;
  private output!: BatchBuffer;
  private gradInput!: BatchBuffer;
  private lastBatch = 0;

  constructor(readonly filters: number, options: Conv2DOptions = {}) {
    super();
    this.kernelSize = options.kernelSize ?? 3;
    this.stride = options.stride ?? 1;
    this.pad = options.pad ?? 0;
    this.init = options.init ?? "he";
    this.useBias = options.bias ?? true;
    const positive = { filters, kernelSize: this.kernelSize, stride: this.stride };
    for (const [key, value] of Object.entries(positive)) {
      if (!Number.isInteger(value) || value <= 0) throw new RangeError(`conv2d: ${key} must be a positive integer, got ${value}`);
    }
    if (!Number.isInteger(this.pad) || this.pad < 0) throw new RangeError(`conv2d: pad must be a non-negative integer, got ${this.pad}`);
  }

  protected setup(inputShape: readonly number[], context: BuildContext): readonly number[] {
    if (inputShape.length !== 3) {
      throw new RangeError(`${this.name}: expects NHWC images [batch, height, width, channels], got per-sample shape ${formatShape(inputShape)}`);
    }
    const [height, width, channels] = inputShape;
    const { kernels, random, batchCapacity } = context;
    this.shape = { batch: 0, height, width, channels, kernelHeight: this.kernelSize, kernelWidth: this.kernelSize, stride: this.stride, pad: this.pad };
    let outHeight: number, outWidth: number;
    try {
      ({ outHeight, outWidth } = convOutputSize(this.shape));
    } catch (error) {
      throw new RangeError(`${this.name}: ${(error as Error).message}`);
    }
    this.patchSize = this.kernelSize * this.kernelSize * channels;
    this.outPixels = outHeight * outWidth;
    const allocate = (n: number) => kernels.alloc(n);
    const w = kernels.alloc(this.patchSize * this.filters);
    initializeWeights(w, this.init, this.patchSize, this.kernelSize * this.kernelSize * this.filters, random.fork());
    this.weights = { name: `${this.name}.weights`, value: w, grad: kernels.alloc(w.length), decay: true };
    if (this.useBias) this.bias = { name: `${this.name}.bias`, value: kernels.alloc(this.filters), grad: kernels.alloc(this.filters), decay: false };
    this.cols = new BatchBuffer(allocate, [this.outPixels, this.patchSize], batchCapacity);
    this.output = new BatchBuffer(allocate, [outHeight, outWidth, this.filters], batchCapacity);
    if (context.needsInputGradient) {
      this.gradInput = new BatchBuffer(allocate, inputShape, batchCapacity);
    }
    return [outHeight, outWidth, this.filters];
  }

  forward(input: Tensor, training: boolean): Tensor {
    const batch = this.checkInput(input);
    const k = this.kernels;
    const rows = batch * this.outPixels;
    const cols = this.cols.view(batch).data;
    const output = this.output.view(batch);
    this.shape.batch = batch;
    k.im2col(input.data, this.shape, cols);
    k.gemm(false, false, rows, this.filters, this.patchSize, 1, cols, this.weights.value, 0, output.data);
    if (this.bias) k.addBias(output.data, rows, this.filters, this.bias.value);
    this.lastBatch = training ? batch : 0;
    return output;
  }

  backward(gradOutput: Tensor): Tensor | null {
    const batch = this.lastBatch;
    if (batch === 0) throw new Error(`${this.name}: backward without a training-mode forward`);
    const k = this.kernels;
    const rows = batch * this.outPixels;
    const cols = this.cols.view(batch).data;
    k.gemm(true, false, this.patchSize, this.filters, rows, 1, cols, gradOutput.data, 0, this.weights.grad);
    if (this.bias) k.sumRows(gradOutput.data, rows, this.filters, this.bias.grad);
    if (!this.needsInputGradient) return null;
    // The patches are no longer needed once dW is done, so their gradient overwrites them.
    const gradCols = cols;
    const gradInput = this.gradInput.view(batch);
    k.gemm(false, true, rows, this.patchSize, this.filters, 1, gradOutput.data, this.weights.value, 0, gradCols);
    this.shape.batch = batch;
    k.col2im(gradCols, this.shape, gradInput.data);
    return gradInput;
  }

  params(): Param[] {
    return this.bias ? [this.weights, this.bias] : [this.weights];
  }
}
