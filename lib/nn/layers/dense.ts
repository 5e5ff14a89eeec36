/**
 * Fully connected layer: Y = X·W + b, with X [batch, inputs] and W stored [inputs, units], so
 * forward and both backward products are plain GEMMs without transposed copies.
 */
import { checkPositiveInteger } from "../../validation";
import { Layer, newParam, type BuildContext, type Param } from "../layer";
import { initializeWeights, type Initializer } from "../init";
import { BatchBuffer, formatShape, type Tensor } from "../tensor";

export interface DenseOptions {
  /** Default "he" (for a following ReLU); "glorot" suits the output layer. */
  init?: Initializer;
  /** Default true; false before batch-norm, whose shift makes a bias redundant. */
  bias?: boolean;
}

export class Dense extends Layer {
  readonly kind = "dense";
  readonly init: Initializer;
  readonly useBias: boolean;
  private inputs = 0;
  private weights!: Param;
  /** Null without a bias (e.g. before batch-norm, which cancels it). */
  private bias: Param | null = null;
  private output!: BatchBuffer;
  private gradInput!: BatchBuffer;
  private lastInput: Tensor | null = null;

  constructor(
    readonly units: number,
    options: DenseOptions = {},
  ) {
    super();
    checkPositiveInteger("dense", "units", units);
    this.init = options.init ?? "he";
    this.useBias = options.bias ?? true;
  }

  protected setup(inputShape: readonly number[], context: BuildContext): readonly number[] {
    if (inputShape.length !== 1) {
      throw new RangeError(
        `${this.name}: expects flat inputs [batch, features], got per-sample shape ${formatShape(inputShape)}; add a Flatten layer`,
      );
    }
    const { kernels, random, batchCapacity } = context;
    this.inputs = inputShape[0];
    this.weights = newParam(kernels, `${this.name}.weights`, this.inputs * this.units, true);
    const stream = random.fork();
    if (context.initialize !== false)
      initializeWeights(this.weights.value, this.init, this.inputs, this.units, stream);
    if (this.useBias) this.bias = newParam(kernels, `${this.name}.bias`, this.units, false);
    this.output = new BatchBuffer((n) => kernels.alloc(n), [this.units], batchCapacity);
    if (context.needsInputGradient)
      this.gradInput = new BatchBuffer((n) => kernels.alloc(n), [this.inputs], batchCapacity);
    return [this.units];
  }

  forward(input: Tensor, training: boolean): Tensor {
    const batch = this.checkInput(input);
    const output = this.output.view(batch);
    this.kernels.gemm(
      false,
      false,
      batch,
      this.units,
      this.inputs,
      1,
      input.data,
      this.weights.value,
      0,
      output.data,
    );
    if (this.bias) this.kernels.addBias(output.data, batch, this.units, this.bias.value);
    this.lastInput = training ? input : null;
    return output;
  }

  backward(gradOutput: Tensor): Tensor | null {
    const input = this.lastInput;
    if (!input) throw new Error(`${this.name}: backward without a training-mode forward`);
    const batch = input.shape[0];
    const k = this.kernels;
    k.gemm(true, false, this.inputs, this.units, batch, 1, input.data, gradOutput.data, 0, this.weights.grad);
    if (this.bias) k.sumRows(gradOutput.data, batch, this.units, this.bias.grad);
    if (!this.needsInputGradient) return null;
    const gradInput = this.gradInput.view(batch);
    k.gemm(
      false,
      true,
      batch,
      this.inputs,
      this.units,
      1,
      gradOutput.data,
      this.weights.value,
      0,
      gradInput.data,
    );
    return gradInput;
  }

  params(): Param[] {
    return this.bias ? [this.weights, this.bias] : [this.weights];
  }
}
