/** Building a network for loaded weights: no random fill, and the random streams of later layers unchanged. */
import * as assert from "assert";
import { Conv2D } from "../../lib/nn/layers/conv2d";
import { Dense } from "../../lib/nn/layers/dense";
import { Dropout } from "../../lib/nn/layers/dropout";
import { Flatten } from "../../lib/nn/layers/flatten";
import { ReLU } from "../../lib/nn/layers/relu";
import { Sequential } from "../../lib/nn/sequential";
import { Random } from "../../lib/random";

describe("nn: building without initial weights", () => {
  const build = (initialize: boolean) =>
    new Sequential([new Conv2D(4), new ReLU(), new Flatten(), new Dropout(0.5), new Dense(3)], [6, 6, 1], {
      batchCapacity: 2,
      seed: 7,
      initialize,
    });

  it("leaves the weights at zero, and dropout draws the masks an initialised build draws", () => {
    const initialised = build(true);
    const bare = build(false);
    const weights = (network: Sequential) => network.params().filter((p) => p.name.endsWith(".weights"));
    assert.ok(weights(initialised).every((p) => p.value.some((v) => v !== 0)));
    assert.ok(weights(bare).every((p) => p.value.every((v) => v === 0)));
    // Loaded weights in both, then a training-mode pass: the same dropout masks give the same outputs.
    bare.state().forEach(({ value }, i) => value.set(initialised.state()[i].value));
    const random = new Random(1);
    const input = Float32Array.from({ length: 2 * 36 }, () => random.uniform(0, 1));
    const pass = (network: Sequential) => {
      const batch = network.input.view(2);
      batch.data.set(input);
      return Array.from(network.forward(batch, true).data);
    };
    assert.deepStrictEqual(pass(bare), pass(initialised));
  });
});
