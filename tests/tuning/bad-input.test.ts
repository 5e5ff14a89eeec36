import { strict as assert } from "assert";
import { initBackend } from "../../lib/backend";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { intUniform, logUniform, uniform } from "../../lib/tuning/distributions";
import { gridSearch } from "../../lib/tuning/grid-search";
import { learningRateRangeTest } from "../../lib/tuning/lr-range-test";
import { randomSearch } from "../../lib/tuning/random-search";
import { successiveHalving } from "../../lib/tuning/successive-halving";
import { blobs, PlantedClassifier } from "./helpers";

describe("tuning: bad input fails with a clear error before any training", function () {
  this.timeout(30000);
  before(() => initBackend());
  beforeEach(() => (PlantedClassifier.fits = 0));
  afterEach(() => assert.equal(PlantedClassifier.fits, 0, "no model was trained"));
  const data = blobs(60, 1);
  const model = () => new PlantedClassifier();

  it("an empty grid, or a parameter with no values", async () => {
    await assert.rejects(gridSearch(model(), {}, data), /gridSearch: the parameter grid is empty/);
    await assert.rejects(gridSearch(model(), { noise: [] }, data), /parameter "noise" has no values/);
    await assert.rejects(randomSearch(model(), {}, data), /randomSearch: the search space is empty/);
    await assert.rejects(
      successiveHalving(model(), [], data, { resource: "epochs", minResource: 1 }),
      /no candidates/,
    );
  });

  it("a parameter the model does not have: names the model and lists its parameters", async () => {
    await assert.rejects(
      gridSearch(model(), { nois: [0.1] }, data),
      /gridSearch: PlantedClassifier.setParams: unknown option "nois" \(did you mean "noise"\?\); known options: noise, epochs, delayMs/,
    );
    await assert.rejects(
      randomSearch(new SoftmaxRegression(), { learningRat: logUniform(1e-3, 1e-1) }, data),
      /SoftmaxRegression.setParams: unknown option "learningRat".*known options: epochs, batchSize, learningRate/,
    );
    await assert.rejects(
      gridSearch(new SoftmaxRegression(), { learningRate: [-1] }, data),
      /learningRate must be a positive number, got -1/,
    );
  });

  it("a distribution with low > high", () => {
    assert.throws(
      () => logUniform(1e-1, 1e-3),
      /logUniform: low must be ≤ high, got low = 0.1 > high = 0.001/,
    );
    assert.throws(() => uniform(2, 1), /uniform: low must be ≤ high/);
    assert.throws(() => intUniform(5, 3), /intUniform: low must be ≤ high/);
    assert.throws(() => logUniform(0, 1), /logUniform: low must be a positive number, got 0/);
  });

  it("a budget of zero or less", async () => {
    for (const seconds of [0, -5]) {
      await assert.rejects(
        gridSearch(model(), { noise: [0.1] }, data, { timeBudgetSeconds: seconds }),
        /timeBudgetSeconds must be a positive number/,
      );
    }
    await assert.rejects(
      successiveHalving(model(), [{ noise: 0.1 }], data, { resource: "epochs", minResource: 0 }),
      /minResource must be a positive integer, got 0/,
    );
    await assert.rejects(
      successiveHalving(model(), [{ noise: 0.1 }, { noise: 0.2 }], data, {
        resource: "epochs",
        minResource: 4,
        maxResource: 2,
      }),
      /maxResource must be ≥ minResource/,
    );
    await assert.rejects(
      randomSearch(model(), { noise: uniform(0, 1) }, data, { nTrials: 0 }),
      /nTrials must be a positive integer/,
    );
  });

  it("k-fold with k larger than the smallest class", async () => {
    // 60 samples in 3 classes: 20 each.
    await assert.rejects(
      gridSearch(model(), { noise: [0.1] }, data, { cv: 21 }),
      /gridSearch: .*k = 21 folds, but class 0 has only 20 samples/,
    );
  });

  it("unknown search options, and data that is not a labelled matrix", async () => {
    await assert.rejects(
      gridSearch(model(), { noise: [0.1] }, data, { folds: 3 } as object),
      /unknown option "folds"/,
    );
    await assert.rejects(
      gridSearch(model(), { noise: [0.1] }, { x: data.x, y: data.y.subarray(1) }),
      /60 samples but 59 labels/,
    );
    await assert.rejects(
      learningRateRangeTest(new SoftmaxRegression(), data, { minRate: 1, maxRate: 0.1 }),
      /minRate must be < maxRate/,
    );
    await assert.rejects(
      learningRateRangeTest(model(), data),
      /needs a "learningRate" parameter; it has noise, epochs, delayMs/,
    );
  });
});
