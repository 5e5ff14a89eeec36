/**
 * 2-D convolution over NHWC images as im2col + GEMM (one fused kernel call forward). The unfolded patches `cols` are
 * [batch·outH·outW, kh·kw·C] and the filters W are [kh·kw·C, filters], so cols·W is the NHWC output
 * itself, colsᵀ·dY the filter gradient and dY·Wᵀ the patch gradient that col2im folds back.
 * When dY is mostly zeros (the conv feeds a max-pool, which routes gradient to one input per window),
 * backward uses the sparse kernels instead, which skip the zero entries (the same sums, up to rounding).
 * A first convolution under a max-pool goes further when fused with it (conv-pool.ts).
 * A 3×3, stride-1 convolution with enough channels runs forward by Winograd's F(2×2, 3×3) instead
 * (kernels' winogradConvForward: 2.25× fewer multiplications), chosen when the network is built;
 * in training it still unfolds the patches, which backward reads.
 */
import { convOutputSize, type ConvShape } from "../../kernels/api";
import { checkPositiveInteger, checkScalar } from "../../validation";
import { Layer, newParam, type BuildContext, type Param } from "../layer";
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
  /**
   * Backward skips the zero entries of dY (sparse kernels) when at most this fraction of them is
   * non-zero, as after max-pooling (a quarter at most); both paths give the same gradients up to rounding.
   */
  static sparseDensity = 0.3;
  /** Below this patch size (e.g. a first layer's 3×3×1) the dense GEMM is faster than scattered short rows. */
  static sparseMinPatch = 16;
  /**
   * Forward runs by Winograd from this many input channels (and filters a multiple of 4, as the kernel
   * needs): with fewer, the tile transforms outweigh the multiplications saved.
   */
  static winogradMinChannels = 8;
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
  /** Whether forward runs by Winograd's F(2×2, 3×3), decided in setup. */
  private byWinograd = false;

  constructor(
    readonly filters: number,
    options: Conv2DOptions = {},
  ) {
    super();
    this.kernelSize = options.kernelSize ?? 3;
    this.stride = options.stride ?? 1;
    this.pad = options.pad ?? 0;
    this.init = options.init ?? "he";
    this.useBias = options.bias ?? true;
    checkPositiveInteger("conv2d", "filters", filters);
    checkPositiveInteger("conv2d", "kernelSize", this.kernelSize);
    checkPositiveInteger("conv2d", "stride", this.stride);
    checkScalar("conv2d", "pad", this.pad, { integer: true, min: 0 });
  }

  protected setup(inputShape: readonly number[], context: BuildContext): readonly number[] {
    if (inputShape.length !== 3) {
      throw new RangeError(
        `${this.name}: expects NHWC images [batch, height, width, channels], got per-sample shape ${formatShape(inputShape)}`,
      );
    }
    const [height, width, channels] = inputShape;
    const { kernels, random, batchCapacity } = context;
    this.shape = {
      batch: 0,
      height,
      width,
      channels,
      kernelHeight: this.kernelSize,
      kernelWidth: this.kernelSize,
      stride: this.stride,
      pad: this.pad,
    };
    let outHeight: number, outWidth: number;
    try {
      ({ outHeight, outWidth } = convOutputSize(this.shape));
    } catch (error) {
      throw new RangeError(`${this.name}: ${(error as Error).message}`);
    }
    this.byWinograd =
      context.winograd !== false &&
      this.kernelSize === 3 &&
      this.stride === 1 &&
      channels >= Conv2D.winogradMinChannels &&
      channels % 4 === 0 &&
      this.filters % 4 === 0;
    this.patchSize = this.kernelSize * this.kernelSize * channels;
    this.outPixels = outHeight * outWidth;
    const allocate = (n: number) => kernels.alloc(n);
    this.weights = newParam(kernels, `${this.name}.weights`, this.patchSize * this.filters, true);
    const fanOut = this.kernelSize * this.kernelSize * this.filters;
    const stream = random.fork();
    if (context.initialize !== false)
      initializeWeights(this.weights.value, this.init, this.patchSize, fanOut, stream);
    if (this.useBias) this.bias = newParam(kernels, `${this.name}.bias`, this.filters, false);
    this.cols = new BatchBuffer(allocate, [this.outPixels, this.patchSize], batchCapacity);
    this.output = new BatchBuffer(allocate, [outHeight, outWidth, this.filters], batchCapacity);
    if (context.needsInputGradient) {
      this.gradInput = new BatchBuffer(allocate, inputShape, batchCapacity);
    }
    return [outHeight, outWidth, this.filters];
  }

  forward(input: Tensor, training: boolean): Tensor {
    const batch = this.checkInput(input);
    const cols = this.cols.view(batch).data;
    const output = this.output.view(batch);
    this.shape.batch = batch;
    const bias = this.bias?.value ?? null;
    if (this.byWinograd) {
      this.kernels.winogradConvForward(
        input.data,
        this.shape,
        this.weights.value,
        this.filters,
        bias,
        output.data,
      );
      // Backward reads the patches; inference never does.
      if (training) this.kernels.im2col(input.data, this.shape, cols);
    } else {
      this.kernels.convForward(
        input.data,
        this.shape,
        this.weights.value,
        this.filters,
        bias,
        cols,
        output.data,
      );
    }
    this.lastBatch = training ? batch : 0;
    return output;
  }

  /**
   * The unfolded patches of the last training-mode forward ([batch·outH·outW, kh·kw·C]), that batch,
   * and the parameters: what a fused block needs to compute this layer's gradients its own way.
   */
  lastPatches(): {
    cols: Float32Array;
    batch: number;
    patchSize: number;
    weights: Param;
    bias: Param | null;
  } {
    const batch = this.lastBatch;
    if (batch === 0) throw new Error(`${this.name}: backward without a training-mode forward`);
    return {
      cols: this.cols.view(batch).data,
      batch,
      patchSize: this.patchSize,
      weights: this.weights,
      bias: this.bias,
    };
  }

  backward(gradOutput: Tensor): Tensor | null {
    const { cols, batch } = this.lastPatches();
    const k = this.kernels;
    const rows = batch * this.outPixels;
    const sparse =
      this.patchSize >= Conv2D.sparseMinPatch &&
      density(gradOutput.data, rows * this.filters) <= Conv2D.sparseDensity;
    if (this.bias) k.sumRows(gradOutput.data, rows, this.filters, this.bias.grad);
    if (sparse) {
      // After max-pooling most of dY is zero: skip those entries instead of multiplying them through.
      k.convWeightGradSparse(cols, gradOutput.data, rows, this.patchSize, this.filters, this.weights.grad);
      if (!this.needsInputGradient) return null;
      const gradInput = this.gradInput.view(batch);
      this.shape.batch = batch;
      k.convInputGradSparse(gradOutput.data, this.weights.value, this.shape, this.filters, gradInput.data);
      return gradInput;
    }
    k.gemm(true, false, this.patchSize, this.filters, rows, 1, cols, gradOutput.data, 0, this.weights.grad);
    if (!this.needsInputGradient) return null;
    // The patches are no longer needed once dW is done, so their gradient overwrites them.
    const gradCols = cols;
    const gradInput = this.gradInput.view(batch);
    k.gemm(
      false,
      true,
      rows,
      this.patchSize,
      this.filters,
      1,
      gradOutput.data,
      this.weights.value,
      0,
      gradCols,
    );
    this.shape.batch = batch;
    k.col2im(gradCols, this.shape, gradInput.data);
    return gradInput;
  }

  /** Whether forward runs by Winograd's F(2×2, 3×3) (decided when built). */
  get forwardByWinograd(): boolean {
    return this.byWinograd;
  }

  params(): Param[] {
    return this.bias ? [this.weights, this.bias] : [this.weights];
  }
}

/** The fraction of non-zero values among an evenly spread sample of about 4096 of `x[0:length]`. */
function density(x: Float32Array, length: number): number {
  // An odd step, so the sample does not keep hitting the same channels of NHWC rows.
  const step = Math.max(1, Math.floor(length / 4096)) | 1;
  let nonZero = 0;
  let seen = 0;
  for (let i = 0; i < length; i += step, seen++) if (x[i] !== 0) nonZero++;
  return seen === 0 ? 1 : nonZero / seen;
}
