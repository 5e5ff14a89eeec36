/**
 * The moving average of the weights: its arithmetic against values worked out by hand, the swap that
 * evaluation uses, and its path through the training loop (the network ends holding the average of
 * the weights each step left, batch-norm statistics included) and the scratch classifiers.
 */
import * as assert from "assert";
import { matrix } from "../../lib/matrix";
import { CnnClassifier, MlpClassifier } from "../../lib/models/scratch";
import { BatchNorm } from "../../lib/nn/layers/batch-norm";
import { Dense } from "../../lib/nn/layers/dense";
import { ReLU } from "../../lib/nn/layers/relu";
import { Sgd } from "../../lib/nn/optimizers/sgd";
import { Sequential } from "../../lib/nn/sequential";
import { train, type TrainLog } from "../../lib/nn/train";
import { WeightAverage } from "../../lib/nn/weight-average";
import { Random } from "../../lib/random";

describe("nn: weight average", () => {
  it("follows the warmed-up decay: 0.1, then 2/11, then the cap", () => {
    const value = Float32Array.from([0, 10]);
    const average = new WeightAverage([{ name: "w", value }], 0.2);
    // d = min(0.2, (1 + n)/(10 + n)): 0.1, 2/11, then 0.2 (3/12 is above the cap).
    assert.equal(average.nextDecay(), 0.1);
    value.set([1, 10]);
    average.update(); // 0 + 0.9·(1 − 0) = 0.9
    assert.ok(Math.abs(average.nextDecay() - 2 / 11) < 1e-15);
    value.set([2, 10]);
    average.update(); // 0.9 + (9/11)·(2 − 0.9) = 1.8
    assert.equal(average.nextDecay(), 0.2);
    value.set([4, 10]);
    average.update(); // 1.8 + 0.8·(4 − 1.8) = 3.56
    const seen = average.withAverage(() => Array.from(value));
    assert.ok(Math.abs(seen[0] - 3.56) < 1e-6, `average ${seen[0]}, expected 3.56`);
    assert.equal(seen[1], 10, "a constant stays constant");
    assert.deepEqual(Array.from(value), [4, 10], "withAverage puts the live values back");
    assert.equal(average.updates, 3);
  });

  it("puts the live values back when the evaluation throws", () => {
    const value = Float32Array.from([1, 2, 3]);
    const average = new WeightAverage([{ name: "w", value }], 0.9);
    value.set([5, 6, 7]);
    average.update();
    assert.throws(() => average.withAverage(() => assert.fail("evaluation failed")), /evaluation failed/);
    assert.deepEqual(Array.from(value), [5, 6, 7]);
  });

  it("rejects a decay outside (0, 1), naming it", () => {
    const arrays = [{ name: "w", value: new Float32Array(1) }];
    assert.throws(() => new WeightAverage(arrays, 1), /WeightAverage: decay must be .*got 1/);
    assert.throws(() => new WeightAverage(arrays, 0), /WeightAverage: decay must be .*got 0/);
  });

  it("train with emaDecay leaves the network holding the average of every step's weights and statistics", async () => {
    const random = new Random(3);
    const count = 16;
    const x = Float32Array.from({ length: count * 4 }, () => random.normal(0, 1));
    const labels = Uint8Array.from({ length: count }, (_, i) => (x[4 * i] + x[4 * i + 1] > 0 ? 1 : 0));
    const makeNetwork = () =>
      new Sequential([new Dense(6), new BatchNorm(), new ReLU(), new Dense(2)], [4], {
        batchCapacity: count,
        seed: 5,
      });
    const snapshot = (network: Sequential) => network.state().map(({ value }) => Float64Array.from(value));
    // One full batch per epoch: the batch's shuffle does not change the step beyond rounding.
    const options = { epochs: 5, batchSize: count, learningRate: 0.2, seed: 1 };

    // The plain run: the weights (and running statistics) after each step, averaged by hand.
    const plain = makeNetwork();
    let expected = snapshot(plain);
    let updates = 0;
    const decay = 0.5;
    await train(plain, x, labels, {
      ...options,
      optimizer: new Sgd(),
      onEpoch: () => {
        const d = Math.min(decay, (1 + updates) / (10 + updates));
        const now = snapshot(plain);
        expected = expected.map((average, a) => average.map((v, i) => d * v + (1 - d) * now[a][i]));
        updates++;
      },
    });
    const last = snapshot(plain);

    const averaged = makeNetwork();
    const logs = await train(averaged, x, labels, {
      ...options,
      optimizer: new Sgd(),
      emaDecay: decay,
      validation: { x, labels },
    });
    const actual = snapshot(averaged);
    const names = averaged.state().map(({ name }) => name);
    assert.ok(
      names.some((name) => name.endsWith("runningMean")),
      "the statistics are in the state",
    );
    let differsFromLast = false;
    actual.forEach((values, a) =>
      values.forEach((v, i) => {
        const want = expected[a][i];
        assert.ok(Math.abs(v - want) < 1e-5 * (1 + Math.abs(want)), `${names[a]}[${i}]: ${v} vs ${want}`);
        if (Math.abs(last[a][i] - want) > 1e-3) differsFromLast = true;
      }),
    );
    assert.ok(differsFromLast, "the average differs from the last step's weights");
    const log = logs[logs.length - 1] as TrainLog;
    assert.equal(typeof log.liveValAccuracy, "number", "the live weights' validation accuracy is logged");
  });

  it("is a parameter of the scratch classifiers, checked, and a preset default that can be turned off", () => {
    assert.throws(() => new MlpClassifier({ emaDecay: 1 }), /MlpClassifier: emaDecay must be .*got 1/);
    assert.equal(new MlpClassifier().emaDecay, undefined, "off unless asked for");
    assert.equal((new MlpClassifier({ emaDecay: 0.99 }).getParams() as { emaDecay?: number }).emaDecay, 0.99);
    assert.equal(new CnnClassifier({ preset: "accuracy", emaDecay: 0 }).emaDecay, 0);
  });

  it("a classifier fitted with it predicts with the averaged weights", async () => {
    const random = new Random(8);
    const rows = 40;
    const data = Float32Array.from({ length: rows * 3 }, () => random.normal(0, 1));
    const y = Uint8Array.from({ length: rows }, (_, i) => (data[3 * i] > 0 ? 1 : 0));
    const x = matrix(data, rows, 3);
    const make = (emaDecay: number) =>
      new MlpClassifier({ hiddenSizes: [8], epochs: 3, batchSize: 8, learningRate: 0.05, emaDecay });
    const live = await make(0).fit(x, y);
    const averaged = await make(0.9).fit(x, y);
    const a = live.predictProba(x);
    const b = averaged.predictProba(x);
    assert.ok(
      a.some((v, i) => Math.abs(v - b[i]) > 1e-4),
      "averaging changes the fitted model's probabilities",
    );
  });
});
