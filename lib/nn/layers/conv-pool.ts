/**
 * A first Conv2D directly under a MaxPool2D, run as one block: an optimisation that Sequential chooses
 * when it builds the network (see `fuseLayers`), outside the layers themselves.
 *
 * Why: the first layer needs no gradient with respect to the data, only its filter and bias
 * gradients. The pool's input gradient is zero except at each window's arg-max (three quarters zeros
 * for a 2×2 pool), so instead of writing that dense gradient and multiplying it through, the block
 * sums the filter and bias gradients straight from the pool's output gradient and its arg-max
 * (the `convGradRouted` kernel). Forward is the pair's, and so is backward anywhere but first.
 */
import { Layer, type BuildContext, type NamedArray, type Param } from "../layer";
import type { Tensor } from "../tensor";
import { Conv2D } from "./conv2d";
import { MaxPool2D } from "./max-pool";

export class ConvPool2D extends Layer {
  readonly kind = "conv2d+maxpool2d";

  /** The two layers keep their names ("conv2d_1", "maxpool2d_1"), parameters and saved state. */
  constructor(
    readonly conv: Conv2D,
    readonly pool: MaxPool2D,
  ) {
    super();
    this.name = `${conv.name || conv.kind}+${pool.name || pool.kind}`;
  }

  protected setup(inputShape: readonly number[], context: BuildContext): readonly number[] {
    // The first block needs no input gradient, so neither does its pool (the routed sums replace it).
    return this.pool.build(this.conv.build(inputShape, context), context);
  }

  forward(input: Tensor, training: boolean): Tensor {
    return this.pool.forward(this.conv.forward(input, training), training);
  }

  backward(gradOutput: Tensor): Tensor | null {
    if (this.needsInputGradient) return this.conv.backward(this.pool.backward(gradOutput)!);
    const argmax = this.pool.lastArgmax();
    const { cols, batch, patchSize, weights, bias } = this.conv.lastPatches();
    const rows = cols.length / patchSize;
    const { filters } = this.conv;
    this.kernels.convGradRouted(
      cols,
      gradOutput.data,
      argmax,
      batch,
      rows,
      patchSize,
      filters,
      weights.grad,
      bias?.grad ?? null,
    );
    return null;
  }

  params(): Param[] {
    return this.conv.params();
  }

  state(): NamedArray[] {
    return [...this.conv.state(), ...this.pool.state()];
  }
}

/**
 * The layers Sequential runs for `layers`: the same ones, except that a first Conv2D directly followed
 * by a MaxPool2D becomes one ConvPool2D (only first: elsewhere the pair needs its input gradient and
 * fusing gains nothing).
 */
export function fuseLayers(layers: readonly Layer[]): Layer[] {
  const [first, second, ...rest] = layers;
  if (first instanceof Conv2D && second instanceof MaxPool2D) return [new ConvPool2D(first, second), ...rest];
  return [...layers];
}
