import { strict as assert } from "assert";
import { initBackend } from "../../lib/backend";
import { MlpClassifier } from "../../lib/models/scratch/mlp-classifier";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { KNeighborsClassifier } from "../../lib/models/neighbors/knn";
import { PCA } from "../../lib/preprocessing/pca";
import { Random } from "../../lib/random";
import { choice, logUniform } from "../../lib/tuning/distributions";
import { EarlyStopping } from "../../lib/tuning/early-stopping";
import { gridSearch } from "../../lib/tuning/grid-search";
import { Pipeline } from "../../lib/tuning/pipeline";
import { randomSearch, sampleCandidates } from "../../lib/tuning/random-search";
import { blobs } from "./helpers";

describe("tuning: grid and random search", function () {
  this.timeout(120000);
  before(() => initBackend());
  const data = blobs(240, 1);

  it("grid search tries every combination, one DataFrame row per trial, and refits the best", async () => {
    // A constant rate: the default cosine schedule would spend half of two epochs at small rates.
    const model = new SoftmaxRegression({ epochs: 2, batchSize: 16, schedule: "constant" });
    const result = await gridSearch(model, { learningRate: [1e-5, 1e-2], batchSize: [16, 32] }, data, {
      cv: 3,
      seed: 1,
    });
    assert.equal(result.trialsRun, 4);
    assert.deepEqual(
      result.trials.map((t) => t.params),
      [
        { learningRate: 1e-5, batchSize: 16 },
        { learningRate: 1e-5, batchSize: 32 },
        { learningRate: 1e-2, batchSize: 16 },
        { learningRate: 1e-2, batchSize: 32 },
      ],
    );
    for (const t of result.trials) {
      assert.equal(t.foldScores.length, 3);
      assert.ok(t.fitSeconds > 0 && t.stdScore >= 0);
    }
    // A learning rate of 1e-5 barely moves the weights in two epochs; 1e-2 learns the blobs.
    assert.equal(result.bestParams.learningRate, 1e-2);
    assert.ok(result.bestScore > 0.9, `best ${result.bestScore}`);
    const frame = result.toDataFrame();
    assert.equal(frame.values.length, 4);
    for (const column of ["trial", "learningRate", "batchSize", "meanScore", "stdScore", "fitSeconds"]) {
      assert.ok(frame.columns.includes(column), column);
    }
    const refitted = await result.refit();
    assert.notEqual(refitted, model, "the refit is a new model; the one given stays untouched");
    assert.equal((refitted.getParams() as { learningRate: number }).learningRate, 1e-2);
    assert.ok(refitted.score(data.x, data.y) > 0.9);
  });

  it("is reproducible: the same seed gives the same trials and the same scores", async () => {
    const run = () =>
      randomSearch(
        new SoftmaxRegression({ epochs: 2, seed: 3 }),
        { learningRate: logUniform(1e-4, 1e-1), batchSize: [16, 64] },
        data,
        {
          nTrials: 3,
          cv: 2,
          seed: 5,
        },
      );
    const [a, b] = [await run(), await run()];
    assert.deepEqual(
      a.trials.map((t) => t.params),
      b.trials.map((t) => t.params),
    );
    assert.deepEqual(
      a.trials.map((t) => t.foldScores),
      b.trials.map((t) => t.foldScores),
    );
    const other = sampleCandidates({ learningRate: logUniform(1e-4, 1e-1) }, 3, 6);
    assert.notDeepEqual(
      other,
      a.trials.map((t) => ({ learningRate: t.params.learningRate })),
    );
  });

  it("log-uniform draws spread evenly over the decades; choice draws every value", () => {
    const random = new Random(1);
    const dist = logUniform(1e-4, 1);
    const decades = new Array(4).fill(0);
    for (let i = 0; i < 4000; i++) {
      const v = dist.sample(random);
      assert.ok(v >= 1e-4 && v <= 1);
      decades[Math.min(3, Math.floor(Math.log10(v) + 4))]++;
    }
    for (const count of decades) assert.ok(Math.abs(count - 1000) < 120, `decade counts ${decades}`);
    const picked = new Set(Array.from({ length: 50 }, () => choice(["a", "b", "c"]).sample(random)));
    assert.equal(picked.size, 3);
  });

  it("early stopping ends a run once the validation loss stops improving and refits for the best epoch", async () => {
    const stopper = new EarlyStopping({ patience: 2 });
    const losses = [1, 0.5, 0.6, 0.4, 0.45, 0.5];
    const stops = losses.map((valLoss, i) =>
      stopper.observe({ epoch: i + 1, loss: 0, valLoss, valAccuracy: 1 - valLoss, seconds: 0 }),
    );
    assert.deepEqual(stops, [false, false, false, false, false, true]);
    assert.equal(stopper.best!.epoch, 4);

    // With random labels there is nothing to learn: the network memorises the training rows and the
    // validation loss rises from the first epochs, so the search stops each fit early.
    const noisy = blobs(120, 2);
    const random = new Random(9);
    noisy.y = noisy.y.map(() => random.int(3));
    const mlp = new MlpClassifier({
      hiddenSizes: [128],
      epochs: 40,
      learningRate: 0.01,
      batchSize: 8,
      dropout: 0,
    });
    const result = await gridSearch(mlp, { learningRate: [0.01] }, noisy, {
      cv: 2,
      earlyStopping: { patience: 2 },
    });
    const trial = result.trials[0];
    assert.ok(trial.bestEpoch !== undefined && trial.bestEpoch < 40, `best epoch ${trial.bestEpoch}`);
    assert.ok(mlp.history.length === 0, "the estimator given to the search is never fitted");
    assert.equal(result.bestParams.epochs, trial.bestEpoch);
  });

  it("a pipeline tunes the transformer and the classifier together, fitting PCA per fold", async () => {
    const pipeline = new Pipeline({
      transformerName: "pca",
      transformer: new PCA({ nComponents: 2 }),
      classifierName: "knn",
      classifier: new KNeighborsClassifier(),
    });
    const result = await gridSearch(pipeline, { "pca.nComponents": [1, 4], "knn.k": [1, 5] }, data, {
      cv: 2,
    });
    assert.equal(result.trialsRun, 4);
    assert.equal(
      result.bestParams["pca.nComponents"],
      4,
      "one component cannot separate three blobs as well as four",
    );
    assert.throws(
      () => pipeline.setParams({ "svm.alpha": 1 }),
      /unknown parameter "svm.alpha"; known parameters: pca.nComponents/,
    );
    assert.throws(
      () => pipeline.setParams({ "knn.kk": 1 }),
      /KNeighborsClassifier.*unknown option "kk".*known options: k, weights/,
    );
  });
});
