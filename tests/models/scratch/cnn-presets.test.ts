/** Every CNN preset builds, maps a 28×28 image to 10 logits, and rejects options it cannot honour. */
import * as assert from "assert";
import { getKernels } from "../../../lib/kernels";
import { CNN_PRESETS, CNN_PRESET_SPECS, CnnClassifier } from "../../../lib/models/scratch";
import { Sequential } from "../../../lib/nn/sequential";

describe("CNN presets", () => {
  it("each preset builds into a network from a 28×28×1 image to 10 logits", () => {
    for (const preset of CNN_PRESETS) {
      const network = new Sequential(CNN_PRESET_SPECS[preset].layers(10), [28, 28, 1], {
        batchCapacity: 2,
        kernels: getKernels(),
      });
      assert.deepStrictEqual([...network.outputShape], [10], preset);
      const logits = network.predict(new Float32Array(2 * 784).fill(0.5), 2);
      assert.ok(logits.every(Number.isFinite), `${preset}: finite logits`);
    }
  });

  it("each preset's smallest image size is the smallest its layers accept", () => {
    for (const preset of CNN_PRESETS) {
      const side = CNN_PRESET_SPECS[preset].minImageSize;
      const build = (s: number) =>
        new Sequential(CNN_PRESET_SPECS[preset].layers(10), [s, s, 1], {
          batchCapacity: 1,
          kernels: getKernels(),
        });
      assert.doesNotThrow(() => build(side), preset);
      assert.throws(() => build(side - 1), Error, `${preset} at ${side - 1}`);
    }
  });

  it("CnnClassifier takes each preset's training defaults", () => {
    for (const preset of CNN_PRESETS) {
      const model = new CnnClassifier({ preset });
      const defaults = CNN_PRESET_SPECS[preset].defaults;
      assert.strictEqual(model.epochs, defaults.epochs, preset);
      assert.strictEqual(model.learningRate, defaults.learningRate, preset);
      assert.strictEqual(model.batchSize, defaults.batchSize, preset);
    }
  });

  it("rejects an unknown preset, listing the valid ones", () => {
    assert.throws(
      () => new CnnClassifier({ preset: "fast" as never }),
      /preset must be one of "reference", "strong", "speed", "accuracy", got "fast"/,
    );
  });

  it("rejects a batch size above the preset's capacity and an image too small for its layers", () => {
    const capacity = CNN_PRESET_SPECS.speed.maxBatchSize;
    assert.doesNotThrow(() => new CnnClassifier({ preset: "speed", batchSize: capacity }));
    assert.throws(
      () => new CnnClassifier({ preset: "speed", batchSize: capacity + 1 }),
      new RegExp(`"speed" preset accepts a batchSize of at most ${capacity} .*got ${capacity + 1}`),
    );
    assert.throws(
      () => new CnnClassifier({ preset: "accuracy", imageSize: 9 }),
      /"accuracy" preset needs an imageSize of at least 10 .*got 9/,
    );
  });
});
