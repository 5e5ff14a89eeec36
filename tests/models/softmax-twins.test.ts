import { strict as assert } from "assert";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { TfSoftmaxRegression } from "../../lib/models/tfjs/softmax-regression";

describe("softmax regression twins", () => {
  it("share their training defaults (chosen together on validation)", () => {
    const scratch = new SoftmaxRegression().getParams() as unknown as Record<string, unknown>;
    const tfjs = new TfSoftmaxRegression().getParams() as unknown as Record<string, unknown>;
    const shared = ["epochs", "batchSize", "learningRate", "schedule", "labelSmoothing", "seed"];
    for (const name of shared) assert.deepEqual(tfjs[name], scratch[name], name);
    // The tfjs twin always trains with Adam: the scratch default must be the same optimizer.
    assert.equal(scratch.optimizer, "adam");
    assert.equal(scratch.schedule, "cosine");
  });
});
