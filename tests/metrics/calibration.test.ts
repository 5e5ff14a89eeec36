import { strict as assert } from "assert";
import { expectedCalibrationError, reliabilityCurve } from "../../lib/metrics";
import { assertClose, probabilityRows } from "./close";

describe("metrics: reliabilityCurve and expectedCalibrationError", () => {
  // 4 bins: [0, 0.25], (0.25, 0.5], (0.5, 0.75], (0.75, 1]
  const yTrue = Uint8Array.of(0, 1, 0, 1);
  const probabilities = probabilityRows([
    [1, 0], // confidence 1.0 exactly → last bin; predicts 0, correct
    [0.75, 0.25], // confidence 0.75 on the edge → bin (0.5, 0.75]; predicts 0, wrong
    [0.5, 0.5], // confidence 0.5 on the edge → bin (0.25, 0.5]; tie → predicts 0, correct
    [0.375, 0.625], // confidence 0.625 → bin (0.5, 0.75]; predicts 1, correct
  ]);

  it("bins by max-probability confidence, edges belonging to the lower bin and 1.0 to the last", () => {
    const bins = reliabilityCurve(yTrue, probabilities, 4, 2);
    assert.deepEqual(bins, [
      { lower: 0, upper: 0.25, meanConfidence: NaN, accuracy: NaN, count: 0 },
      { lower: 0.25, upper: 0.5, meanConfidence: 0.5, accuracy: 1, count: 1 },
      // (0.75 + 0.625)/2 = 0.6875; one of two correct
      { lower: 0.5, upper: 0.75, meanConfidence: 0.6875, accuracy: 0.5, count: 2 },
      { lower: 0.75, upper: 1, meanConfidence: 1, accuracy: 1, count: 1 },
    ]);
  });

  it("weights each bin's |accuracy − confidence| by its share of samples", () => {
    // ECE = 1/4·|1 − 0.5| + 2/4·|0.5 − 0.6875| + 1/4·|1 − 1| = 0.125 + 0.09375 + 0 = 0.21875
    assert.equal(expectedCalibrationError(yTrue, probabilities, 4, 2), 0.21875);
  });

  it("uses 10 bins by default and counts every sample once", () => {
    const bins = reliabilityCurve(yTrue, probabilities, undefined, 2);
    assert.equal(bins.length, 10);
    assert.equal(
      bins.reduce((sum, bin) => sum + bin.count, 0),
      4,
    );
    assert.equal(bins[9].count, 1); // only confidence 1.0 is above 0.9
  });

  it("is 0 for one-hot perfect predictions, all in the last bin", () => {
    const y = Uint8Array.of(2, 0, 1, 2);
    const oneHot = probabilityRows(Array.from(y, (label) => [0, 1, 2].map((c) => (c === label ? 1 : 0))));
    assert.equal(expectedCalibrationError(y, oneHot, 10, 3), 0);
    assert.equal(reliabilityCurve(y, oneHot, 10, 3)[9].count, 4);
  });

  it("equals the gap between confidence and accuracy when everything shares one bin", () => {
    // all confident at 0.875, half right → ECE = |0.5 − 0.875| = 0.375
    const y = Uint8Array.of(0, 1, 0, 1);
    const overconfident = probabilityRows([
      [0.875, 0.125],
      [0.875, 0.125],
      [0.875, 0.125],
      [0.875, 0.125],
    ]);
    assert.equal(expectedCalibrationError(y, overconfident, 1, 2), 0.375);
  });

  it("rejects a bad bin count and probabilities of the wrong shape", () => {
    assert.throws(() => reliabilityCurve(yTrue, probabilities, 0, 2), /numBins/);
    assert.throws(
      () => expectedCalibrationError(yTrue, probabilities, 10, 3),
      /8 values but 4 samples × 3 classes needs 12/,
    );
  });
});
