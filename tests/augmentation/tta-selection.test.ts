/** Choosing test-time augmentation on validation: per-set errors from shared views, and the choice rule. */
import { strict as assert } from "assert";
import { chooseViewSet, compareViewSets, scoreTta, type ViewSetScore } from "../../lib/augmentation";
import { matrix, type Matrix } from "../../lib/matrix";
import { TwoClassModel } from "./two-class-model";

/**
 * Over 4×4 images: class 0 with probability 0.9 when the pixel at (row 1, column 1) is lit, else class
 * 1 with 0.9. A one-pixel shift moves ink onto or off that pixel, so views change answers.
 */
const centrePixelModel = () => new TwoClassModel((image) => (image[5] > 0.5 ? 0.9 : 0.1));

const size = { height: 4, width: 4 };

/** Image 0 lit at (1, 1); image 1 lit at (1, 2); image 2 blank. */
function images(): Matrix {
  const data = new Float32Array(3 * 16);
  data[5] = 1;
  data[16 + 6] = 1;
  return matrix(data, 3, 16);
}

function score(views: ViewSetScore["views"], viewCount: number, errors: number): ViewSetScore {
  return { views, viewCount, errors, accuracy: 1 - errors / 100 };
}

describe("choosing test-time augmentation on validation", () => {
  it("scores each set as scoreTta does, predicting each distinct view once", () => {
    const x = images();
    const y = [0, 0, 1];
    const model = centrePixelModel();
    const sets = ["none", "shifts", "shifts8"] as const;
    const scores = compareViewSets(model, x, y, { ...size, sets });
    assert.equal(model.calls, 9, "the identity and 8 shifts, shared by the three sets");
    assert.deepEqual(
      scores.map((s) => [s.views, s.viewCount]),
      [
        ["none", 1],
        ["shifts", 5],
        ["shifts8", 9],
      ],
    );
    for (const s of scores) {
      const expected = scoreTta(centrePixelModel(), x, y, { ...size, views: s.views });
      assert.ok(Math.abs(s.accuracy - expected) < 1e-12, `${s.views}: ${s.accuracy} vs ${expected}`);
      assert.equal(s.errors, Math.round((1 - expected) * 3));
    }
    // Image 1 is wrong without TTA; with the 4 shifts one view in five sees it lit, still class 1.
    assert.equal(scores[0].errors, 1);
  });

  it("chooses the fewest errors summed over models, a tie going to fewer views", () => {
    const seed0 = [score("none", 1, 14), score("shifts", 5, 12), score("shifts8", 9, 12)];
    const seed1 = [score("none", 1, 17), score("shifts", 5, 18), score("shifts8", 9, 17)];
    assert.deepEqual(chooseViewSet([seed0]), { views: "shifts", errors: 12, plainErrors: 14 });
    // Summed: none 31, shifts 30, shifts8 29.
    assert.deepEqual(chooseViewSet([seed0, seed1]), { views: "shifts8", errors: 29, plainErrors: 31 });
    const tied = [score("none", 1, 10), score("shifts", 5, 10)];
    assert.equal(chooseViewSet([tied]).views, "none", "no gain: the plain model stays");
  });

  it("rejects no scores, sets that differ between models, bad options and mismatched labels", () => {
    assert.throws(() => chooseViewSet([]), /at least one model/);
    assert.throws(
      () => chooseViewSet([[score("none", 1, 3)], [score("shifts", 5, 2)]]),
      /same sets \(none\), got shifts/,
    );
    const model = centrePixelModel();
    assert.throws(() => compareViewSets(model, images(), [0, 1], size), /3 rows but 2 labels/);
    assert.throws(() => compareViewSets(model, images(), [0, 0, 1], { ...size, sets: [] }), /at least one/);
    assert.throws(
      () => compareViewSets(model, images(), [0, 0, 1], { ...size, sets: ["flips" as "none"] }),
      /unknown views "flips"/,
    );
    assert.throws(() => compareViewSets(model, images(), [0, 0, 1], { views: "shifts" } as object), /views/);
  });
});
