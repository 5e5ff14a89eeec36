/**
 * Inverted dropout: in training each value is zeroed with probability `rate` and the survivors are
 * scaled by 1/(1 − rate), so inference is the identity. Masks come from the layer's own seeded
 * stream. Works in place, like ReLU (see layer.ts).
 */
import { checkScalar } from "../../validation";
import { Layer, type BuildContext } from "../layer";
import type { Random } from "../../random";
import { sizeOf, type Tensor } from "../tensor";

export class Dropout extends Layer {
  readonly kind = "dropout";
  private random!: Random;
  private mask!: Float32Array;
  private lastBatch = 0;

  constructor(readonly rate: number) {
    super();
    checkScalar("dropout", "rate", rate, { min: 0, max: 1, maxExclusive: true });
  }

  protected setup(inputShape: readonly number[], context: BuildContext): readonly number[] {
    this.random = context.random.fork();
    this.mask = new Float32Array(context.batchCapacity * sizeOf(inputShape));
    return inputShape;
  }

  forward(input: Tensor, training: boolean): Tensor {
    const batch = this.checkInput(input);
    this.lastBatch = training ? batch : 0;
    if (!training || this.rate === 0) return input;
    const x = input.data;
    const mask = this.mask;
    const keep = 1 - this.rate;
    const scale = 1 / keep;
    for (let i = 0; i < x.length; i++) {
      mask[i] = this.random.next() < keep ? scale : 0;
      x[i] *= mask[i];
    }
    return input;
  }

  backward(gradOutput: Tensor): Tensor | null {
    if (this.lastBatch === 0) throw new Error(`${this.name}: backward without a training-mode forward`);
    if (this.rate === 0) return gradOutput;
    const g = gradOutput.data;
    for (let i = 0; i < g.length; i++) g[i] *= this.mask[i];
    return gradOutput;
  }
}
