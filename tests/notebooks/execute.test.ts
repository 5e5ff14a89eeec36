/**
 * Every notebook executed headless in quick mode (MNIST_QUICK=1), failing on any cell error; then the
 * exported report of notebook 01 opened in headless Chromium, which must show rendered plotly charts.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { checkJupyter, executeNotebook, exportHtml, listNotebooks, ROOT } from "../../scripts/jupyter";

const OUT_DIR = path.join(ROOT, "build", "test-notebooks");

describe("notebooks in quick mode @notebook", function () {
  this.timeout(20 * 60 * 1000);
  before(() => checkJupyter());

  for (const notebook of listNotebooks()) {
    it(`${path.basename(notebook)} runs without errors`, async () => {
      const executed = await executeNotebook(notebook, { quick: true, outDir: OUT_DIR, cellTimeout: 900, resultsDir: OUT_DIR });
      const nb = JSON.parse(fs.readFileSync(executed, "utf8"));
      const errors = nb.cells.flatMap((c: { outputs?: { output_type: string }[] }) => (c.outputs ?? []).filter((o) => o.output_type === "error"));
      assert.equal(errors.length, 0);
      const outputs = nb.cells.flatMap((c: { outputs?: unknown[] }) => c.outputs ?? []);
      assert.ok(outputs.length > 0, "an executed notebook shows results");
    });
  }
});

describe("notebook 01 report in a browser @browser", function () {
  this.timeout(5 * 60 * 1000);

  it("shows rendered plotly charts and no page errors", async () => {
    const executed = path.join(OUT_DIR, "01-loading-and-exploring.ipynb");
    if (!fs.existsSync(executed)) await executeNotebook(path.join(ROOT, "notebooks", "01-loading-and-exploring.ipynb"), { quick: true, outDir: OUT_DIR, resultsDir: OUT_DIR });
    const html = await exportHtml(executed, OUT_DIR);
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(e.message));
      await page.goto(`file://${html}`);
      const charts = page.locator(".mnist-plot");
      const expected = await charts.count();
      assert.ok(expected >= 3, `expected at least 3 charts, found ${expected}`);
      // plotly replaces each empty div with SVG layers once it has drawn the chart.
      await page.waitForFunction((n) => document.querySelectorAll(".mnist-plot .main-svg").length >= n, expected, { timeout: 30000 });
      const bars = await page.locator(".mnist-plot .bars .point").count();
      assert.ok(bars >= 20, `the class-count chart draws its bars (found ${bars})`);
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
    }
  });
});
