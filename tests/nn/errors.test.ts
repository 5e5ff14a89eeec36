/** Bad shapes, bad values and bad hyperparameters fail early, naming the layer or parameter. */
import * as assert from "assert";
import { getKernels } from "../../lib/kernels";
import { Conv2D } from "../../lib/nn/layers/conv2d";
import { Dense } from "../../lib/nn/layers/dense";
import { Dropout } from "../../lib/nn/layers/dropout";
import { Flatten } from "../../lib/nn/layers/flatten";
import { MaxPool2D } from "../../lib/nn/layers/max-pool";
import { ReLU } from "../../lib/nn/layers/relu";
import { Adam, AdamW } from "../../lib/nn/optimizers/adam";
import { Sgd } from "../../lib/nn/optimizers/sgd";
import {
  cosineSchedule,
  oneCycleSchedule,
  scheduleByName,
  stepSchedule,
  type ScheduleName,
} from "../../lib/nn/schedules";
import { Sequential } from "../../lib/nn/sequential";
import { train, TrainingDivergedError } from "../../lib/nn/train";
import { Random } from "../../lib/random";

describe("nn: error messages", () => {
  it("names the layer and both shapes on a shape mismatch", () => {
    const network = new Sequential([new Conv2D(4), new ReLU(), new Flatten(), new Dense(3)], [6, 6, 1], {
      batchCapacity: 2,
    });
    const wrong = { data: new Float32Array(2 * 36 * 2), shape: [2, 6, 6, 2] };
    assert.throws(
      () => network.forward(wrong, false),
      /conv2d_1: expected input of shape \[batch, 6, 6, 1\], got \[2, 6, 6, 2\]/,
    );
    const dense = network.layers[3];
    assert.throws(
      () => dense.forward({ data: new Float32Array(10), shape: [2, 5] }, false),
      /dense_1: expected input of shape \[batch, 64\], got \[2, 5\]/,
    );
  });

  it("rejects layer stacks whose shapes cannot connect", () => {
    assert.throws(
      () => new Sequential([new Dense(3)], [4, 4, 1], { batchCapacity: 1 }),
      /dense_1: expects flat inputs.*\[4, 4, 1\].*Flatten/,
    );
    assert.throws(
      () => new Sequential([new Conv2D(2, { kernelSize: 5 })], [3, 3, 1], { batchCapacity: 1 }),
      /conv2d_1: .*5×5 kernel does not fit a 3×3 input/,
    );
    assert.throws(
      () => new Sequential([new MaxPool2D(2)], [8], { batchCapacity: 1 }),
      /maxpool2d_1: expects NHWC images/,
    );
  });

  it("rejects invalid layer hyperparameters", () => {
    assert.throws(() => new Dropout(1), /dropout: rate must be a number in \[0, 1\), got 1/);
    assert.throws(() => new Dropout(-0.1), /dropout: rate/);
    assert.throws(() => new Dense(0), /dense: units must be a positive integer, got 0/);
    assert.throws(() => new Conv2D(8, { stride: 0 }), /conv2d: stride must be a positive integer, got 0/);
    assert.throws(() => new Conv2D(8, { pad: -1 }), /conv2d: pad must be an integer ≥ 0, got -1/);
  });

  it("rejects invalid optimizer and schedule hyperparameters", () => {
    assert.throws(() => new Sgd({ momentum: 1 }), /sgd: momentum must be a number in \[0, 1\), got 1/);
    assert.throws(() => new Sgd({ nesterov: true }), /nesterov needs a momentum/);
    assert.throws(() => new Adam({ beta2: 1.5 }), /adam: beta2/);
    assert.throws(() => new AdamW({ weightDecay: -1 }), /adamw: weightDecay/);
    assert.throws(() => stepSchedule({ gamma: 0 }), /gamma/);
    assert.throws(() => cosineSchedule({ minFraction: 1 }), /minFraction/);
    assert.throws(() => oneCycleSchedule({ warmupFraction: 0 }), /warmupFraction/);
    assert.throws(() => scheduleByName("linear" as ScheduleName), /unknown learning-rate schedule "linear"/);
  });

  it("rejects zero or negative training hyperparameters", () => {
    const network = new Sequential([new Dense(2)], [3], { batchCapacity: 4 });
    const x = new Float32Array(12);
    const y = new Uint8Array(4);
    const base = { epochs: 1, batchSize: 4, learningRate: 0.1, optimizer: new Sgd() };
    return Promise.all([
      assert.rejects(
        train(network, x, y, { ...base, learningRate: 0 }),
        /learningRate must be a positive number, got 0/,
      ),
      assert.rejects(
        train(network, x, y, { ...base, epochs: -1 }),
        /epochs must be a positive integer, got -1/,
      ),
      assert.rejects(
        train(network, x, y, { ...base, batchSize: 0 }),
        /batchSize must be a positive integer, got 0/,
      ),
      assert.rejects(
        train(network, x, y, { ...base, batchSize: 8 }),
        /batchSize 8 exceeds the network's batch capacity 4/,
      ),
    ]);
  });

  it("stops a diverging run with the epoch and step", async () => {
    const random = new Random(3);
    const count = 64;
    const x = Float32Array.from({ length: count * 8 }, () => random.normal(0, 10));
    const y = Uint8Array.from({ length: count }, () => random.int(2));
    const network = new Sequential([new Dense(16), new ReLU(), new Dense(2)], [8], {
      batchCapacity: 8,
      seed: 1,
    });
    await assert.rejects(
      train(network, x, y, {
        epochs: 5,
        batchSize: 8,
        learningRate: 1e3,
        optimizer: new Sgd(),
        label: "toy",
      }),
      (error: Error) =>
        error instanceof TrainingDivergedError &&
        /^toy: training diverged at epoch 1, step \d+: the (loss is (NaN|Infinity)|loss exploded)/.test(
          error.message,
        ),
    );
  });

  it("uses the kernels it was given", () => {
    const kernels = getKernels({ implementation: "reference" });
    const network = new Sequential([new Dense(2)], [3], { batchCapacity: 1, kernels });
    assert.strictEqual(network.kernels, kernels);
  });
});
