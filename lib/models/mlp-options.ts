/**
 * The multi-layer perceptron's architecture options, shared by the scratch `MlpClassifier` and the
 * TensorFlow.js `TfMlpClassifier` so that swapping the implementation is one word.
 */
import { checkScalar } from "../validation";

export interface MlpArchitecture {
  /** Units per hidden layer (default [512, 256]). */
  hiddenSizes?: number[];
  /** Fraction of hidden activations dropped while training, in [0, 1) (default 0.2; 0 disables). */
  dropout?: number;
}

export const MLP_DEFAULTS: Required<MlpArchitecture> = { hiddenSizes: [512, 256], dropout: 0.2 };

/** A copy of `sizes` if it is a non-empty list of positive integers. */
export function checkHiddenSizes(who: string, sizes: unknown): number[] {
  if (!Array.isArray(sizes) || sizes.length === 0) {
    throw new RangeError(
      `${who}: hiddenSizes must be a non-empty array of positive integers, got ${JSON.stringify(sizes)}`,
    );
  }
  return sizes.map((units, i) => checkScalar(who, `hiddenSizes[${i}]`, units, { integer: true, min: 1 }));
}

export function checkDropout(who: string, rate: unknown): number {
  return checkScalar(who, "dropout", rate, { min: 0, max: 1, maxExclusive: true });
}
