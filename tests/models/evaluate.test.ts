import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Matrix } from "../../lib/matrix";
import { BaseClassifier, FitOptions } from "../../lib/models/estimator";
import { fitAndEvaluate, writeResults } from "../../lib/models/evaluate";

/** Predicts class 1 when the first feature is positive, else class 0; records that fit ran. */
class SignOfFirstFeature extends BaseClassifier {
  readonly name = "sign";
  readonly implementation = "scratch" as const;
  fitted = false;
  protected async fitImpl(_x: Matrix, _y: Uint8Array, _options: FitOptions): Promise<void> {
    this.fitted = true;
  }
  protected predictProbaImpl(x: Matrix): Float32Array {
    const out = new Float32Array(x.rows * this.numClasses);
    for (let i = 0; i < x.rows; i++) out[i * this.numClasses + (x.data[i * x.cols] > 0 ? 1 : 0)] = 1;
    return out;
  }
}

describe("fitAndEvaluate and writeResults", () => {
  const x: Matrix = { data: Float32Array.of(1, 0, -1, 0, 2, 0, -3, 0), rows: 4, cols: 2 };
  const y = Uint8Array.of(1, 0, 0, 0);

  it("fits, predicts and scores, timing both", async () => {
    const model = new SignOfFirstFeature();
    const result = await fitAndEvaluate(model, { x, y }, { x, y });
    assert.ok(model.fitted);
    assert.deepEqual(Array.from(result.predictions), [1, 0, 1, 0]);
    assert.equal(result.accuracy, 0.75);
    assert.ok(result.fitSeconds >= 0 && result.predictSeconds >= 0);
    assert.equal(result.trainSamples, 4);
  });

  it("writes results without the per-sample arrays to MNIST_RESULTS_DIR", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "results-"));
    const saved = process.env.MNIST_RESULTS_DIR;
    process.env.MNIST_RESULTS_DIR = dir;
    try {
      const result = await fitAndEvaluate(new SignOfFirstFeature(), { x, y }, { x, y });
      const file = writeResults("metrics.json", [result]);
      assert.equal(path.dirname(file), dir);
      const json = JSON.parse(fs.readFileSync(file, "utf8"));
      assert.equal(json.results[0].testAccuracy, 0.75);
      assert.equal(json.results[0].model, "sign");
      assert.equal(json.results[0].predictions, undefined);
    } finally {
      if (saved === undefined) delete process.env.MNIST_RESULTS_DIR;
      else process.env.MNIST_RESULTS_DIR = saved;
    }
  });
});
