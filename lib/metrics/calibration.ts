import { argmaxRows, NUM_CLASSES } from "../matrix";
import { checkProbabilities } from "./validate";
import { checkPositiveInteger } from "../validation";

/**
 * One bin of a reliability curve: the samples whose confidence (largest class probability) lies in
 * (lower, upper]. The first bin also takes confidence exactly 0, and confidence exactly 1 falls in the last bin.
 * For a well-calibrated model, accuracy ≈ meanConfidence in every bin.
 */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  /** Mean confidence of the samples in the bin; NaN when the bin is empty. */
  meanConfidence: number;
  /** Fraction of the bin's samples whose predicted class (arg-max) is correct; NaN when the bin is empty. */
  accuracy: number;
  count: number;
}

/**
 * Reliability curve: samples grouped by confidence into `numBins` equal-width bins over [0, 1].
 * The predicted class is the arg-max, ties going to the lower class index as in `predict`.
 * All bins are returned, empty ones included, so every curve shares the same bin edges.
 */
export function reliabilityCurve(
  yTrue: Uint8Array,
  probabilities: Float32Array,
  numBins: number = 10,
  numClasses: number = NUM_CLASSES,
): ReliabilityBin[] {
  checkProbabilities("reliabilityCurve", yTrue, probabilities, numClasses);
  checkPositiveInteger("reliabilityCurve", "numBins", numBins);
  const predicted = argmaxRows(probabilities, yTrue.length, numClasses);
  const confidenceSum = new Array<number>(numBins).fill(0);
  const correct = new Array<number>(numBins).fill(0);
  const count = new Array<number>(numBins).fill(0);
  for (let row = 0; row < yTrue.length; row++) {
    const confidence = probabilities[row * numClasses + predicted[row]];
    const bin = binIndex(confidence, numBins);
    confidenceSum[bin] += confidence;
    if (predicted[row] === yTrue[row]) correct[bin]++;
    count[bin]++;
  }
  return count.map((n, bin) => ({
    lower: bin / numBins,
    upper: (bin + 1) / numBins,
    meanConfidence: n === 0 ? NaN : confidenceSum[bin] / n,
    accuracy: n === 0 ? NaN : correct[bin] / n,
    count: n,
  }));
}

/**
 * Expected calibration error: the gap between accuracy and confidence, averaged over bins weighted by size:
 *   ECE = Σ_b (n_b / n) · |accuracy_b − meanConfidence_b|
 * 0 means the model is exactly as sure as it is right. It summarises the reliability curve, so it takes
 * `reliabilityCurve`'s arguments (yTrue, probabilities, numBins = 10, numClasses = 10) and bins alike.
 */
export function expectedCalibrationError(...curve: Parameters<typeof reliabilityCurve>): number {
  const bins = reliabilityCurve(...curve);
  const samples = bins.reduce((n, bin) => n + bin.count, 0);
  let ece = 0;
  for (const bin of bins) {
    if (bin.count > 0) ece += (bin.count / samples) * Math.abs(bin.accuracy - bin.meanConfidence);
  }
  return ece;
}

/**
 * Bin b covers (b/numBins, (b+1)/numBins]. Counting the interior edges below the confidence, rather than
 * computing floor(confidence · numBins), keeps confidence 1 in the last bin instead of one past it,
 * and compares against exactly the edges reported in `lower` and `upper`.
 */
function binIndex(confidence: number, numBins: number): number {
  let bin = 0;
  while (bin < numBins - 1 && confidence > (bin + 1) / numBins) bin++;
  return bin;
}
