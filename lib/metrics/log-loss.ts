import { NUM_CLASSES } from "../matrix";
import { checkProbabilities } from "./validate";
import { checkScalar } from "../validation";

/**
 * Mean negative log-probability given to the true class (cross-entropy):
 *   logLoss = −(1/n) · Σᵢ ln(clip(pᵢ[yᵢ], ε, 1 − ε))
 * Clipping keeps one confident mistake (p = 0, so ln p = −∞) from making the whole loss infinite;
 * it then costs −ln ε ≈ 34.5 for the default ε = 1e-15, as in scikit-learn.
 */
export function logLoss(
  yTrue: Uint8Array,
  probabilities: Float32Array,
  epsilon: number = 1e-15,
  numClasses: number = NUM_CLASSES,
): number {
  checkProbabilities("logLoss", yTrue, probabilities, numClasses);
  checkScalar("logLoss", "epsilon", epsilon, { min: 0, max: 0.5, minExclusive: true, maxExclusive: true });
  let total = 0;
  for (let row = 0; row < yTrue.length; row++) {
    const p = probabilities[row * numClasses + yTrue[row]];
    total -= Math.log(Math.min(Math.max(p, epsilon), 1 - epsilon));
  }
  return total / yTrue.length;
}
