import { strict as assert } from "assert";
import { rocAuc, rocAucOneVsRest, rocCurve, rocCurveOneVsRest, type RocCurve } from "../../lib/metrics";
import { Random } from "../../lib/random";
import { assertClose, probabilityRows } from "./close";

/** Area under the curve's points by the trapezoid rule. */
function trapezoidArea(curve: RocCurve): number {
  let area = 0;
  for (let i = 1; i < curve.fpr.length; i++) {
    area += ((curve.fpr[i] - curve.fpr[i - 1]) * (curve.tpr[i] + curve.tpr[i - 1])) / 2;
  }
  return area;
}

describe("metrics: rocCurve and rocAuc (binary)", () => {
  // positives score 0.9, 0.7; negatives 0.8, 0.1
  const isPositive = [true, false, true, false];
  const scores = [0.9, 0.8, 0.7, 0.1];

  it("steps through every distinct score from the highest down", () => {
    // τ = 0.9: TP 1, FP 0 · τ = 0.8: TP 1, FP 1 · τ = 0.7: TP 2, FP 1 · τ = 0.1: TP 2, FP 2
    assert.deepEqual(rocCurve(isPositive, scores), {
      fpr: [0, 0, 0.5, 0.5, 1],
      tpr: [0, 0.5, 0.5, 1, 1],
      thresholds: [Infinity, 0.9, 0.8, 0.7, 0.1],
    });
  });

  it("computes AUC as the fraction of correctly ordered positive-negative pairs", () => {
    // pairs: 0.9>0.8 ✓, 0.9>0.1 ✓, 0.7>0.8 ✗, 0.7>0.1 ✓ → 3/4
    // ranks: 0.1→1, 0.7→2, 0.8→3, 0.9→4; R₊ = 2 + 4 = 6; (6 − 2·3/2) / (2·2) = 0.75
    assert.equal(rocAuc(isPositive, scores), 0.75);
    assertClose(trapezoidArea(rocCurve(isPositive, scores)), 0.75);
  });

  it("counts a tie between a positive and a negative as half, whatever the input order", () => {
    // one positive and one negative with the same score: the single pair is a tie → 0.5
    assert.equal(rocAuc([true, false], [0.5, 0.5]), 0.5);
    assert.equal(rocAuc([false, true], [0.5, 0.5]), 0.5);
    // positives 0.5, 0.5; negatives 0.5, 0.1 → pairs ½ + 1 + ½ + 1 = 3 of 4
    // ranks: 0.1→1, the three 0.5s share (2+3+4)/3 = 3; R₊ = 3 + 3 = 6; (6 − 3)/4 = 0.75
    assert.equal(rocAuc([true, false, true, false], [0.5, 0.5, 0.5, 0.1]), 0.75);
    assert.equal(rocAuc([false, true, true, false], [0.5, 0.5, 0.5, 0.1]), 0.75);
  });

  it("crosses tied scores in one diagonal step", () => {
    // τ = 0.5 admits both positives and the negative at once: (fpr, tpr) jumps from (0, 0) to (0.5, 1)
    const curve = rocCurve([true, false, true, false], [0.5, 0.5, 0.5, 0.1]);
    assert.deepEqual(curve, { fpr: [0, 0.5, 1], tpr: [0, 1, 1], thresholds: [Infinity, 0.5, 0.1] });
    assertClose(trapezoidArea(curve), 0.75);
  });

  it("is 1 for perfectly separated scores and 0 for perfectly reversed ones", () => {
    assert.equal(rocAuc([true, true, false], [0.9, 0.8, 0.1]), 1);
    assert.equal(rocAuc([false, false, true], [0.9, 0.8, 0.1]), 0);
  });

  it("matches the trapezoid area of its curve on many tied scores", () => {
    const random = new Random(7);
    const isPositive = Array.from({ length: 300 }, () => random.next() < 0.4);
    // scores rounded to tenths, so there are many ties, and positives score higher on average
    const scores = isPositive.map((positive) => Math.round((random.next() + (positive ? 0.3 : 0)) * 10) / 10);
    assertClose(rocAuc(isPositive, scores), trapezoidArea(rocCurve(isPositive, scores)), 1e-12);
  });

  it("rejects inputs without both classes, mismatched lengths and non-finite scores", () => {
    assert.throws(() => rocAuc([true, true], [0.1, 0.2]), /both positive and negative/);
    assert.throws(() => rocCurve([true, false], [0.1]), /2 labels but 1 scores/);
    assert.throws(() => rocAuc([], []), /no samples/);
    assert.throws(
      () => rocAuc([true, false], [NaN, 0.2]),
      /rocAuc: scores holds NaN at index 0; values must be finite numbers/,
    );
  });
});

describe("metrics: one-vs-rest ROC", () => {
  const yTrue = Uint8Array.of(0, 1, 2, 0);
  const probabilities = probabilityRows([
    [0.5, 0.25, 0.25],
    [0.25, 0.5, 0.25],
    [0.5, 0.25, 0.25],
    [0.25, 0.25, 0.5],
  ]);

  it("scores each class against the rest with ties averaged, and macro-averages", () => {
    // class 0: column [0.5, 0.25, 0.5, 0.25]; positives rows 0, 3 → 0.5, 0.25; negatives rows 1, 2 → 0.25, 0.5
    //   pairs: 0.5 vs 0.25 → 1, 0.5 vs 0.5 → ½, 0.25 vs 0.25 → ½, 0.25 vs 0.5 → 0 → 2/4
    // class 1: column [0.25, 0.5, 0.25, 0.25]; positive 0.5 beats all three negatives → 1
    // class 2: column [0.25, 0.25, 0.25, 0.5]; positive row 2 = 0.25 vs 0.25, 0.25, 0.5 → ½ + ½ + 0 = 1/3
    // macro = (0.5 + 1 + 1/3) / 3 = 11/18
    const { perClass, macro } = rocAucOneVsRest(yTrue, probabilities, 3);
    assertClose(perClass[0], 0.5);
    assertClose(perClass[1], 1);
    assertClose(perClass[2], 1 / 3);
    assertClose(macro, 11 / 18);
  });

  it("gives NaN for a class without samples and leaves it out of the macro average", () => {
    // class 0 column [0.75, 0.25, 0.5, 0.5]: positives 0.75, 0.5 vs negatives 0.25, 0.5 → 1 + 1 + 1 + ½ = 3.5/4
    // class 1 column [0.25, 0.75, 0.5, 0.25]: positives 0.75, 0.25 vs negatives 0.25, 0.5 → 1 + 1 + ½ + 0 = 2.5/4
    const result = rocAucOneVsRest(
      Uint8Array.of(0, 1, 0, 1),
      probabilityRows([
        [0.75, 0.25, 0],
        [0.25, 0.75, 0],
        [0.5, 0.5, 0],
        [0.5, 0.25, 0.25],
      ]),
      3,
    );
    assert.deepEqual(result.perClass, [0.875, 0.625, NaN]);
    assert.equal(result.macro, (0.875 + 0.625) / 2);
  });

  it("is 1 for every class on one-hot perfect predictions", () => {
    const y = Uint8Array.of(0, 1, 2, 2, 1, 0);
    const oneHot = probabilityRows(Array.from(y, (label) => [0, 1, 2].map((c) => (c === label ? 1 : 0))));
    assert.deepEqual(rocAucOneVsRest(y, oneHot, 3), { perClass: [1, 1, 1], macro: 1 });
  });

  it("builds the curve of one class from its probability column", () => {
    // class 1 column [0.25, 0.5, 0.25, 0.25], positive only row 1
    assert.deepEqual(rocCurveOneVsRest(yTrue, probabilities, 1, 3), {
      fpr: [0, 0, 1],
      tpr: [0, 1, 1],
      thresholds: [Infinity, 0.5, 0.25],
    });
    assert.throws(() => rocCurveOneVsRest(yTrue, probabilities, 3, 3), /positiveClass/);
  });
});
