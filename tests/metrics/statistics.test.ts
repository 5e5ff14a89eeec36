import { strict as assert } from "assert";
import { bootstrapAccuracyInterval, mcnemarTest } from "../../lib/metrics";
import { assertClose } from "./close";

/** n labels of class 0, predicted correctly for the first `correct` of them and as class 1 after that. */
function predictionsWithAccuracy(n: number, correct: number): { yTrue: Uint8Array; yPred: Uint8Array } {
  return { yTrue: new Uint8Array(n), yPred: Uint8Array.from({ length: n }, (_, i) => (i < correct ? 0 : 1)) };
}

describe("metrics: bootstrapAccuracyInterval", () => {
  const { yTrue, yPred } = predictionsWithAccuracy(400, 320); // accuracy 0.8

  it("is reproducible for a seed and brackets the point estimate", () => {
    const first = bootstrapAccuracyInterval(yTrue, yPred, { seed: 42 });
    const second = bootstrapAccuracyInterval(yTrue, yPred, { seed: 42 });
    assert.deepEqual(first, second);
    assert.equal(first.estimate, 0.8);
    assert.equal(first.level, 0.95);
    assert.ok(first.lower <= first.estimate && first.estimate <= first.upper, JSON.stringify(first));
  });

  it("changes with the seed", () => {
    const a = bootstrapAccuracyInterval(yTrue, yPred, { seed: 1 });
    const b = bootstrapAccuracyInterval(yTrue, yPred, { seed: 2 });
    assert.notDeepEqual([a.lower, a.upper], [b.lower, b.upper]);
  });

  it("agrees with the normal approximation for a large sample", () => {
    // standard error √(0.8·0.2/400) = 0.02, so a 95% interval is about 0.8 ± 1.96·0.02 = [0.761, 0.839]
    const { lower, upper } = bootstrapAccuracyInterval(yTrue, yPred, { resamples: 2000, seed: 3 });
    assertClose(lower, 0.761, 0.01, "lower");
    assertClose(upper, 0.839, 0.01, "upper");
  });

  it("narrows with the level: the same resamples give nested intervals", () => {
    const wide = bootstrapAccuracyInterval(yTrue, yPred, { level: 0.95, seed: 5 });
    const narrow = bootstrapAccuracyInterval(yTrue, yPred, { level: 0.5, seed: 5 });
    assert.ok(wide.lower <= narrow.lower && narrow.upper <= wide.upper);
    assert.ok(narrow.lower < narrow.upper);
  });

  it("collapses to a point when every prediction is right, or every one wrong", () => {
    const right = predictionsWithAccuracy(50, 50);
    assert.deepEqual(bootstrapAccuracyInterval(right.yTrue, right.yPred), {
      estimate: 1,
      lower: 1,
      upper: 1,
      level: 0.95,
    });
    const wrong = predictionsWithAccuracy(50, 0);
    assert.deepEqual(bootstrapAccuracyInterval(wrong.yTrue, wrong.yPred), {
      estimate: 0,
      lower: 0,
      upper: 0,
      level: 0.95,
    });
  });

  it("rejects bad options and mismatched labels", () => {
    assert.throws(() => bootstrapAccuracyInterval(yTrue, yPred, { resamples: 0 }), /resamples/);
    assert.throws(() => bootstrapAccuracyInterval(yTrue, yPred, { level: 1 }), /level/);
    // Seeds are checked like everywhere else: 1.9 would have drawn the resamples of seed 1.
    assert.throws(
      () => bootstrapAccuracyInterval(yTrue, yPred, { seed: 1.9 }),
      /bootstrapAccuracyInterval: seed must be an integer in 0\.\.4294967295, got 1.9/,
    );
    const misspelled = { resample: 10 } as unknown as { resamples: number };
    assert.throws(
      () => bootstrapAccuracyInterval(yTrue, yPred, misspelled),
      /unknown option "resample" \(did you mean "resamples"\?\)/,
    );
    assert.throws(() => bootstrapAccuracyInterval(yTrue, yPred.subarray(1)), /400 labels but yPred has 399/);
  });
});

/**
 * Predictions for two models on samples of class 0: `b` samples only A gets right, `c` only B gets right,
 * plus samples both get right and both get wrong, which McNemar's test must ignore.
 */
function disagreements(b: number, c: number): { yTrue: Uint8Array; predA: Uint8Array; predB: Uint8Array } {
  const pairs: [number, number][] = [
    ...Array.from({ length: b }, (): [number, number] => [0, 1]),
    ...Array.from({ length: c }, (): [number, number] => [1, 0]),
    ...Array.from({ length: 7 }, (): [number, number] => [0, 0]), // both right
    ...Array.from({ length: 3 }, (): [number, number] => [1, 2]), // both wrong
  ];
  return {
    yTrue: new Uint8Array(pairs.length),
    predA: Uint8Array.from(pairs, ([a]) => a),
    predB: Uint8Array.from(pairs, ([, bPred]) => bPred),
  };
}

describe("metrics: mcnemarTest", () => {
  it("counts only the disagreements and uses the exact binomial p-value when b + c is small", () => {
    const { yTrue, predA, predB } = disagreements(10, 2);
    const result = mcnemarTest(yTrue, predA, predB);
    // statistic = (|10 − 2| − 1)² / 12 = 49/12
    // p = 2 · P(X ≤ 2), X ~ Bin(12, ½) = 2 · (1 + 12 + 66) / 4096 = 158/4096 = 0.03857421875
    assert.deepEqual([result.b, result.c, result.exact], [10, 2, true]);
    assertClose(result.statistic, 49 / 12);
    assertClose(result.pValue, 158 / 4096, 1e-12);
  });

  it("uses the χ² distribution with 1 degree of freedom when b + c is large enough", () => {
    // b + c = 30 ≥ 25: statistic = (|25 − 5| − 1)² / 30 = 361/30, p = erfc(√(361/60)) = 0.000522575
    const { yTrue, predA, predB } = disagreements(25, 5);
    const result = mcnemarTest(yTrue, predA, predB);
    assert.equal(result.exact, false);
    assertClose(result.statistic, 361 / 30);
    assertClose(result.pValue, 0.0005225753951242474, 1e-9);
    // same counts as the exact case above, forced onto χ²: p = erfc(√(49/24)) = 0.0433081
    const small = disagreements(10, 2);
    const forced = mcnemarTest(small.yTrue, small.predA, small.predB, { exactBelow: 0 });
    assertClose(forced.pValue, 0.04330814281079198, 1e-7);
  });

  it("gives statistic 0 and p = 1 when b = c, by either method", () => {
    // exact: 2 · P(X ≤ 3), X ~ Bin(6, ½) = 2 · 42/64 > 1 → capped at 1
    const { yTrue, predA, predB } = disagreements(3, 3);
    assert.deepEqual(mcnemarTest(yTrue, predA, predB), { b: 3, c: 3, statistic: 0, pValue: 1, exact: true });
    // χ²: max(0, |3 − 3| − 1)² / 6 = 0, not (0 − 1)²/6 = 1/6
    assert.deepEqual(mcnemarTest(yTrue, predA, predB, { exactBelow: 0 }), {
      b: 3,
      c: 3,
      statistic: 0,
      pValue: 1,
      exact: false,
    });
  });

  it("gives p = 1 when the models never disagree", () => {
    const { yTrue, predA, predB } = disagreements(0, 0);
    assert.deepEqual(mcnemarTest(yTrue, predA, predB), { b: 0, c: 0, statistic: 0, pValue: 1, exact: true });
  });

  it("is symmetric: swapping the models swaps b and c and keeps the p-value", () => {
    const { yTrue, predA, predB } = disagreements(9, 4);
    const ab = mcnemarTest(yTrue, predA, predB);
    const ba = mcnemarTest(yTrue, predB, predA);
    assert.deepEqual([ba.b, ba.c, ba.statistic, ba.pValue], [ab.c, ab.b, ab.statistic, ab.pValue]);
  });

  it("rejects predictions of different lengths", () => {
    const { yTrue, predA, predB } = disagreements(2, 1);
    assert.throws(() => mcnemarTest(yTrue, predA, predB.subarray(1)), /predB has/);
  });
});
