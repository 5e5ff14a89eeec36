/**
 * The drawing widget in headless Chromium: digits drawn with mouse strokes are classified correctly,
 * within 50 ms of the stroke ending, in a standalone page (two widgets on one page) and in an exported
 * notebook report (scripts/notebook-runner/html.ts); an empty canvas shows no digit and says so.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { loadMnist } from "../../lib/data/mnist";
import { toMatrix } from "../../lib/data/dataset";
import { matrix } from "../../lib/matrix";
import { CnnClassifier } from "../../lib/models/scratch";
import { browserNetworkOf, canvasWidgetHtml, type BrowserNetwork } from "../../lib/browser";
import { notebookHtml } from "../../scripts/notebook-runner/html";
import { findChromium, NO_CHROMIUM_NOTICE } from "../support/notebooks";
import { BROWSER_OUT_DIR, DIGIT_STROKES, drawAndRead, launchChromium } from "./draw";

describe("drawing canvas in a browser @browser", function () {
  this.timeout(5 * 60 * 1000);
  const chromium = findChromium();
  let network: BrowserNetwork;

  before(async function () {
    if (!chromium) {
      console.log(`    (${NO_CHROMIUM_NOTICE})`);
      this.skip();
    }
    // The speed preset on a fifth of MNIST: about 98% accurate, in a few seconds.
    const { train } = loadMnist({ trainLimit: 12000, testLimit: 1 });
    const x = toMatrix(train);
    const model = await new CnnClassifier({ preset: "speed", seed: 1 }).fit(
      matrix(x.data, x.rows, 784),
      train.labels,
    );
    network = browserNetworkOf(model);
    fs.mkdirSync(BROWSER_OUT_DIR, { recursive: true });
  });

  async function checkPage(file: string, screenshot: string): Promise<void> {
    const browser = await launchChromium(chromium!);
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`file://${file}`);
      const widgets = page.locator(".mn-draw-widget");
      assert.ok((await widgets.count()) >= 1, "the page holds a drawing widget");
      const widget = widgets.first();
      assert.strictEqual((await widget.getByTestId("prediction").textContent())?.trim(), "");
      assert.match((await widget.getByTestId("message").textContent()) ?? "", /empty/);
      const timings: string[] = [];
      for (const digit of [1, 7, 0]) {
        const { prediction, milliseconds } = await drawAndRead(page, widget, DIGIT_STROKES[digit]);
        timings.push(`${digit}: ${milliseconds.toFixed(1)} ms`);
        assert.strictEqual(prediction, String(digit), `a drawn ${digit} was read as "${prediction}"`);
        assert.ok(milliseconds < 50, `the ${digit} took ${milliseconds} ms to classify`);
        const bars = await widget.getByTestId("probabilities").locator(".mn-top .mn-label").textContent();
        assert.strictEqual(bars, String(digit), "the top bar is the predicted digit");
      }
      console.log(`      classified at stroke end in ${timings.join(", ")}`);
      await page.screenshot({ path: path.join(BROWSER_OUT_DIR, screenshot), fullPage: true });
      await widget.getByTestId("clear").click();
      assert.strictEqual((await widget.getByTestId("prediction").textContent())?.trim(), "");
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  }

  it("reads drawn 1, 7 and 0 in a standalone page with two widgets, each on its own", async () => {
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
${canvasWidgetHtml(network)}${canvasWidgetHtml(network, { title: "second widget" })}</body></html>`;
    assert.doesNotMatch(html, /<script[^>]+src=/, "nothing is fetched");
    const file = path.join(BROWSER_OUT_DIR, "canvas-widget.html");
    fs.writeFileSync(file, html);
    await checkPage(file, "canvas-widget.png");
  });

  it("reads drawn 1, 7 and 0 in an exported notebook report", async () => {
    const output = {
      output_type: "display_data" as const,
      data: { "text/html": canvasWidgetHtml(network) },
      metadata: {},
    };
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { cell_type: "markdown" as const, source: "Draw a digit.", metadata: {} },
        {
          cell_type: "code" as const,
          source: "mn.showCanvas(model);",
          metadata: {},
          outputs: [output],
          execution_count: 1,
        },
      ],
    };
    const file = path.join(BROWSER_OUT_DIR, "canvas-report.html");
    fs.writeFileSync(file, notebookHtml(nb, "canvas-report"));
    await checkPage(file, "canvas-report.png");
  });
});
