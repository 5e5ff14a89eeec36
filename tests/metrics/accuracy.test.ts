import { strict as assert } from "assert";
import { argmaxRows } from "../../lib/matrix";
import { accuracy, topKAccuracy } from "../../lib/metrics";
import { probabilityRows } from "./close";

describe("metrics: accuracy", () => {
  it("counts matching labels over all samples", () => {
    // matches at indices 0 and 2 → 2 / 4 = 0.5
    assert.equal(accuracy(Uint8Array.of(0, 1, 2, 2), Uint8Array.of(0, 2, 2, 1)), 0.5);
  });

  it("is 1 for perfect predictions and 0 when every prediction is wrong", () => {
    const y = Uint8Array.of(3, 1, 4, 1, 5, 9, 2, 6);
    assert.equal(accuracy(y, y), 1);
    assert.equal(
      accuracy(
        y,
        y.map((label) => (label + 1) % 10),
      ),
      0,
    );
  });

  it("rejects mismatched lengths, empty input, out-of-range labels and non-Uint8Array labels", () => {
    assert.throws(
      () => accuracy(Uint8Array.of(0, 1), Uint8Array.of(0)),
      /yTrue has 2 labels but yPred has 1/,
    );
    assert.throws(() => accuracy(new Uint8Array(0), new Uint8Array(0)), /yTrue is empty/);
    assert.throws(
      () => accuracy(Uint8Array.of(0, 10), Uint8Array.of(0, 1)),
      /yTrue\[1\] = 10 is outside 0\.\.9/,
    );
    assert.throws(
      () => accuracy(Uint8Array.of(0, 2), Uint8Array.of(0, 1), 2),
      /yTrue\[1\] = 2 is outside 0\.\.1/,
    );
    assert.throws(() => accuracy([0, 1] as unknown as Uint8Array, Uint8Array.of(0, 1)), TypeError);
  });
});

describe("metrics: topKAccuracy", () => {
  // 3 classes. Ties go to the lower class index, as in argmaxRows.
  const yTrue = Uint8Array.of(0, 1, 2, 2);
  const probabilities = probabilityRows([
    [0.5, 0.25, 0.25], // true 0: nothing outranks it                          → rank 0
    [0.5, 0.25, 0.25], // true 1: class 0 is higher; class 2 ties but index 2 > 1 → rank 1
    [0.5, 0.25, 0.25], // true 2: class 0 higher, class 1 ties with lower index   → rank 2
    [0.125, 0.125, 0.75], // true 2: highest                                       → rank 0
  ]);

  it("counts the true class within the k most probable, breaking ties by class index", () => {
    assert.equal(topKAccuracy(yTrue, probabilities, 1, 3), 2 / 4); // ranks < 1: rows 0, 3
    assert.equal(topKAccuracy(yTrue, probabilities, 2, 3), 3 / 4); // ranks < 2: rows 0, 1, 3
    assert.equal(topKAccuracy(yTrue, probabilities, 3, 3), 1); // every rank < 3
  });

  it("defaults to k = 2", () => {
    assert.equal(topKAccuracy(yTrue, probabilities, undefined, 3), 3 / 4);
  });

  it("with k = 1 equals the accuracy of the arg-max predictions", () => {
    const predicted = argmaxRows(probabilities, 4, 3);
    assert.equal(topKAccuracy(yTrue, probabilities, 1, 3), accuracy(yTrue, predicted, 3));
  });

  it("rejects a k outside 1..numClasses and probabilities of the wrong shape or range", () => {
    assert.throws(() => topKAccuracy(yTrue, probabilities, 0, 3), /k must be an integer in 1\.\.3/);
    assert.throws(() => topKAccuracy(yTrue, probabilities, 4, 3), /k must be an integer in 1\.\.3/);
    assert.throws(
      () => topKAccuracy(yTrue, probabilities, 2, 10),
      /12 values but 4 samples × 10 classes needs 40/,
    );
    assert.throws(
      () => topKAccuracy(Uint8Array.of(0), Float32Array.of(1.5, 0), 1, 2),
      /probability 1.5 at row 0, class 0/,
    );
    assert.throws(() => topKAccuracy(Uint8Array.of(0), Float32Array.of(NaN, 0), 1, 2), /not in \[0, 1\]/);
  });
});
