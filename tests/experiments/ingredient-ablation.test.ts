/** The ingredient ladder of notebook 6 on a tiny MNIST subset: its steps, gains and TTA row. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { take, toMatrix } from "../../lib/data/dataset";
import { loadMnist } from "../../lib/data/mnist";
import {
  ABLATION_STEPS,
  ablationChart,
  ablationTable,
  ingredientAblation,
  TTA_STEP,
  type AblationRow,
} from "../../lib/experiments/ingredient-ablation";
import { makeAugmenter } from "../../lib/augmentation";
import type { FitterSource } from "../../lib/models/evaluate";
import { CNN_PRESET_SPECS } from "../../lib/models/scratch/cnn-presets";
import { CnnClassifier } from "../../lib/models/scratch/cnn-classifier";
import { ModelStore } from "../../lib/store/model-store";

describe("ingredient ablation", function () {
  this.timeout(300_000);
  const mnist = loadMnist({ trainLimit: 600, testLimit: 1 });
  const trainPart = take(mnist.train, 256);
  const validationImages = toMatrix(mnist.train);
  const train = { x: toMatrix(trainPart), y: trainPart.labels };
  // The last 344 training images stand in for the validation split.
  const validation = {
    x: { data: validationImages.data.subarray(256 * 784), rows: 344, cols: 784 },
    y: mnist.train.labels.subarray(256),
  };
  let rows: AblationRow[];
  const seen: string[] = [];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ablation-store-"));
  /** A store in a temporary folder that records each fit's name and whether it trained or loaded. */
  const recordingStore = (outcomes: string[]): FitterSource => {
    const store = new ModelStore({ root, verbose: false, retrain: false });
    return {
      fitThrough: (label) => async (model, data, options) => {
        const fitted = await store.fitThrough(label)(model, data, options);
        outcomes.push(`${label}: ${fitted.status}`);
        return fitted;
      },
    };
  };
  const options = { epochs: 1, longerEpochs: 2, emaDecay: 0.5, seed: 3 };
  const firstRun: string[] = [];

  before(async () => {
    rows = await ingredientAblation(train, validation, {
      ...options,
      store: recordingStore(firstRun),
      onStep: (row) => seen.push(row.step),
    });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("a rerun through the same store loads every step and gives the same scores", async () => {
    // The weight-averaging step trains nothing: the run of the step before kept the average.
    const trained = ABLATION_STEPS.filter((s) => !s.average);
    assert.deepEqual(
      firstRun,
      trained.map((s) => `ablation ${s.step}: trained`),
    );
    const secondRun: string[] = [];
    const again = await ingredientAblation(train, validation, {
      ...options,
      store: recordingStore(secondRun),
    });
    assert.deepEqual(
      secondRun,
      trained.map((s) => `ablation ${s.step}: loaded`),
    );
    assert.deepEqual(
      again.map((r) => r.validationAccuracy),
      rows.map((r) => r.validationAccuracy),
    );
  });

  it("adds one ingredient per step, reports progress, and ends with test-time augmentation", () => {
    const steps = [...ABLATION_STEPS.map((s) => s.step), TTA_STEP];
    assert.deepEqual(
      rows.map((r) => r.step),
      steps,
    );
    assert.deepEqual(seen, steps);
    assert.deepEqual(
      rows.map((r) => r.preset),
      ["reference", "reference", "accuracy", "accuracy", "accuracy", "accuracy", "accuracy"],
    );
    assert.deepEqual(
      rows.map((r) => r.augmentation),
      [false, true, true, true, true, true, true],
    );
    assert.deepEqual(
      rows.map((r) => r.labelSmoothing),
      [0, 0, 0, 0.1, 0.1, 0.1, 0.1],
    );
    assert.deepEqual(
      rows.map((r) => r.epochs),
      [1, 1, 1, 1, 2, 2, 2],
    );
    assert.deepEqual(
      rows.map((r) => r.tta),
      [null, null, null, null, null, null, "shifts"],
    );
    assert.deepEqual(
      rows.map((r) => r.emaDecay),
      [0, 0, 0, 0, 0, 0.5, 0.5],
    );
    assert.deepEqual(
      rows.map((r) => r.fitSeconds > 0),
      [true, true, true, true, true, false, false],
    );
  });

  it("scores on the validation split, each gain the difference from the step before", () => {
    for (const row of rows) assert.ok(row.validationAccuracy > 0.1 && row.validationAccuracy <= 1, row.step);
    // 256 images for one or two epochs learn something: above the 10% of guessing on the last steps.
    assert.ok(rows[4].validationAccuracy > 0.3, `longer schedule: ${rows[4].validationAccuracy}`);
    assert.equal(rows[0].gain, 0);
    for (let i = 1; i < rows.length; i++)
      assert.ok(
        Math.abs(rows[i].gain - (rows[i].validationAccuracy - rows[i - 1].validationAccuracy)) < 1e-12,
      );
    // Every accuracy is a count of the 344 validation images.
    for (const row of rows)
      assert.ok(Math.abs(row.validationAccuracy * 344 - Math.round(row.validationAccuracy * 344)) < 1e-9);
  });

  it("scores the longer schedule as a run without the average would: the average does not steer it", async () => {
    const spec = CNN_PRESET_SPECS.accuracy;
    const plain = new CnnClassifier({
      preset: "accuracy",
      epochs: options.longerEpochs,
      batchSize: spec.defaults.batchSize,
      learningRate: spec.defaults.learningRate,
      optimizer: spec.defaults.optimizer,
      schedule: spec.defaults.schedule,
      labelSmoothing: 0.1,
      emaDecay: 0,
      augment: makeAugmenter(spec.augmentation!),
      seed: options.seed,
    });
    await plain.fit(train.x, train.y);
    assert.equal(rows[4].step, "+ longer schedule");
    assert.equal(rows[4].validationAccuracy, plain.score(validation.x, validation.y));
    // The averaged weights with a decay of 0.5 are another model: a different score is likely, not
    // certain, so only the bookkeeping is held here.
    assert.equal(rows[5].epochs, rows[4].epochs);
    plain.dispose();
  });

  it("the table and chart show one entry per step, in percent", () => {
    const table = ablationTable(rows);
    assert.equal(table.length, 7);
    assert.equal(table[2]["validation %"], 100 * rows[2].validationAccuracy);
    assert.equal(table[3]["gain (points)"], 100 * rows[3].gain);
    const chart = ablationChart(rows);
    const text = JSON.stringify(chart);
    assert.ok(text.includes(TTA_STEP) && text.includes("validation accuracy"));
    // One bar per step after the baseline: its gain in points, the baseline's accuracy in the title.
    const bars = chart.traces[0] as { x: string[]; y: number[] };
    assert.deepEqual(
      bars.x,
      rows.slice(1).map((r) => r.step),
    );
    assert.deepEqual(
      bars.y,
      rows.slice(1).map((r) => 100 * r.gain),
    );
    assert.ok(
      JSON.stringify(chart.layout).includes(`baseline's ${(100 * rows[0].validationAccuracy).toFixed(2)}%`),
    );
  });

  it("rejects unknown options and a bad label smoothing, naming them", async () => {
    await assert.rejects(
      ingredientAblation(train, validation, { epoch: 1 } as object),
      /ingredientAblation.*epoch/,
    );
    await assert.rejects(
      ingredientAblation(train, validation, { labelSmoothing: 1 }),
      /ingredientAblation: labelSmoothing must be/,
    );
    await assert.rejects(
      ingredientAblation(train, validation, { emaDecay: 1 }),
      /ingredientAblation: emaDecay must be .*got 1/,
    );
  });
});
