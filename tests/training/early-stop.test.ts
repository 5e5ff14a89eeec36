import { strict as assert } from "assert";
import { initBackend } from "../../lib/backend";
import type { Classifier } from "../../lib/models/estimator";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { LinearSvmClassifier } from "../../lib/models/svm/linear-svm";
import { TfSoftmaxRegression } from "../../lib/models/tfjs/softmax-regression";
import { runEpochs } from "../../lib/training/epochs";
import { blobs } from "../tuning/helpers";

describe('stopping training early: onEpoch returns "stop"', function () {
  this.timeout(60000);
  before(() => initBackend());

  it("the shared loop ends after the epoch whose hook said stop, and returns its logs", async () => {
    const trained: number[] = [];
    const logs = await runEpochs({
      who: "toy",
      epochs: 6,
      learningRate: 0.1,
      trainEpoch: (epoch) => {
        trained.push(epoch);
        return { loss: 1 / epoch, samples: 10 };
      },
      onEpoch: (log) => (log.epoch === 3 ? "stop" : undefined),
    });
    assert.deepEqual(trained, [1, 2, 3]);
    assert.deepEqual(
      logs.map((l) => l.epoch),
      [1, 2, 3],
    );
  });

  it("any other string from onEpoch is an error naming the model and the value", async () => {
    await assert.rejects(
      runEpochs({
        who: "toy",
        epochs: 3,
        learningRate: 0.1,
        trainEpoch: () => ({ loss: 1, samples: 1 }),
        onEpoch: () => "halt" as never,
      }),
      /toy: onEpoch returned "halt"; expected "stop" or nothing/,
    );
  });

  const data = blobs(300, 2);
  const models: [string, () => Classifier][] = [
    ["a scratch network", () => new SoftmaxRegression({ epochs: 6, batchSize: 32, learningRate: 0.05 })],
    ["the linear SVM", () => new LinearSvmClassifier({ epochs: 6 })],
    [
      "a TensorFlow.js model",
      () => new TfSoftmaxRegression({ epochs: 6, batchSize: 32, learningRate: 0.05 }),
    ],
  ];
  for (const [what, make] of models) {
    it(`${what} stops cleanly: fitted with the epochs it trained, and predicts`, async () => {
      const seen: number[] = [];
      const model = await make().fit(data.x, data.y, {
        onEpoch: (log) => {
          seen.push(log.epoch);
          return log.epoch === 2 ? "stop" : undefined;
        },
      });
      assert.deepEqual(seen, [1, 2]);
      assert.equal(model.history.length, 2);
      // Two epochs on well-separated blobs are enough to learn them: the model is usable, not half-built.
      assert.ok(model.score(data.x, data.y) > 0.9, `${what}: ${model.score(data.x, data.y)}`);
    });
  }
});
