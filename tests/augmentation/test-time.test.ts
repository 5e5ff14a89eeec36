/** Test-time augmentation: the mean over views, checked against a model that records what it is shown. */
import { strict as assert } from "assert";
import { predictProbaTta, predictTta, scoreTta, translate, TTA_VIEW_SETS } from "../../lib/augmentation";
import { matrix, type Matrix } from "../../lib/matrix";

/**
 * A fake classifier over 4×4 images: class 0's probability is the image's top-left pixel, class 1's
 * the rest, so each view's effect on the output is known; it also keeps every batch it was given.
 */
class TopLeftModel {
  readonly numClasses = 2;
  readonly seen: Float32Array[] = [];
  predictProba(x: Matrix): Float32Array {
    this.seen.push(x.data.slice());
    const out = new Float32Array(x.rows * 2);
    for (let r = 0; r < x.rows; r++) {
      out[2 * r] = x.data[r * x.cols];
      out[2 * r + 1] = 1 - x.data[r * x.cols];
    }
    return out;
  }
}

describe("test-time augmentation", () => {
  const size = { height: 4, width: 4 };
  // Image 0 has its top-left pixel lit; image 1 the pixel to its right.
  const images = new Float32Array(32);
  images[0] = 1;
  images[16 + 1] = 1;
  const x = matrix(images, 2, 16);

  it("averages the model's probabilities over the image and each shifted view", () => {
    const model = new TopLeftModel();
    const views = [{}, { shiftX: -1 }];
    const probabilities = predictProbaTta(model, x, { ...size, views });
    assert.equal(model.seen.length, 2);
    assert.deepEqual(model.seen[0], images, "the first view is the image itself");
    const shifted = translate(images.subarray(16), -1, 0, size);
    assert.deepEqual(model.seen[1].subarray(16), shifted, "the second view is shifted one pixel left");
    // Image 0: top-left 1 then 0 (shifted out) → 0.5; image 1: 0 then 1 (shifted in) → 0.5.
    assert.deepEqual(Array.from(probabilities), [0.5, 0.5, 0.5, 0.5]);
    assert.deepEqual(model.seen[1].subarray(0, 16), new Float32Array(16));
  });

  it("with the view set 'none' is the model itself", () => {
    const model = new TopLeftModel();
    const probabilities = predictProbaTta(model, x, { ...size, views: "none" });
    assert.deepEqual(probabilities, model.predictProba(x));
    assert.deepEqual(Array.from(predictTta(model, x, { ...size, views: "none" })), [0, 1]);
    assert.equal(scoreTta(model, x, [0, 1], { ...size, views: "none" }), 1);
  });

  it("every named view set starts with the image itself", () => {
    for (const [name, views] of Object.entries(TTA_VIEW_SETS))
      assert.deepEqual(views[0], {}, `${name} starts with the identity`);
  });

  it("rejects an unknown view set (listing the named ones), bad views and mismatched labels", () => {
    const model = new TopLeftModel();
    assert.throws(
      () => predictProbaTta(model, x, { ...size, views: "flips" as "none" }),
      /unknown views "flips"; the named sets are none, shifts, rotations, shifts\+rotations/,
    );
    assert.throws(() => predictProbaTta(model, x, { ...size, views: [] }), /non-empty/);
    assert.throws(() => predictProbaTta(model, x, { ...size, views: [{ rotate: 5 } as object] }), /rotate/);
    assert.throws(() => predictProbaTta(model, x), /16 features per sample, expected 784/);
    assert.throws(() => scoreTta(model, x, [0], size), /2 rows but 1 labels/);
  });
});
