import { strict as assert } from "assert";
import { Random } from "../../lib/random";
import { makeAugmenter, BackgroundAugmenter, type AugmentOptions } from "../../lib/augmentation";
import { startInBackground } from "../../lib/augmentation/background";
import { Dense } from "../../lib/nn/layers/dense";
import { Flatten } from "../../lib/nn/layers/flatten";
import { Adam } from "../../lib/nn/optimizers/adam";
import { Sequential } from "../../lib/nn/sequential";
import { train } from "../../lib/nn/train";

/** Images with distinct values everywhere, so any misplaced pixel shows. */
function images(count: number, seed: number): Float32Array {
  const random = new Random(seed);
  return Float32Array.from({ length: count * 784 }, () => random.next());
}

// Every kind of draw: coins (probability < 1), the affine parameters, the elastic field and per-pixel noise.
const RECIPE: AugmentOptions = {
  affine: { probability: 0.8, rotation: 12, shift: 2, scale: 0.1, shear: 5 },
  elastic: { probability: 0.5, alpha: 34, sigma: 4 },
  noise: { probability: 0.5, std: 0.1, salt: 0.01 },
};

describe("Random state", () => {
  it("a restored state continues the same stream, spare normal deviate included", () => {
    const random = new Random(3);
    random.normal(); // leaves a spare deviate behind
    const copy = new Random(99).restoreState(random.saveState());
    const draws = (r: Random) => [r.normal(), r.normal(), r.next(), r.nextUint32()];
    assert.deepEqual(draws(copy), draws(random));
  });
});

describe("BackgroundAugmenter", () => {
  it("gives the serial augmenter's images, batch after batch, and leaves the Random where it would", () => {
    const serial = makeAugmenter(RECIPE, { inBackground: false });
    const background = new BackgroundAugmenter(serial.options, 16);
    try {
      const serialRandom = new Random(7);
      const backgroundRandom = new Random(7);
      for (const [batch, seed] of [
        [16, 1],
        [5, 2],
        [16, 3],
      ]) {
        const expected = images(batch, seed);
        background.input.set(expected);
        serial(expected, batch, serialRandom);
        background.submit(batch, backgroundRandom);
        const actual = new Float32Array(batch * 784);
        background.receive(actual, backgroundRandom);
        assert.deepEqual(actual, expected, `batch of ${batch}`);
        assert.equal(backgroundRandom.nextUint32(), serialRandom.nextUint32());
      }
    } finally {
      background.close();
    }
  });

  it("refuses a second submit before receive, an oversized batch, and receive with nothing submitted", () => {
    const background = new BackgroundAugmenter(makeAugmenter({ affine: { rotation: 5 } }).options, 4);
    try {
      const random = new Random(0);
      assert.throws(() => background.receive(new Float32Array(784), random), /without a submitted batch/);
      assert.throws(() => background.submit(5, random), /batchSize must be an integer in 1\.\.4, got 5/);
      background.submit(2, random);
      assert.throws(() => background.submit(2, random), /receive it first/);
      background.receive(new Float32Array(2 * 784), random);
    } finally {
      background.close();
    }
  });

  it("runs only recipe augmenters that allow it, on samples of the recipe's size", () => {
    const recipe = { affine: { rotation: 5 } };
    assert.equal(startInBackground(makeAugmenter(recipe, { inBackground: false }), 784, 8), null);
    assert.equal(
      startInBackground(() => undefined, 784, 8),
      null,
    );
    assert.equal(startInBackground(makeAugmenter(recipe), 3 * 784, 8), null);
    const started = startInBackground(makeAugmenter(recipe), 784, 8);
    assert.ok(started instanceof BackgroundAugmenter);
    started.close();
    assert.throws(() => makeAugmenter(recipe, { background: true } as never), /unknown option "background"/);
  });

  it("keeps a worker for the next fit of the same recipe, and replaces it when the batch outgrows it", () => {
    const recipe = { affine: { rotation: 7 } };
    const first = startInBackground(makeAugmenter(recipe), 784, 8)!;
    assert.equal(startInBackground(makeAugmenter(recipe), 784, 4), first, "another hook, same recipe");
    const bigger = startInBackground(makeAugmenter(recipe), 784, 16)!;
    assert.notEqual(bigger, first);
    assert.equal(bigger.capacity, 16);
    assert.equal(first.usable, false, "the outgrown worker is stopped");
    assert.notEqual(startInBackground(makeAugmenter({ affine: { rotation: 8 } }), 784, 8), bigger);
  });
});

describe("training with background augmentation", () => {
  /** Two epochs of a small network, with or without the recipe in the background; returns its weights. */
  async function trainedWeights(augmentation: "serial" | "background" | "none"): Promise<Float32Array[]> {
    const count = 50; // batches of 16, 16, 16 and 2: a short last batch too
    const x = images(count, 11);
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
    const network = new Sequential([new Flatten(), new Dense(10)], [28, 28, 1], {
      batchCapacity: 16,
      seed: 1,
    });
    const augment =
      augmentation === "none"
        ? undefined
        : makeAugmenter(RECIPE, { inBackground: augmentation === "background" });
    const optimizer = new Adam();
    await train(network, x, labels, {
      epochs: 2,
      batchSize: 16,
      learningRate: 0.01,
      optimizer,
      seed: 5,
      augment,
    });
    return network.state().map(({ value }) => Float32Array.from(value));
  }

  it("trains the same weights as serial augmentation with the same seed", async () => {
    const serial = await trainedWeights("serial");
    assert.deepEqual(await trainedWeights("background"), serial);
    // And the augmentation did something: without it the weights differ.
    assert.notDeepEqual(await trainedWeights("none"), serial);
  });
});
