/**
 * How the store scores a saved model, and keeps what it scored: `scoreInChunks` is the one way a stored
 * model's probabilities are computed, both by the dashboard (ModelStore.probabilitiesOf) and by every
 * evaluation of a model fitted through the store (ModelStore.fitThrough, the final models of notebook 07).
 * An evaluation therefore caches the very bits the dashboard would compute, and a cold notebook 08 loads
 * the test probabilities notebooks 03–07 already computed instead of loading and running each model again.
 * The cache is keyed by the data's checksum: scoring a subset or another set never fills the test set's.
 */
import * as path from "path";
import { matrix, NUM_CLASSES, type Matrix } from "../matrix";
import type { Classifier } from "../models/estimator";
import { dataChecksum } from "./fit-key";
import { modelFingerprint, readProbabilities, writeProbabilities } from "./probability-cache";

/** Rows per predictProba call. */
export const SCORE_ROWS = 256;

/** Probabilities do not depend on labels: the data checksum of a probability cache has none. */
const NO_LABELS = new Uint8Array(0);

/** The checksum a probability cache of `x` is kept under. */
export function probabilityDataChecksum(x: Matrix): string {
  return dataChecksum(x, NO_LABELS);
}

/**
 * predictProba, SCORE_ROWS rows at a time, so no model's own prediction batch (a TensorFlow.js model's
 * predictBatchSize, say) makes one pass over many more rows: a CNN's activations for 2048 rows grew
 * tfjs's WebAssembly memory, which never shrinks, by about 500 MB; for 256, by about 100 MB.
 */
export function scoreInChunks(model: Classifier, x: Matrix): Float32Array {
  const out = new Float32Array(x.rows * NUM_CLASSES);
  for (let start = 0; start < x.rows; start += SCORE_ROWS) {
    const rows = Math.min(SCORE_ROWS, x.rows - start);
    const chunk = matrix(x.data.subarray(start * x.cols, (start + rows) * x.cols), rows, x.cols);
    const probabilities = model.predictProba(chunk);
    if (probabilities.length !== rows * NUM_CLASSES)
      throw new RangeError(
        `scoreInChunks: ${model.name} gave ${probabilities.length} probabilities for ${rows} rows, ` +
          `expected ${rows * NUM_CLASSES}`,
      );
    out.set(probabilities, start * NUM_CLASSES);
  }
  return out;
}

/**
 * Keeps `probabilities` (of the model saved in `dir`, on `x`) in the model's folder, unless the same
 * model's probabilities on the same data are already there. The caller vouches that they are what
 * `scoreInChunks` gives for that model and data (an ensemble's combined member scores are: it combines
 * row by row). A cache that cannot be written is a warning, never a failed evaluation.
 */
export function cacheProbabilities(
  dir: string,
  model: Classifier,
  x: Matrix,
  probabilities: Float32Array,
): void {
  try {
    const fingerprint = modelFingerprint(path.dirname(dir), dir);
    const data = probabilityDataChecksum(x);
    let cached = false;
    try {
      cached = readProbabilities(dir, fingerprint, data, x.rows, NUM_CLASSES) !== null;
    } catch {
      // A damaged cache is replaced below.
    }
    if (!cached)
      writeProbabilities(dir, fingerprint, data, NUM_CLASSES, {
        probabilities,
        implementation: model.implementation,
      });
  } catch (error) {
    console.warn(`warning: ${path.basename(dir)}: probabilities not cached (${(error as Error).message})`);
  }
}

/** The probabilities of `model`, saved in `dir`, on `x` (scoreInChunks), kept in its folder for later. */
export function scoreAndCache(dir: string, model: Classifier, x: Matrix): Float32Array {
  const probabilities = scoreInChunks(model, x);
  cacheProbabilities(dir, model, x, probabilities);
  return probabilities;
}
