import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { initBackend } from "../../lib/backend";
import type { FitterSource } from "../../lib/models/evaluate";
import { ModelStore } from "../../lib/store/model-store";
import { MlpClassifier } from "../../lib/models/scratch/mlp-classifier";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { testTunedAgainstDefaults } from "../../lib/tuning/final-evaluation";
import { gridSearch } from "../../lib/tuning/grid-search";
import { learningCurve } from "../../lib/tuning/learning-curve";
import { learningRateRangeTest } from "../../lib/tuning/lr-range-test";
import { readTunedSettings, tunedSettingsOf, writeTunedSettings } from "../../lib/tuning/tuned-settings";
import { blobs, PlantedClassifier } from "./helpers";

describe("tuning: learning curves, the LR range test, tuned.json and the final comparison", function () {
  this.timeout(60000);
  before(() => initBackend());
  const data = blobs(600, 3);

  it("a learning curve has one point per size, in order, with training and validation accuracy", async () => {
    const points = await learningCurve(
      new SoftmaxRegression({ epochs: 3, learningRate: 0.01, batchSize: 16 }),
      data,
      [200, 30, 90],
      {
        cv: 2,
      },
    );
    assert.deepEqual(
      points.map((p) => p.trainSize),
      [30, 90, 200],
    );
    for (const p of points) {
      for (const v of [p.trainMean, p.validationMean]) assert.ok(v >= 0 && v <= 1);
      assert.ok(p.trainStd >= 0 && p.validationStd >= 0);
    }
    assert.ok(points[2].validationMean > points[0].validationMean, "more data helps a model this simple");
  });

  it("the LR range test raises the rate by a constant factor and stops once the loss blows up", async () => {
    const model = new MlpClassifier({ hiddenSizes: [32], batchSize: 16, optimizer: "sgd" });
    const result = await learningRateRangeTest(model, data, {
      minRate: 1e-4,
      maxRate: 1e4,
      steps: 17,
      samplesPerStep: 128,
    });
    const rates = result.points.map((p) => p.learningRate);
    for (let i = 1; i < rates.length; i++) assert.ok(Math.abs(rates[i] / rates[i - 1] - 10 ** 0.5) < 1e-6);
    assert.ok(
      result.points.length < 17,
      `a rate of 1e4 diverges, so the test stops early (${result.points.length} points)`,
    );
    assert.ok(Math.abs(result.suggestedRate - result.minimumRate / 10) < 1e-12);
    const lowest = Math.min(...result.points.map((p) => p.loss));
    assert.equal(result.points.find((p) => p.learningRate === result.minimumRate)!.loss, lowest);
  });

  it("tuned.json records each model's parameters (searched and fixed, JSON values only) and score", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tuned-"));
    const previous = process.env.MNIST_RESULTS_DIR;
    process.env.MNIST_RESULTS_DIR = dir;
    try {
      const model = new PlantedClassifier({ epochs: 2 });
      const result = await gridSearch(model, { noise: [0.3, 0.05] }, data, { cv: 2 });
      const file = writeTunedSettings({
        planted: tunedSettingsOf(result),
        other: { params: { f: () => 1, k: 3 }, validationScore: 0.5, validation: "x" },
      });
      assert.equal(file, path.join(dir, "tuned.json"));
      const saved = readTunedSettings()!;
      assert.deepEqual(saved.models.planted.params, { noise: 0.05, epochs: 2, delayMs: 0 });
      assert.equal(saved.models.planted.validationScore, result.bestScore);
      assert.equal(saved.models.planted.validation, "2-fold CV");
      assert.deepEqual(saved.models.other.params, { k: 3 });
    } finally {
      if (previous === undefined) delete process.env.MNIST_RESULTS_DIR;
      else process.env.MNIST_RESULTS_DIR = previous;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the final comparison fits each default and tuned model and scores both on the test data", async () => {
    const test = blobs(300, 8);
    const rows = await testTunedAgainstDefaults(
      [
        {
          name: "planted",
          baseline: new PlantedClassifier({ noise: 0.4 }),
          tuned: new PlantedClassifier({ noise: 0.05 }),
          validationScore: 0.9,
        },
      ],
      data,
      test,
    );
    assert.equal(rows.length, 1);
    const row = rows[0];
    assert.equal(row.model, "planted");
    assert.ok((row.tunedTestAccuracy as number) > (row.defaultTestAccuracy as number) + 0.2);
    assert.equal(row.change, (row.tunedTestAccuracy as number) - (row.defaultTestAccuracy as number));
    assert.equal(row.trainSamples, 600);
  });

  it("the final comparison goes through a store when given one: a rerun loads both fits", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "final-store-"));
    try {
      const test = blobs(300, 8);
      const outcomes: string[] = [];
      const store = new ModelStore({ root, verbose: false, retrain: false });
      const recording: FitterSource = {
        fitThrough: (label) => async (model, train, options) => {
          const fitted = await store.fitThrough(label)(model, train, options);
          outcomes.push(`${label}: ${fitted.status}`);
          return fitted;
        },
      };
      const pairs = () => [
        {
          name: "softmax",
          baseline: new SoftmaxRegression({ epochs: 2, seed: 1 }),
          tuned: new SoftmaxRegression({ epochs: 4, seed: 1 }),
        },
      ];
      const first = await testTunedAgainstDefaults(pairs(), data, test, { store: recording });
      const second = await testTunedAgainstDefaults(pairs(), data, test, { store: recording });
      assert.deepEqual(outcomes, [
        "softmax (default): trained",
        "softmax (tuned): trained",
        "softmax (default): loaded",
        "softmax (tuned): loaded",
      ]);
      assert.deepEqual(second, first);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
