import { strict as assert } from "assert";
import { classificationReport, formatClassificationReport } from "../../lib/metrics";
import { assertClose } from "./close";

describe("metrics: classificationReport", () => {
  // numClasses 5; class 4 occurs nowhere. Confusion matrix (rows true, columns predicted):
  //          p0 p1 p2 p3
  //   t0  [   3  1  0  0 ]   support 4
  //   t1  [   0  2  0  0 ]   support 2
  //   t2  [   0  1  0  1 ]   support 2
  //   t3  [   0  0  0  0 ]   support 0
  //   predicted:  3  4  0  1
  const yTrue = Uint8Array.of(0, 0, 0, 0, 1, 1, 2, 2);
  const yPred = Uint8Array.of(0, 0, 0, 1, 1, 1, 1, 3);
  const report = classificationReport(yTrue, yPred, 5);

  it("computes per-class precision, recall, F1 and support", () => {
    const [c0, c1, c2, c3] = report.classes;
    // class 0: P = 3/3 = 1, R = 3/4, F1 = 2·1·0.75 / 1.75 = 6/7
    assert.deepEqual([c0.label, c0.precision, c0.recall, c0.support], [0, 1, 0.75, 4]);
    assertClose(c0.f1, 6 / 7);
    // class 1: P = 2/4 = 0.5, R = 2/2 = 1, F1 = 2·0.5·1 / 1.5 = 2/3
    assert.deepEqual([c1.label, c1.precision, c1.recall, c1.support], [1, 0.5, 1, 2]);
    assertClose(c1.f1, 2 / 3);
    // class 2 is never predicted: P = 0/0 → 0 (zero_division=0), R = 0/2 = 0, F1 = 0
    assert.deepEqual(c2, { label: 2, precision: 0, recall: 0, f1: 0, support: 2 });
    // class 3 has zero support but is predicted once: P = 0/1 = 0, R = 0/0 → 0, F1 = 0
    assert.deepEqual(c3, { label: 3, precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it("leaves out a class that occurs in neither yTrue nor yPred", () => {
    assert.deepEqual(
      report.classes.map((m) => m.label),
      [0, 1, 2, 3],
    );
  });

  it("computes accuracy, macro and weighted averages", () => {
    assert.equal(report.accuracy, 5 / 8); // diagonal 3 + 2 over 8 samples
    // macro over classes 0..3: P = (1 + 0.5 + 0 + 0)/4 = 0.375, R = (0.75 + 1)/4 = 0.4375,
    // F1 = (6/7 + 2/3)/4 = (32/21)/4 = 8/21
    assertClose(report.macroAvg.precision, 0.375);
    assertClose(report.macroAvg.recall, 0.4375);
    assertClose(report.macroAvg.f1, 8 / 21);
    assert.equal(report.macroAvg.support, 8);
    // weighted by supports 4, 2, 2, 0 (total 8): P = (4·1 + 2·0.5)/8 = 5/8, R = (4·0.75 + 2·1)/8 = 5/8,
    // F1 = (4·6/7 + 2·2/3)/8 = (100/21)/8 = 25/42
    assertClose(report.weightedAvg.precision, 5 / 8);
    assertClose(report.weightedAvg.recall, 5 / 8);
    assertClose(report.weightedAvg.f1, 25 / 42);
    assert.equal(report.weightedAvg.support, 8);
  });

  it("has weighted recall equal to accuracy (Σ support·TP/support / n = Σ TP / n)", () => {
    assertClose(report.weightedAvg.recall, report.accuracy);
  });

  it("gives 1 everywhere for perfect predictions", () => {
    const y = Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 0);
    const perfect = classificationReport(y, y);
    assert.equal(perfect.classes.length, 10);
    assert.ok(perfect.classes.every((m) => m.precision === 1 && m.recall === 1 && m.f1 === 1));
    assert.deepEqual(perfect.macroAvg, { precision: 1, recall: 1, f1: 1, support: 12 });
    assert.equal(perfect.accuracy, 1);
  });

  it("rejects mismatched inputs", () => {
    assert.throws(() => classificationReport(Uint8Array.of(0, 1), Uint8Array.of(0)), RangeError);
  });
});

describe("metrics: formatClassificationReport", () => {
  it("lays the report out like scikit-learn's text table", () => {
    const report = classificationReport(
      Uint8Array.of(0, 0, 0, 0, 1, 1, 2, 2),
      Uint8Array.of(0, 0, 0, 1, 1, 1, 1, 3),
      5,
    );
    // Values from the classificationReport test above; toFixed rounds the exact tie 0.625 up to 0.63.
    const expected = [
      "              precision    recall  f1-score   support",
      "",
      "           0       1.00      0.75      0.86         4",
      "           1       0.50      1.00      0.67         2",
      "           2       0.00      0.00      0.00         2",
      "           3       0.00      0.00      0.00         0",
      "",
      "    accuracy                           0.63         8",
      "   macro avg       0.38      0.44      0.38         8",
      "weighted avg       0.63      0.63      0.60         8",
      "",
    ].join("\n");
    assert.equal(formatClassificationReport(report), expected);
  });

  it("honours digits and rejects invalid values", () => {
    const report = classificationReport(Uint8Array.of(0, 1), Uint8Array.of(0, 0), 2);
    // class 0: P = 1/2, R = 1/1, F1 = 2/3
    assert.match(formatClassificationReport(report, 4), /^ {11}0 {5}0\.5000 {4}1\.0000 {4}0\.6667 {9}1$/m);
    assert.throws(() => formatClassificationReport(report, -1), /digits/);
  });
});
