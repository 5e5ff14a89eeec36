import { strict as assert } from "assert";
import { makeDataset } from "../../lib/data/dataset";
import { matrix, type Matrix } from "../../lib/matrix";
import { type Classifier } from "../../lib/models/estimator";
import { PCA } from "../../lib/preprocessing";
import { Random } from "../../lib/random";
import {
  compareVariants,
  componentsForVariance,
  cumulativeRatio,
  headRows,
  histogram,
  mapDataset,
  meanSquaredError,
  reconstruct,
} from "../../lib/experiments/preprocessing-study";

describe("preprocessing study helpers", () => {
  it("histogram counts values into equal bins, the top edge in the last bin, and counts the rest as outside", () => {
    const h = histogram([0, 0.1, 0.5, 0.99, 1, -0.1, 2, NaN], 4, 0, 1);
    assert.deepEqual(h.counts, [2, 0, 1, 2]);
    assert.equal(h.outside, 3);
    assert.deepEqual(h.edges, [0, 0.25, 0.5, 0.75]);
    assert.deepEqual(h.centers, [0.125, 0.375, 0.625, 0.875]);
    assert.throws(() => histogram([1], 0, 0, 1), /bins must be a positive integer/);
    assert.throws(() => histogram([1], 2, 1, 1), /histogram: high must be a finite number > 1, got 1/);
  });

  it("componentsForVariance finds the fewest leading components reaching each share", () => {
    const ratios = [0.5, 0.3, 0.15, 0.05];
    assert.deepEqual(
      cumulativeRatio(ratios).map((c) => +c.toFixed(10)),
      [0.5, 0.8, 0.95, 1],
    );
    assert.deepEqual(componentsForVariance(ratios, [0.5, 0.6, 0.95, 1]), [1, 2, 3, 4]);
    assert.deepEqual(componentsForVariance([0.5, 0.2], [0.9]), [null]);
    assert.throws(
      () => componentsForVariance(ratios, [0]),
      /componentsForVariance: each threshold must be a number in \(0, 1\], got 0/,
    );
  });

  it("reconstruct with every component is exact, and the error shrinks as components are added", () => {
    const random = new Random(3);
    const rows = 60;
    const cols = 6;
    const data = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const a = random.normal(0, 3);
      const b = random.normal(0, 1);
      for (let c = 0; c < cols; c++)
        data[r * cols + c] = a * (c + 1) * 0.3 + b * (c % 2 ? 1 : -1) + random.normal(0, 0.1);
    }
    const x = matrix(data, rows, cols);
    const pca = new PCA({ nComponents: cols }).fit(x);
    const errors = [0, 1, 2, cols].map((k) => meanSquaredError(reconstruct(pca, x, k), x));
    for (let i = 1; i < errors.length; i++)
      assert.ok(errors[i] < errors[i - 1], `error falls with more components: ${errors}`);
    assert.ok(
      errors[errors.length - 1] < 1e-8,
      `full reconstruction is exact (mse ${errors[errors.length - 1]})`,
    );
    // Two planted directions carry almost all the variance.
    assert.ok(errors[2] < 0.02 * errors[0]);
    assert.throws(
      () => reconstruct(pca, x, cols + 1),
      /reconstruct: k \(at most the fitted components\) must be an integer in 0\.\.6/,
    );
  });

  it("meanSquaredError checks shapes", () => {
    assert.equal(
      meanSquaredError(matrix(new Float32Array([1, 2]), 1, 2), matrix(new Float32Array([1, 4]), 1, 2)),
      2,
    );
    assert.throws(
      () => meanSquaredError(matrix(new Float32Array(2), 1, 2), matrix(new Float32Array(2), 2, 1)),
      /differ/,
    );
  });

  it("mapDataset applies an image function to every image without touching the original", () => {
    const ds = makeDataset(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), Uint8Array.from([0, 1]), 2, 2);
    const flipped = mapDataset(ds, (image) => image.slice().reverse());
    assert.deepEqual(Array.from(flipped.images), [4, 3, 2, 1, 8, 7, 6, 5]);
    assert.deepEqual(Array.from(ds.images), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(flipped.labels, ds.labels);
    assert.equal(flipped.count, 2);
  });

  it("headRows is a view of the first rows", () => {
    const x = matrix(Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 2);
    assert.deepEqual(Array.from(headRows(x, 2).data), [1, 2, 3, 4]);
    assert.equal(headRows(x, 10).rows, 3);
  });

  it("compareVariants scores each variant and records failures instead of stopping", async () => {
    const x = matrix(Float32Array.from([0, 1, 1, 0]), 2, 2);
    const y = Uint8Array.from([0, 1]);
    const fake = (fail: boolean): Classifier => ({
      name: "fake",
      implementation: "scratch",
      history: [{ epoch: 1, loss: 0.5, seconds: 0 }],
      async fit() {
        if (fail) throw new Error("diverged");
        return this;
      },
      predictProba: () => new Float32Array(20),
      predict: () => Uint8Array.from([0, 0]),
      score: () => 0.5,
      getParams: () => ({}),
      setParams() {
        return this;
      },
      clone() {
        return this;
      },
    });
    const results = await compareVariants(
      [
        { name: "good", train: x, validation: x },
        { name: "bad", train: x, validation: x },
      ],
      y,
      y,
      (variant) => fake(variant.name === "bad"),
    );
    assert.equal(results[0].accuracy, 0.5);
    assert.equal(results[0].features, 2);
    assert.equal(results[0].error, undefined);
    assert.ok(Number.isNaN(results[1].accuracy));
    assert.equal(results[1].error, "diverged");
  });

  it("compareVariants makes a variant's training rows from its function when it fits it, once per run of variants", async () => {
    const y = Uint8Array.from([0, 1, 0]);
    const validation = matrix(Float32Array.from([0, 1, 1, 0]), 2, 2);
    const fitted: Matrix[] = [];
    let made = 0;
    const recorder = (): Classifier =>
      ({
        name: "recorder",
        history: [],
        async fit(x: Matrix) {
          fitted.push(x);
          return this;
        },
        score: () => 1,
      }) as unknown as Classifier;
    const lazy = () => {
      made++;
      return matrix(new Float32Array(3 * 4).fill(made), 3, 4);
    };
    const other = () => matrix(new Float32Array(3 * 2), 3, 2);
    const variants = [
      { name: "lazy", train: lazy, validation },
      { name: "lazy, another model", train: lazy, validation },
      { name: "other", train: other, validation },
      { name: "lazy again", train: lazy, validation },
    ];
    assert.equal(made, 0);
    const results = await compareVariants(variants, y, Uint8Array.from([0, 1]), recorder);
    // The first two share one matrix; after another variant's, it is made again.
    assert.equal(made, 2);
    assert.strictEqual(fitted[1], fitted[0]);
    assert.deepEqual(Array.from(fitted[0].data), new Array(12).fill(1));
    assert.deepEqual(Array.from(fitted[3].data), new Array(12).fill(2));
    assert.deepEqual(
      results.map((r) => [r.features, r.trainRows]),
      [
        [4, 3],
        [4, 3],
        [2, 3],
        [4, 3],
      ],
    );
  });
});
