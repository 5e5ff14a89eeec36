/**
 * Softmax followed by cross-entropy, fused: the gradient with respect to the logits is simply
 * (softmax − target) / batch, and subtracting each row's maximum keeps exp() from overflowing.
 *
 * Label smoothing (Szegedy et al. 2016) trains against a softened target: 1 − ε + ε/K for the label
 * and ε/K for each of the K classes otherwise, so the network is not pushed towards ever larger logits.
 * With ε = 0 (the default) the target is the one-hot label.
 */
import { formatShape, type Tensor } from "./tensor";

export interface LossResult {
  /** Mean cross-entropy over the batch. */
  loss: number;
  /** Samples whose largest logit is the label. */
  correct: number;
}

/**
 * Mean cross-entropy of `logits` [batch, classes] against `labels` (smoothed by `labelSmoothing`,
 * 0 ≤ ε < 1). Writes d(loss)/d(logits) into `gradLogits` when given (same length as logits).
 */
export function softmaxCrossEntropy(
  logits: Tensor,
  labels: ArrayLike<number>,
  gradLogits?: Float32Array,
  labelSmoothing = 0,
): LossResult {
  if (logits.shape.length !== 2)
    throw new RangeError(
      `softmaxCrossEntropy: expected logits [batch, classes], got ${formatShape(logits.shape)}`,
    );
  const [batch, classes] = logits.shape;
  checkLabelSmoothing("softmaxCrossEntropy", labelSmoothing);
  const offTarget = labelSmoothing / classes;
  const onTarget = 1 - labelSmoothing + offTarget;
  if (labels.length !== batch)
    throw new RangeError(`softmaxCrossEntropy: ${batch} rows of logits but ${labels.length} labels`);
  const z = logits.data;
  let total = 0;
  let correct = 0;
  for (let r = 0; r < batch; r++) {
    const row = r * classes;
    const label = labels[r];
    if (!(label >= 0 && label < classes))
      throw new RangeError(`softmaxCrossEntropy: label ${label} at row ${r} is outside 0..${classes - 1}`);
    let max = z[row];
    let best = 0;
    for (let j = 1; j < classes; j++) {
      if (z[row + j] > max) {
        max = z[row + j];
        best = j;
      }
    }
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += Math.exp(z[row + j] - max);
    const logSum = Math.log(sum);
    // −Σ target_j · log p_j, where log p_j = z_j − max − logSum and the targets sum to 1.
    let targetLogit = z[row + label] - max;
    if (labelSmoothing > 0) {
      let logitSum = 0;
      for (let j = 0; j < classes; j++) logitSum += z[row + j] - max;
      targetLogit = (onTarget - offTarget) * targetLogit + offTarget * logitSum;
    }
    total += logSum - targetLogit;
    if (best === label) correct++;
    if (gradLogits) {
      for (let j = 0; j < classes; j++) {
        const p = Math.exp(z[row + j] - max - logSum);
        gradLogits[row + j] = (p - (j === label ? onTarget : offTarget)) / batch;
      }
    }
  }
  return { loss: total / batch, correct };
}

/** Throws unless `labelSmoothing` is a number in [0, 1), naming `who`. */
export function checkLabelSmoothing(who: string, labelSmoothing: number): void {
  if (!(typeof labelSmoothing === "number" && labelSmoothing >= 0 && labelSmoothing < 1))
    throw new RangeError(`${who}: labelSmoothing must be a number in [0, 1), got ${String(labelSmoothing)}`);
}

/** Row-wise softmax of [rows, classes] logits into `out` (may be the logits' own array). */
export function softmaxRows(logits: Float32Array, rows: number, classes: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const row = r * classes;
    let max = logits[row];
    for (let j = 1; j < classes; j++) if (logits[row + j] > max) max = logits[row + j];
    let sum = 0;
    for (let j = 0; j < classes; j++) {
      const e = Math.exp(logits[row + j] - max);
      out[row + j] = e;
      sum += e;
    }
    for (let j = 0; j < classes; j++) out[row + j] /= sum;
  }
}
