import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { makeAugmenter } from "../../lib/augmentation/augmenter";
import { MlpClassifier } from "../../lib/models/scratch/mlp-classifier";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { KNeighborsClassifier } from "../../lib/models/neighbors/knn";
import { ModelStore, storeName } from "../../lib/store/model-store";
import { loadModel } from "../../lib/store/save-load";
import { sameBits, smallMnist, tempDir, type Split } from "./helpers";

describe("store: fitOrLoad trains once, then loads", function () {
  this.timeout(60000);
  let data: Split;
  let root: string;
  const lines: string[] = [];
  let log: typeof console.log;

  before(() => {
    data = smallMnist(400, 100);
    root = tempDir("fit-or-load");
  });
  beforeEach(() => {
    lines.length = 0;
    log = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  });
  afterEach(() => (console.log = log));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const softmax = (epochs = 1) => () => new SoftmaxRegression({ epochs, seed: 2 });

  it("trains on the first call, loads on the second with the same predictions, and says which", async () => {
    const store = new ModelStore({ root, retrain: false });
    const first = await store.fitOrLoad("softmax", softmax(), data.train);
    assert.equal(first.status, "trained");
    assert.match(lines[0], /^softmax: trained in \d+\.\d s, saved to .*softmax$/);
    const second = await store.fitOrLoad("softmax", softmax(), data.train);
    assert.equal(second.status, "loaded");
    assert.match(lines[1], /^softmax: loaded from .*softmax in \d+\.\d s$/);
    assert.ok(sameBits(first.model.predictProba(data.test.x), second.model.predictProba(data.test.x)));
    assert.equal(second.card.trainingSeconds, first.card.trainingSeconds);
    assert.deepEqual(second.model.history, first.model.history);
    assert.ok(store.has("softmax"));
    assert.deepEqual(
      store.list().map((c) => c.name),
      ["softmax"],
    );
  });

  it("retrains when a parameter, the data or the seed changes, and says why", async () => {
    const store = new ModelStore({ root, retrain: false });
    await store.fitOrLoad("changing", softmax(1), data.train);
    const changed = await store.fitOrLoad("changing", softmax(2), data.train);
    assert.equal(changed.status, "trained");
    assert.match(lines.join("\n"), /changing: training, because parameters changed: epochs 1 → 2/);
    const fewer = { x: { ...data.train.x, rows: 300, data: data.train.x.data.subarray(0, 300 * 784) }, y: data.train.y.subarray(0, 300) };
    assert.equal((await store.fitOrLoad("changing", softmax(2), fewer)).status, "trained");
    assert.match(lines.join("\n"), /because the training data changed/);
    assert.equal((await store.fitOrLoad("changing", softmax(2), fewer, { seed: 9 })).status, "trained");
    assert.match(lines.join("\n"), /because the seed changed from 2 to 9/);
    assert.equal((await store.fitOrLoad("changing", softmax(2), fewer, { seed: 9 })).status, "loaded");
  });

  it("an augmentation recipe is part of the key", async () => {
    const store = new ModelStore({ root, retrain: false });
    const mlp = (rotation: number) => () =>
      new MlpClassifier({ hiddenSizes: [8], epochs: 1, augment: makeAugmenter({ affine: { rotation } }) });
    assert.equal((await store.fitOrLoad("augmented", mlp(10), data.train)).status, "trained");
    assert.equal((await store.fitOrLoad("augmented", mlp(10), data.train)).status, "loaded");
    assert.equal((await store.fitOrLoad("augmented", mlp(20), data.train)).status, "trained");
    assert.match(lines.join("\n"), /parameters changed: augment/);
  });

  it("retrain: the option and MNIST_RETRAIN=1 force training", async () => {
    await new ModelStore({ root }).fitOrLoad("forced", softmax(), data.train);
    const forced = await new ModelStore({ root, retrain: true }).fitOrLoad("forced", softmax(), data.train);
    assert.equal(forced.status, "trained");
    assert.match(lines.join("\n"), /forced: training, because retraining was asked for/);
    const previous = process.env.MNIST_RETRAIN;
    process.env.MNIST_RETRAIN = "1";
    try {
      assert.equal(new ModelStore({ root }).retrain, true);
      assert.equal((await new ModelStore({ root }).fitOrLoad("forced", softmax(), data.train)).status, "trained");
    } finally {
      if (previous === undefined) delete process.env.MNIST_RETRAIN;
      else process.env.MNIST_RETRAIN = previous;
    }
    assert.equal((await new ModelStore({ root }).fitOrLoad("forced", softmax(), data.train)).status, "loaded");
  });

  it("a damaged save is retrained, never loaded", async () => {
    const store = new ModelStore({ root });
    await store.fitOrLoad("damaged", softmax(), data.train);
    const file = path.join(root, "damaged", "weights.bin");
    fs.truncateSync(file, 8);
    const again = await store.fitOrLoad("damaged", softmax(), data.train);
    assert.equal(again.status, "trained");
    assert.match(lines.join("\n"), /damaged: training, because the saved model could not be loaded: .*weights\.bin/);
    assert.equal((await store.fitOrLoad("damaged", softmax(), data.train)).status, "loaded");
  });

  it("recordMetrics merges into card.json and the README", async () => {
    const store = new ModelStore({ root });
    await store.fitOrLoad("metrics", softmax(), data.train, {
      fit: { validation: { x: data.test.x, y: data.test.y } },
    });
    store.recordMetrics("metrics", { testAccuracy: 0.5 });
    const card = JSON.parse(fs.readFileSync(path.join(root, "metrics", "card.json"), "utf8"));
    assert.equal(card.metrics.testAccuracy, 0.5);
    assert.equal(typeof card.metrics.validationAccuracy, "number");
    assert.match(card.libraryVersion, /^\d+\.\d+\.\d+/);
    assert.match(fs.readFileSync(path.join(root, "metrics", "README.md"), "utf8"), /test accuracy \| 50\.00%/);
  });

  it("names: folder-safe names only, and storeName makes one from a label", async () => {
    const store = new ModelStore({ root });
    await assert.rejects(() => store.fitOrLoad("../escape", softmax(), data.train), /name must be letters/);
    assert.equal(storeName("k-NN k=4 distance-weighted, PCA 45"), "k-nn-k-4-distance-weighted-pca-45");
    assert.equal(storeName("CNN reference (scratch)"), "cnn-reference-scratch");
  });

  it("quick mode without MNIST_MODELS_DIR keeps its models out of the project's models/", () => {
    const saved = { quick: process.env.MNIST_QUICK, dir: process.env.MNIST_MODELS_DIR };
    try {
      process.env.MNIST_QUICK = "1";
      delete process.env.MNIST_MODELS_DIR;
      assert.ok(!new ModelStore().root.includes(`${path.sep}models`) || new ModelStore().root.includes("quick"));
      process.env.MNIST_MODELS_DIR = root;
      assert.equal(new ModelStore().root, root);
    } finally {
      for (const [k, v] of [["MNIST_QUICK", saved.quick], ["MNIST_MODELS_DIR", saved.dir]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it("atomic writes: a save killed mid-write leaves no loadable partial model, two writers never mix", async () => {
    const script = path.join(__dirname, "save-worker.js");
    const dir = path.join(root, "race");
    // A writer killed while it writes: only its temporary folder remains, and the name is not taken.
    const killed = spawn(process.execPath, [script, root, "race", "slow"], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise((resolve) => killed.stdout!.once("data", resolve));
    await new Promise((resolve) => setTimeout(resolve, 300));
    killed.kill("SIGKILL");
    await new Promise((resolve) => killed.once("exit", resolve));
    const temps = fs.readdirSync(root).filter((f) => f.startsWith(".race.tmp-"));
    assert.equal(temps.length, 1, "the writer was killed while writing its temporary folder");
    assert.ok(!fs.existsSync(dir), "a killed writer must not leave the model folder in place");
    // Two writers of different models under one name: the folder holds one whole model, either one.
    const writers = ["a", "b"].map(
      (seed) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, [script, root, "race", seed], { stdio: "inherit" });
          child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer ${seed}: ${code}`))));
        }),
    );
    await Promise.all(writers);
    const { model, card } = await loadModel(dir);
    assert.ok(["a", "b"].includes(card.metrics.writer as string));
    assert.equal(model.predict(data.test.x).length, data.test.x.rows);
    const leftovers = fs.readdirSync(root).filter((f) => f.startsWith(".race."));
    assert.deepEqual(leftovers, [], "the killed writer's temporary folder is cleaned up by the next save");
  });
});
