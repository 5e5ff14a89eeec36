import { strict as assert } from "assert";
import { activeBackend, getTf, initBackend } from "../../../lib/backend";
import { loadMnist } from "../../../lib/data/mnist";
import { toMatrix } from "../../../lib/data/dataset";
import { matrix, Matrix } from "../../../lib/matrix";
import { TfSoftmaxRegression } from "../../../lib/models/tfjs/softmax-regression";
import { TfMlpClassifier } from "../../../lib/models/tfjs/mlp";
import { TfCnnClassifier } from "../../../lib/models/tfjs/cnn";
import { softmaxCrossEntropy } from "../../../lib/nn/loss";

describe("TensorFlow.js classifiers", function () {
  this.timeout(30000);
  let train: { x: Matrix; y: Uint8Array };
  let test: { x: Matrix; y: Uint8Array };

  before(async () => {
    await initBackend();
    const mnist = loadMnist({ trainLimit: 2000, testLimit: 1000 });
    train = { x: toMatrix(mnist.train), y: mnist.train.labels };
    test = { x: toMatrix(mnist.test), y: mnist.test.labels };
  });

  it("logistic regression learns MNIST from 2,000 samples (> 85% on 1,000 test images)", async () => {
    const model = await new TfSoftmaxRegression({ epochs: 10, learningRate: 0.01, batchSize: 128 }).fit(
      train.x,
      train.y,
      { validation: test },
    );
    const accuracy = model.score(test.x, test.y);
    assert.ok(accuracy > 0.85, `accuracy ${accuracy}`);
    assert.equal(model.implementation, "tfjs");
    assert.equal(model.history.length, 10);
    assert.ok(model.history[9].loss < model.history[0].loss);
    assert.equal(model.history[9].valAccuracy, accuracy);
    model.dispose();
  });

  it("label smoothing: TensorFlow.js's smoothed loss equals ours, and the option is a checked parameter", () => {
    const tf = getTf();
    const logits = Float32Array.from([2, -1, 0.5, 0, 3, -2, 1, 1, 1]);
    const labels = [0, 1, 2];
    const ours = softmaxCrossEntropy({ data: logits, shape: [3, 3] }, labels, undefined, 0.2).loss;
    const theirs = tf.tidy(() => {
      const targets = tf.oneHot(tf.tensor1d(labels, "int32"), 3);
      const loss = tf.losses.softmaxCrossEntropy(targets, tf.tensor2d(logits, [3, 3]), undefined, 0.2);
      return loss.dataSync()[0];
    });
    assert.ok(Math.abs(ours - theirs) < 1e-5, `ours ${ours}, TensorFlow.js ${theirs}`);
    const model = new TfSoftmaxRegression({ labelSmoothing: 0.1 });
    assert.equal((model.getParams() as { labelSmoothing: number }).labelSmoothing, 0.1);
    assert.throws(() => new TfSoftmaxRegression({ labelSmoothing: 1 }), /labelSmoothing must be a number in/);
  });

  it("MLP learns MNIST from 2,000 samples (> 85%), reports each epoch, and leaks no tensors", async () => {
    const tf = getTf();
    const before = tf.memory().numTensors;
    const epochs: number[] = [];
    const model = await new TfMlpClassifier({ hiddenSizes: [128], epochs: 5, seed: 3 }).fit(
      train.x,
      train.y,
      {
        onEpoch: (log) => {
          epochs.push(log.epoch);
        },
      },
    );
    assert.deepEqual(epochs, [1, 2, 3, 4, 5]);
    const afterFit = tf.memory().numTensors;
    const proba = model.predictProba(test.x);
    assert.equal(tf.memory().numTensors, afterFit, "predictProba keeps no tensors");
    assert.equal(proba.length, test.x.rows * 10);
    assert.ok(Math.abs(proba.subarray(0, 10).reduce((a, b) => a + b, 0) - 1) < 1e-5);
    const accuracy = model.score(test.x, test.y);
    assert.ok(accuracy > 0.85, `accuracy ${accuracy}`);
    model.dispose();
    assert.equal(tf.memory().numTensors, before, "dispose frees weights and optimizer state");
    assert.throws(() => model.predict(test.x), /before fit/);
  });

  it("gives identical models for the same seed (batch order, initialisation and dropout)", async () => {
    const small = { x: matrix(train.x.data.subarray(0, 300 * 784), 300, 784), y: train.y.subarray(0, 300) };
    const fit = () =>
      new TfMlpClassifier({ hiddenSizes: [32], epochs: 2, batchSize: 32, seed: 9 }).fit(small.x, small.y);
    const [a, b] = [await fit(), await fit()];
    const c = await new TfMlpClassifier({ hiddenSizes: [32], epochs: 2, batchSize: 32, seed: 10 }).fit(
      small.x,
      small.y,
    );
    assert.deepEqual(a.predictProba(test.x), b.predictProba(test.x));
    assert.notDeepEqual(a.predictProba(test.x), c.predictProba(test.x));
    [a, b, c].forEach((model) => model.dispose());
  });

  it("rejects bad hyperparameters and bad input", async () => {
    assert.throws(() => new TfMlpClassifier({ hiddenSizes: [0] }), /hiddenSizes/);
    assert.throws(() => new TfMlpClassifier({ dropout: 1 }), /dropout/);
    assert.throws(() => new TfSoftmaxRegression({ epochs: 0 }), /epochs/);
    const model = new TfSoftmaxRegression({ epochs: 1 });
    assert.throws(() => model.predict(test.x), /before fit/);
    await assert.rejects(
      model.fit(matrix(new Float32Array(0), 0, 784), new Uint8Array(0)),
      /x is empty \(0 rows\)/,
    );
    await model.fit(train.x, train.y);
    assert.throws(
      () => model.predictProba(matrix(new Float32Array(10), 1, 10)),
      /10 features per sample, but the model was fitted on 784/,
    );
    model.dispose();
  });

  describe("CNN on the wasm backend", () => {
    let previous: ReturnType<typeof activeBackend>;
    before(async () => {
      previous = activeBackend();
      await initBackend("wasm");
    });
    after(async () => {
      if (previous) await initBackend(previous.name);
    });

    it("fails fast with a clear error instead of hanging", async () => {
      const cnn = new TfCnnClassifier({ epochs: 1 });
      await assert.rejects(
        cnn.fit(train.x, train.y),
        /impractical on the 'wasm' backend: .*Conv2DBackpropFilter/,
      );
      assert.equal(cnn.isFitted, false);
    });
  });
});
