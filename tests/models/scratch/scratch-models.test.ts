/** The scratch classifiers learn MNIST, are reproducible, save and load, and reject bad input. */
import * as assert from "assert";
import { loadMnist } from "../../../lib/data/mnist";
import { toMatrix } from "../../../lib/data/dataset";
import { matrix } from "../../../lib/matrix";
import { CnnClassifier, MlpClassifier, SoftmaxRegression } from "../../../lib/models/scratch";

describe("scratch classifiers", function () {
  this.timeout(60_000);
  const { train, test } = loadMnist({ trainLimit: 2000, testLimit: 1000 });
  const x = toMatrix(train);
  const xTest = toMatrix(test);

  it("an MLP beats 85% on held-out digits after a few epochs on 2,000 images", async () => {
    const model = await new MlpClassifier({ epochs: 4, seed: 1 }).fit(x, train.labels);
    const accuracy = model.score(xTest, test.labels);
    assert.ok(accuracy > 0.85, `accuracy ${accuracy}`);
    assert.strictEqual(model.history.length, 4);
    assert.ok(model.history[3].loss < model.history[0].loss, "the training loss falls");
  });

  it("softmax regression learns and its probabilities sum to 1", async () => {
    const model = await new SoftmaxRegression({ epochs: 3, learningRate: 0.01, batchSize: 128 }).fit(x, train.labels);
    assert.ok(model.score(xTest, test.labels) > 0.8);
    const p = model.predictProba(matrix(xTest.data.subarray(0, 784 * 3), 3, 784));
    for (let r = 0; r < 3; r++) assert.ok(Math.abs(p.subarray(r * 10, r * 10 + 10).reduce((a, b) => a + b) - 1) < 1e-5);
  });

  it("the reference CNN beats chance by far after one short epoch", async () => {
    const small = matrix(x.data.subarray(0, 1000 * 784), 1000, 784);
    const model = await new CnnClassifier({ epochs: 1, seed: 2 }).fit(small, train.labels.subarray(0, 1000));
    const accuracy = model.score(xTest, test.labels);
    assert.ok(accuracy > 0.6, `accuracy ${accuracy}`);
  });

  it("the same seed gives the identical loss history; another seed does not", async () => {
    const losses = async (seed: number) =>
      (await new MlpClassifier({ epochs: 2, hiddenSizes: [32], dropout: 0.2, batchNorm: true, seed }).fit(x, train.labels)).history.map((h) => h.loss);
    const first = await losses(5);
    assert.deepStrictEqual(await losses(5), first);
    assert.notDeepStrictEqual(await losses(6), first);
  });

  it("saved weights restore identical predictions in a fresh model, through JSON", async () => {
    const model = await new MlpClassifier({ epochs: 1, hiddenSizes: [16], batchNorm: true, seed: 3 }).fit(x, train.labels);
    const saved = JSON.parse(JSON.stringify(model.saveWeights()));
    const restored = new MlpClassifier({ hiddenSizes: [16], batchNorm: true }).loadWeights(saved);
    assert.deepStrictEqual(restored.predictProba(xTest), model.predictProba(xTest));
    assert.throws(() => new MlpClassifier({ hiddenSizes: [8] }).loadWeights(saved), /architecture .*\[16\].*\[8\]/);
    assert.throws(() => new CnnClassifier().loadWeights(saved), /saved from a MlpClassifier/);
  });

  it("rejects NaN inputs and bad hyperparameters, naming them", async () => {
    const bad = matrix(Float32Array.from(x.data.subarray(0, 784 * 4)), 4, 784);
    bad.data[2 * 784 + 5] = NaN;
    await assert.rejects(new MlpClassifier().fit(bad, train.labels.subarray(0, 4)), /MLP 512-256 \(scratch\): fit: x holds NaN at row 2, column 5/);
    assert.throws(() => new MlpClassifier({ learningRate: -1 }), /MlpClassifier: learningRate must be a positive number, got -1/);
    assert.throws(() => new MlpClassifier({ batchSize: 0 }), /batchSize must be a positive integer, got 0/);
    assert.throws(() => new MlpClassifier({ epochs: 0 }), /epochs must be a positive integer, got 0/);
    assert.throws(() => new MlpClassifier({ dropout: 1 }), /dropout must be a number in \[0, 1\), got 1/);
    assert.throws(() => new CnnClassifier({ optimizer: "rmsprop" as never }), /optimizer must be one of .*got "rmsprop"/);
    assert.throws(() => new CnnClassifier().predict(xTest), /predict called before fit/);
  });

  it("passes every training batch through the augment hook", async () => {
    const seen: number[] = [];
    const model = new SoftmaxRegression({ epochs: 1, batchSize: 500, augment: (images, batch) => seen.push(batch, images.length) });
    await model.fit(x, train.labels);
    assert.deepStrictEqual(seen, [500, 500 * 784, 500, 500 * 784, 500, 500 * 784, 500, 500 * 784]);
  });
});
