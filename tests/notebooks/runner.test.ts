/**
 * The Node notebook runner on small notebooks: outputs recorded as Jupyter records them, failures that
 * stop the run like nbconvert's, a per-cell time limit, and clear errors for files that are not tslab
 * notebooks.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Notebook } from "../../scripts/notebook-runner/notebook";
import { NotebookError, runNotebook, runNotebookMeasured } from "../../scripts/notebook-runner/run";
import { projectRoot } from "../../lib/paths";
import { fixtureNotebook, tempFolder, writeFixture } from "../support/notebooks";

const ROOT = projectRoot();

function read(file: string): Notebook {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

async function failure(run: Promise<unknown>): Promise<NotebookError> {
  try {
    await run;
  } catch (err) {
    assert.ok(err instanceof NotebookError, `expected a NotebookError, got ${err}`);
    return err;
  }
  throw new assert.AssertionError({ message: "expected the run to fail" });
}

describe("notebook runner", function () {
  this.timeout(120_000);
  const dir = tempFolder("runner");
  const outDir = path.join(dir, "executed");

  describe("a notebook that runs", () => {
    let nb: Notebook;
    let peakRssBytes = 0;
    const progress: string[] = [];

    before(async () => {
      const saved = process.env.MNIST_RESULTS_DIR;
      process.env.MNIST_RESULTS_DIR = ""; // empty means unset: the kernel must not see ""
      const file = writeFixture(
        dir,
        "01-features.ipynb",
        fixtureNotebook([
          { markdown: "# Features" },
          {
            code: 'import * as tslab from "tslab";\nconsole.log("one");\nconsole.log("two");\nconst ok = process.stderr.write("careful\\n");',
          },
          {
            code: 'const d = tslab.newDisplay();\nd.text("first");\ntslab.display.html("<b>static</b>");\nd.text("second");',
          },
          { code: "1 + 2" },
          { code: "  \n" },
          {
            code: 'console.log(process.env.MNIST_RESULTS_DIR ?? "unset");\nconsole.log(require("path").basename(process.cwd()));',
          },
          { code: `console.log(${JSON.stringify(path.join(ROOT, "reports", "metrics.json"))});\n"done"` },
        ]),
      );
      try {
        const run = await runNotebookMeasured(file, {
          quick: true,
          outDir,
          onProgress: (p) => progress.push(`${p.cell}/${p.cells} ${p.firstLine}`),
        });
        nb = read(run.executed);
        peakRssBytes = run.peakRssBytes;
      } finally {
        if (saved === undefined) delete process.env.MNIST_RESULTS_DIR;
        else process.env.MNIST_RESULTS_DIR = saved;
      }
    });

    const code = (i: number) => nb.cells.filter((c) => c.cell_type === "code")[i];

    it("keeps consecutive writes to a stream as one output, stdout and stderr apart", () => {
      assert.deepEqual(code(0).outputs, [
        { output_type: "stream", name: "stdout", text: "one\ntwo\n" },
        { output_type: "stream", name: "stderr", text: "careful\n" },
      ]);
    });

    it("records tslab.display outputs, an update by display id replacing the earlier data", () => {
      const outputs = code(1).outputs ?? [];
      assert.deepEqual(
        outputs.map((o) => (o.output_type === "display_data" ? o.data : o.output_type)),
        [{ "text/plain": "second" }, { "text/html": "<b>static</b>" }],
      );
    });

    it("records the last expression's value as an execute_result numbered like its cell", () => {
      assert.deepEqual(code(2).outputs, [
        { output_type: "execute_result", execution_count: 3, data: { "text/plain": "3" }, metadata: {} },
      ]);
    });

    it("numbers executed cells in order and skips empty cells as Jupyter does", () => {
      assert.deepEqual(
        nb.cells.filter((c) => c.cell_type === "code").map((c) => c.execution_count),
        [1, 2, 3, null, 4, 5],
      );
      assert.deepEqual(progress, [
        '1/5 import * as tslab from "tslab";',
        "2/5 const d = tslab.newDisplay();",
        "3/5 1 + 2",
        '4/5 console.log(process.env.MNIST_RESULTS_DIR ?? "unset");',
        `5/5 console.log("${ROOT}/reports/metrics.json");`,
      ]);
    });

    it("runs in the notebook's folder, with an empty MNIST_RESULTS_DIR treated as unset", () => {
      const out = code(4).outputs?.[0];
      assert.deepEqual(out, {
        output_type: "stream",
        name: "stdout",
        text: `unset\n${path.basename(dir)}\n`,
      });
    });

    it("prints paths inside the project relative to it", () => {
      const out = code(5).outputs?.[0];
      assert.deepEqual(out, { output_type: "stream", name: "stdout", text: "reports/metrics.json\n" });
    });

    it("reports the kernel process's peak memory in bytes", () => {
      // A Node process with TypeScript loaded holds tens of MiB; kibibytes taken for bytes would be 1024× less.
      const mib = peakRssBytes / 2 ** 20;
      assert.ok(mib > 20 && mib < 4096, `peak ${mib.toFixed(1)} MiB`);
    });

    it("stores the kernel's language_info and keeps the kernelspec", () => {
      assert.equal(nb.metadata.language_info.name, "typescript");
      assert.equal(nb.metadata.kernelspec.name, "tslab");
    });
  });

  it("stops at the first failing cell, names notebook, cell and first line, and still writes the notebook", async () => {
    const file = writeFixture(
      dir,
      "02-fails.ipynb",
      fixtureNotebook([
        { code: 'console.log("before");' },
        { code: 'const x = 1;\nthrow new RangeError("bad value " + x);' },
        { code: 'console.log("never");' },
      ]),
    );
    const err = await failure(runNotebook(file, { quick: true, outDir }));
    assert.match(err.message, /^02-fails\.ipynb: cell 2 of 3 failed: const x = 1;\nRangeError: bad value 1/);
    assert.equal(err.cell, 2);
    const nb = read(err.executed!);
    const [first, failing, after] = nb.cells;
    assert.equal(first.outputs?.length, 1);
    const error = failing.outputs?.find((o) => o.output_type === "error");
    assert.ok(error?.output_type === "error");
    assert.equal(error.ename, "RangeError");
    assert.equal(error.evalue, "bad value 1");
    assert.match(error.traceback[0], /^RangeError: bad value 1/);
    assert.ok(error.traceback.length > 1, "the traceback has the stack frames");
    assert.deepEqual(
      [after.outputs, after.execution_count],
      [[], null],
      "cells after the failure do not run",
    );
  });

  it("keeps the peak memory of a notebook that fails, counting what its cells held", async () => {
    const file = writeFixture(
      dir,
      "02-memory.ipynb",
      fixtureNotebook([
        // Filled, so every page is really held; released before the next cell.
        { code: "let held: Buffer | null = Buffer.alloc(300 * 2 ** 20, 1);\nheld = null;" },
        { code: 'throw new Error("after the peak");' },
      ]),
    );
    const err = await failure(runNotebook(file, { quick: true, outDir }));
    assert.match(err.message, /cell 2 of 2 failed/);
    const mib = (err.peakRssBytes ?? 0) / 2 ** 20;
    assert.ok(mib >= 300 && mib < 4096, `peak ${mib.toFixed(1)} MiB`);
  });

  it("reports TypeScript compile errors as the cell's error", async () => {
    const file = writeFixture(
      dir,
      "03-type-error.ipynb",
      fixtureNotebook([{ code: 'const n: number = "text";' }]),
    );
    const err = await failure(runNotebook(file, { quick: true, outDir }));
    assert.match(
      err.message,
      /cell 1 of 1 failed: const n: number = "text";\n.*not assignable to type 'number'/,
    );
  });

  it("stops a cell that never finishes after the per-cell timeout, even a busy loop", async () => {
    const file = writeFixture(
      dir,
      "04-hangs.ipynb",
      fixtureNotebook([{ code: 'console.log("started");' }, { code: "while (true) {}" }, { code: "1" }]),
    );
    const started = Date.now();
    const err = await failure(runNotebook(file, { quick: true, outDir, cellTimeout: 2 }));
    assert.ok(Date.now() - started < 30_000);
    assert.match(
      err.message,
      /^04-hangs\.ipynb: cell 2 of 3 failed: while \(true\) \{\}\nCellTimeoutError: .*within 2 s/,
    );
    const nb = read(err.executed!);
    assert.equal(nb.cells[0].outputs?.length, 1, "the executed part is kept");
  });

  it("says which notebook is not JSON, not nbformat 4, or for another kernel, without running it", async () => {
    const cases: [string, object | string, RegExp][] = [
      ["05-broken.ipynb", '{"cells": [', /^05-broken\.ipynb: not a valid notebook: .*JSON/],
      ["06-old.ipynb", { nbformat: 3, worksheets: [] }, /^06-old\.ipynb: nbformat is 3, expected 4/],
      [
        "07-python.ipynb",
        fixtureNotebook([{ code: "print(1)" }], "python3"),
        /^07-python\.ipynb: kernel is "python3", expected "tslab"/,
      ],
    ];
    for (const [name, content, expected] of cases) {
      const err = await failure(runNotebook(writeFixture(dir, name, content), { quick: true, outDir }));
      assert.match(err.message, expected);
      assert.equal(err.executed, undefined);
      assert.ok(!fs.existsSync(path.join(outDir, name)), `${name} was not executed`);
    }
  });
});
