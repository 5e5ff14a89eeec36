/** The scratch classifiers learn MNIST, are reproducible, save and load, and reject bad input. */
import * as assert from "assert";
import { createHash } from "crypto";
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
    const model = await new SoftmaxRegression({ epochs: 3, learningRate: 0.01, batchSize: 128 }).fit(
      x,
      train.labels,
    );
    assert.ok(model.score(xTest, test.labels) > 0.8);
    const p = model.predictProba(matrix(xTest.data.subarray(0, 784 * 3), 3, 784));
    for (let r = 0; r < 3; r++)
      assert.ok(Math.abs(p.subarray(r * 10, r * 10 + 10).reduce((a, b) => a + b) - 1) < 1e-5);
  });

  it("the reference CNN beats chance by far after one short epoch", async () => {
    const small = matrix(x.data.subarray(0, 1000 * 784), 1000, 784);
    const model = await new CnnClassifier({ epochs: 1, seed: 2 }).fit(small, train.labels.subarray(0, 1000));
    const accuracy = model.score(xTest, test.labels);
    assert.ok(accuracy > 0.6, `accuracy ${accuracy}`);
  });

  it("the same seed gives the identical loss history; another seed does not", async () => {
    const losses = async (seed: number) =>
      (
        await new MlpClassifier({ epochs: 2, hiddenSizes: [32], dropout: 0.2, batchNorm: true, seed }).fit(
          x,
          train.labels,
        )
      ).history.map((h) => h.loss);
    const first = await losses(5);
    assert.deepStrictEqual(await losses(5), first);
    assert.notDeepStrictEqual(await losses(6), first);
  });

  it("saved weights restore identical predictions in a fresh model, through JSON", async () => {
    const model = await new MlpClassifier({ epochs: 1, hiddenSizes: [16], batchNorm: true, seed: 3 }).fit(
      x,
      train.labels,
    );
    const saved = JSON.parse(JSON.stringify(model.saveWeights()));
    const restored = new MlpClassifier({ hiddenSizes: [16], batchNorm: true }).loadWeights(saved);
    assert.deepStrictEqual(restored.predictProba(xTest), model.predictProba(xTest));
    assert.throws(
      () => new MlpClassifier({ hiddenSizes: [8] }).loadWeights(saved),
      /architecture .*\[16\].*\[8\]/,
    );
    assert.throws(() => new CnnClassifier().loadWeights(saved), /saved from a MlpClassifier/);
  });

  it("weight arrays restore identical predictions without base64, and bad arrays are refused by name", async () => {
    const model = await new MlpClassifier({ epochs: 1, hiddenSizes: [16], seed: 4 }).fit(x, train.labels);
    const { architecture, inputFeatures, arrays } = model.weightArrays();
    const copies = new Map(arrays.map(({ name, value }) => [name, value.slice()]));
    const fresh = () => new MlpClassifier({ hiddenSizes: [16] });
    const restored = fresh().loadWeightArrays(architecture, inputFeatures, copies);
    assert.deepStrictEqual(restored.predictProba(xTest), model.predictProba(xTest));
    const [first] = arrays;
    const changed = (value: Float32Array) => new Map([...copies, [first.name, value]]);
    assert.throws(
      () => fresh().loadWeightArrays(architecture, inputFeatures, changed(first.value.slice(1))),
      new RegExp(`${first.name} must be ${first.value.length} float32 values, got ${first.value.length - 1}`),
    );
    const nan = first.value.slice();
    nan[3] = NaN;
    assert.throws(
      () => fresh().loadWeightArrays(architecture, inputFeatures, changed(nan)),
      new RegExp(`${first.name}: the array holds NaN at index 3`),
    );
    const missing = new Map([...copies].slice(1));
    assert.throws(
      () => fresh().loadWeightArrays(architecture, inputFeatures, missing),
      new RegExp(`the saved weights lack ${first.name}`),
    );
    assert.throws(
      () => fresh().loadWeightArrays({ hiddenSizes: [8] }, inputFeatures, copies),
      /architecture/,
    );
  });

  it("refuses damaged saved weights, naming the array and the damage", async () => {
    const small = matrix(x.data.subarray(0, 200 * 784), 200, 784);
    const model = await new MlpClassifier({ epochs: 1, hiddenSizes: [8], seed: 4 }).fit(
      small,
      train.labels.subarray(0, 200),
    );
    const saved = model.saveWeights();
    assert.strictEqual(saved.version, 2);
    const fresh = () => new MlpClassifier({ hiddenSizes: [8] });
    /** A deep copy of the saved weights with `edit` applied to it. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test damages arbitrary JSON fields
    const damaged = (edit: (copy: any) => void) => {
      const copy = JSON.parse(JSON.stringify(saved));
      edit(copy);
      return copy;
    };
    const biasIndex = saved.arrays.findIndex((a) => /bias/.test(a.name));
    assert.ok(biasIndex >= 0, saved.arrays.map((a) => a.name).join(", "));
    const bias = saved.arrays[biasIndex];
    // A bias array cut in half, its length field kept: it used to load, reading past the decoded bytes.
    const cut = damaged(
      (c) => (c.arrays[biasIndex].base64 = bias.base64.slice(0, (bias.base64.length >> 3) * 4)),
    );
    assert.throws(
      () => fresh().loadWeights(cut),
      new RegExp(`${bias.name}: base64 decodes to \\d+ bytes, but the array has ${bias.bytes}`),
    );
    // Characters outside base64: Buffer.from skipped them silently and every prediction became 0.
    const garbled = damaged((c) => (c.arrays[0].base64 = "!!!!" + c.arrays[0].base64.slice(4)));
    assert.throws(() => fresh().loadWeights(garbled), /base64 holds characters outside the base64 alphabet/);
    // Valid base64 of edited bytes: only the checksum tells.
    const flipped = damaged((c) => {
      const bytes = Buffer.from(c.arrays[0].base64, "base64");
      bytes[0] ^= 0xff;
      c.arrays[0].base64 = bytes.toString("base64");
    });
    assert.throws(
      () => fresh().loadWeights(flipped),
      /SHA-256 of the decoded bytes is [0-9a-f]{64}, but the saved checksum is/,
    );
    // NaN weights with a matching checksum (saved from a model that diverged).
    const nan = damaged((c) => {
      const values = new Float32Array(bias.length).fill(NaN);
      const bytes = Buffer.from(values.buffer);
      c.arrays[biasIndex].base64 = bytes.toString("base64");
      c.arrays[biasIndex].sha256 = createHash("sha256").update(bytes).digest("hex");
    });
    assert.throws(() => fresh().loadWeights(nan), new RegExp(`${bias.name}: the array holds NaN at index 0`));
    for (const inputFeatures of ["40", -1, 2.5]) {
      const bad = damaged((c) => (c.inputFeatures = inputFeatures));
      assert.throws(
        () => fresh().loadWeights(bad),
        new RegExp(
          `loadWeights: inputFeatures must be a positive integer, got ${JSON.stringify(inputFeatures)}`,
        ),
      );
    }
    const old = damaged((c) => (c.version = 1));
    assert.throws(
      () => fresh().loadWeights(old),
      /version must be 2, got 1 \(version 1 weights carry no checksums/,
    );
    const missing = damaged((c) => c.arrays.splice(biasIndex, 1));
    assert.throws(() => fresh().loadWeights(missing), new RegExp(`the saved weights lack ${bias.name}`));
    // The undamaged copy still loads, and the failed loads left no half-loaded network behind.
    const model2 = fresh();
    assert.throws(() => model2.loadWeights(nan));
    assert.strictEqual(model2.network, null);
    assert.deepStrictEqual(
      model2.loadWeights(JSON.parse(JSON.stringify(saved))).predict(small),
      model.predict(small),
    );
  });

  it("rejects NaN inputs and bad hyperparameters, naming them", async () => {
    const bad = matrix(Float32Array.from(x.data.subarray(0, 784 * 4)), 4, 784);
    bad.data[2 * 784 + 5] = NaN;
    await assert.rejects(
      new MlpClassifier().fit(bad, train.labels.subarray(0, 4)),
      /MLP 512-256 \(scratch\): fit: x holds NaN at row 2, column 5/,
    );
    assert.throws(
      () => new MlpClassifier({ learningRate: -1 }),
      /MlpClassifier: learningRate must be a positive number, got -1/,
    );
    assert.throws(() => new MlpClassifier({ batchSize: 0 }), /batchSize must be a positive integer, got 0/);
    assert.throws(() => new MlpClassifier({ epochs: 0 }), /epochs must be a positive integer, got 0/);
    assert.throws(() => new MlpClassifier({ dropout: 1 }), /dropout must be a number in \[0, 1\), got 1/);
    assert.throws(
      () => new CnnClassifier({ optimizer: "rmsprop" as never }),
      /optimizer must be one of .*got "rmsprop"/,
    );
    assert.throws(() => new CnnClassifier().predict(xTest), /predict called before fit/);
  });

  it("passes every training batch through the augment hook", async () => {
    const seen: number[] = [];
    const model = new SoftmaxRegression({
      epochs: 1,
      batchSize: 500,
      augment: (images, batch) => seen.push(batch, images.length),
    });
    await model.fit(x, train.labels);
    assert.deepStrictEqual(seen, [500, 500 * 784, 500, 500 * 784, 500, 500 * 784, 500, 500 * 784]);
  });
});
