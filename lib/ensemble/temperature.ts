/**
 * Temperature scaling (Guo et al., 2017, "On Calibration of Modern Neural Networks"): one number T per
 * model, chosen on validation data, that makes its probabilities as sure as it is right:
 *   p_T(c) = p(c)^(1/T) / Σ_c' p(c')^(1/T)      (softmax of the logits divided by T)
 * T < 1 sharpens, T > 1 softens, and the arg-max never changes, so accuracy is untouched.
 *
 * Why the ensemble needs it: its weights minimise the validation log-loss of the mixture, and a model
 * trained with label smoothing is under-confident by design (it puts 0.01 on every wrong class), so
 * its raw log-loss is several times the others' however accurate it is: the weights switched off the
 * best member (0.000 for the accuracy CNN in a full run of notebook 07). Calibrated first, each
 * member competes on what it knows.
 *
 * The validation log-loss is convex in β = 1/T (a log-sum-exp minus a linear term), so a golden-section
 * search over β finds its minimum.
 */
import { NUM_CLASSES } from "../matrix";
import { checkLabels, checkPositiveReal } from "../validation";

/** Probabilities below this count as this, as in ./weights.ts. */
const FLOOR = 1e-12;
/** The search range of β = 1/T: from ten times softer to fifty times sharper. */
const BETA_RANGE: readonly [number, number] = [0.1, 50];

/** A temperature must be a positive finite number; the error names `who`. */
export function checkTemperature(who: string, temperature: number): number {
  return checkPositiveReal(who, "temperature", temperature);
}

/** `probabilities` (rows × 10) at temperature T; T = 1 returns them unchanged (the same array). */
export function applyTemperature(probabilities: Float32Array, temperature: number): Float32Array {
  checkTemperature("applyTemperature", temperature);
  if (temperature === 1) return probabilities;
  const beta = 1 / temperature;
  const out = new Float32Array(probabilities.length);
  const row = new Float64Array(NUM_CLASSES);
  for (let start = 0; start < probabilities.length; start += NUM_CLASSES) {
    // In the log domain with the largest term first, so p^β neither underflows nor overflows.
    let largest = -Infinity;
    for (let c = 0; c < NUM_CLASSES; c++) {
      row[c] = beta * Math.log(Math.max(probabilities[start + c], FLOOR));
      largest = Math.max(largest, row[c]);
    }
    let sum = 0;
    for (let c = 0; c < NUM_CLASSES; c++) sum += row[c] = Math.exp(row[c] - largest);
    for (let c = 0; c < NUM_CLASSES; c++) out[start + c] = row[c] / sum;
  }
  return out;
}

/** Mean negative log-probability of the true class. */
export function logLoss(probabilities: Float32Array, y: Uint8Array): number {
  let loss = 0;
  for (let i = 0; i < y.length; i++) loss -= Math.log(Math.max(probabilities[i * NUM_CLASSES + y[i]], FLOOR));
  return loss / y.length;
}

/** The temperature that minimises the log-loss of `probabilities` (rows × 10) on labels `y`. */
export function fitTemperature(probabilities: Float32Array, y: Uint8Array): number {
  const who = "fitTemperature";
  checkLabels(who, y, { rows: y.length, numClasses: NUM_CLASSES, name: "y" });
  if (probabilities.length !== y.length * NUM_CLASSES)
    throw new RangeError(
      `${who}: ${probabilities.length} probabilities for ${y.length} labels × ${NUM_CLASSES}`,
    );
  const loss = (beta: number) => logLoss(applyTemperature(probabilities, 1 / beta), y);
  // Golden-section search on log β: the range spans two and a half decades.
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [low, high] = BETA_RANGE.map(Math.log);
  let a = high - ratio * (high - low);
  let b = low + ratio * (high - low);
  let lossA = loss(Math.exp(a));
  let lossB = loss(Math.exp(b));
  while (high - low > 1e-3) {
    if (lossA <= lossB) {
      [high, b, lossB] = [b, a, lossA];
      a = high - ratio * (high - low);
      lossA = loss(Math.exp(a));
    } else {
      [low, a, lossA] = [a, b, lossB];
      b = low + ratio * (high - low);
      lossB = loss(Math.exp(b));
    }
  }
  return 1 / Math.exp((low + high) / 2);
}
