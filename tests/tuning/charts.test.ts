import { strict as assert } from "assert";
import {
  gridHeatmapChart,
  halvingBracketChart,
  learningCurveChart,
  lrRangeChart,
  validationCurveChart,
} from "../../lib/plots/tuning-charts";
import type { Trial } from "../../lib/tuning/trial";

function trial(
  index: number,
  params: Record<string, unknown>,
  meanScore: number,
  extra: Partial<Trial> = {},
): Trial {
  return {
    index,
    candidate: index,
    params,
    foldScores: [meanScore],
    meanScore,
    stdScore: 0.01,
    fitSeconds: 1,
    trainSamples: 10,
    ...extra,
  };
}

describe("tuning charts", () => {
  it("validation curve: the best trial per value, sorted, with a band of ± std", () => {
    const trials = [
      trial(0, { k: 5, w: "a" }, 0.9),
      trial(1, { k: 1, w: "a" }, 0.8),
      trial(2, { k: 5, w: "b" }, 0.95),
    ];
    const { traces, layout } = validationCurveChart({ trials }, "k", { logX: true });
    const line = traces[traces.length - 1];
    assert.deepEqual(line.x, [1, 5]);
    assert.deepEqual(line.y, [0.8, 0.95]);
    assert.deepEqual(traces[0].y, [0.81, 0.96]);
    assert.equal((layout.xaxis as { type: string }).type, "log");
    assert.throws(() => validationCurveChart({ trials }, "missing"), /no trial has a numeric "missing"/);
  });

  it("grid heatmap: one cell per pair of values", () => {
    const trials = [
      trial(0, { a: 1, b: "x" }, 0.5),
      trial(1, { a: 2, b: "x" }, 0.6),
      trial(2, { a: 1, b: "y" }, 0.7),
    ];
    const [heat] = gridHeatmapChart({ trials }, "a", "b").traces;
    assert.deepEqual(heat.x, ["1", "2"]);
    assert.deepEqual(heat.y, ["x", "y"]);
    assert.deepEqual(heat.z, [
      [0.5, 0.6],
      [0.7, null],
    ]);
  });

  it("learning curve, LR range test and halving bracket", () => {
    const curve = learningCurveChart([
      { trainSize: 100, trainMean: 1, trainStd: 0, validationMean: 0.8, validationStd: 0.02, fitSeconds: 1 },
      {
        trainSize: 200,
        trainMean: 0.98,
        trainStd: 0,
        validationMean: 0.85,
        validationStd: 0.01,
        fitSeconds: 1,
      },
    ]);
    assert.equal(curve.traces.filter((t) => t.name).length, 2);
    const lr = lrRangeChart({
      points: [
        { learningRate: 1e-3, loss: 2 },
        { learningRate: 1e-2, loss: 1 },
      ],
      minimumRate: 1e-2,
      suggestedRate: 1e-3,
    });
    assert.equal((lr.layout.xaxis as { type: string }).type, "log");
    const trials = [
      trial(0, { lr: 1 }, 0.5, { rung: 0, resource: 1 }),
      trial(1, { lr: 2 }, 0.7, { rung: 0, resource: 1, candidate: 1 }),
    ];
    trials.push(trial(2, { lr: 2 }, 0.8, { rung: 1, resource: 3, candidate: 1 }));
    const bracket = halvingBracketChart({ trials }, "epochs");
    assert.deepEqual(
      bracket.traces.map((t) => t.name),
      ["#0", "#1 (kept)"],
    );
    assert.deepEqual(bracket.traces[1].x, [1, 3]);
  });
});
