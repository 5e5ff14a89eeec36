/**
 * reports/index.html, written by `npm run report` after the notebooks: it opens with the summary table
 * of every model in reports/metrics.json (model, implementation, test accuracy with its 95% bootstrap
 * interval when known, training time, whether the run trained or loaded it), best first, then links
 * every notebook's report with its time, and which failed.
 */
import * as fs from "fs";
import * as path from "path";
import type { MetricsFile, MetricsRow, NotebookRunRow } from "../lib/models/metrics-file";
import { escapeHtml } from "./notebook-runner/html";

export interface NotebookEntry {
  name: string;
  seconds: number;
  /** The kernel process's peak resident memory (none for a run through nbconvert). */
  peakRssBytes?: number;
  /** The report's file name, when one was written (also for a notebook that failed part way). */
  html?: string;
  error?: string;
}

export interface IndexInput {
  entries: NotebookEntry[];
  /** Reports in the folder from earlier runs that this run did not redo (file names). */
  earlier: string[];
  metrics: MetricsFile | null;
  /** Other result files to link (bench.md, metrics.json). */
  extras: string[];
  quick: boolean;
  date: string;
}

const percent = (fraction: number) => `${(100 * fraction).toFixed(2)}%`;

/** "1 min 23 s", "4.2 s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${String(Math.round(seconds % 60)).padStart(2, "0")} s`;
}

/** "85 MiB", "1.21 GiB". */
export function formatBytes(bytes: number): string {
  const mib = bytes / 2 ** 20;
  return mib < 1024 ? `${Math.round(mib)} MiB` : `${(mib / 1024).toFixed(2)} GiB`;
}

/** The summary table's rows, best test accuracy first. */
export function summaryRows(metrics: MetricsFile): string[] {
  return [...metrics.results]
    .sort((a, b) => b.testAccuracy - a.testAccuracy)
    .map((row: MetricsRow) => {
      const interval = row.interval
        ? ` <span class="ci">(${percent(row.interval.lower)}–${percent(row.interval.upper)})</span>`
        : "";
      const training = row.trainingSeconds ?? row.fitSeconds;
      const cells = [
        escapeHtml(row.model),
        escapeHtml(row.implementation),
        `${percent(row.testAccuracy)}${interval}`,
        Number.isFinite(training) ? formatSeconds(training) : "–",
        escapeHtml(row.status ?? "trained"),
        escapeHtml(row.source ?? ""),
      ];
      return `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
    });
}

export function indexHtml(input: IndexInput): string {
  const { entries, earlier, metrics, extras, quick, date } = input;
  const rows = [
    ...entries.map((e) => {
      const link = e.html ? `<a href="${escapeHtml(e.html)}">${escapeHtml(e.name)}</a>` : escapeHtml(e.name);
      const peak = e.peakRssBytes === undefined ? "" : `, peak memory ${formatBytes(e.peakRssBytes)}`;
      const status = e.error
        ? ` <strong class="failed">failed</strong> after ${e.seconds.toFixed(1)} s${peak}<pre>${escapeHtml(e.error)}</pre>`
        : ` <span class="ok">ok</span>, ${e.seconds.toFixed(1)} s${peak}`;
      return { key: e.name, html: `<li>${link} —${status}</li>` };
    }),
    ...earlier.map((f) => {
      const name = f.replace(/\.html$/, "");
      return { key: name, html: `<li><a href="${escapeHtml(f)}">${escapeHtml(name)}</a> (earlier run)</li>` };
    }),
  ].sort((a, b) => a.key.localeCompare(b.key));
  const failed = entries.filter((e) => e.error).length;
  const ran = `${entries.length - failed} of ${entries.length} notebooks ran${failed ? `; ${failed} failed` : ""}`;
  const quickNote = quick ? " in quick mode (small subsets: figures are not the full-data results)" : "";
  const header =
    "<tr><th>model</th><th>implementation</th><th>test accuracy (95% interval)</th>" +
    "<th>training time</th><th>trained or loaded</th><th>from</th></tr>";
  const summary =
    metrics && metrics.results.length > 0
      ? `<h2>Models</h2>
<p>Every model's accuracy on the 10,000 MNIST test images (reports/metrics.json, ${escapeHtml(metrics.date)}${
          metrics.quick ? ", quick mode" : ""
        }); training time is the model's own, also when this run loaded it from the model store.</p>
<table class="summary">${header}
${summaryRows(metrics).join("\n")}
</table>`
      : `<p class="none">No model figures yet: reports/metrics.json is written by notebooks 03 and 07 and by
<code>npm run train</code>.</p>`;
  const other = extras.length
    ? `<h2>Other results</h2><ul>${extras.map((f) => `<li><a href="${escapeHtml(f)}">${escapeHtml(f)}</a></li>`).join("")}</ul>`
    : "";
  return `<!doctype html><html><head><meta charset="utf-8"><title>mnist-notebooks reports</title>
<style>body{font:15px sans-serif;max-width:60em;margin:2em auto;} .failed{color:#c62828} .ok{color:#2e7d32}
pre{white-space:pre-wrap;background:#fdd;padding:6px 8px;font-size:12px}
table.summary{border-collapse:collapse} .summary td,.summary th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}
.ci{color:#666;font-size:13px}</style></head>
<body>
<h1>mnist-notebooks reports</h1>
<p>Generated ${escapeHtml(date)}${quickNote}. ${ran}.</p>
${summary}
<h2>Notebooks</h2>
<ul>
${rows.map((r) => r.html).join("\n")}
</ul>
${other}
</body></html>
`;
}

/**
 * Puts this run's notebooks (time, peak memory, outcome) and the runner's own peak memory into
 * outDir/metrics.json, next to the models' figures, which stay as they are; starts the file when there
 * is none (or it is unreadable). Returns its path.
 */
export function recordNotebookRuns(
  outDir: string,
  entries: NotebookEntry[],
  runnerPeakRssBytes: number,
  quick: boolean,
): string {
  const file = path.join(outDir, "metrics.json");
  let metrics: MetricsFile = { date: new Date().toISOString(), quick, results: [] };
  try {
    const existing = JSON.parse(fs.readFileSync(file, "utf8")) as MetricsFile;
    if (Array.isArray(existing?.results)) metrics = existing;
  } catch {
    // Missing or unreadable: a new file with no model figures.
  }
  const runs: NotebookRunRow[] = entries.map(({ name, seconds, peakRssBytes, error }) => ({
    name,
    seconds: Math.round(seconds * 10) / 10,
    ...(peakRssBytes === undefined ? {} : { peakRssBytes }),
    ok: error === undefined,
  }));
  metrics.notebooks = { date: new Date().toISOString(), quick, runnerPeakRssBytes, runs };
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(metrics, null, 2) + "\n");
  return file;
}

/** Reads what the index needs from `outDir` and writes outDir/index.html; returns its path. */
export function writeIndex(outDir: string, entries: NotebookEntry[], quick: boolean): string {
  const earlier = fs
    .readdirSync(outDir)
    .filter((f) => /^\d\d-.*\.html$/.test(f) && !entries.some((e) => `${e.name}.html` === f));
  const extras = ["bench.md", "metrics.json"].filter((f) => fs.existsSync(path.join(outDir, f)));
  let metrics: MetricsFile | null = null;
  try {
    const file = path.join(outDir, "metrics.json");
    if (fs.existsSync(file)) metrics = JSON.parse(fs.readFileSync(file, "utf8")) as MetricsFile;
    if (metrics && !Array.isArray(metrics.results)) metrics = null;
  } catch {
    metrics = null; // An unreadable metrics file leaves the table out, not the index.
  }
  const file = path.join(outDir, "index.html");
  const date = new Date().toISOString();
  fs.writeFileSync(file, indexHtml({ entries, earlier, metrics, extras, quick, date }));
  return file;
}
