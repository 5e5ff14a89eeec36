import { strict as assert } from "assert";
import * as fs from "fs";
import { loadMnist } from "../../lib/data/mnist";
import { saveEnsemble, scoreFinalModels, type FinalModel } from "../../lib/ensemble/final";
import { VotingClassifier } from "../../lib/ensemble/voting";
import { toMatrix } from "../../lib/data/dataset";
import { ModelComparison } from "../../lib/experiments/model-comparison";
import { matrix, type Matrix } from "../../lib/matrix";
import type { Classifier } from "../../lib/models/estimator";
import { KNeighborsClassifier } from "../../lib/models/neighbors/knn";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { ModelStore } from "../../lib/store/model-store";
import { SCORE_ROWS, scoreAndCache, scoreInChunks } from "../../lib/store/score-and-cache";
import { testTunedAgainstDefaults } from "../../lib/tuning/final-evaluation";
import { sameBits, tempDir } from "./helpers";

describe("store: evaluations fill the probability cache the dashboard reads", function () {
  this.timeout(120000);
  // More test rows than one chunk, so scoring in chunks is exercised.
  const mnist = loadMnist({ trainLimit: 400, testLimit: SCORE_ROWS + 44 });
  const train = { x: toMatrix(mnist.train), y: mnist.train.labels };
  const test = { x: toMatrix(mnist.test), y: mnist.test.labels };
  let root: string;
  const store = () => new ModelStore({ root, verbose: false });
  let predictCalls = 0;
  const counted = (score: (model: Classifier) => Float32Array) => (model: Classifier) => {
    predictCalls++;
    return score(model);
  };
  const dashboardScore = counted((model) => scoreInChunks(model, test.x));
  const quietly = async <T>(work: () => Promise<T>): Promise<T> => {
    const log = console.log;
    console.log = () => {};
    try {
      return await work();
    } finally {
      console.log = log;
    }
  };
  const cacheFiles = (name: string) =>
    fs.readdirSync(store().dir(name)).filter((f) => f.startsWith("probabilities-"));

  beforeEach(() => {
    root = tempDir("score-and-cache");
    predictCalls = 0;
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("scoreInChunks gives a model's predictProba, row for row, across chunk boundaries", async () => {
    const model = await new SoftmaxRegression({ epochs: 1, seed: 1 }).fit(train.x, train.y);
    const whole = model.predictProba(test.x);
    const chunked = scoreInChunks(model, test.x);
    assert.equal(chunked.length, test.x.rows * 10);
    assert.ok(sameBits(chunked, whole));
  });

  it("a model trained and evaluated through the store: the dashboard loads the same bits, unscored", async () => {
    const comparison = new ModelComparison({ train, test }, { store: store() });
    const evaluation = await quietly(() =>
      comparison.run(new SoftmaxRegression({ epochs: 1, seed: 1 }), { label: "softmax", verbose: false }),
    );
    assert.equal(evaluation.status, "trained");
    const cached = await store().probabilitiesOf("softmax", test.x, dashboardScore);
    assert.equal(cached.status, "loaded");
    assert.equal(predictCalls, 0);
    assert.ok(sameBits(cached.probabilities, evaluation.probabilities));
    // What notebook 08 computes without the cache: the saved model, loaded, scored in chunks.
    const loaded = (await store().load("softmax")).model;
    assert.ok(sameBits(cached.probabilities, scoreInChunks(loaded, test.x)));
  });

  it("a model loaded from the store and evaluated fills the cache too (k-NN)", async () => {
    const knn = () => new KNeighborsClassifier({ k: 3 });
    await store().fitOrLoad("k-nn", knn, train);
    const comparison = new ModelComparison({ train, test }, { store: store() });
    const evaluation = await quietly(() => comparison.run(knn(), { label: "k-NN", verbose: false }));
    assert.equal(evaluation.status, "loaded");
    const cached = await store().probabilitiesOf("k-nn", test.x, dashboardScore);
    assert.equal(cached.status, "loaded");
    assert.equal(predictCalls, 0);
    assert.ok(sameBits(cached.probabilities, scoreInChunks((await store().load("k-nn")).model, test.x)));
  });

  it("a model evaluated on a subset or on other data leaves the test set's cache empty", async () => {
    const half = {
      x: matrix(test.x.data.slice(0, 100 * test.x.cols), 100, test.x.cols),
      y: test.y.slice(0, 100),
    };
    const other = {
      x: matrix(train.x.data.slice(0, test.x.data.length), test.x.rows, test.x.cols),
      y: test.y,
    };
    for (const [label, data] of [
      ["softmax", half],
      ["softmax", other],
    ] as const) {
      const comparison = new ModelComparison({ train, test: data }, { store: store() });
      await quietly(() =>
        comparison.run(new SoftmaxRegression({ epochs: 1, seed: 1 }), { label, verbose: false }),
      );
    }
    assert.equal(cacheFiles("softmax").length, 4); // two data sets, two files each
    const entry = await store().probabilitiesOf("softmax", test.x, dashboardScore);
    assert.equal(entry.status, "scored");
    assert.equal(predictCalls, 1);
  });

  it("the tuned-against-default comparison caches both fits' test probabilities", async () => {
    const rows = await testTunedAgainstDefaults(
      [
        {
          name: "Softmax",
          baseline: new SoftmaxRegression({ epochs: 1, seed: 1 }),
          tuned: new SoftmaxRegression({ epochs: 1, seed: 1, learningRate: 0.05 }),
        },
      ],
      train,
      test,
      { store: store() },
    );
    for (const [name, accuracy] of [
      ["softmax-default", rows[0].defaultTestAccuracy],
      ["softmax-tuned", rows[0].tunedTestAccuracy],
    ] as const) {
      const entry = await store().probabilitiesOf(name, test.x, dashboardScore);
      assert.equal(entry.status, "loaded", name);
      const model = (await store().load(name)).model;
      assert.ok(sameBits(entry.probabilities, scoreInChunks(model, test.x)), name);
      assert.equal(accuracy, model.score(test.x, test.y), name);
    }
    assert.equal(predictCalls, 0);
  });

  it("notebook 07's final scores cache each member's test probabilities", async () => {
    const validation = { x: matrix(train.x.data.slice(0, 100 * 784), 100, 784), y: train.y.slice(0, 100) };
    const members: FinalModel[] = [];
    for (const seed of [1, 2]) {
      const make = () => new SoftmaxRegression({ epochs: 1, seed });
      const entry = await store().fitOrLoad(`member-${seed}`, make, train);
      const { model, status, seconds, dir } = entry;
      const trainingSeconds = entry.card.trainingSeconds;
      members.push({ name: `member-${seed}`, model, description: "", status, seconds, trainingSeconds, dir });
    }
    const model = await new VotingClassifier({
      members: members.map(({ name, model }) => ({ name, model })),
      weights: "validation",
      prefit: true,
    }).fit(train.x, train.y, { validation });
    const dir = saveEnsemble(root, "ensemble", model, { validation });
    const ensemble = { ...members[0], name: "ensemble", model, dir };
    const scores = scoreFinalModels({ members, ensemble, trainedOn: "train" }, { train, validation, test });
    for (const [i, member] of members.entries()) {
      const entry = await store().probabilitiesOf(member.name, test.x, dashboardScore);
      assert.equal(entry.status, "loaded", member.name);
      assert.ok(sameBits(entry.probabilities, scores[i].probabilities), member.name);
      const loaded = (await store().load(member.name)).model;
      assert.ok(sameBits(entry.probabilities, scoreInChunks(loaded, test.x)), member.name);
    }
    assert.equal(predictCalls, 0);
  });

  it("store.accuracyOf scores an entry as model.score does and caches its probabilities", async () => {
    const make = () => new SoftmaxRegression({ epochs: 1, seed: 1 });
    const entry = await store().fitOrLoad("softmax", make, train);
    assert.equal(store().accuracyOf(entry, test.x, test.y), entry.model.score(test.x, test.y));
    assert.equal((await store().probabilitiesOf("softmax", test.x, dashboardScore)).status, "loaded");
    assert.equal(predictCalls, 0);
    assert.throws(() => store().accuracyOf(entry, test.x, test.y.subarray(1)), /one label per row, got 299/);
  });

  it("scoreAndCache keeps the first scores of a model and rewrites none while the model is unchanged", async () => {
    const entry = await store().fitOrLoad(
      "softmax",
      () => new SoftmaxRegression({ epochs: 1, seed: 1 }),
      train,
    );
    const first = scoreAndCache(entry.dir, entry.model, test.x);
    const files = cacheFiles("softmax").map((f) => `${entry.dir}/${f}`);
    const times = files.map((f) => fs.statSync(f).mtimeMs);
    const second = scoreAndCache(entry.dir, entry.model, test.x);
    assert.ok(sameBits(first, second));
    assert.deepEqual(
      files.map((f) => fs.statSync(f).mtimeMs),
      times,
    );
  });

  it("a cache that cannot be written is a warning, not a failed evaluation", async () => {
    const entry = await store().fitOrLoad(
      "softmax",
      () => new SoftmaxRegression({ epochs: 1, seed: 1 }),
      train,
    );
    const x: Matrix = test.x;
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
    try {
      const gone = `${root}/gone`;
      const probabilities = scoreAndCache(gone, entry.model, x);
      assert.ok(sameBits(probabilities, scoreInChunks(entry.model, x)));
    } finally {
      console.warn = warn;
    }
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0].includes("gone: probabilities not cached"), warnings[0]);
  });
});
