/**
 * Every notebook executed in quick mode (MNIST_QUICK=1) by the Node runner, failing on any cell error;
 * notebook 01 also through Jupyter's nbconvert where Jupyter is installed, holding the two paths to the
 * same outputs; then notebook 01's exported report opened in headless Chromium, which must draw its charts.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { checkJupyter, executeNotebook, listNotebooks, ROOT } from "../../scripts/jupyter";
import { exportHtml } from "../../scripts/notebook-runner/html";
import { Notebook, Output } from "../../scripts/notebook-runner/notebook";
import { runNotebook } from "../../scripts/notebook-runner/run";
import { findChromium, NO_CHROMIUM_NOTICE } from "../support/notebooks";

const OUT_DIR = path.join(ROOT, "build", "test-notebooks");
const FIRST = path.join(ROOT, "notebooks", "01-loading-and-exploring.ipynb");

function read(file: string): Notebook {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** Notebook 01 executed by the Node runner: reused from the run of every notebook when it is there. */
async function executedFirst(): Promise<string> {
  const executed = path.join(OUT_DIR, path.basename(FIRST));
  if (fs.existsSync(executed)) return executed;
  return runNotebook(FIRST, { quick: true, outDir: OUT_DIR, resultsDir: OUT_DIR });
}

describe("notebooks in quick mode @notebook", function () {
  this.timeout(20 * 60 * 1000);
  before(() => fs.rmSync(OUT_DIR, { recursive: true, force: true }));

  for (const notebook of listNotebooks()) {
    it(`${path.basename(notebook)} runs without errors`, async () => {
      const executed = await runNotebook(notebook, {
        quick: true,
        outDir: OUT_DIR,
        cellTimeout: 900,
        resultsDir: OUT_DIR,
      });
      const nb = read(executed);
      const code = nb.cells.filter((c) => c.cell_type === "code");
      const errors = code.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "error"));
      assert.deepEqual(errors, []);
      assert.ok(
        code.some((c) => (c.outputs ?? []).length > 0),
        "an executed notebook shows results",
      );
      assert.ok(
        code.every((c) => c.execution_count !== null),
        "every code cell ran",
      );
    });
  }
});

/**
 * A cell's outputs as kinds, the way both paths can agree on: tslab under Jupyter prints a cell's value
 * on stdout where the Node runner records it as an execute_result, and nbconvert keeps each write to a
 * stream as its own output where the runner joins consecutive ones.
 */
export function outputKinds(outputs: Output[]): string[] {
  const kinds = outputs.map((o) =>
    o.output_type === "stream"
      ? `stream ${o.name}`
      : o.output_type === "execute_result"
        ? "stream stdout"
        : o.output_type,
  );
  return kinds.filter((kind, i) => !(kind.startsWith("stream") && kind === kinds[i - 1]));
}

describe("the Node runner and nbconvert agree @notebook", function () {
  this.timeout(10 * 60 * 1000);

  it("on notebook 01: the same kinds and number of outputs in every cell, and no errors", async function () {
    try {
      checkJupyter();
    } catch {
      console.log("    (skipped: Jupyter's nbconvert is not installed; CI installs it)");
      this.skip();
    }
    const jupyterDir = path.join(OUT_DIR, "jupyter");
    const viaJupyter = read(
      await executeNotebook(FIRST, { quick: true, outDir: jupyterDir, resultsDir: jupyterDir }),
    );
    const viaNode = read(await executedFirst());
    const kinds = (nb: Notebook) =>
      nb.cells.filter((c) => c.cell_type === "code").map((c) => outputKinds(c.outputs ?? []));
    assert.deepEqual(kinds(viaNode), kinds(viaJupyter));
    const all = kinds(viaNode).flat();
    assert.ok(
      all.filter((k) => k === "display_data").length >= 5,
      "charts, tables and images are display data",
    );
    assert.ok(!all.includes("error"));
    for (const nb of [viaJupyter, viaNode]) {
      assert.ok(!JSON.stringify(nb).includes(ROOT + path.sep), "no absolute path of the project is shown");
    }
  });
});

describe("notebook 01 report in a browser @browser", function () {
  this.timeout(5 * 60 * 1000);

  it("shows rendered plotly charts, inlines plotly once, wraps long code lines, and has no page errors", async function () {
    const chromium = findChromium();
    if (!chromium) {
      console.log(`    (${NO_CHROMIUM_NOTICE})`);
      this.skip();
    }
    const html = exportHtml(await executedFirst(), OUT_DIR);
    const source = fs.readFileSync(html, "utf8");
    assert.equal(source.split("if (!window.Plotly)").length - 1, 1, "plotly is inlined exactly once");
    assert.doesNotMatch(source, /<script[^>]+src=/, "nothing is fetched when the report opens");
    const { chromium: launcher } = await import("playwright-core");
    const browser = await launcher.launch({
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(e.message));
      await page.goto(`file://${html}`);
      const charts = page.locator(".mnist-plot");
      const expected = await charts.count();
      assert.ok(expected >= 3, `expected at least 3 charts, found ${expected}`);
      // plotly replaces each empty div with SVG layers once it has drawn the chart.
      await page.waitForFunction(
        (n) => document.querySelectorAll(".mnist-plot .main-svg").length >= n,
        expected,
        { timeout: 30000 },
      );
      const bars = await page.locator(".mnist-plot .bars .point").count();
      assert.ok(bars >= 20, `the class-count chart draws its bars (found ${bars})`);
      const cutOff = await page.evaluate(
        () =>
          Array.from(document.querySelectorAll("pre.code")).filter((e) => e.scrollWidth > e.clientWidth + 1)
            .length,
      );
      assert.equal(cutOff, 0, "no code cell scrolls sideways in a 900-pixel window");
      assert.equal(await page.locator(".prompt", { hasText: "In [1]:" }).count(), 1);
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
    }
  });
});
