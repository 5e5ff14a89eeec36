import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { initBackend, getTf } from "../../lib/backend";
import type { Classifier } from "../../lib/models/estimator";
import { KNeighborsClassifier } from "../../lib/models/neighbors/knn";
import { CnnClassifier } from "../../lib/models/scratch/cnn-classifier";
import { MlpClassifier } from "../../lib/models/scratch/mlp-classifier";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { LinearSvmClassifier } from "../../lib/models/svm/linear-svm";
import { RbfSvmClassifier } from "../../lib/models/svm/rbf-svm";
import { TfCnnClassifier } from "../../lib/models/tfjs/cnn";
import { TfMlpClassifier } from "../../lib/models/tfjs/mlp";
import { TfSoftmaxRegression } from "../../lib/models/tfjs/softmax-regression";
import { Deskew } from "../../lib/preprocessing/deskew-transformer";
import { PCA } from "../../lib/preprocessing/pca";
import { MinMaxScaler, PixelScaler } from "../../lib/preprocessing/scalers";
import { StandardScaler } from "../../lib/preprocessing/standard-scaler";
import type { Transformer } from "../../lib/preprocessing/transformer";
import { Pipeline } from "../../lib/tuning/pipeline";
import { loadModel, saveModel } from "../../lib/store/save-load";
import type { ModelCard } from "../../lib/store/card";
import { sameBits, smallMnist, tempDir, type Split } from "./helpers";

function card(name: string): ModelCard {
  return {
    name,
    kind: "test",
    implementation: "scratch",
    params: {},
    seed: 0,
    dataChecksum: "none",
    libraryVersion: "0.0.0",
    date: new Date(0).toISOString(),
    trainingSeconds: 0,
    metrics: {},
  };
}

describe("store: save and load give bit-identical predictions for every model kind", function () {
  this.timeout(120000);
  let data: Split;
  let root: string;

  before(async () => {
    await initBackend();
    data = smallMnist();
    root = tempDir("round-trip");
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  async function roundTrip(name: string, model: Classifier): Promise<Classifier> {
    await model.fit(data.train.x, data.train.y);
    const before = model.predictProba(data.test.x);
    const dir = path.join(root, name);
    await saveModel(model, dir, card(name));
    const { model: loaded, card: loadedCard } = await loadModel(dir);
    assert.equal(loaded.constructor, model.constructor);
    assert.equal(loadedCard.name, name);
    const after = loaded.predictProba(data.test.x);
    assert.ok(sameBits(before, after), `${name}: probabilities differ after save and load`);
    assert.deepEqual(loaded.predict(data.test.x), model.predict(data.test.x));
    assert.deepEqual(loaded.history, model.history);
    return loaded;
  }

  const cases: [string, () => Classifier][] = [
    ["softmax", () => new SoftmaxRegression({ epochs: 2, seed: 3 })],
    ["mlp-batch-norm", () => new MlpClassifier({ hiddenSizes: [32], batchNorm: true, dropout: 0.1, epochs: 2 })],
    ["cnn-speed", () => new CnnClassifier({ preset: "speed", epochs: 1, seed: 2 })],
    ["knn", () => new KNeighborsClassifier({ k: 3, weights: "distance" })],
    ["linear-svm", () => new LinearSvmClassifier({ epochs: 2, seed: 1 })],
    ["rbf-svm", () => new RbfSvmClassifier({ nComponents: 256, epochs: 2, seed: 4 })],
    ["tf-softmax", () => new TfSoftmaxRegression({ epochs: 2 })],
    ["tf-mlp", () => new TfMlpClassifier({ hiddenSizes: [32], epochs: 1 })],
  ];
  for (const [name, make] of cases) it(name, async () => void (await roundTrip(name, make())));

  it("the scratch CNN with batch norm keeps its running statistics", async () => {
    const model = new CnnClassifier({ preset: "strong", epochs: 1, batchSize: 32 });
    const names = (await roundTrip("cnn-strong", model)) as CnnClassifier;
    const stats = names.network!.state().filter((a) => /running(Mean|Var)/.test(a.name));
    assert.ok(stats.length > 0, "the strong preset has batch-norm layers");
    assert.ok(stats.some((a) => a.value.some((v) => v !== 0 && v !== 1)), "running statistics were learned");
  });

  it("tfjs CNN, where the backend can train convolutions", async function () {
    if (!getTf().getBackend() || !(await import("../../lib/backend")).activeBackend()?.canTrainConv) this.skip();
    await roundTrip("tf-cnn", new TfCnnClassifier({ epochs: 1 }));
  });

  it("a pipeline of three transformers and k-NN, saved and loaded as a whole", async () => {
    const pipeline = new Pipeline({
      steps: [
        ["deskew", new Deskew()],
        ["scale", new StandardScaler()],
        ["pca", new PCA({ nComponents: 20 })],
      ],
      model: ["knn", new KNeighborsClassifier({ k: 4, weights: "distance" })],
    });
    const loaded = (await roundTrip("pipeline", pipeline)) as Pipeline;
    assert.deepEqual(
      loaded.transformers.map(([name]) => name),
      ["deskew", "scale", "pca"],
    );
    assert.deepEqual(loaded.getParams()["pca.nComponents"], 20);
  });

  it("transformers alone: identical transforms after a round trip", async () => {
    const transformers: Transformer[] = [
      new PixelScaler(1),
      new MinMaxScaler(),
      new StandardScaler(),
      new PCA({ nComponents: 0.8 }),
      new Deskew(),
    ];
    for (const t of transformers) {
      t.fit(data.train.x);
      const dir = path.join(root, `t-${t.constructor.name}`);
      await saveModel(t, dir, card(t.name));
      const { model: loaded } = await loadModel<Transformer>(dir);
      const a = t.transform(data.test.x).data;
      const b = loaded.transform(data.test.x).data;
      assert.ok(sameBits(a, b), `${t.name}: transform differs after a round trip`);
    }
  });

  it("a tfjs model's folder is the standard format: model.json loads with tf.loadLayersModel", async () => {
    const dir = path.join(root, "tf-softmax");
    const json = JSON.parse(fs.readFileSync(path.join(dir, "model.json"), "utf8"));
    assert.equal(json.format, "layers-model");
    assert.deepEqual(json.weightsManifest[0].paths, ["weights.bin"]);
    const tf = getTf();
    const bytes = fs.readFileSync(path.join(dir, "weights.bin"));
    // What a browser does with a URL, through an in-memory handler: the files as they are on disk.
    const network = await tf.loadLayersModel({
      load: async () => ({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      }),
    });
    const { model } = await loadModel(dir);
    const x = data.test.x;
    const logits = tf.tidy(() => {
      const output = network.predict(tf.tensor2d(x.data, [x.rows, x.cols])) as ReturnType<typeof tf.softmax>;
      return tf.softmax(output).dataSync();
    });
    assert.ok(sameBits(logits as Float32Array, model.predictProba(x)));
    network.dispose();
  });

  it("refuses to save an unfitted model, naming it", async () => {
    await assert.rejects(
      () => saveModel(new SoftmaxRegression(), path.join(root, "unfitted"), card("unfitted")),
      /not fitted|before fit/,
    );
    assert.ok(!fs.existsSync(path.join(root, "unfitted")));
  });
});
