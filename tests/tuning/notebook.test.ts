/**
 * Notebook 05 in quick mode (MNIST_QUICK=1), by the Node notebook runner: it runs without errors
 * (tests/notebooks/execute.test.ts also runs it with every notebook), writes reports/tuned.json for all
 * six models, and evaluates on the test set exactly once (one comparison table). Its 60-second quick-mode target is measured, not
 * asserted here: speed targets belong in benchmarks, and the machine's load varies.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../../scripts/jupyter";
import { runNotebook } from "../../scripts/notebook-runner/run";

const OUT_DIR = path.join(ROOT, "build", "test-notebooks-05");

describe("notebook 05 (optimisation) in quick mode @notebook", function () {
  this.timeout(15 * 60 * 1000);

  it("tunes every model, writes tuned.json and touches the test set only in the final table", async () => {
    const started = Date.now();
    const notebook = path.join(ROOT, "notebooks", "05-optimisation.ipynb");
    const executed = await runNotebook(notebook, {
      quick: true,
      outDir: OUT_DIR,
      cellTimeout: 900,
      resultsDir: OUT_DIR,
    });
    console.log(
      `    notebook 05 ran in ${((Date.now() - started) / 1000).toFixed(1)} s (quick mode target: 60 s)`,
    );
    const nb = JSON.parse(fs.readFileSync(executed, "utf8"));
    const outputs = nb.cells.flatMap((c: { outputs?: { output_type: string }[] }) => c.outputs ?? []);
    assert.deepEqual(
      outputs.filter((o: { output_type: string }) => o.output_type === "error"),
      [],
    );
    const tuned = JSON.parse(fs.readFileSync(path.join(OUT_DIR, "tuned.json"), "utf8"));
    assert.equal(tuned.quick, true);
    assert.deepEqual(Object.keys(tuned.models).sort(), [
      "cnn",
      "knn",
      "linear-svm",
      "mlp",
      "rbf-svm",
      "softmax-regression",
    ]);
    for (const [name, entry] of Object.entries(tuned.models) as [
      string,
      { params: object; validationScore: number },
    ][]) {
      assert.ok(Object.keys(entry.params).length > 0, `${name} has tuned parameters`);
      assert.ok(
        entry.validationScore > 0.1 && entry.validationScore <= 1,
        `${name}: ${entry.validationScore}`,
      );
    }
    const sources = nb.cells
      .filter((c: { cell_type: string }) => c.cell_type === "code")
      .map((c: { source: string[] }) => c.source.join(""));
    const testUses = sources.filter(
      (s: string) => /testSet\b/.test(s) && !/registerTestSet|const testSet/.test(s),
    );
    assert.equal(
      testUses.length,
      2,
      "the test set appears in the refusal demo and the final comparison only",
    );
  });
});
