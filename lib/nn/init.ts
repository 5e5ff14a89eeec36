/**
 * Seeded weight initialisation. He (Kaiming) keeps the activation variance constant through ReLU
 * layers; Glorot (Xavier) does so for layers without a rectifier, e.g. the one before the softmax.
 */
import type { Random } from "../random";

export type Initializer = "he" | "glorot";

/** Fills `weights` for a layer with `fanIn` inputs and `fanOut` outputs per weight. */
export function initializeWeights(
  weights: Float32Array,
  kind: Initializer,
  fanIn: number,
  fanOut: number,
  random: Random,
): void {
  if (kind === "he") {
    const std = Math.sqrt(2 / fanIn);
    for (let i = 0; i < weights.length; i++) weights[i] = random.normal(0, std);
  } else {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < weights.length; i++) weights[i] = random.uniform(-limit, limit);
  }
}
