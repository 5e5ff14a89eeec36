/** Test-time augmentation: the mean over views, checked against a model that records what it is shown. */
import { strict as assert } from "assert";
import { predictProbaTta, predictTta, scoreTta, translate, TTA_VIEW_SETS } from "../../lib/augmentation";
import { Random } from "../../lib/random";
import { matrix, type Matrix } from "../../lib/matrix";
import { TwoClassModel } from "./two-class-model";

/**
 * Over 4×4 images: class 0's probability is the image's top-left pixel, so each view's effect on the
 * output is known.
 */
const topLeftModel = () => new TwoClassModel((image) => image[0]);

/**
 * Over 6×6 images: class 0's probability is the image's total ink over 36. A one-pixel shift moves ink
 * but keeps all of it when it lies away from the border, so the model is shift-invariant there, and TTA
 * with shifts must give back the model's own probabilities.
 */
const inkModel = () => new TwoClassModel((image) => image.reduce((sum, v) => sum + v, 0) / image.length);

/** `rows` 6×6 images with random ink in [0, 1] on the inner 4×4 only (none on the border). */
function innerInkImages(rows: number, seed: number): Matrix {
  const random = new Random(seed);
  const data = new Float32Array(rows * 36);
  for (let r = 0; r < rows; r++)
    for (let i = 1; i < 5; i++) for (let j = 1; j < 5; j++) data[r * 36 + i * 6 + j] = random.uniform(0, 1);
  return matrix(data, rows, 36);
}

describe("test-time augmentation", () => {
  const size = { height: 4, width: 4 };
  // Image 0 has its top-left pixel lit; image 1 the pixel to its right.
  const images = new Float32Array(32);
  images[0] = 1;
  images[16 + 1] = 1;
  const x = matrix(images, 2, 16);

  it("averages the model's probabilities over the image and each shifted view", () => {
    const model = topLeftModel();
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
    const model = topLeftModel();
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
    const model = topLeftModel();
    assert.throws(
      () => predictProbaTta(model, x, { ...size, views: "flips" as "none" }),
      /unknown views "flips"; the named sets are none, shifts, shifts8, rotations, shifts\+rotations/,
    );
    assert.throws(() => predictProbaTta(model, x, { ...size, views: [] }), /non-empty/);
    assert.throws(() => predictProbaTta(model, x, { ...size, views: [{ rotate: 5 } as object] }), /rotate/);
    assert.throws(() => predictProbaTta(model, x), /16 features per sample, expected 784/);
    assert.throws(() => scoreTta(model, x, [0], size), /2 rows but 1 labels/);
  });

  it("gives rows × classes probabilities that sum to 1 per row, for every named set", () => {
    const inner = innerInkImages(5, 1);
    for (const views of Object.keys(TTA_VIEW_SETS) as (keyof typeof TTA_VIEW_SETS)[]) {
      const probabilities = predictProbaTta(inkModel(), inner, { height: 6, width: 6, views });
      assert.equal(probabilities.length, 5 * 2, views);
      for (let r = 0; r < 5; r++) {
        const sum = probabilities[2 * r] + probabilities[2 * r + 1];
        assert.ok(Math.abs(sum - 1) < 1e-6, `${views}, row ${r}: probabilities sum to ${sum}`);
      }
    }
  });

  it("an explicit identity view is the model itself, and one forward pass per view", () => {
    const inner = innerInkImages(3, 2);
    const model = inkModel();
    assert.deepEqual(
      predictProbaTta(model, inner, { height: 6, width: 6, views: [{}] }),
      model.predictProba(inner),
    );
    const counting = inkModel();
    predictProbaTta(counting, inner, { height: 6, width: 6, views: "shifts8" });
    assert.equal(counting.calls, 9);
  });

  it("a shift-invariant model keeps its probabilities under the 4 and 8 one-pixel shifts", () => {
    const inner = innerInkImages(4, 3);
    const model = inkModel();
    const plain = model.predictProba(inner);
    for (const views of ["shifts", "shifts8"] as const) {
      const probabilities = predictProbaTta(model, inner, { height: 6, width: 6, views });
      plain.forEach((p, i) => assert.ok(Math.abs(probabilities[i] - p) < 1e-6, `${views}[${i}]`));
    }
  });

  it("each image's result depends on that image only, and not on the order of the views", () => {
    const inner = innerInkImages(4, 4);
    const model = topLeftModel();
    const size = { height: 6, width: 6 };
    const batch = predictProbaTta(model, inner, { ...size, views: "shifts8" });
    const second = matrix(inner.data.slice(36, 72), 1, 36);
    assert.deepEqual(predictProbaTta(model, second, { ...size, views: "shifts8" }), batch.slice(2, 4));
    const reversed = [...TTA_VIEW_SETS.shifts8].reverse();
    const backwards = predictProbaTta(model, inner, { ...size, views: reversed });
    batch.forEach((p, i) => assert.ok(Math.abs(backwards[i] - p) < 1e-6, `view order changed [${i}]`));
  });

  it("the 8 shifts are the 4 shifts and the four diagonals, each a whole pixel", () => {
    const diagonals = TTA_VIEW_SETS.shifts8.slice(5);
    assert.deepEqual(TTA_VIEW_SETS.shifts8.slice(0, 5), TTA_VIEW_SETS.shifts);
    assert.deepEqual(
      diagonals.map((view) => [view.shiftX, view.shiftY]),
      [
        [1, 1],
        [1, -1],
        [-1, 1],
        [-1, -1],
      ],
    );
    // The down-right view of image 0 (lit top-left) lights the pixel one row down and one column right.
    const model = topLeftModel();
    predictProbaTta(model, x, { ...size, views: [{ shiftX: 1, shiftY: 1 }] });
    assert.equal(model.seen[0][5], 1);
    assert.equal(model.seen[0][0], 0);
  });
});
