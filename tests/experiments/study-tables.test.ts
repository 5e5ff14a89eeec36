/**
 * The table, selection and picture helpers notebooks 2 and 6 call, so that their cells hold no logic:
 * best result and rows of a preprocessing comparison, value summaries, variance thresholds, side-by-side
 * grids, centre offsets; the augmentation sweep, its choice rule and the robustness runs.
 */
import { strict as assert } from "assert";
import { matrix, type Matrix } from "../../lib/matrix";
import { BaseClassifier, type FitOptions } from "../../lib/models/estimator";
import {
  accuracyByRotation,
  chooseStrength,
  fitAndScoreRobustness,
  robustnessRows,
  sweepStrengths,
  type SweepPoint,
} from "../../lib/experiments/augmentation-study";
import {
  bestResult,
  column,
  compareVariants,
  meanCentreOffset,
  once,
  shortError,
  sideBySide,
  valueSummary,
  varianceThresholdRows,
  variantRows,
  type VariantResult,
} from "../../lib/experiments/preprocessing-study";

/** Predicts class 1 when the first half of a row outweighs its second half; fit can be told to fail. */
class LeftHeavy extends BaseClassifier {
  readonly name = "left-heavy";
  readonly implementation = "scratch" as const;
  constructor(readonly fail = false) {
    super({});
  }
  protected async fitImpl(_x: Matrix, _y: Uint8Array, _options: FitOptions): Promise<void> {
    if (this.fail) throw new Error("LeftHeavy: loss diverged to NaN at epoch 2");
    this.history = [{ epoch: 1, loss: 0.5, valLoss: 0.6, seconds: 0 }];
  }
  protected predictProbaImpl(x: Matrix): Float32Array {
    const out = new Float32Array(x.rows * this.numClasses);
    const half = x.cols / 2;
    for (let r = 0; r < x.rows; r++) {
      let left = 0;
      let right = 0;
      for (let c = 0; c < x.cols; c++) {
        if (c < half) left += x.data[r * x.cols + c];
        else right += x.data[r * x.cols + c];
      }
      out[r * this.numClasses + (left > right ? 1 : 0)] = 1;
    }
    return out;
  }
}

describe("preprocessing comparison tables", () => {
  const x = matrix(Float32Array.of(1, 0, 0, 1, 2, 0), 3, 2);
  const y = Uint8Array.of(1, 0, 1);

  it("keeps each variant's fitted model, lets a variant bring its own model, and picks the best run", async () => {
    const plain = { name: "plain", train: x, validation: x };
    const own = new LeftHeavy();
    const results = await compareVariants(
      [
        plain,
        { name: "own model", train: x, validation: x, model: () => own },
        { name: "broken", train: x, validation: x },
      ],
      y,
      y,
      (variant) => new LeftHeavy(variant.name === "broken"),
    );
    assert.equal(results[0].variant, plain);
    assert.equal(results[1].model, own);
    assert.equal(results[0].accuracy, 1);
    assert.equal(bestResult(results), results[0], "ties keep the first; the failed run is skipped");
    assert.throws(() => bestResult(results.slice(2)), /every variant failed/);
    const rows = variantRows(results);
    assert.deepEqual(Object.keys(rows[0]), Object.keys(rows[2]), "every row has the same columns");
    assert.equal(rows[0]["validation accuracy %"], 100);
    assert.equal(rows[2]["validation accuracy %"], "—");
    assert.equal(rows[2].note, "loss diverged to NaN at epoch 2");
    assert.equal(rows[0].note, "");
    assert.equal(rows[0]["final validation loss"], 0.6);
  });

  it("shortError drops the model's name and keeps the first clause", () => {
    const message =
      "SoftmaxRegression: training diverged at epoch 1: the loss exploded; lower the learning rate";
    assert.equal(shortError(message), "training diverged at epoch 1: the loss exploded");
    assert.equal(shortError(`M: ${"x".repeat(200)}`).length, 120);
  });

  it("leaves out the note column when nothing failed", () => {
    const result = {
      name: "a",
      features: 2,
      accuracy: 0.5,
      seconds: 1,
      history: [],
    } as unknown as VariantResult;
    assert.deepEqual(Object.keys(variantRows([result])[0]), [
      "input",
      "features",
      "validation accuracy %",
      "time s",
    ]);
  });

  it("valueSummary gives min, max, mean and standard deviation", () => {
    const row = valueSummary("v", matrix(Float32Array.of(0, 2, 4, 6), 2, 2));
    assert.deepEqual([row.features, row.min, row.max, row.mean], ["v", 0, 6, 3]);
    assert.ok(Math.abs((row.std as number) - Math.sqrt(5)) < 1e-12);
  });

  it("varianceThresholdRows counts components per share, with a dash where all fall short", () => {
    const rows = varianceThresholdRows([0.5, 0.3, 0.1], [0.5, 0.8, 0.99]);
    assert.deepEqual(rows, [
      { "variance kept": "50%", components: 1, "of 3": "33.3%" },
      { "variance kept": "80%", components: 2, "of 3": "66.7%" },
      { "variance kept": "99%", components: "—", "of 3": "—" },
    ]);
  });

  it("column copies one column and checks its index", () => {
    assert.deepEqual(Array.from(column(x, 1)), [0, 1, 0]);
    assert.throws(() => column(x, 2), /j must be an integer in 0\.\.1, got 2/);
  });

  it("sideBySide interleaves each original with its versions, row by row", () => {
    const a = matrix(Float32Array.of(1, 2), 2, 1);
    const b = matrix(Float32Array.of(10, 20), 2, 1);
    const grid = sideBySide(a, [b]);
    assert.deepEqual(Array.from(grid.pixels), [1, 10, 2, 20]);
    assert.deepEqual([grid.count, grid.columns], [4, 2]);
    assert.throws(
      () => sideBySide(a, [matrix(new Float32Array(3), 3, 1)]),
      /a version is 3×1, the originals 2×1/,
    );
  });

  it("meanCentreOffset measures how far the ink's centre is from the frame's", () => {
    const centred = new Float32Array(9);
    centred[4] = 1;
    const corner = new Float32Array(9);
    corner[0] = 1;
    assert.equal(meanCentreOffset(centred, 3, 3), 0);
    assert.ok(
      Math.abs(meanCentreOffset(Float32Array.from([...centred, ...corner]), 3, 3) - Math.SQRT2 / 2) < 1e-9,
    );
    assert.throws(() => meanCentreOffset(new Float32Array(10), 3, 3), /not whole 3×3 images/);
  });

  it("once computes on the first call only", () => {
    let calls = 0;
    const value = once(() => ++calls);
    assert.deepEqual([value(), value(), calls], [1, 1, 1]);
  });
});

describe("augmentation sweep and robustness runs", () => {
  const point = (strength: number, clean: number): SweepPoint => ({
    strength,
    scores: { clean },
    seconds: 0,
  });

  it("chooseStrength takes the strongest run within the tolerance of the best", () => {
    const sweep = [point(0, 0.966), point(0.5, 0.974), point(1, 0.968), point(2, 0.944)];
    assert.equal(chooseStrength(sweep, "clean", 0.005).strength, 0.5);
    assert.equal(chooseStrength(sweep, "clean", 0.01).strength, 1);
    assert.equal(
      chooseStrength([point(0, 0.99), point(1, 0.5), point(2, 0.6)], "clean", 0.005).strength,
      2,
      "else the best augmented run",
    );
    assert.throws(() => chooseStrength([point(0, 1)], "clean", 0.005), /no strength above 0/);
  });

  it("sweepStrengths fits one model per strength, off at 0, scores each set, then disposes it", async () => {
    const recipes: (object | null)[] = [];
    const events: string[] = [];
    const x = matrix(Float32Array.of(1, 0, 0, 1), 2, 2);
    const y = Uint8Array.of(1, 0);
    const sweep = await sweepStrengths(
      { affine: { rotation: 10 } },
      [0, 2],
      (recipe) => {
        recipes.push(recipe);
        const model = new LeftHeavy();
        const score = model.score.bind(model);
        return Object.assign(model, {
          score: (...args: Parameters<LeftHeavy["score"]>) => (events.push("score"), score(...args)),
          dispose: () => events.push("dispose"),
        });
      },
      { x, y },
      [{ name: "clean", x }],
      y,
    );
    assert.deepEqual(recipes, [null, { affine: { rotation: 20 } }]);
    assert.deepEqual(
      sweep.map((p) => [p.strength, p.scores.clean]),
      [
        [0, 1],
        [2, 1],
      ],
    );
    assert.deepEqual(events, ["score", "dispose", "score", "dispose"]);
  });

  it("fitAndScoreRobustness scores clean and distorted test sets; the rows report both and the drop", async () => {
    const x = matrix(Float32Array.of(1, 0, 0, 1, 3, 1, 1, 3), 4, 2);
    const y = Uint8Array.of(1, 0, 1, 0);
    // Mirrored images: every left-heavy row becomes right-heavy.
    const mirrored = matrix(Float32Array.of(0, 1, 1, 0, 1, 3, 3, 1), 4, 2);
    const run = await fitAndScoreRobustness("left", new LeftHeavy(), { x, y }, { x, y }, mirrored);
    assert.equal(run.evaluation.accuracy, 1);
    assert.equal(run.distorted, 0);
    const [row] = robustnessRows([run], "mirrored");
    assert.equal(row["test %"], 100);
    assert.equal(row["mirrored test %"], 0);
    assert.equal(row["drop (points)"], 100);
    assert.equal(row["errors (test)"], 0);
    assert.equal(row["predict s"], run.evaluation.predictSeconds);
  });

  it("accuracyByRotation scores each run on rotated copies, one series per run", async () => {
    // Ink in the top row puts the weight in the first half of the row vector; rotated by 180° it lies in
    // the bottom row, the second half.
    const image = new Float32Array(16);
    image.fill(1, 0, 4);
    const x = matrix(image, 1, 16);
    const y = Uint8Array.of(1);
    const run = await fitAndScoreRobustness("left", new LeftHeavy(), { x, y }, { x, y }, x);
    const [series] = accuracyByRotation([run], x, y, [0, 180]);
    assert.deepEqual(series, { name: "left", x: [0, 180], y: [100, 0] });
    assert.throws(
      () => accuracyByRotation([run], matrix(new Float32Array(3), 1, 3), y, [0]),
      /not square images/,
    );
  });
});
