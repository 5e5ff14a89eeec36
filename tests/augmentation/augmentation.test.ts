import { strict as assert } from "assert";
import { Random } from "../../lib/random";
import {
  affine,
  elasticDistort,
  makeAugmenter,
  rotate,
  translate,
  zoom,
  shear,
} from "../../lib/augmentation";

/** A 28×28 image with distinct values everywhere, so any misplaced pixel shows. */
function gradientImage(): Float32Array {
  return Float32Array.from({ length: 784 }, (_, i) => ((i * 37) % 101) / 100);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe("single-image transforms", () => {
  it("identity parameters give the identity", () => {
    const image = gradientImage();
    assert.deepEqual(affine(image, {}), image);
    assert.deepEqual(rotate(image, 0), image);
    assert.deepEqual(zoom(image, 1), image);
    assert.deepEqual(shear(image, 0), image);
  });

  it("rotates an asymmetric image 90° counter-clockwise like rot90", () => {
    const image = gradientImage();
    const rotated = rotate(image, 90);
    // Counter-clockwise as displayed: out[i][j] = in[j][27 − i] (the top-right corner goes top-left).
    for (let i = 0; i < 28; i++) {
      for (let j = 0; j < 28; j++)
        assert.ok(Math.abs(rotated[i * 28 + j] - image[j * 28 + 27 - i]) < 1e-5, `pixel ${i},${j}`);
    }
  });

  it("shifts by whole pixels exactly, filling with zeros", () => {
    const image = gradientImage();
    const shifted = translate(image, 3, -2);
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const sx = x - 3;
        const sy = y + 2;
        const expected = sx >= 0 && sx < 28 && sy >= 0 && sy < 28 ? image[sy * 28 + sx] : 0;
        assert.equal(shifted[y * 28 + x], expected);
      }
    }
    const bytes = translate(new Uint8Array(784).fill(9), 1, 0);
    assert.ok(bytes instanceof Uint8Array && bytes[0] === 0 && bytes[1] === 9);
  });

  it("elastic distortion changes the image reproducibly, and alpha 0 is the identity", () => {
    const image = gradientImage();
    const a = elasticDistort(image, { alpha: 34, sigma: 4 }, new Random(5));
    assert.deepEqual(elasticDistort(image, { alpha: 34, sigma: 4 }, new Random(5)), a);
    assert.ok(maxDifference(a, image) > 0.1);
    assert.deepEqual(elasticDistort(image, { alpha: 0, sigma: 4 }, new Random(5)), image);
  });

  it("rejects impossible parameters and wrong sizes, naming the parameter", () => {
    const image = gradientImage();
    assert.throws(() => rotate(image, NaN), /affine: rotation must be a finite number, got NaN/);
    assert.throws(() => zoom(image, -1), /affine: scale must be a positive number, got -1/);
    assert.throws(() => shear(image, 90), /affine: shear must be a number in \(-90, 90\), got 90/);
    assert.throws(() => rotate(new Float32Array(27 * 28), 10), /image has 756 pixels/);
    assert.throws(
      () => elasticDistort(image, { alpha: 1, sigma: 0 }, new Random(1)),
      /augment: elastic.sigma must be a number in \(0, 1000\], got 0/,
    );
  });
});

describe("makeAugmenter", () => {
  const options = {
    affine: { rotation: 15, shift: 2, scale: 0.1, shear: 10 },
    elastic: { alpha: 34, sigma: 4 },
    noise: { std: 0.05, salt: 0.01 },
  };

  function batchOf(n: number): Float32Array {
    const batch = new Float32Array(n * 784);
    for (let i = 0; i < n; i++) batch.set(gradientImage(), i * 784);
    return batch;
  }

  it("the same seed gives the same batch, a different seed a different one", () => {
    const augment = makeAugmenter(options);
    const a = batchOf(4);
    const b = batchOf(4);
    const c = batchOf(4);
    augment(a, 4, new Random(11));
    augment(b, 4, new Random(11));
    augment(c, 4, new Random(12));
    assert.deepEqual(a, b);
    assert.ok(maxDifference(a, c) > 0.1);
    // Images within a batch get different draws.
    assert.ok(maxDifference(a.subarray(0, 784), a.subarray(784, 1568)) > 0.1);
    for (const v of a) assert.ok(v >= 0 && v <= 1, `pixel ${v} outside the range`);
  });

  it("writes into an output buffer exactly what it would do in place, leaving the input alone", () => {
    const augment = makeAugmenter(options);
    const input = batchOf(3);
    const output = new Float32Array(input.length);
    augment(input, 3, new Random(4), output);
    assert.deepEqual(input, batchOf(3));
    const inPlace = batchOf(3);
    augment(inPlace, 3, new Random(4));
    assert.deepEqual(output, inPlace);
  });

  it("is the identity with zero strengths or probability 0, and only touches batchSize images", () => {
    const batch = batchOf(3);
    makeAugmenter({ affine: {}, elastic: { alpha: 0, sigma: 2 } })(batch, 3, new Random(1));
    assert.ok(maxDifference(batch, batchOf(3)) < 1e-6);
    makeAugmenter({ affine: { rotation: 30, probability: 0 } })(batch, 3, new Random(1));
    assert.ok(maxDifference(batch, batchOf(3)) < 1e-6);
    makeAugmenter({ affine: { rotation: 30 } })(batch, 2, new Random(1));
    assert.deepEqual(batch.subarray(2 * 784), batchOf(1));
  });

  it("rejects impossible options and short buffers, naming the parameter", () => {
    assert.throws(
      () => makeAugmenter({ affine: { rotation: NaN } }),
      /affine.rotation must be a finite number ≥ 0/,
    );
    assert.throws(() => makeAugmenter({ affine: { scale: -0.1 } }), /affine.scale must be/);
    assert.throws(
      () => makeAugmenter({ affine: { scale: 1 } }),
      /augment: affine.scale must be a number in \[0, 1\), got 1/,
    );
    assert.throws(() => makeAugmenter({ affine: { shift: 2, shiftFraction: 0.1 } }), /not both/);
    assert.throws(
      () => makeAugmenter({ elastic: { alpha: 30, sigma: 0 } }),
      /elastic.sigma must be a number in \(0, 1000\], got 0/,
    );
    assert.throws(() => makeAugmenter({ elastic: { alpha: -1, sigma: 4 } }), /elastic.alpha/);
    assert.throws(
      () => makeAugmenter({ noise: { probability: 1.5 } }),
      /augment: noise.probability must be a number in \[0, 1\], got 1.5/,
    );
    assert.throws(() => makeAugmenter({ noise: { salt: -0.1 } }), /noise.salt/);
    assert.throws(() => makeAugmenter({ height: 0 }), /augment: height must be a positive integer, got 0/);
    const augment = makeAugmenter({ affine: { rotation: 5 } });
    assert.throws(
      () => augment(new Float32Array(784), 2, new Random(1)),
      /images holds 784 values, fewer than 2 images of 28×28/,
    );
    assert.throws(
      () => augment(new Float32Array(784), 0.5, new Random(1)),
      /augment: batchSize must be an integer ≥ 0, got 0.5/,
    );
  });

  it("rejects misspelled option keys at every level instead of training without augmentation", () => {
    const cases: [object, RegExp][] = [
      [{ afine: { rotation: 15 } }, /augment: unknown option "afine" \(did you mean "affine"\?\)/],
      [
        { affine: { rotate: 15 } },
        /augment.affine: unknown option "rotate".*; known options: probability, rotation, /,
      ],
      [
        { elastic: { alpha: 30, sigma: 4, probabilty: 0.5 } },
        /augment.elastic: unknown option "probabilty" \(did you mean "probability"\?\)/,
      ],
      [{ noise: { sd: 0.1 } }, /augment.noise: unknown option "sd"/],
    ];
    for (const [options, message] of cases) assert.throws(() => makeAugmenter(options as never), message);
    const image = gradientImage();
    assert.throws(
      () => affine(image, { rotate: 15 } as never),
      /affine: unknown option "rotate".*; known options: rotation, /,
    );
    assert.throws(
      () => elasticDistort(image, { alpha: 1, sigma: 4, alfa: 3 } as never, new Random(1)),
      /elasticDistort: unknown option "alfa"/,
    );
  });

  it("keeps every pixel finite and in range under extreme zoom, shift and elastic alpha", () => {
    const image = gradientImage();
    const finiteInRange = (out: Float32Array, what: string) => {
      for (let i = 0; i < out.length; i++)
        assert.ok(out[i] >= 0 && out[i] <= 1, `${what}: pixel ${i} is ${out[i]}`);
    };
    // These used to come back as NaN images (NaN coordinates passed the unsigned in-image test).
    for (const scale of [1e-30, 1e-320, 1e300]) finiteInRange(zoom(image, scale), `zoom ${scale}`);
    for (const shift of [1e20, 1e300, -1e300])
      finiteInRange(translate(image, shift, shift), `shift ${shift}`);
    for (const alpha of [1e40, 1e300]) {
      finiteInRange(elasticDistort(image, { alpha, sigma: 4 }, new Random(1)), `elastic alpha ${alpha}`);
    }
    // Far off the image is background: a 1e300-pixel shift leaves nothing.
    assert.ok(translate(image, 1e300, 0).every((v) => v === 0));
    const batch = batchOf(2);
    makeAugmenter({ affine: { shift: 1e300 }, elastic: { alpha: 1e300, sigma: 4 } })(batch, 2, new Random(3));
    finiteInRange(batch, "augmenter");
    assert.throws(
      () => elasticDistort(image, { alpha: 1, sigma: 1e300 }, new Random(1)),
      /elastic.sigma must be a number in \(0, 1000\], got 1e\+300/,
    );
  });

  it("transforms images of one row or one column instead of blanking them", () => {
    const row = Float32Array.from({ length: 28 }, (_, i) => (i + 1) / 28);
    for (const size of [
      { height: 1, width: 28 },
      { height: 28, width: 1 },
    ]) {
      // A zero field must be the identity, and a small one must keep most of the ink.
      assert.deepEqual(elasticDistort(row, { alpha: 0, sigma: 4 }, new Random(1), size), row);
      const distorted = elasticDistort(row, { alpha: 1, sigma: 4 }, new Random(1), size);
      const ink = distorted.reduce((a, b) => a + b, 0);
      assert.ok(ink > 0.5 * row.reduce((a, b) => a + b, 0), `${size.height}×${size.width}: ink ${ink}`);
      assert.deepEqual(affine(row, {}, size), row);
    }
    const batch = Float32Array.from(row);
    makeAugmenter({ height: 1, width: 28, elastic: { alpha: 0, sigma: 2 } })(batch, 1, new Random(1));
    assert.ok(maxDifference(batch, row) < 1e-6);
  });
});
