import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { SoftmaxRegression } from "../../lib/models/scratch/softmax-regression";
import { SEARCH_FILE, SearchStore } from "../../lib/store/search-store";
import {
  gridHeatmapChart,
  halvingBracketChart,
  lrRangeChart,
  validationCurveChart,
} from "../../lib/plots/tuning-charts";
import { logUniform } from "../../lib/tuning/distributions";
import type { SearchResult } from "../../lib/tuning/search-result";
import { blobs, PlantedClassifier } from "../tuning/helpers";
import { tempDir } from "./helpers";

describe("store: searches load when their inputs are unchanged", function () {
  this.timeout(60000);
  const data = blobs(300, 1);
  let root: string;
  const lines: string[] = [];
  const warnings: string[] = [];
  let [log, warn] = [console.log, console.warn];

  before(() => (root = tempDir("search-store")));
  beforeEach(() => {
    lines.length = 0;
    warnings.length = 0;
    [log, warn] = [console.log, console.warn];
    console.log = (...args: unknown[]) => void lines.push(args.join(" "));
    console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
  });
  afterEach(() => ([console.log, console.warn] = [log, warn]));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const store = (retrain = false) => new SearchStore({ root, retrain, prefix: "05" });
  const grid = { noise: [0.3, 0.05, 0.2], epochs: [1, 2] };
  const gridOptions = { cv: 3, seed: 1, includeDefault: true, timeBudgetSeconds: 30 };
  const sameResult = (a: SearchResult, b: SearchResult) => {
    assert.deepEqual(b.trials, a.trials);
    assert.deepEqual(b.summary, a.summary);
    assert.deepEqual(b.bestParams, a.bestParams);
    assert.deepEqual(b.rows(), a.rows());
  };

  it("searches, then loads the identical result without fitting, and says which", async () => {
    const first = await store().gridSearch("planted", new PlantedClassifier(), grid, data, gridOptions);
    assert.equal(first.origin?.status, "searched");
    assert.ok(lines.some((l) => /^05-planted: searched in \d+\.\d s, saved to /.test(l)));
    assert.ok(fs.existsSync(path.join(root, "05-planted", SEARCH_FILE)));
    const fits = PlantedClassifier.fits;
    lines.length = 0;
    const second = await store().gridSearch("planted", new PlantedClassifier(), grid, data, gridOptions);
    assert.equal(PlantedClassifier.fits, fits, "a loaded search fits nothing");
    assert.equal(second.origin?.status, "loaded");
    assert.equal(second.origin?.date, first.origin?.date);
    sameResult(first, second);
    const seconds = first.summary.elapsedSeconds;
    assert.ok(seconds > 0);
    const pattern =
      /^05-planted: loaded search \(7 trials, searched in \d+\.\d s on \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/;
    assert.match(lines.join("\n"), pattern);
    const chart = (r: SearchResult) => [
      validationCurveChart(r, "noise"),
      gridHeatmapChart(r, "noise", "epochs", "planted"),
    ];
    assert.deepEqual(chart(second), chart(first), "charts come out the same from a loaded result");
  });

  it("searches again when the grid, the seed, the budget, the model or the data change", async () => {
    const model = () => new PlantedClassifier();
    const changes: Array<[string, () => Promise<SearchResult>, RegExp]> = [
      [
        "grid",
        () => store().gridSearch("planted", model(), { ...grid, epochs: [1, 3] }, data, gridOptions),
        /inputs/,
      ],
      [
        "seed",
        () => store().gridSearch("planted", model(), grid, data, { ...gridOptions, seed: 2 }),
        /options\.seed 1 → 2/,
      ],
      [
        "budget",
        () => store().gridSearch("planted", model(), grid, data, { ...gridOptions, timeBudgetSeconds: 31 }),
        /options\.timeBudgetSeconds 30 → 31/,
      ],
      [
        "model",
        () => store().gridSearch("planted", new PlantedClassifier({ delayMs: 1 }), grid, data, gridOptions),
        /params\.delayMs 0 → 1/,
      ],
      ["data", () => store().gridSearch("planted", model(), grid, blobs(300, 2), gridOptions), /the data/],
    ];
    for (const [what, run, reason] of changes) {
      await store().gridSearch("planted", model(), grid, data, gridOptions); // back to the saved inputs
      lines.length = 0;
      const fits = PlantedClassifier.fits;
      const result = await run();
      assert.equal(result.origin?.status, "searched", what);
      assert.ok(PlantedClassifier.fits > fits, `${what}: fitted again`);
      assert.match(lines.join("\n"), reason, what);
    }
  });

  it("does not count verbose or parallel, and reruns when asked to (retrain)", async () => {
    await store().gridSearch("planted", new PlantedClassifier(), grid, data, gridOptions);
    const quiet = await store().gridSearch("planted", new PlantedClassifier(), grid, data, {
      ...gridOptions,
      verbose: false,
    });
    assert.equal(quiet.origin?.status, "loaded");
    const rerun = await store(true).gridSearch("planted", new PlantedClassifier(), grid, data, gridOptions);
    assert.equal(rerun.origin?.status, "searched");
    assert.match(lines.join("\n"), /searching, because a rerun was asked for/);
  });

  it("random search keys on the candidates drawn: another seed or nTrials searches again", async () => {
    const space = { noise: logUniform(0.01, 0.3) };
    const options = { nTrials: 4, cv: { validationFraction: 0.25 }, seed: 3 };
    const run = (o = options) => store().randomSearch("random", new PlantedClassifier(), space, data, o);
    const first = await run();
    const second = await run();
    assert.equal(second.origin?.status, "loaded");
    sameResult(first, second);
    assert.equal((await run({ ...options, nTrials: 5 })).origin?.status, "searched");
    assert.equal((await run({ ...options, seed: 4 })).origin?.status, "searched");
    const wider = { noise: logUniform(0.01, 0.4) };
    const widerRun = await store().randomSearch("random", new PlantedClassifier(), wider, data, options);
    assert.equal(widerRun.origin?.status, "searched");
  });

  it("successive halving, the LR range test and learning curves load identical results and charts", async () => {
    const candidates = [{ noise: 0.3 }, { noise: 0.1 }, { noise: 0.2 }, { noise: 0.05 }];
    const halvingOptions = { resource: "epochs" as const, minResource: 1, factor: 2, seed: 1 };
    const halve = () =>
      store().successiveHalving("halving", new PlantedClassifier(), candidates, data, halvingOptions);
    const [a, b] = [await halve(), await halve()];
    assert.equal(b.origin?.status, "loaded");
    sameResult(a, b);
    assert.equal(b.resourceName, "epochs");
    assert.deepEqual(halvingBracketChart(b, "epochs"), halvingBracketChart(a, "epochs"));

    const softmax = () => new SoftmaxRegression({ batchSize: 32, seed: 0 });
    const lrOptions = { minRate: 1e-4, maxRate: 1, steps: 6, samplesPerStep: 120 };
    const range = () => store().learningRateRangeTest("range", softmax(), data, lrOptions);
    const [r1, r2] = [await range(), await range()];
    assert.equal(r2.origin?.status, "loaded");
    assert.deepEqual({ ...r2, origin: undefined }, { ...r1, origin: undefined });
    assert.deepEqual(lrRangeChart(r2, "t"), lrRangeChart(r1, "t"));
    assert.match(lines.join("\n"), /05-range: loaded search \(\d+ rates, /);
    const moreSteps = await store().learningRateRangeTest("range", softmax(), data, {
      ...lrOptions,
      steps: 7,
    });
    assert.equal(moreSteps.origin, undefined, "another number of steps runs the test again");

    const curve = () => store().learningCurve("curve", new PlantedClassifier(), data, [50, 100], { cv: 2 });
    const [c1, c2] = [await curve(), await curve()];
    assert.deepEqual(c2, c1);
    assert.match(lines.join("\n"), /05-curve: loaded search \(2 sizes, /);
  });

  it("keeps NaN scores and an unlimited budget as they were", async () => {
    await store().gridSearch("nan", new PlantedClassifier(), { noise: [0.1] }, data, { cv: 2 });
    // A diverged trial scores NaN: written here by hand, as the planted model never diverges.
    const file = path.join(root, "05-nan", SEARCH_FILE);
    const saved = JSON.parse(fs.readFileSync(file, "utf8"));
    saved.result.trials[0].stdScore = { $number: "NaN" };
    fs.writeFileSync(file, JSON.stringify(saved));
    const loaded = await store().gridSearch("nan", new PlantedClassifier(), { noise: [0.1] }, data, {
      cv: 2,
    });
    assert.equal(loaded.origin?.status, "loaded");
    assert.ok(Number.isNaN(loaded.trials[0].stdScore));
    assert.equal(loaded.summary.budgetSeconds, Infinity);
  });

  it("a search the budget stopped is saved and loaded as such, but not one with no trial finished", async () => {
    const slow = () => new PlantedClassifier({ delayMs: 300 });
    const options = { cv: 2, timeBudgetSeconds: 0.1 };
    const first = await store().gridSearch("stopped", slow(), { noise: [0.1, 0.2] }, data, options);
    assert.equal(first.trialsRun, 0);
    assert.ok(!fs.existsSync(path.join(root, "05-stopped", SEARCH_FILE)));
    assert.match(warnings.join("\n"), /05-stopped: not saved, as no trial finished within the time budget/);
    const some = { cv: 2, timeBudgetSeconds: 1 };
    await store().gridSearch("stopped", slow(), { noise: [0.1, 0.2, 0.3] }, data, some);
    lines.length = 0;
    const loaded = await store().gridSearch("stopped", slow(), { noise: [0.1, 0.2, 0.3] }, data, some);
    assert.equal(loaded.origin?.status, "loaded");
    assert.ok(loaded.trialsRun > 0 && loaded.trialsRun < 3, `${loaded.trialsRun} trials`);
    assert.match(lines.join("\n"), /loaded search \(\d of 3 trials, stopped by its 1 s budget, searched in/);
  });

  it("a damaged file is searched again with a warning naming it, and replaced", async () => {
    await store().gridSearch("damaged", new PlantedClassifier(), grid, data, gridOptions);
    const file = path.join(root, "05-damaged", SEARCH_FILE);
    for (const damage of ['{"format": "mnist-notebooks-search", "vers', '{"format": "something else"}']) {
      fs.writeFileSync(file, damage);
      warnings.length = 0;
      const result = await store().gridSearch("damaged", new PlantedClassifier(), grid, data, gridOptions);
      assert.equal(result.origin?.status, "searched");
      assert.equal(warnings.length, 1);
      assert.ok(warnings[0].includes(file), warnings[0]);
      assert.match(warnings[0], /searching again$/);
      const again = await store().gridSearch("damaged", new PlantedClassifier(), grid, data, gridOptions);
      assert.equal(again.origin?.status, "loaded", "the rerun replaced the damaged file");
    }
  });
});
