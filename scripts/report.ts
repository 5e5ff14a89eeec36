/**
 * `npm run report [-- --quick] [-- --only 01] [-- --jupyter]`: executes every notebook and writes
 * reports/<notebook>.html, the executed notebooks in reports/executed/, and reports/index.html, which lists
 * each notebook's time and which failed. Notebooks run with Node alone (scripts/notebook-runner/);
 * `--jupyter` runs them through nbconvert instead. A failing notebook does not stop the others.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import {
  checkJupyter,
  executeNotebook,
  exportHtml as nbconvertHtml,
  listNotebooks,
  NOTEBOOK_DIR,
  ROOT,
} from "./jupyter";
import { escapeHtml, exportHtml } from "./notebook-runner/html";
import { CellProgress, NotebookError, relativizePaths, runNotebook } from "./notebook-runner/run";

const USAGE = `Usage: npm run report -- [options]

Executes the notebooks and writes an HTML report of each, plus index.html.

Options:
  --quick              small subsets and few epochs (as MNIST_QUICK=1), a few minutes in all
  --only <prefix>      only notebooks whose file name starts with <prefix> (e.g. 01); repeatable
  --jupyter            execute and export with Jupyter's nbconvert instead of Node
  --cell-timeout <s>   seconds one cell may run before the notebook counts as failed (default 3600)
  --notebooks <dir>    folder of notebooks (default notebooks/)
  --out <dir>          folder for the reports (default reports/)
  --list               print the notebooks that would run, and exit
  -h, --help           print this help and exit`;

export interface ReportOptions {
  quick: boolean;
  only: string[];
  jupyter: boolean;
  cellTimeout: number;
  notebookDir: string;
  outDir: string;
  list: boolean;
  help: boolean;
}

/** Parses the command line strictly: unknown flags and missing values are errors. */
export function parseReportArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ReportOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string", multiple: true, default: [] },
      jupyter: { type: "boolean", default: false },
      "cell-timeout": { type: "string", default: "3600" },
      notebooks: { type: "string", default: NOTEBOOK_DIR },
      out: { type: "string", default: path.join(ROOT, "reports") },
      list: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const cellTimeout = Number(values["cell-timeout"]);
  if (!(cellTimeout > 0))
    throw new Error(`--cell-timeout must be a positive number of seconds, got "${values["cell-timeout"]}"`);
  for (const prefix of values.only) {
    if (prefix.trim() === "")
      throw new Error("--only needs a notebook prefix such as 01, got an empty value");
  }
  return {
    quick: values.quick || env.MNIST_QUICK === "1",
    only: values.only,
    jupyter: values.jupyter,
    cellTimeout,
    notebookDir: path.resolve(values.notebooks),
    outDir: path.resolve(values.out),
    list: values.list,
    help: values.help,
  };
}

/** The notebooks `only` selects (all when empty); an error listing the notebooks when none match. */
export function selectNotebooks(notebooks: string[], only: string[]): string[] {
  const names = notebooks.map((nb) => path.basename(nb));
  if (notebooks.length === 0) throw new Error("no notebooks found (expected files like 01-name.ipynb)");
  if (only.length === 0) return notebooks;
  const selected = notebooks.filter((_, i) => only.some((prefix) => names[i].startsWith(prefix)));
  if (selected.length === 0) {
    throw new Error(
      `no notebook matches --only ${only.join(", ")}; the notebooks are:\n  ${names.join("\n  ")}`,
    );
  }
  return selected;
}

interface Entry {
  name: string;
  seconds: number;
  /** The report's file name, when one was written (also for a notebook that failed part way). */
  html?: string;
  error?: string;
}

async function main(): Promise<number> {
  let options: ReportOptions;
  let notebooks: string[];
  try {
    options = parseReportArgs(process.argv.slice(2));
    if (options.help) {
      console.log(USAGE);
      return 0;
    }
    if (!fs.existsSync(options.notebookDir))
      throw new Error(`notebook folder ${shown(options.notebookDir)} does not exist`);
    notebooks = selectNotebooks(listNotebooks(options.notebookDir), options.only);
    if (options.list) {
      for (const nb of notebooks) console.log(path.basename(nb));
      return 0;
    }
    if (options.jupyter) console.log(`Using nbconvert ${checkJupyter()}`);
  } catch (err) {
    console.error(`report: ${(err as Error).message}\n\nRun with --help for the options.`);
    return 2;
  }
  fs.mkdirSync(options.outDir, { recursive: true });
  const entries: Entry[] = [];
  for (const notebook of notebooks) entries.push(await reportOne(notebook, options));
  writeIndex(options.outDir, entries, options.quick);
  console.log(`\nIndex: ${shown(path.join(options.outDir, "index.html"))}`);
  const failed = entries.filter((e) => e.error);
  if (failed.length > 0) {
    console.error(
      `\n${failed.length} of ${entries.length} notebooks failed: ${failed.map((e) => e.name).join(", ")}`,
    );
    return 1;
  }
  return 0;
}

/** Executes and exports one notebook; a failure is recorded in the entry, not thrown. */
async function reportOne(notebook: string, options: ReportOptions): Promise<Entry> {
  const name = path.basename(notebook, ".ipynb");
  console.log(
    `\n▶ ${name}${options.quick ? " (quick mode)" : ""}${options.jupyter ? " with nbconvert" : ""}`,
  );
  const started = Date.now();
  const executedDir = path.join(options.outDir, "executed");
  const seconds = () => (Date.now() - started) / 1000;
  try {
    const html = options.jupyter
      ? await nbconvertHtml(
          await executeNotebook(notebook, {
            quick: options.quick,
            outDir: executedDir,
            echo: true,
            cellTimeout: options.cellTimeout,
          }),
          options.outDir,
        )
      : exportHtml(
          await runNotebook(notebook, {
            quick: options.quick,
            outDir: executedDir,
            cellTimeout: options.cellTimeout,
            onProgress: printProgress,
          }),
          options.outDir,
        );
    console.log(`✔ ${shown(html)} (${seconds().toFixed(1)} s)`);
    return { name, html: path.basename(html), seconds: seconds() };
  } catch (err) {
    const message = relativizePaths((err as Error).message);
    console.error(`✘ ${name} failed after ${seconds().toFixed(1)} s:\n${message}`);
    // The notebook executed up to the failing cell still makes a report, so the error can be read there.
    const executed = err instanceof NotebookError ? err.executed : undefined;
    const html = executed
      ? path.basename(exportHtml(executed, options.outDir, { failure: message }))
      : undefined;
    return { name, html, seconds: seconds(), error: message };
  }
}

function printProgress(p: CellProgress): void {
  const clock = `${Math.floor(p.notebookSeconds / 60)}:${String(Math.floor(p.notebookSeconds % 60)).padStart(2, "0")}`;
  const still = p.cellSeconds >= 1 ? ` (still running, ${Math.round(p.cellSeconds)} s in this cell)` : "";
  console.log(`  [${p.cell}/${p.cells}] ${clock} ${p.firstLine}${still}`);
}

/** A path as printed to the reader: relative to the project. */
function shown(file: string): string {
  return path.relative(ROOT, file) || ".";
}

function writeIndex(outDir: string, entries: Entry[], quick: boolean): void {
  // Keep links to reports from earlier runs that this run (e.g. with --only) did not redo.
  const earlier = fs
    .readdirSync(outDir)
    .filter((f) => /^\d\d-.*\.html$/.test(f) && !entries.some((e) => `${e.name}.html` === f));
  const rows = [
    ...entries.map((e) => {
      const link = e.html ? `<a href="${escapeHtml(e.html)}">${escapeHtml(e.name)}</a>` : escapeHtml(e.name);
      const status = e.error
        ? ` <strong class="failed">failed</strong> after ${e.seconds.toFixed(1)} s<pre>${escapeHtml(e.error)}</pre>`
        : ` <span class="ok">ok</span>, ${e.seconds.toFixed(1)} s`;
      return { key: e.name, html: `<li>${link} —${status}</li>` };
    }),
    ...earlier.map((f) => {
      const name = f.replace(/\.html$/, "");
      return { key: name, html: `<li><a href="${escapeHtml(f)}">${escapeHtml(name)}</a> (earlier run)</li>` };
    }),
  ].sort((a, b) => a.key.localeCompare(b.key));
  const failed = entries.filter((e) => e.error).length;
  const summary = `${entries.length - failed} of ${entries.length} notebooks ran${failed ? `; ${failed} failed` : ""}`;
  const extras = ["bench.md", "metrics.json"].filter((f) => fs.existsSync(path.join(outDir, f)));
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>mnist-notebooks reports</title>
<style>body{font:15px sans-serif;max-width:56em;margin:2em auto;} .failed{color:#c62828} .ok{color:#2e7d32}
pre{white-space:pre-wrap;background:#fdd;padding:6px 8px;font-size:12px}</style></head>
<body>
<h1>mnist-notebooks reports</h1>
<p>Generated ${new Date().toISOString()}${quick ? " in quick mode (small subsets: figures are not the full-data results)" : ""}.
${summary}.</p>
<ul>
${rows.map((r) => r.html).join("\n")}
</ul>
${extras.length ? `<h2>Other results</h2><ul>${extras.map((f) => `<li><a href="${f}">${f}</a></li>`).join("")}</ul>` : ""}
</body></html>
`;
  fs.writeFileSync(path.join(outDir, "index.html"), html);
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
