import { strict as assert } from "assert";
import { initBackend } from "../../lib/backend";
import { matrix, type Matrix } from "../../lib/matrix";
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
import { PCA } from "../../lib/preprocessing/pca";
import { MinMaxScaler, PixelScaler } from "../../lib/preprocessing/scalers";
import { StandardScaler } from "../../lib/preprocessing/standard-scaler";
import { Random } from "../../lib/random";

/** Two Gaussian blobs per class in 8 dimensions: every model can learn it in a moment. */
function blobs(n: number, seed: number): { x: Matrix; y: Uint8Array } {
  const random = new Random(seed);
  const x = new Float32Array(n * 8);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < 8; j++) x[i * 8 + j] = (j % 3 === y[i] ? 2 : 0) + random.normal() * 0.3;
  }
  return { x: matrix(x, n, 8), y };
}

/** Each classifier with one changed parameter (name, value) to try setParams with. */
const classifiers: [string, () => Classifier, string, unknown][] = [
  ["KNeighborsClassifier", () => new KNeighborsClassifier({ k: 3 }), "k", 5],
  ["LinearSvmClassifier", () => new LinearSvmClassifier({ epochs: 3, seed: 2 }), "alpha", 0.01],
  [
    "RbfSvmClassifier",
    () => new RbfSvmClassifier({ epochs: 2, nComponents: 64, seed: 2 }),
    "nComponents",
    32,
  ],
  ["SoftmaxRegression", () => new SoftmaxRegression({ epochs: 2, seed: 3 }), "learningRate", 0.05],
  [
    "MlpClassifier",
    () => new MlpClassifier({ epochs: 2, hiddenSizes: [16], seed: 3 }),
    "hiddenSizes",
    [8, 4],
  ],
  ["CnnClassifier", () => new CnnClassifier({ epochs: 1 }), "preset", "strong"],
  ["TfSoftmaxRegression", () => new TfSoftmaxRegression({ epochs: 2, seed: 4 }), "batchSize", 32],
  ["TfMlpClassifier", () => new TfMlpClassifier({ epochs: 2, hiddenSizes: [16], seed: 4 }), "dropout", 0],
  ["TfCnnClassifier", () => new TfCnnClassifier({ epochs: 1 }), "learningRate", 0.01],
];

describe("estimator parameters (getParams / setParams / clone)", function () {
  this.timeout(30000);
  before(async () => {
    await initBackend();
  });

  for (const [name, make, param, value] of classifiers) {
    it(`${name}: getParams returns the constructor options, setParams and clone keep the contract`, () => {
      const model = make();
      const params = model.getParams() as Record<string, unknown>;
      assert.ok(param in params, `${name} lists ${param}`);
      // A model built from its own parameters has the same parameters.
      assert.deepEqual(make().getParams(), params);
      const twin = model.clone();
      assert.notEqual(twin, model);
      assert.equal(twin.constructor, model.constructor);
      assert.deepEqual(twin.getParams(), params);
      // getParams hands out copies: changing them does not change the model.
      if (Array.isArray(params[param])) (params[param] as unknown[]).push(1);
      assert.deepEqual(model.getParams(), make().getParams());
      // setParams changes one parameter, leaves the others, and rejects unknown names with the list.
      model.setParams({ [param]: value } as never);
      assert.deepEqual((model.getParams() as Record<string, unknown>)[param], value);
      for (const [key, old] of Object.entries(make().getParams() as Record<string, unknown>)) {
        if (key !== param && key !== "name")
          assert.deepEqual((model.getParams() as Record<string, unknown>)[key], old, key);
      }
      assert.throws(
        () => model.setParams({ nosuchParam: 1 } as never),
        new RegExp(`${name}.setParams: unknown option "nosuchParam".*known options: .*${param}`),
      );
      assert.throws(
        () => model.setParams({ [param]: Number.POSITIVE_INFINITY } as never),
        new RegExp(`${name}: ${param}`),
      );
      // A misspelled constructor option is an error too, with a hint.
      const Ctor = model.constructor as new (options: object) => Classifier;
      assert.throws(
        () => new Ctor({ seeed: 1 }),
        /unknown option "seeed" \(did you mean "seed"\?\)|unknown option "seeed"/,
      );
    });
  }

  it("a clone trains to the same predictions as the original (same seed), and starts unfitted", async () => {
    const { x, y } = blobs(120, 1);
    for (const make of [
      () => new SoftmaxRegression({ epochs: 3, seed: 7 }),
      () => new LinearSvmClassifier({ epochs: 3, seed: 7 }),
    ]) {
      const model = await make().fit(x, y);
      const twin = model.clone();
      assert.throws(() => twin.predict(x), /called before fit/);
      await twin.fit(x, y);
      assert.deepEqual(twin.predictProba(x), model.predictProba(x));
    }
  });

  it("RbfSvmClassifier lists the linear machine's parameters too, defaults filled in", () => {
    const params = new RbfSvmClassifier({ nComponents: 64 }).getParams();
    assert.equal(params.alpha, 1e-4);
    assert.equal(params.loss, "squared_hinge");
    const model = new RbfSvmClassifier({ nComponents: 64 }).setParams({ alpha: 0.01 });
    assert.equal(model.getParams().alpha, 0.01);
    assert.equal(model.getParams().nComponents, 64);
  });

  it("setParams on a fitted model leaves it unfitted", async () => {
    const { x, y } = blobs(60, 2);
    const model = await new KNeighborsClassifier({ k: 1 }).fit(x, y);
    model.setParams({ k: 3 });
    assert.equal(model.isFitted, false);
    assert.throws(() => model.predict(x), /called before fit/);
  });

  it("transformers have the same contract", () => {
    const cases: [() => { getParams(): object; setParams(p: object): unknown; clone(): unknown }, object][] =
      [
        [() => new PixelScaler(255), { maxValue: 255 }],
        [() => new MinMaxScaler(), {}],
        [() => new StandardScaler({ minStd: 1e-3 }), { minStd: 1e-3 }],
      ];
    for (const [make, expected] of cases) {
      const transformer = make();
      assert.deepEqual(transformer.getParams(), expected);
      assert.deepEqual((transformer.clone() as { getParams(): object }).getParams(), expected);
      assert.throws(() => transformer.setParams({ bogus: 1 }), /unknown option "bogus"/);
    }
    const pca = new PCA({ nComponents: 5 });
    assert.equal(pca.getParams().nComponents, 5);
    pca.setParams({ nComponents: 0.9 });
    assert.equal(pca.getParams().nComponents, 0.9);
    assert.throws(() => pca.setParams({ nComponents: -1 }), /nComponents/);
    assert.deepEqual(new PixelScaler({ maxValue: 16 }).getParams(), { maxValue: 16 });
    assert.throws(
      () => new PixelScaler(Number.POSITIVE_INFINITY),
      /PixelScaler: maxValue must be a positive number, got Infinity/,
    );
  });
});
