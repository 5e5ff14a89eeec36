import { strict as assert } from "assert";
import { stratifiedKFold } from "../../lib/tuning/stratified-kfold";
import { stratifiedSplit, stratifiedSubset } from "../../lib/tuning/stratified-split";
import { Random } from "../../lib/random";

/** Labels with unequal classes: class c has 20 + 7c samples, shuffled. */
function unevenLabels(seed = 3): Uint8Array {
  const labels: number[] = [];
  for (let c = 0; c < 10; c++) for (let i = 0; i < 20 + 7 * c; i++) labels.push(c);
  return new Random(seed).shuffle(Uint8Array.from(labels));
}

function classShare(y: Uint8Array, rows: ArrayLike<number>): number[] {
  const counts = new Array(10).fill(0);
  for (let i = 0; i < rows.length; i++) counts[y[rows[i]]]++;
  return counts.map((c) => c / rows.length);
}

describe("tuning: stratified splits", () => {
  const y = unevenLabels();
  const overall = classShare(y, Array.from(y.keys()));

  it("a train/validation split is disjoint, covers every row and keeps class proportions", () => {
    const { train, validation } = stratifiedSplit(y, 0.2, 1);
    assert.equal(train.length + validation.length, y.length);
    assert.equal(new Set([...train, ...validation]).size, y.length);
    assert.ok(Math.abs(validation.length / y.length - 0.2) < 0.02);
    classShare(y, validation).forEach((share, c) =>
      assert.ok(Math.abs(share - overall[c]) < 0.01, `class ${c}`),
    );
  });

  it("k-fold validation parts are disjoint, cover every row once, and are stratified", () => {
    const folds = stratifiedKFold(y, 5, 2);
    const seen = new Int32Array(y.length);
    for (const { train, validation } of folds) {
      for (const r of validation) seen[r]++;
      const inTrain = new Set(train);
      for (const r of validation) assert.ok(!inTrain.has(r), "a validation row is also a training row");
      assert.equal(train.length + validation.length, y.length);
      classShare(y, validation).forEach((share, c) =>
        assert.ok(Math.abs(share - overall[c]) < 0.02, `class ${c}`),
      );
    }
    assert.ok(
      seen.every((n) => n === 1),
      "every row is validated exactly once",
    );
    const sizes = folds.map((f) => f.validation.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
  });

  it("the same seed gives the same splits, another seed different ones", () => {
    assert.deepEqual(stratifiedSplit(y, 0.25, 7), stratifiedSplit(y, 0.25, 7));
    assert.deepEqual(stratifiedKFold(y, 3, 7), stratifiedKFold(y, 3, 7));
    assert.notDeepEqual(stratifiedSplit(y, 0.25, 7).validation, stratifiedSplit(y, 0.25, 8).validation);
  });

  it("a stratified subset keeps the class proportions and stays inside its pool", () => {
    const pool = stratifiedSplit(y, 0.5, 0).train;
    const subset = stratifiedSubset(y, pool, 100, 4);
    assert.equal(subset.length, 100);
    const inPool = new Set(pool);
    assert.ok([...subset].every((r) => inPool.has(r)));
    const poolShare = classShare(y, pool);
    classShare(y, subset).forEach((share, c) =>
      assert.ok(Math.abs(share - poolShare[c]) <= 0.011, `class ${c}`),
    );
  });

  it("k larger than the smallest class is an error naming the class", () => {
    const small = Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2]);
    assert.throws(() => stratifiedKFold(small, 4), /k = 4 folds, but class 1 has only 3 samples/);
    assert.equal(stratifiedKFold(small, 3).length, 3);
    assert.throws(() => stratifiedKFold(small, 1), /k must be/);
    assert.throws(() => stratifiedSplit(small, 1.5), /validationFraction/);
  });
});
