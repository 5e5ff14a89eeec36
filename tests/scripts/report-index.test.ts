import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { MetricsFile } from "../../lib/models/metrics-file";
import {
  formatBytes,
  formatSeconds,
  indexHtml,
  recordNotebookRuns,
  writeIndex,
} from "../../scripts/report-index";

const metrics: MetricsFile = {
  date: "2026-12-04T05:00:00.000Z",
  quick: false,
  results: [
    {
      model: "k-NN",
      implementation: "scratch",
      testAccuracy: 0.9705,
      fitSeconds: 2.5,
      predictSeconds: 30,
      trainSamples: 60000,
      evalSamples: 10000,
      source: "notebook 03",
    },
    {
      model: "ensemble",
      implementation: "scratch",
      testAccuracy: 0.9971,
      fitSeconds: 0,
      predictSeconds: 4,
      trainSamples: 55000,
      evalSamples: 10000,
      trainingSeconds: 412.4,
      status: "loaded",
      interval: { lower: 0.9961, upper: 0.998, level: 0.95 },
      source: "notebook 07",
    },
  ],
};

describe("report index", () => {
  it("opens with the models' summary table, best first, before the notebook links", () => {
    const html = indexHtml({
      entries: [
        { name: "01-loading", seconds: 12.3, html: "01-loading.html", peakRssBytes: 512 * 2 ** 20 },
        { name: "07-join-all", seconds: 80, html: "07-join-all.html", error: "cell 3 of 9 failed: <boom>" },
      ],
      earlier: ["03-training.html"],
      metrics,
      extras: ["metrics.json"],
      quick: false,
      date: "2026-12-04T05:10:00.000Z",
    });
    const table = html.indexOf('<table class="summary">');
    assert.ok(table > 0 && table < html.indexOf("<h2>Notebooks</h2>"));
    assert.ok(html.indexOf("<td>ensemble</td>") < html.indexOf("<td>k-NN</td>"), "best first");
    assert.match(
      html,
      /<td>ensemble<\/td><td>scratch<\/td><td>99\.71% <span class="ci">\(99\.61%–99\.80%\)<\/span><\/td><td>6 min 52 s<\/td><td>loaded<\/td>/,
    );
    // A row without a stored training time shows its fit time, and "trained".
    assert.match(html, /<td>k-NN<\/td><td>scratch<\/td><td>97\.05%<\/td><td>2\.5 s<\/td><td>trained<\/td>/);
    assert.match(
      html,
      /<a href="01-loading\.html">01-loading<\/a> — <span class="ok">ok<\/span>, 12\.3 s, peak memory 512 MiB/,
    );
    assert.match(
      html,
      /07-join-all<\/a> — <strong class="failed">failed<\/strong> after 80\.0 s<pre>cell 3 of 9 failed: &lt;boom&gt;/,
    );
    assert.match(html, /<a href="03-training\.html">03-training<\/a> \(earlier run\)/);
    assert.match(html, /1 of 2 notebooks ran; 1 failed/);
  });

  it("says where the figures come from when there are none yet", () => {
    const html = indexHtml({ entries: [], earlier: [], metrics: null, extras: [], quick: true, date: "now" });
    assert.doesNotMatch(html, /<table/);
    assert.match(html, /No model figures yet.*npm run train/s);
    assert.match(html, /quick mode/);
  });

  it("writeIndex reads metrics.json from the reports folder, and survives a broken one", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "index-"));
    try {
      fs.writeFileSync(path.join(dir, "metrics.json"), JSON.stringify(metrics));
      const file = writeIndex(dir, [{ name: "07-join-all", seconds: 1, html: "07-join-all.html" }], false);
      assert.match(fs.readFileSync(file, "utf8"), /<td>ensemble<\/td>/);
      fs.writeFileSync(path.join(dir, "metrics.json"), "{ cut");
      assert.match(fs.readFileSync(writeIndex(dir, [], false), "utf8"), /No model figures yet/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("formats durations and memory for people", () => {
    assert.equal(formatSeconds(4.24), "4.2 s");
    assert.equal(formatSeconds(412.4), "6 min 52 s");
    assert.equal(formatBytes(85.4 * 2 ** 20), "85 MiB");
    assert.equal(formatBytes(1.5 * 2 ** 30), "1.50 GiB");
  });

  it("records each notebook's time and peak memory in metrics.json, keeping the models' figures", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "index-"));
    try {
      const file = path.join(dir, "metrics.json");
      fs.writeFileSync(file, JSON.stringify(metrics));
      const entries = [
        { name: "01-loading", seconds: 12.34, html: "01-loading.html", peakRssBytes: 300e6 },
        { name: "07-join-all", seconds: 80, error: "cell 3 failed", peakRssBytes: 1.2e9 },
        { name: "08-personalisation", seconds: 5, html: "08-personalisation.html" },
      ];
      recordNotebookRuns(dir, entries, 90e6, false);
      const written = JSON.parse(fs.readFileSync(file, "utf8")) as MetricsFile;
      assert.deepEqual(written.results, metrics.results);
      assert.equal(written.notebooks?.runnerPeakRssBytes, 90e6);
      assert.deepEqual(written.notebooks?.runs, [
        { name: "01-loading", seconds: 12.3, peakRssBytes: 300e6, ok: true },
        { name: "07-join-all", seconds: 80, peakRssBytes: 1.2e9, ok: false },
        { name: "08-personalisation", seconds: 5, ok: true },
      ]);
      // Without a metrics file (or with a broken one) the runs start a new one.
      fs.writeFileSync(file, "{ cut");
      recordNotebookRuns(dir, entries.slice(0, 1), 90e6, true);
      const fresh = JSON.parse(fs.readFileSync(file, "utf8")) as MetricsFile;
      assert.deepEqual([fresh.results, fresh.quick, fresh.notebooks?.runs.length], [[], true, 1]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
