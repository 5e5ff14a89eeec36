/**
 * The results dashboard: its data (accuracies and drill-down probabilities from the models' own
 * predictions, metrics.json and tuned.json read when present) in Node, and the page in headless
 * Chromium: every panel drawn, a class's and a confusion cell's drill-down, two models side by side and
 * the dark theme, with no request to any network.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { loadMnist } from "../../lib/data/mnist";
import { toMatrix } from "../../lib/data/dataset";
import { matrix } from "../../lib/matrix";
import { MlpClassifier, SoftmaxRegression } from "../../lib/models/scratch";
import {
  dashboardData,
  loadStoredModels,
  probabilitiesOf,
  storedModelProbabilities,
  writeDashboard,
  type DashboardData,
} from "../../lib/browser";
import { findChromium, NO_CHROMIUM_NOTICE, tempFolder } from "../support/notebooks";
import { BROWSER_OUT_DIR, launchChromium } from "./draw";

async function exampleData(reportsDir: string): Promise<DashboardData> {
  const { train, test } = loadMnist({ trainLimit: 1500, testLimit: 400 });
  const x = toMatrix(train);
  const softmax = await new SoftmaxRegression({ epochs: 3, batchSize: 128 }).fit(x, train.labels);
  const mlp = await new MlpClassifier({ epochs: 2, hiddenSizes: [64] }).fit(x, train.labels);
  const models = probabilitiesOf([{ model: softmax }, { model: mlp }], test);
  return dashboardData(models, { train, test }, { reportsDir, samples: 12 });
}

describe("dashboard data", function () {
  this.timeout(60_000);

  it("holds each model's accuracy, predictions and the probabilities of its mistakes", async () => {
    const reports = tempFolder("dashboard");
    fs.writeFileSync(
      path.join(reports, "metrics.json"),
      JSON.stringify({ results: [{ model: "m", testAccuracy: 0.5 }] }),
    );
    const tuned = {
      models: { "k-NN": { params: { k: 4 }, validationScore: 0.97, validation: "3-fold CV" } },
    };
    fs.writeFileSync(path.join(reports, "tuned.json"), JSON.stringify(tuned));
    const data = await exampleData(reports);
    assert.strictEqual(data.models.length, 2);
    for (const model of data.models) {
      const correct = model.predictions.filter((p, i) => p === data.testLabels[i]).length;
      assert.strictEqual(model.testAccuracy, correct / data.testLabels.length);
      const wrong = Object.keys(model.wrongProbabilities).map(Number);
      assert.strictEqual(wrong.length, data.testLabels.length - correct);
      for (const index of wrong) {
        assert.notStrictEqual(model.predictions[index], data.testLabels[index]);
        assert.ok(data.sprite.indices.includes(index), "every drill-down digit is in the sprite");
      }
    }
    assert.deepEqual(data.results, [{ model: "m", testAccuracy: 0.5 }]);
    assert.strictEqual(data.tuned?.["k-NN"].params.k, 4);
    assert.strictEqual(
      data.dataset.testClassCounts.reduce((a, b) => a + b),
      400,
    );
    assert.throws(
      () =>
        dashboardData([], {
          train: loadMnist({ trainLimit: 10, testLimit: 10 }).train,
          test: loadMnist({ trainLimit: 10, testLimit: 10 }).test,
        }),
      /at least one model/,
    );
  });
});

describe("dashboard models from the store", () => {
  it("loads every saved model by its title and leaves out one that fails or cannot take raw images", async () => {
    const fitted = (features: number) => {
      const x = matrix(
        Float32Array.from({ length: 20 * features }, (_, i) => (i % 7) / 7),
        20,
        features,
      );
      return new SoftmaxRegression({ epochs: 1, seed: 1 }).fit(
        x,
        Uint8Array.from({ length: 20 }, (_, i) => i % 10),
      );
    };
    const model = await fitted(784);
    const afterPca = await fitted(45);
    const store = {
      list: () => [{ name: "good", title: "Good model" }, { name: "broken" }, { name: "pca" }],
      load: async (name: string) => {
        if (name === "broken") throw new Error("weights.bin: SHA-256 mismatch");
        return { model: name === "pca" ? afterPca : model };
      },
    };
    const lines: string[] = [];
    const loaded = await loadStoredModels(store, (line) => lines.push(line));
    assert.deepEqual(loaded, [{ name: "Good model", model }]);
    assert.equal(lines[0], "left out broken: weights.bin: SHA-256 mismatch");
    assert.match(lines[1], /^left out pca: .*784 features .* fitted on 45/);
  });

  it("scores stored models one at a time, each let go before the next loads", async () => {
    // 600 test rows: scored in chunks of 256, with the same result as all at once.
    const { train, test } = loadMnist({ trainLimit: 300, testLimit: 600 });
    const x = toMatrix(train);
    const softmax = await new SoftmaxRegression({ epochs: 1 }).fit(x, train.labels);
    const events: string[] = [];
    // Each load hands out a fresh copy of the model that records when it is disposed.
    const copy = (name: string) =>
      Object.assign(Object.create(softmax), { dispose: () => events.push(`dispose ${name}`) });
    const store = {
      list: () => [
        { name: "a", title: "Model A" },
        { name: "broken" },
        { name: "b" },
        { name: "ensemble", implementation: "ensemble" },
      ],
      load: async (name: string) => {
        events.push(`load ${name}`);
        if (name === "broken") throw new Error("weights.bin: SHA-256 mismatch");
        return { model: copy(name) };
      },
    };
    const lines: string[] = [];
    const scored = await storedModelProbabilities(store, test, (line) => lines.push(line));
    assert.deepEqual(events, ["load a", "dispose a", "load broken", "load b", "dispose b"]);
    assert.deepEqual(lines, [
      "not in the picker: ensemble (ensembles, compared with their members in notebook 07)",
      "left out broken: weights.bin: SHA-256 mismatch",
    ]);
    const expected = softmax.predictProba(toMatrix(test));
    assert.deepEqual(
      scored.map((s) => s.name),
      ["Model A", "b"],
    );
    for (const s of scored) {
      assert.equal(s.probabilities.length, expected.length);
      s.probabilities.forEach((p, i) => assert.ok(Math.abs(p - expected[i]) < 1e-6, `value ${i}`));
      assert.equal(s.implementation, "scratch");
    }
  });
});

describe("dashboard page in a browser @browser", function () {
  this.timeout(5 * 60 * 1000);

  it("draws every panel, drills down by class and by confusion cell, compares two models, switches theme", async function () {
    const chromium = findChromium();
    if (!chromium) {
      console.log(`    (${NO_CHROMIUM_NOTICE})`);
      this.skip();
    }
    const data = await exampleData(tempFolder("dashboard-empty"));
    const file = writeDashboard(data, path.join(BROWSER_OUT_DIR, "dashboard.html"));
    const size = fs.statSync(file).size;
    assert.ok(size < 6_000_000, `the page is ${size} bytes`);
    const browser = await launchChromium(chromium!);
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("request", (r) => {
        if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) requests.push(r.url());
      });
      await page.goto(`file://${file}`);
      await page.waitForSelector('[data-testid="confusion"] .main-svg', { timeout: 30_000 });
      assert.match((await page.getByTestId("facts").textContent()) ?? "", /1,500training images/);
      assert.strictEqual(await page.locator(".db-sample").count(), 12);

      const model = data.models[0];
      const worstClass = [...Array(10).keys()].sort((a, b) => wrongOf(data, 0, b) - wrongOf(data, 0, a))[0];
      await page.getByTestId(`class-link-${worstClass}`).click();
      const title = (await page.getByTestId("drilldown-title").textContent()) ?? "";
      assert.match(
        title,
        new RegExp(
          `${model.name.replace(/[()]/g, ".")}: ${wrongOf(data, 0, worstClass)} test digits ${worstClass} misclassified`,
        ),
      );
      assert.ok((await page.getByTestId("drilldown-item").count()) > 0);
      await page.screenshot({ path: path.join(BROWSER_OUT_DIR, "dashboard-drilldown.png"), fullPage: true });

      // A confusion cell: click where plotly drew (true worstClass, predicted p) and read the drill-down.
      const predicted = mostConfused(data, worstClass);
      await page.locator(".db-confusion-plot").first().scrollIntoViewIfNeeded();
      const position = await page.evaluate(
        ([row, col]) => {
          type Axis = { _offset: number; l2p: (value: number) => number };
          const plot = document.querySelector(".db-confusion-plot") as unknown as {
            _fullLayout: { xaxis: Axis; yaxis: Axis };
          };
          const { xaxis, yaxis } = plot._fullLayout;
          const box = (plot as unknown as HTMLElement).getBoundingClientRect();
          return {
            x: box.left + xaxis._offset + xaxis.l2p(col),
            y: box.top + yaxis._offset + yaxis.l2p(row),
          };
        },
        [worstClass, predicted],
      );
      await page.mouse.click(position.x, position.y);
      await page.waitForFunction(
        (text) => document.querySelector('[data-testid="drilldown-title"]')?.textContent?.includes(text),
        `${worstClass} predicted as ${predicted}`,
        { timeout: 5000 },
      );

      await page.getByTestId("compare-picker").selectOption("1");
      assert.strictEqual(
        await page.locator(".db-confusion-plot").count(),
        2,
        "two confusion matrices side by side",
      );
      await page.getByTestId("theme-toggle").click();
      assert.strictEqual(await page.locator(".mn-dashboard").getAttribute("data-theme"), "dark");
      await page.screenshot({
        path: path.join(BROWSER_OUT_DIR, "dashboard-compare-dark.png"),
        fullPage: true,
      });
      assert.deepEqual(requests, [], "nothing is fetched");
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
});

function wrongOf(data: DashboardData, model: number, digit: number): number {
  return data.testLabels.filter((label, i) => label === digit && data.models[model].predictions[i] !== digit)
    .length;
}

function mostConfused(data: DashboardData, digit: number): number {
  const counts = new Array<number>(10).fill(0);
  data.testLabels.forEach((label, i) => {
    const p = data.models[0].predictions[i];
    if (label === digit && p !== digit) counts[p]++;
  });
  return counts.indexOf(Math.max(...counts));
}
