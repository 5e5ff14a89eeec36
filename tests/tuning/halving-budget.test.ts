import { strict as assert } from "assert";
import { initBackend } from "../../lib/backend";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { gridSearch } from "../../lib/tuning/grid-search";
import { halvingRungs, successiveHalving } from "../../lib/tuning/successive-halving";
import { blobs, PlantedClassifier } from "./helpers";

describe("tuning: successive halving and the time budget", function () {
  this.timeout(120000);
  before(() => initBackend());
  const data = blobs(600, 4);

  it("rungs multiply the budget by the factor and stop at one candidate or the maximum", () => {
    assert.deepEqual(halvingRungs(9, 1, 9, 3), [1, 3, 9]);
    assert.deepEqual(halvingRungs(8, 2, 100, 2), [2, 4, 8, 16]);
    assert.deepEqual(halvingRungs(27, 1, 5, 3), [1, 3, 5]);
  });

  it("keeps the planted best candidate to the last rung, spending less than a full grid", async () => {
    const noises = [0.3, 0.25, 0.02, 0.35, 0.2, 0.4, 0.15, 0.45, 0.1];
    const candidates = noises.map((noise) => ({ noise }));
    PlantedClassifier.fits = 0;
    const result = await successiveHalving(new PlantedClassifier(), candidates, data, {
      resource: "epochs",
      minResource: 1,
      factor: 3,
      cv: 3,
    });
    assert.deepEqual(result.best.params, { noise: 0.02 });
    assert.equal(result.best.rung, 2);
    assert.equal(result.bestParams.epochs, 9);
    assert.deepEqual(
      [0, 1, 2].map((rung) => result.trials.filter((t) => t.rung === rung).length),
      [9, 3, 1],
    );
    assert.equal(PlantedClassifier.fits, (9 + 3 + 1) * 3);
    // The survivors of each rung are its best third.
    const rung0 = result.trials.filter((t) => t.rung === 0).sort((a, b) => b.meanScore - a.meanScore);
    const rung1 = result.trials
      .filter((t) => t.rung === 1)
      .map((t) => t.candidate)
      .sort();
    assert.deepEqual(
      rung1,
      rung0
        .slice(0, 3)
        .map((t) => t.candidate)
        .sort(),
    );
  });

  it("with a budget of training samples, keeps the learning rate that learns", async () => {
    const candidates = [
      { learningRate: 1e-6 },
      { learningRate: 3e-2 },
      { learningRate: 1e-5 },
      { learningRate: 3e-6 },
    ];
    const model = new SoftmaxRegression({ epochs: 2, batchSize: 16, seed: 1 });
    const result = await successiveHalving(model, candidates, data, {
      resource: "samples",
      minResource: 60,
      factor: 2,
      cv: 2,
      seed: 2,
    });
    assert.deepEqual(result.best.params, { learningRate: 3e-2 });
    const resources = [...new Set(result.trials.map((t) => t.resource))];
    assert.deepEqual(resources, [60, 120, 240]);
    assert.equal(result.trials.filter((t) => t.rung === 0)[0].trainSamples, 60);
  });

  it("stops cleanly when the time budget is spent and says how many trials ran", async () => {
    const grid = { noise: Array.from({ length: 40 }, (_, i) => i / 100) };
    const started = performance.now();
    const logged: string[] = [];
    const log = console.log;
    console.log = (line: string) => logged.push(line);
    let result;
    try {
      result = await gridSearch(new PlantedClassifier({ delayMs: 40 }), grid, data, {
        cv: 2,
        timeBudgetSeconds: 0.5,
      });
    } finally {
      console.log = log;
    }
    const seconds = (performance.now() - started) / 1000;
    // Each trial is two 40 ms fits, so a 0.5 s budget holds a handful of the 40 trials.
    assert.ok(result.trialsRun >= 2 && result.trialsRun < 40, `${result.trialsRun} trials`);
    // The trial in flight at the deadline may finish (two 40 ms fits); slack for a loaded machine.
    assert.ok(seconds < 0.5 + 1.5, `the search took ${seconds} s`);
    assert.equal(result.summary.stoppedByBudget, true);
    assert.match(
      result.message(),
      new RegExp(`${result.trialsRun} of 40 trials ran .*stopped by the 0.5 s time budget`),
    );
    assert.ok(
      logged.some((line) => /stopped by the 0.5 s time budget/.test(line)),
      "the budget stop is announced",
    );
    assert.equal(result.best.params.noise, 0, "the best of the trials that ran");
  });

  it("a budget cuts a fit trained by epochs short instead of finishing it", async () => {
    const big = blobs(3000, 5);
    const model = new SoftmaxRegression({ epochs: 100000, batchSize: 8 });
    const started = performance.now();
    const result = await gridSearch(model, { learningRate: [1e-3, 1e-2] }, big, {
      cv: 2,
      timeBudgetSeconds: 0.5,
    });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(result.trialsRun, 0);
    assert.ok(seconds < 2, `the search took ${seconds} s`);
    assert.throws(() => result.best, /no trial finished/);
  });
});
