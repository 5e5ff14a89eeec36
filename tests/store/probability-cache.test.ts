import { strict as assert } from "assert";
import * as fs from "fs";
import { storedModelProbabilities } from "../../lib/browser/dashboard-data";
import { loadMnist } from "../../lib/data/mnist";
import { toMatrix } from "../../lib/data/dataset";
import { matrix } from "../../lib/matrix";
import type { Classifier } from "../../lib/models/estimator";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { ModelStore } from "../../lib/store/model-store";
import { probabilityFiles } from "../../lib/store/probability-cache";
import { sameBits, tempDir } from "./helpers";

describe("store: cached probabilities of stored models", function () {
  this.timeout(60000);
  const mnist = loadMnist({ trainLimit: 400, testLimit: 100 });
  const train = { x: toMatrix(mnist.train), y: mnist.train.labels };
  const x = toMatrix(mnist.test);
  let root: string;
  const warnings: string[] = [];
  let warn = console.warn;
  let scorings = 0;
  const score = (model: Classifier) => {
    scorings++;
    return model.predictProba(x);
  };
  const store = (retrain = false) => new ModelStore({ root, retrain, verbose: false });
  const fit = (retrain = false, epochs = 1) =>
    store(retrain).fitOrLoad("softmax", () => new SoftmaxRegression({ epochs, seed: 1 }), train);
  const cacheFiles = () =>
    fs.readdirSync(store().dir("softmax")).filter((f) => f.startsWith("probabilities-"));

  before(async () => {
    root = tempDir("probabilities");
    await fit();
  });
  beforeEach(() => {
    warnings.length = 0;
    warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
  });
  afterEach(() => (console.warn = warn));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("scores once, then loads the same bits without loading the model", async () => {
    const before = scorings;
    const first = await store().probabilitiesOf("softmax", x, score);
    assert.equal(first.status, "scored");
    assert.equal(first.implementation, "scratch");
    assert.equal(cacheFiles().length, 2);
    const second = await store().probabilitiesOf("softmax", x, score);
    assert.equal(second.status, "loaded");
    assert.equal(scorings, before + 1);
    assert.ok(sameBits(second.probabilities, first.probabilities));
    assert.equal(second.implementation, "scratch");
  });

  it("other data is scored and cached beside the first", async () => {
    const half = matrix(x.data.slice(0, 50 * x.cols), 50, x.cols);
    const entry = await store().probabilitiesOf("softmax", half, (model) => model.predictProba(half));
    assert.equal(entry.status, "scored");
    assert.equal(entry.probabilities.length, 500);
    assert.equal((await store().probabilitiesOf("softmax", x, score)).status, "loaded");
  });

  it("misses after the model is retrained, and the new model's probabilities are cached", async () => {
    const old = (await store().probabilitiesOf("softmax", x, score)).probabilities;
    await fit(false, 2); // another epoch count: the store retrains and rewrites the folder
    const retrained = await store().probabilitiesOf("softmax", x, score);
    assert.equal(retrained.status, "scored");
    assert.ok(!sameBits(retrained.probabilities, old));
    await fit(true, 2); // retrain with the same parameters: a new card date
    assert.equal((await store().probabilitiesOf("softmax", x, score)).status, "scored");
    assert.equal((await store().probabilitiesOf("softmax", x, score)).status, "loaded");
  });

  it("still loads after only the card's metrics changed (recordMetrics)", async () => {
    await store().probabilitiesOf("softmax", x, score);
    store().recordMetrics("softmax", { testAccuracy: 0.5 });
    assert.equal((await store().probabilitiesOf("softmax", x, score)).status, "loaded");
  });

  it("damaged values or header: scored again with a warning naming the file, then cached again", async () => {
    await store().probabilitiesOf("softmax", x, score);
    const files = probabilityFiles(store().dir("softmax"), cacheKeyOf());
    const damages: Array<[string, () => void]> = [
      [files.values, () => fs.writeFileSync(files.values, fs.readFileSync(files.values).fill(7, 0, 4))],
      [files.values, () => fs.writeFileSync(files.values, fs.readFileSync(files.values).subarray(8))],
      [files.header, () => fs.writeFileSync(files.header, "{ not json")],
    ];
    for (const [file, damage] of damages) {
      damage();
      warnings.length = 0;
      const entry = await store().probabilitiesOf("softmax", x, score);
      assert.equal(entry.status, "scored");
      assert.equal(warnings.length, 1);
      assert.ok(warnings[0].includes(file), warnings[0]);
      assert.equal((await store().probabilitiesOf("softmax", x, score)).status, "loaded");
    }
  });

  it("the dashboard's storedModelProbabilities goes through the cache", async () => {
    await store().probabilitiesOf("softmax", x, score);
    const lines: string[] = [];
    const scored = await storedModelProbabilities(store(), mnist.test, (line) => lines.push(line));
    assert.equal(scored.length, 1);
    assert.deepEqual(lines, ["1 stored models: 1 loaded from their cache, 0 scored"]);
    const direct = (await store().load("softmax")).model.predictProba(x);
    assert.ok(sameBits(scored[0].probabilities, direct));
  });

  /** The data part of the cache's file names (the only data cached under its full test set here). */
  function cacheKeyOf(): string {
    const header = cacheFiles().find((f) => f.endsWith(".json") && headerRows(f) === x.rows)!;
    return JSON.parse(fs.readFileSync(`${store().dir("softmax")}/${header}`, "utf8")).data;
  }

  function headerRows(file: string): number {
    try {
      return JSON.parse(fs.readFileSync(`${store().dir("softmax")}/${file}`, "utf8")).rows;
    } catch {
      return -1;
    }
  }
});
