import { strict as assert } from "assert";
import { matrix } from "../../lib/matrix";
import { type Classifier } from "../../lib/models/estimator";
import { Random } from "../../lib/random";
import {
  augmentedCopy,
  expandWithCopies,
  scaledAugmentation,
  scoreOn,
  strengthGrid,
} from "../../lib/experiments/augmentation-study";

function images(count: number, seed: number) {
  const random = new Random(seed);
  const data = new Float32Array(count * 784);
  for (let n = 0; n < count; n++) {
    // A bar of ink in the middle of each image, at a random column.
    const column = 10 + random.int(8);
    for (let y = 6; y < 22; y++) data[n * 784 + y * 28 + column] = 1;
  }
  return matrix(data, count, 784);
}

describe("augmentation study helpers", () => {
  it("augmentedCopy is reproducible from its seed, changes the images and leaves the input alone", () => {
    const x = images(5, 1);
    const before = x.data.slice();
    const options = { affine: { rotation: 20, shift: 3 } };
    const a = augmentedCopy(x, options, 7);
    const b = augmentedCopy(x, options, 7);
    const c = augmentedCopy(x, options, 8);
    assert.deepEqual(a.data, b.data);
    assert.notDeepEqual(a.data, c.data);
    assert.notDeepEqual(a.data, x.data);
    assert.deepEqual(x.data, before);
    assert.equal(a.rows, 5);
    assert.throws(() => augmentedCopy(matrix(new Float32Array(10), 1, 10), options, 0), /not 28×28 images/);
  });

  it("augmentedCopy with no transform is an exact copy", () => {
    const x = images(3, 2);
    assert.deepEqual(augmentedCopy(x, {}, 0).data, x.data);
  });

  it("expandWithCopies keeps the originals first and repeats the labels", () => {
    const x = images(4, 3);
    const y = Uint8Array.from([1, 2, 3, 4]);
    const expanded = expandWithCopies(x, y, 2, { affine: { shift: 2 } }, 5);
    assert.equal(expanded.x.rows, 12);
    assert.deepEqual(Array.from(expanded.y), [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
    assert.deepEqual(expanded.x.data.subarray(0, x.data.length), x.data);
    const first = expanded.x.data.subarray(x.data.length, 2 * x.data.length);
    const second = expanded.x.data.subarray(2 * x.data.length);
    assert.notDeepEqual(first, second, "each copy draws new transforms");
    assert.equal(expandWithCopies(x, y, 0, {}, 0).x.rows, 4);
    assert.throws(() => expandWithCopies(x, y, -1, {}, 0), /copies must be an integer/);
    assert.throws(() => expandWithCopies(x, y.subarray(1), 1, {}, 0), /labels/);
    assert.throws(
      () => expandWithCopies(x, y, 1, {}, 1.9),
      /expandWithCopies: seed must be an integer in 0\.\.4294967295, got 1.9/,
    );
    assert.throws(() => augmentedCopy(x, { afine: {} } as never, 0), /augment: unknown option "afine"/);
  });

  it("strengthGrid lays out one row per image and one column per strength", () => {
    const a = new Float32Array(4).fill(1);
    const b = new Float32Array(4).fill(2);
    const grid = strengthGrid([a, b], [0, 10, 20], (image, s) => image.map((v) => v + s));
    assert.equal(grid.count, 6);
    assert.equal(grid.columns, 3);
    assert.deepEqual(Array.from(grid.pixels.filter((_, i) => i % 4 === 0)), [1, 11, 21, 2, 12, 22]);
    assert.throws(() => strengthGrid([], [1], (i) => i), /at least one/);
  });

  it("scaledAugmentation scales every strength, caps zoom and shear, and turns off at 0", () => {
    const base = {
      affine: { rotation: 10, shift: 2, scale: 0.1, shear: 10, probability: 0.5 },
      elastic: { alpha: 8, sigma: 3 },
      noise: { std: 0.1 },
    };
    assert.equal(scaledAugmentation(base, 0), null);
    const double = scaledAugmentation(base, 2)!;
    assert.deepEqual(double.affine, { rotation: 20, shift: 4, scale: 0.2, shear: 20, probability: 0.5 });
    assert.deepEqual(double.elastic, { alpha: 16, sigma: 3 });
    assert.equal(double.noise!.std, 0.2);
    const huge = scaledAugmentation(base, 20)!;
    assert.equal(huge.affine!.scale, 0.9);
    assert.equal(huge.affine!.shear, 80);
    assert.deepEqual(base.affine.rotation, 10, "the base recipe is not modified");
    assert.throws(() => scaledAugmentation(base, -1), /strength must be/);
  });

  it("scoreOn scores a model on each named version of a split", () => {
    const x = images(2, 4);
    const model = {
      score: (m: { rows: number; data: Float32Array }) => (m.data[0] > 0 ? 1 : 0.5),
    } as unknown as Classifier;
    const zero = matrix(new Float32Array(2 * 784), 2, 784);
    const one = matrix(new Float32Array(2 * 784).fill(1), 2, 784);
    assert.deepEqual(
      scoreOn(
        model,
        [
          { name: "clean", x: zero },
          { name: "shifted", x: one },
        ],
        Uint8Array.from([0, 1]),
      ),
      { clean: 0.5, shifted: 1 },
    );
    assert.equal(x.rows, 2);
  });
});
