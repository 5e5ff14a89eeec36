import { NUM_CLASSES } from "../matrix";
import { Random } from "../random";
import { checkLabelPair, checkLabels } from "./validate";
import { checkOptionKeys, checkPositiveInteger, checkScalar, checkSeed } from "../validation";

export interface BootstrapOptions {
  /** Number of bootstrap resamples (default 1000). */
  resamples?: number;
  /** Coverage of the interval, e.g. 0.95 for a 95% interval (default 0.95). */
  level?: number;
  /** Seed of the resampling, so the same call always gives the same interval (default 0). */
  seed?: number;
  /** Number of classes the labels are checked against (default 10). */
  numClasses?: number;
}

export interface ConfidenceInterval {
  /** Accuracy on the samples as given. */
  estimate: number;
  lower: number;
  upper: number;
  level: number;
}

/**
 * Percentile-bootstrap confidence interval for accuracy. Draw n samples with replacement, score them,
 * repeat `resamples` times; the interval runs from the (1 − level)/2 to the (1 + level)/2 quantile of
 * those accuracies (quantiles interpolated linearly between order statistics, numpy's default).
 * It shows how much the test accuracy could move on another test set of the same size.
 */
export function bootstrapAccuracyInterval(
  yTrue: Uint8Array,
  yPred: Uint8Array,
  options: BootstrapOptions = {},
): ConfidenceInterval {
  const who = "bootstrapAccuracyInterval";
  checkOptionKeys(who, options, ["resamples", "level", "seed", "numClasses"]);
  const { resamples = 1000, level = 0.95, seed = 0, numClasses = NUM_CLASSES } = options;
  checkLabelPair(who, yTrue, yPred, numClasses);
  checkPositiveInteger(who, "resamples", resamples);
  checkScalar(who, "level", level, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  checkSeed(who, seed);

  const n = yTrue.length;
  const isCorrect = new Uint8Array(n);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    isCorrect[i] = yTrue[i] === yPred[i] ? 1 : 0;
    correct += isCorrect[i];
  }
  const random = new Random(seed);
  const accuracies = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let resampledCorrect = 0;
    for (let i = 0; i < n; i++) resampledCorrect += isCorrect[random.int(n)];
    accuracies[r] = resampledCorrect / n;
  }
  accuracies.sort();
  const tail = (1 - level) / 2;
  return {
    estimate: correct / n,
    lower: quantile(accuracies, tail),
    upper: quantile(accuracies, 1 - tail),
    level,
  };
}

/** The q-quantile of ascending `sorted`, interpolating linearly between the values at positions ⌊(m−1)q⌋ and ⌈(m−1)q⌉. */
function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

export interface McNemarOptions {
  /** Use the exact binomial p-value when b + c is below this (default 25), where the χ² approximation is poor. */
  exactBelow?: number;
  /** Number of classes the labels are checked against (default 10). */
  numClasses?: number;
}

export interface McNemarResult {
  /** Samples model A got right and model B got wrong. */
  b: number;
  /** Samples model A got wrong and model B got right. */
  c: number;
  /** χ² statistic with continuity correction, max(0, |b − c| − 1)² / (b + c); 0 when b + c = 0. */
  statistic: number;
  /** Two-sided p-value of "both models have the same error rate". */
  pValue: number;
  /** True when pValue is the exact binomial one, false when it is from the χ² distribution with 1 degree of freedom. */
  exact: boolean;
}

/**
 * McNemar's test: are two models' error rates different on the same test samples?
 * Only the samples where they disagree carry information: b (A right, B wrong) and c (A wrong, B right).
 * Under the null hypothesis each disagreement is a fair coin flip, so b ~ Binomial(b + c, 1/2).
 *   exact:  p = min(1, 2 · P(X ≤ min(b, c))),  X ~ Binomial(b + c, 1/2)
 *   χ²:     statistic = max(0, |b − c| − 1)² / (b + c),  p = P(χ²₁ ≥ statistic)
 * The continuity correction is clamped at 0 so that b = c gives statistic 0 and p = 1, as the exact test does;
 * the unclamped (|b − c| − 1)² would wrongly turn a perfect tie into the evidence 1/(b + c).
 */
export function mcnemarTest(
  yTrue: Uint8Array,
  predA: Uint8Array,
  predB: Uint8Array,
  options: McNemarOptions = {},
): McNemarResult {
  checkOptionKeys("mcnemarTest", options, ["exactBelow", "numClasses"]);
  const { exactBelow = 25, numClasses = NUM_CLASSES } = options;
  checkLabelPair("mcnemarTest", yTrue, predA, numClasses);
  checkLabels("mcnemarTest", "predB", predB, numClasses);
  if (predB.length !== yTrue.length) {
    throw new RangeError(`mcnemarTest: yTrue has ${yTrue.length} labels but predB has ${predB.length}`);
  }
  // Infinity is allowed: always the exact test.
  if (exactBelow !== Infinity) checkScalar("mcnemarTest", "exactBelow", exactBelow, { min: 0 });

  let b = 0;
  let c = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const aRight = predA[i] === yTrue[i];
    const bRight = predB[i] === yTrue[i];
    if (aRight && !bRight) b++;
    else if (!aRight && bRight) c++;
  }
  const disagreements = b + c;
  const statistic = disagreements === 0 ? 0 : Math.max(0, Math.abs(b - c) - 1) ** 2 / disagreements;
  const exact = disagreements < exactBelow;
  const pValue = exact
    ? Math.min(1, 2 * binomialHalfCdf(Math.min(b, c), disagreements))
    : chiSquared1Survival(statistic);
  return { b, c, statistic, pValue, exact };
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2), summing C(n, i) / 2ⁿ in log space so large n does not underflow. */
function binomialHalfCdf(k: number, n: number): number {
  let logTerm = -n * Math.LN2; // ln(C(n, 0) / 2ⁿ)
  let sum = Math.exp(logTerm);
  for (let i = 0; i < k; i++) {
    logTerm += Math.log((n - i) / (i + 1)); // C(n, i+1) = C(n, i) · (n − i) / (i + 1)
    sum += Math.exp(logTerm);
  }
  return sum;
}

/** P(χ²₁ ≥ x): a χ² variable with 1 degree of freedom is Z² for standard normal Z, so this is erfc(√(x/2)). */
function chiSquared1Survival(x: number): number {
  // The approximate erfc(0) is 1 + 3e-8; a probability must not exceed 1.
  return Math.min(1, erfc(Math.sqrt(x / 2)));
}

/** Complementary error function, Chebyshev fit from Numerical Recipes (relative error below 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const result = t * Math.exp(-z * z + poly);
  return x >= 0 ? result : 2 - result;
}
