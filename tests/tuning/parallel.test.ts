import { strict as assert } from "assert";
import * as os from "os";
import { getKernels } from "../../lib/kernels";
import { KNeighborsClassifier } from "../../lib/models/neighbors/knn";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { LinearSvmClassifier } from "../../lib/models/svm/linear-svm";
import { TfSoftmaxRegression } from "../../lib/models/tfjs/softmax-regression";
import { PCA } from "../../lib/preprocessing/pca";
import { gridSearch } from "../../lib/tuning/grid-search";
import { Pipeline } from "../../lib/tuning/pipeline";
import { randomSearch } from "../../lib/tuning/random-search";
import { resolveSearchOptions } from "../../lib/tuning/search-options";
import { logUniform } from "../../lib/tuning/distributions";
import type { SearchResult } from "../../lib/tuning/search-result";
import { blobs } from "./helpers";

/** What must not depend on where the trials ran: the order, the parameters and every fold's score. */
function outcome(result: SearchResult) {
  return result.trials.map((t) => ({ candidate: t.candidate, params: t.params, folds: t.foldScores }));
}

describe("tuning: parallel trials in worker threads", function () {
  this.timeout(120000);
  const data = blobs(600, 4, 10);
  // Workers run each model on single-threaded kernels; the serial run uses the same, so sums add up
  // in the same order and the scores must match to the bit.
  const oneThread = getKernels({ threads: 1 });

  it("a grid search of the linear SVM gives the serial run's trials, scores and winner", async () => {
    const svm = new LinearSvmClassifier({ epochs: 3, kernels: oneThread, seed: 5 });
    const grid = { alpha: [1e-5, 1e-3, 1e-1, 10] };
    const serial = await gridSearch(svm, grid, data, { cv: 3, seed: 2 });
    const parallel = await gridSearch(svm, grid, data, { cv: 3, seed: 2, parallel: 2 });
    assert.deepEqual(outcome(parallel), outcome(serial));
    assert.deepEqual(parallel.bestParams, serial.bestParams);
    // The grid is not flat: alpha = 10 regularises the weights away.
    assert.ok(serial.trials[3].meanScore < serial.trials[0].meanScore);
  });

  it("a random search of a PCA → k-NN pipeline and of softmax regression with early stopping, too", async () => {
    const knn = new Pipeline({
      transformerName: "pca",
      transformer: new PCA({ nComponents: 4, kernels: oneThread }),
      classifierName: "knn",
      classifier: new KNeighborsClassifier({ kernels: oneThread }),
    });
    const grid = { "pca.nComponents": [2, 6], "knn.k": [1, 7] };
    const serialKnn = await gridSearch(knn, grid, data, { cv: 2, seed: 1 });
    const parallelKnn = await gridSearch(knn, grid, data, { cv: 2, seed: 1, parallel: true });
    assert.deepEqual(outcome(parallelKnn), outcome(serialKnn));

    const softmax = new SoftmaxRegression({ epochs: 8, batchSize: 32, kernels: oneThread });
    const space = { learningRate: logUniform(1e-4, 1e-1) };
    const options = { nTrials: 4, cv: 2, seed: 3, earlyStopping: { patience: 1 } };
    const serial = await randomSearch(softmax, space, data, options);
    const parallel = await randomSearch(softmax, space, data, { ...options, parallel: 2 });
    assert.deepEqual(outcome(parallel), outcome(serial));
    assert.deepEqual(
      parallel.trials.map((t) => t.bestEpoch),
      serial.trials.map((t) => t.bestEpoch),
    );
  });

  it("keeps the time budget: trials the deadline passes are dropped, and the search says so", async () => {
    const svm = new LinearSvmClassifier({ epochs: 40, kernels: oneThread });
    const grid = { alpha: [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1] };
    const started = Date.now();
    const result = await gridSearch(svm, grid, data, { cv: 3, parallel: 2, timeBudgetSeconds: 0.05 });
    assert.equal(result.summary.stoppedByBudget, true);
    assert.ok(result.trialsRun < 6, `${result.trialsRun} trials ran`);
    // Queued fits past the deadline return at once instead of training 40 epochs each.
    assert.ok(Date.now() - started < 30000);
  });

  it("never more worker threads than cores", () => {
    const cores = os.availableParallelism();
    assert.equal(resolveSearchOptions("s", { parallel: true }).workers, cores);
    assert.equal(resolveSearchOptions("s", { parallel: 1000 }).workers, cores);
    assert.equal(resolveSearchOptions("s", { parallel: 1 }).workers, 1);
    assert.equal(resolveSearchOptions("s", {}).workers, 0);
  });

  it("refuses, before any training, what cannot run in a worker", async () => {
    await assert.rejects(
      gridSearch(new TfSoftmaxRegression(), { learningRate: [0.1] }, data, { parallel: 2 }),
      /gridSearch: parallel trials cannot run TfSoftmaxRegression in a worker thread; they can run .*LinearSvmClassifier/,
    );
    const custom = new SoftmaxRegression({ schedule: (base) => base });
    await assert.rejects(
      gridSearch(custom, { learningRate: [0.1] }, data, { parallel: 2 }),
      /gridSearch: parallel trials send parameters to worker threads as data, but SoftmaxRegression.schedule is a function/,
    );
    await assert.rejects(
      gridSearch(new SoftmaxRegression(), { learningRate: [0.1] }, data, { parallel: 0 }),
      /gridSearch: parallel must be/,
    );
  });
});
