import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { FinalScore } from "../../lib/ensemble/final";
import { comparisonRows, ensembleGain, summaryText } from "../../lib/ensemble/summary";
import { mergeMetrics, readMetrics, type MetricsRow } from "../../lib/models/metrics-file";

const y = Uint8Array.from({ length: 100 }, (_, i) => i % 10);

/** A score whose predictions are wrong exactly on `wrong`. */
function score(model: string, wrong: number[], validationAccuracy: number): FinalScore {
  const predictions = Uint8Array.from(y);
  for (const i of wrong) predictions[i] = (y[i] + 1) % 10;
  return {
    model,
    implementation: "scratch",
    testAccuracy: 1 - wrong.length / 100,
    validationAccuracy,
    fitSeconds: 1,
    predictSeconds: 0.5,
    trainSamples: 1000,
    evalSamples: 100,
    status: "loaded",
    predictions,
    probabilities: new Float32Array(1000),
  };
}

describe("ensemble summary", () => {
  it("compares the ensemble with the best member on validation (not on test), with McNemar's b and c", () => {
    // "b" has the better test accuracy, but "a" the better validation accuracy: "a" is the one to beat.
    const scores = [
      score("a", [1, 2, 3, 4, 5], 0.99),
      score("b", [1, 2], 0.98),
      score("ensemble", [1, 9], 0.995),
    ];
    const gain = ensembleGain(scores, y);
    assert.equal(gain.best.model, "a");
    assert.equal(gain.mcnemar.b, 4); // 2, 3, 4, 5: ensemble right, "a" wrong
    assert.equal(gain.mcnemar.c, 1); // 9
    assert.ok(Math.abs(gain.gainPoints - 3) < 1e-9);
    const text = summaryText(gain, scores);
    assert.match(text, /ensemble of 2 models classifies 98\.00%/);
    assert.match(text, /right on 4 test images .* wrong on 1/);
    assert.match(text, /This run loaded all 2 members from the model store\./);
    scores[1] = { ...scores[1], status: "trained" };
    assert.match(summaryText(gain, scores), /trained 1 of the 2 members and loaded the rest/);
    assert.throws(() => ensembleGain(scores.slice(0, 2), y), /no score named "ensemble"/);
  });

  it("lists this notebook's models first, then earlier notebooks' models not already listed", () => {
    const mine = [score("ensemble", [], 1)];
    const earlier: MetricsRow[] = [
      { ...score("k-NN", [1, 2], 0.97), source: "notebook 03" },
      { ...score("ensemble", [1], 0.9), source: "old" },
      { ...score("SVM", [1], 0.98), source: "notebook 03" },
    ];
    const rows = comparisonRows(mine, earlier);
    assert.deepEqual(
      rows.map((r) => r.model),
      ["ensemble", "SVM", "k-NN"],
    );
    assert.equal(rows[0]["test accuracy"], "100.00%");
    assert.equal(rows[2]["95% interval"], "–");
  });
});

describe("reports/metrics.json", () => {
  let dir: string;
  const saved = { results: process.env.MNIST_RESULTS_DIR, quick: process.env.MNIST_QUICK };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "metrics-"));
    process.env.MNIST_RESULTS_DIR = dir;
    delete process.env.MNIST_QUICK;
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [key, value] of [
      ["MNIST_RESULTS_DIR", saved.results],
      ["MNIST_QUICK", saved.quick],
    ] as const)
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
  });

  const row = (model: string, testAccuracy: number): MetricsRow => ({
    model,
    implementation: "scratch",
    testAccuracy,
    fitSeconds: 1,
    predictSeconds: 1,
    trainSamples: 1,
    evalSamples: 1,
  });

  it("merges rows by model name, keeping the others", () => {
    mergeMetrics([row("k-NN", 0.97), row("ensemble", 0.99)]);
    mergeMetrics([row("ensemble", 0.995), row("cnn", 0.993)]);
    const file = readMetrics()!;
    assert.equal(file.quick, false);
    assert.deepEqual(
      file.results.map((r) => [r.model, r.testAccuracy]),
      [
        ["k-NN", 0.97],
        ["ensemble", 0.995],
        ["cnn", 0.993],
      ],
    );
  });

  it("keeps the report's notebook runs when it merges rows", () => {
    const notebooks = { date: "now", quick: false, runnerPeakRssBytes: 1, runs: [] };
    const file = mergeMetrics([row("k-NN", 0.97)]);
    fs.writeFileSync(file, JSON.stringify({ ...readMetrics(), notebooks }));
    mergeMetrics([row("cnn", 0.99)]);
    assert.deepEqual(readMetrics()!.notebooks, notebooks);
    assert.equal(readMetrics()!.results.length, 2);
  });

  it("drops rows of the other mode instead of mixing quick figures with full ones", () => {
    mergeMetrics([row("k-NN", 0.97)]);
    process.env.MNIST_QUICK = "1";
    mergeMetrics([row("ensemble", 0.9)]);
    const file = readMetrics()!;
    assert.equal(file.quick, true);
    assert.deepEqual(
      file.results.map((r) => r.model),
      ["ensemble"],
    );
  });
});
