/**
 * The contract every layer follows. A layer is built once for a per-sample input shape and a batch
 * capacity, allocating its parameters and every activation/gradient buffer up front; forward and
 * backward then only write into those buffers.
 *
 * Layers may keep references to their input until backward (e.g. dense needs X for dW), and ReLU
 * works in place on its input, so no layer's backward may depend on its own output buffer.
 */
import type { Kernels } from "../kernels/api";
import type { Random } from "../random";
import { formatShape, type Tensor } from "./tensor";

/** A learned array with its gradient. `decay` is false for biases and batch-norm scales/shifts. */
export interface Param {
  readonly name: string;
  readonly value: Float32Array;
  readonly grad: Float32Array;
  readonly decay: boolean;
}

/** A parameter of `length` zeros (for the layer to initialise) and its gradient, in the kernels' memory. */
export function newParam(kernels: Kernels, name: string, length: number, decay: boolean): Param {
  return { name, value: kernels.alloc(length), grad: kernels.alloc(length), decay };
}

/** A named array that is saved with the weights (parameters and running statistics). */
export interface NamedArray {
  readonly name: string;
  readonly value: Float32Array;
}

export interface BuildContext {
  kernels: Kernels;
  /** Seeds initialisation (and dropout masks); each layer forks its own stream. */
  random: Random;
  /** Largest batch forward will be called with. */
  batchCapacity: number;
  /** False for the first layer: nobody needs the gradient with respect to the data. */
  needsInputGradient: boolean;
  /**
   * False when saved weights are about to overwrite the parameters: the random fill is skipped (each
   * layer still forks its stream, so the layers after it draw what they would have). Default true.
   */
  initialize?: boolean;
  /**
   * Default true: a 3×3, stride-1 Conv2D whose shapes suit it runs its forward pass by Winograd's
   * F(2×2, 3×3) (see Conv2D.winogradMinChannels), the same results up to rounding. False: im2col + GEMM.
   */
  winograd?: boolean;
}

export abstract class Layer {
  /** The layer's kind, e.g. "conv2d"; `name` adds its position, e.g. "conv2d_1". */
  abstract readonly kind: string;
  /** Set by Sequential; a standalone layer is named after its kind. */
  name = "";
  protected kernels!: Kernels;
  protected needsInputGradient = true;
  private builtInputShape: readonly number[] | null = null;
  private builtOutputShape: readonly number[] = [];

  /** Allocates parameters and buffers for inputs of `inputShape` per sample; returns the per-sample output shape. */
  build(inputShape: readonly number[], context: BuildContext): readonly number[] {
    if (!this.name) this.name = this.kind;
    this.kernels = context.kernels;
    this.needsInputGradient = context.needsInputGradient;
    this.builtInputShape = [...inputShape];
    this.builtOutputShape = this.setup(inputShape, context);
    return this.builtOutputShape;
  }

  get inputShape(): readonly number[] {
    if (!this.builtInputShape) throw new Error(`${this.name || this.kind}: used before build`);
    return this.builtInputShape;
  }

  get outputShape(): readonly number[] {
    return this.builtOutputShape;
  }

  /** Training-mode forward keeps what backward needs; inference mode (training = false) may skip that. */
  abstract forward(input: Tensor, training: boolean): Tensor;
  /** Accumulates nothing: parameter gradients are overwritten. Returns the input gradient, or null for the first layer. */
  abstract backward(gradOutput: Tensor): Tensor | null;

  params(): Param[] {
    return [];
  }

  /** Everything saved with the weights; by default the parameters. */
  state(): NamedArray[] {
    return this.params();
  }

  /** Allocates and returns the per-sample output shape, throwing on inputs the layer cannot take. */
  protected abstract setup(inputShape: readonly number[], context: BuildContext): readonly number[];

  /** Throws, naming the layer and both shapes, unless `input` is a batch of the built input shape. */
  protected checkInput(input: Tensor): number {
    const expected = this.inputShape;
    const shape = input.shape;
    const matches = shape.length === expected.length + 1 && expected.every((dim, i) => shape[i + 1] === dim);
    if (!matches) {
      throw new RangeError(
        `${this.name}: expected input of shape ${formatShape(["batch", ...expected])}, got ${formatShape(shape)}`,
      );
    }
    return shape[0];
  }
}
