import { strict as assert } from "assert";
import { initBackend } from "../../lib/backend";
import { matrix, type Matrix } from "../../lib/matrix";
import type { Classifier } from "../../lib/models/estimator";
import { KNeighborsClassifier } from "../../lib/models/neighbors/knn";
import { LinearSvmClassifier } from "../../lib/models/svm/linear-svm";
import { RbfSvmClassifier } from "../../lib/models/svm/rbf-svm";
import { TfMlpClassifier } from "../../lib/models/tfjs/mlp";
import { TfSoftmaxRegression } from "../../lib/models/tfjs/softmax-regression";
import { Random } from "../../lib/random";

function noise(rows: number, cols: number, seed: number): { x: Matrix; y: Uint8Array } {
  const random = new Random(seed);
  const x = new Float32Array(rows * cols).map(() => random.normal());
  const y = new Uint8Array(rows).map((_, i) => i % 10);
  return { x: matrix(x, rows, cols), y };
}

/** A copy of `x` with one value replaced. */
function poisoned(x: Matrix, row: number, col: number, value: number): Matrix {
  const data = x.data.slice();
  data[row * x.cols + col] = value;
  return matrix(data, x.rows, x.cols);
}

const models: [string, () => Classifier][] = [
  ["k-NN", () => new KNeighborsClassifier({ k: 3 })],
  ["linear SVM", () => new LinearSvmClassifier({ epochs: 1 })],
  ["RBF SVM", () => new RbfSvmClassifier({ epochs: 1, nComponents: 32 })],
  ["tfjs softmax regression", () => new TfSoftmaxRegression({ epochs: 1 })],
  ["tfjs MLP", () => new TfMlpClassifier({ epochs: 1, hiddenSizes: [8] })],
];

describe("classifiers refuse NaN and Infinity (inputs and hyperparameters)", function () {
  this.timeout(30000);
  before(async () => {
    await initBackend();
  });

  for (const [label, make] of models) {
    it(`${label}: a NaN or Infinity in fit or predict input is named by row and column`, async () => {
      const { x, y } = noise(40, 6, 1);
      await assert.rejects(make().fit(poisoned(x, 3, 4, NaN), y), /fit: x holds NaN at row 3, column 4/);
      await assert.rejects(
        make().fit(x, y, { validation: { x: poisoned(x, 0, 1, Infinity), y } }),
        /validation\.x holds Infinity at row 0, column 1/,
      );
      const model = await make().fit(x, y);
      assert.throws(
        () => model.predict(poisoned(x, 7, 0, -Infinity)),
        /predict: x holds -Infinity at row 7, column 0/,
      );
      assert.throws(
        () => model.predictProba(poisoned(x, 1, 5, NaN)),
        /predictProba: x holds NaN at row 1, column 5/,
      );
    });
  }

  it("Infinity and NaN never pass a hyperparameter check", () => {
    assert.throws(
      () => new LinearSvmClassifier({ learningRate: Infinity }),
      /LinearSvmClassifier: learningRate must be a positive number, got Infinity/,
    );
    assert.throws(
      () => new LinearSvmClassifier({ alpha: Infinity }),
      /LinearSvmClassifier: alpha must be a finite number ≥ 0, got Infinity/,
    );
    assert.throws(
      () => new LinearSvmClassifier({ alpha: NaN }),
      /alpha must be a finite number ≥ 0, got NaN/,
    );
    assert.throws(
      () => new RbfSvmClassifier({ gamma: Infinity }),
      /RbfSvmClassifier: gamma must be a positive number, got Infinity/,
    );
    assert.throws(
      () => new TfSoftmaxRegression({ learningRate: Infinity }),
      /TfSoftmaxRegression: learningRate must be a positive number, got Infinity/,
    );
    assert.throws(
      () => new TfMlpClassifier({ epochs: 2.5 }),
      /TfMlpClassifier: epochs must be a positive integer, got 2.5/,
    );
    assert.throws(
      () => new KNeighborsClassifier({ k: "3" as never }),
      /TypeError|k must be a positive integer, got "3"/,
    );
  });

  it("the SVM and TensorFlow.js loops stop on a diverging loss, naming the model, epoch and learning rate", async () => {
    const { x, y } = noise(256, 6, 2);
    const big = poisoned(x, 0, 0, 1e30);
    await assert.rejects(
      new LinearSvmClassifier({ epochs: 2, batchSize: 32, learningRate: 1e30 }).fit(big, y),
      /Linear SVM: training diverged at epoch 1, step \d+: the loss is (NaN|Infinity); the learning rate was 1e\+30/,
    );
    await assert.rejects(
      new TfSoftmaxRegression({ epochs: 2, batchSize: 32, learningRate: 1e30 }).fit(big, y),
      /Softmax regression \(tfjs\): training diverged at epoch 1: the loss is (NaN|Infinity); the learning rate was 1e\+30/,
    );
  });
});
