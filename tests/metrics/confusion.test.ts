import { strict as assert } from "assert";
import { confusionMatrix, mostConfusedPairs, normalizeConfusionRows } from "../../lib/metrics";

describe("metrics: confusionMatrix", () => {
  it("counts true classes by row and predictions by column", () => {
    // pairs (true, predicted): (0,0) (0,1) (1,1) (2,2) (2,0) (2,2)
    const counts = confusionMatrix(Uint8Array.of(0, 0, 1, 2, 2, 2), Uint8Array.of(0, 1, 1, 2, 0, 2), 3);
    assert.deepEqual(counts, [
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 2],
    ]);
  });

  it("is not transposed: true 0 predicted as 1 lands in row 0, column 1", () => {
    assert.deepEqual(confusionMatrix(Uint8Array.of(0, 0), Uint8Array.of(1, 1), 2), [
      [0, 2],
      [0, 0],
    ]);
  });

  it("has numClasses rows even for classes that never occur, and sums to the sample count", () => {
    const counts = confusionMatrix(Uint8Array.of(1, 1), Uint8Array.of(1, 1));
    assert.equal(counts.length, 10);
    assert.ok(counts.every((row) => row.length === 10));
    assert.equal(
      counts.flat().reduce((a, b) => a + b, 0),
      2,
    );
    assert.equal(counts[1][1], 2);
  });

  it("rejects mismatched label arrays", () => {
    assert.throws(() => confusionMatrix(Uint8Array.of(0), Uint8Array.of(0, 1)), RangeError);
    assert.throws(
      () => confusionMatrix(Uint8Array.of(0), Uint8Array.of(3), 3),
      /yPred\[0\] = 3 is outside 0\.\.2/,
    );
  });
});

describe("metrics: normalizeConfusionRows", () => {
  it("divides each row by its total so the diagonal is per-class recall", () => {
    const normalized = normalizeConfusionRows([
      [1, 1, 0], // / 2
      [0, 1, 0], // / 1
      [1, 0, 2], // / 3
    ]);
    assert.deepEqual(normalized, [
      [0.5, 0.5, 0],
      [0, 1, 0],
      [1 / 3, 0, 2 / 3],
    ]);
  });

  it("leaves a class with zero support as a row of zeros, not NaN", () => {
    assert.deepEqual(
      normalizeConfusionRows([
        [2, 0],
        [0, 0],
      ]),
      [
        [1, 0],
        [0, 0],
      ],
    );
  });

  it("rejects non-square matrices and non-count entries", () => {
    assert.throws(() => normalizeConfusionRows([[1, 2]]), /must be square/);
    assert.throws(() => normalizeConfusionRows([]), /empty/);
    assert.throws(
      () =>
        normalizeConfusionRows([
          [1, -1],
          [0, 0],
        ]),
      /normalizeConfusionRows: confusion matrix entry \[0\]\[1\] must be an integer ≥ 0, got -1/,
    );
  });
});

describe("metrics: mostConfusedPairs", () => {
  const counts = [
    [5, 3, 1],
    [3, 4, 0],
    [0, 2, 6],
  ];

  it("lists non-zero off-diagonal cells, largest first, ties by true then predicted class", () => {
    // off-diagonal non-zero: [0][1]=3, [0][2]=1, [1][0]=3, [2][1]=2; the two 3s keep true-class order
    assert.deepEqual(mostConfusedPairs(counts), [
      { true: 0, predicted: 1, count: 3 },
      { true: 1, predicted: 0, count: 3 },
      { true: 2, predicted: 1, count: 2 },
      { true: 0, predicted: 2, count: 1 },
    ]);
  });

  it("stops at the limit", () => {
    assert.deepEqual(mostConfusedPairs(counts, 1), [{ true: 0, predicted: 1, count: 3 }]);
    assert.deepEqual(mostConfusedPairs(counts, 0), []);
  });

  it("is empty for a diagonal (perfect) matrix and rejects a bad limit", () => {
    assert.deepEqual(
      mostConfusedPairs([
        [4, 0],
        [0, 7],
      ]),
      [],
    );
    assert.throws(() => mostConfusedPairs(counts, -1), /limit/);
  });
});
