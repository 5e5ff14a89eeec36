/**
 * Voting weights chosen on a validation split: the weights w (w ≥ 0, Σ w = 1) that minimise the
 * validation log-loss of the weighted mean of the members' probabilities,
 *   L(w) = −(1/n) · Σᵢ ln( Σₖ wₖ · pᵢₖ[yᵢ] ).
 * L is convex in w (minus the log of a linear function), so a simple method finds the minimum:
 * exponentiated gradient, which stays on the simplex by construction:
 *   gₖ = ∂L/∂wₖ = −(1/n) · Σᵢ pᵢₖ[yᵢ] / qᵢ,   qᵢ = Σₖ wₖ pᵢₖ[yᵢ]
 *   wₖ ← wₖ · exp(−η gₖ), then renormalised.
 * Log-loss rather than accuracy: on 5,000 validation images the members disagree on a few dozen, so
 * accuracy is a step function of w with many ties, while the log-loss is smooth and uses every image.
 */
import { NUM_CLASSES } from "../matrix";
import { checkLabels, checkOptionKeys, checkPositiveInteger, checkPositiveReal } from "../validation";

export interface WeightSearchOptions {
  /** Steps of exponentiated gradient (default 300). */
  iterations?: number;
  /** Step size η (default 2). */
  stepSize?: number;
}

export interface ChosenWeights {
  /** One weight per member, non-negative, summing to 1. */
  weights: number[];
  /** Validation log-loss with these weights. */
  logLoss: number;
  /** Validation log-loss with equal weights (plain soft voting), for comparison. */
  uniformLogLoss: number;
}

/** Probabilities below this count as this, so one confident mistake costs ≈ 27.6 instead of ∞. */
const FLOOR = 1e-12;

export function chooseVotingWeights(
  memberProbabilities: Float32Array[],
  y: Uint8Array,
  options: WeightSearchOptions = {},
): ChosenWeights {
  const who = "chooseVotingWeights";
  checkOptionKeys(who, options, ["iterations", "stepSize"]);
  const iterations = checkPositiveInteger(who, "iterations", options.iterations ?? 300);
  const stepSize = checkPositiveReal(who, "stepSize", options.stepSize ?? 2);
  const k = memberProbabilities.length;
  if (k === 0) throw new RangeError(`${who}: needs at least one member's probabilities, got none`);
  checkLabels(who, y, { rows: y.length, numClasses: NUM_CLASSES, name: "y" });
  memberProbabilities.forEach((p, m) => {
    if (p.length !== y.length * NUM_CLASSES)
      throw new RangeError(
        `${who}: member ${m} has ${p.length} probabilities, expected ${y.length} rows × ${NUM_CLASSES}`,
      );
  });

  // Only the probability each member gives the true class matters: an n × k table.
  const n = y.length;
  const trueClass = new Float64Array(n * k);
  for (let i = 0; i < n; i++)
    for (let m = 0; m < k; m++) trueClass[i * k + m] = memberProbabilities[m][i * NUM_CLASSES + y[i]];

  const lossAndGradient = (w: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let q = 0;
      for (let m = 0; m < k; m++) q += w[m] * trueClass[i * k + m];
      q = Math.max(q, FLOOR);
      loss -= Math.log(q);
      for (let m = 0; m < k; m++) gradient[m] -= trueClass[i * k + m] / q;
    }
    for (let m = 0; m < k; m++) gradient[m] /= n;
    return loss / n;
  };

  const w = new Float64Array(k).fill(1 / k);
  const gradient = new Float64Array(k);
  const uniformLogLoss = lossAndGradient(w, gradient);
  for (let step = 0; step < iterations; step++) {
    if (step > 0) lossAndGradient(w, gradient);
    // Subtracting the smallest gradient first keeps exp() in range; it cancels in the normalisation.
    const smallest = Math.min(...gradient);
    let total = 0;
    for (let m = 0; m < k; m++) {
      w[m] *= Math.exp(-stepSize * (gradient[m] - smallest));
      total += w[m];
    }
    for (let m = 0; m < k; m++) w[m] /= total;
  }
  return { weights: [...w], logLoss: lossAndGradient(w, gradient), uniformLogLoss };
}
