import { strict as assert } from "assert";
import type { BackendInfo } from "../../lib/backend";
import { type Matrix } from "../../lib/matrix";
import { BaseClassifier, type FitOptions } from "../../lib/models/estimator";
import { timed, type Evaluation } from "../../lib/models/evaluate";
import { ModelComparison, twinRows } from "../../lib/experiments/model-comparison";
import { skippedTfCnnMessage, tfCnnIfTrainable } from "../../lib/models/tfjs/cnn-if-trainable";
import { TfCnnClassifier } from "../../lib/models/tfjs/cnn";

/** Predicts class 1 when the first feature is positive, else class 0. */
class SignOfFirstFeature extends BaseClassifier {
  readonly name = "sign";
  readonly implementation = "scratch" as const;
  lastFitOptions: FitOptions | null = null;
  protected async fitImpl(_x: Matrix, _y: Uint8Array, options: FitOptions): Promise<void> {
    this.lastFitOptions = options;
  }
  protected predictProbaImpl(x: Matrix): Float32Array {
    const out = new Float32Array(x.rows * this.numClasses);
    for (let i = 0; i < x.rows; i++) out[i * this.numClasses + (x.data[i * x.cols] > 0 ? 1 : 0)] = 1;
    return out;
  }
}

function quietly<T>(work: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => {};
  return work().finally(() => (console.log = log));
}

const x: Matrix = { data: Float32Array.of(1, 0, -1, 0, 2, 0, -3, 0), rows: 4, cols: 2 };
const y = Uint8Array.of(1, 0, 0, 0);

describe("ModelComparison", () => {
  it("runs each model through fitAndEvaluate, keeps the results in order, and relabels on request", async () => {
    const comparison = new ModelComparison({ train: { x, y }, test: { x, y } });
    const model = new SignOfFirstFeature();
    const first = await quietly(() => comparison.run(model));
    assert.equal(first.accuracy, 0.75);
    assert.equal(model.lastFitOptions?.verbose, true, "progress is on unless turned off");
    const other = { train: { x, y: Uint8Array.of(1, 0, 1, 0) }, test: { x, y: Uint8Array.of(1, 0, 1, 0) } };
    const second = await quietly(() =>
      comparison.run(new SignOfFirstFeature(), { data: other, label: "sign, other data", verbose: false }),
    );
    assert.equal(second.model, "sign, other data");
    assert.equal(second.accuracy, 1);
    assert.deepEqual(comparison.results, [first, second]);
    const rows = comparison.rows();
    assert.deepEqual(
      rows.map((r) => [r.model, r.implementation, r["test accuracy %"]]),
      [
        ["sign", "from scratch", 75],
        ["sign, other data", "from scratch", 100],
      ],
    );
  });

  it("charts accuracy against fit time with one group per implementation present, times floored for the log axis", async () => {
    const comparison = new ModelComparison({ train: { x, y }, test: { x, y } });
    await quietly(() => comparison.run(new SignOfFirstFeature()));
    const chart = comparison.accuracyAgainstFitTime();
    assert.equal(chart.traces.length, 1);
    assert.equal(chart.traces[0].name, "from scratch");
    assert.ok((chart.traces[0].x as number[])[0] >= 0.01);
    assert.deepEqual(chart.traces[0].y, [75]);
  });
});

describe("twinRows", () => {
  const evaluation = (model: string, implementation: "scratch" | "tfjs", accuracy: number) =>
    ({ model, implementation, accuracy }) as Evaluation;

  it("puts each pair side by side with the difference in points, leaving out a pair with a skipped member", () => {
    const rows = twinRows([
      [evaluation("MLP (tfjs)", "tfjs", 0.98), evaluation("MLP", "scratch", 0.985)],
      [null, evaluation("CNN", "scratch", 0.99)],
    ]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]["TensorFlow.js"], "MLP (tfjs)");
    assert.ok(Math.abs((rows[0]["difference (points)"] as number) - 0.5) < 1e-9);
  });

  it("rejects a pair given in the wrong order", () => {
    assert.throws(
      () => twinRows([[evaluation("MLP", "scratch", 0.9), evaluation("MLP (tfjs)", "tfjs", 0.9)]]),
      /expected \[tfjs, scratch\] pairs, got \[scratch, tfjs\]/,
    );
  });
});

describe("timed", () => {
  it("returns the value of sync and async work with a non-negative time", async () => {
    const sync = await timed(() => 6 * 7);
    assert.equal(sync.result, 42);
    const later = await timed(() => new Promise<string>((resolve) => setTimeout(() => resolve("done"), 20)));
    assert.equal(later.result, "done");
    assert.ok(later.seconds >= 0.015, `took ${later.seconds} s`);
  });
});

describe("tfCnnIfTrainable", () => {
  it("gives a TensorFlow.js CNN where conv training works, else null after one line naming the backend", () => {
    const able: BackendInfo = { name: "tensorflow", reason: "native", canTrainConv: true };
    const unable: BackendInfo = { name: "wasm", reason: "fallback", canTrainConv: false };
    assert.ok(tfCnnIfTrainable(able, { epochs: 1 }) instanceof TfCnnClassifier);
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      assert.equal(tfCnnIfTrainable(unable, { epochs: 1 }), null);
    } finally {
      console.log = log;
    }
    assert.deepEqual(lines, [skippedTfCnnMessage(unable)]);
    assert.match(lines[0], /^TensorFlow\.js CNN skipped: the 'wasm' backend/);
    assert.doesNotMatch(lines[0], /\n/);
  });
});
