import { strict as assert } from "assert";
import { formatEpoch } from "../../lib/training/format-epoch";
import { runEpochs } from "../../lib/training/epochs";
import { checkLossGrowth, TrainingDivergedError } from "../../lib/training/diverged";

describe("the shared epoch loop", () => {
  it("records one log per epoch with timing and validation, and calls onEpoch", async () => {
    const seen: number[] = [];
    const steps: string[] = [];
    const logs = await runEpochs({
      who: "toy",
      epochs: 3,
      learningRate: 0.1,
      trainEpoch: (epoch, report) => {
        report(1, 2);
        report(2, 2);
        steps.push(`e${epoch}`);
        return { loss: 1 / epoch, accuracy: 0.5, samples: 100 };
      },
      validate: () => ({ loss: 0.25, accuracy: 0.75 }),
      onEpoch: (log) => {
        seen.push(log.epoch);
      },
    });
    assert.deepEqual(seen, [1, 2, 3]);
    assert.deepEqual(steps, ["e1", "e2", "e3"]);
    assert.deepEqual(
      logs.map((l) => l.loss),
      [1, 0.5, 1 / 3],
    );
    for (const log of logs) {
      assert.equal(log.valAccuracy, 0.75);
      assert.equal(log.learningRate, 0.1);
      assert.ok(log.samplesPerSecond! > 0 && log.seconds >= 0);
    }
  });

  it("stops at the first non-finite loss with an error naming the model, epoch and learning rate", async () => {
    let epochsRun = 0;
    await assert.rejects(
      runEpochs({
        who: "My model",
        epochs: 5,
        learningRate: 3,
        trainEpoch: (epoch) => {
          epochsRun++;
          return { loss: epoch === 2 ? NaN : 1, samples: 10 };
        },
      }),
      (error: Error) =>
        error instanceof TrainingDivergedError &&
        /^My model: training diverged at epoch 2: the loss is NaN; the learning rate was 3: lower it$/.test(
          error.message,
        ),
    );
    assert.equal(epochsRun, 2);
  });

  it("a loss that grows past the factor counts as diverged", () => {
    assert.doesNotThrow(() => checkLossGrowth("m", 9, 1, 10, { epoch: 1, step: 3, learningRate: 1 }));
    assert.throws(
      () => checkLossGrowth("m", 11, 1, 10, { epoch: 1, step: 3, learningRate: 1 }),
      /m: training diverged at epoch 1, step 3: the loss exploded from 1.000 to 11.000/,
    );
  });

  it("prints one line per epoch when verbose outside a terminal or notebook", async () => {
    const lines: string[] = [];
    const original = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      await runEpochs({
        who: "quiet",
        epochs: 2,
        learningRate: 1,
        trainEpoch: () => ({ loss: 1, samples: 1 }),
      });
      await runEpochs({
        who: "loud",
        epochs: 2,
        learningRate: 1,
        verbose: true,
        trainEpoch: () => ({ loss: 0.5, samples: 1 }),
      });
    } finally {
      console.log = original;
    }
    assert.equal(lines.length, 2);
    assert.match(
      lines[0],
      /^loud epoch 1\/2 {2}loss 0\.5000 {2}lr 1\.00e\+0 {2}\d+ samples\/s {2}\d+\.\d s$/,
    );
  });

  it("formats every model's epoch the same way", () => {
    const line = formatEpoch(
      "SVM",
      { epoch: 3, loss: 0.12345, accuracy: 0.9, valLoss: 0.2, valAccuracy: 0.85, seconds: 1.25 },
      10,
    );
    assert.equal(line, "SVM epoch  3/10  loss 0.1235  acc 90.00%  val loss 0.2000  val acc 85.00%  1.3 s");
  });
});
