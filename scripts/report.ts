/**
 * `npm run report [-- --quick] [-- --only 01] [-- --jupyter]`: executes every notebook and writes
 * reports/<notebook>.html, the executed notebooks in reports/executed/, and reports/index.html
 * (./report-index.ts): the summary table of every model, then each notebook's report, time and status.
 * Notebooks run with Node alone (scripts/notebook-runner/); `--jupyter` runs them through nbconvert instead. A failing notebook does not stop the others.
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
import { exportHtml } from "./notebook-runner/html";
import { CellProgress, NotebookError, relativizePaths, runNotebookMeasured } from "./notebook-runner/run";
import { formatBytes, recordNotebookRuns, writeIndex, type NotebookEntry } from "./report-index";
import { runMain } from "./cli";

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

type Entry = NotebookEntry;

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
  const runnerPeak = process.resourceUsage().maxRSS * 1024;
  recordNotebookRuns(options.outDir, entries, runnerPeak, options.quick);
  writeIndex(options.outDir, entries, options.quick);
  console.log(`\nIndex: ${shown(path.join(options.outDir, "index.html"))}`);
  console.log(peakSummary(entries, runnerPeak));
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
    // nbconvert's kernel is not ours to measure: its runs have no peak memory.
    let peakRssBytes: number | undefined;
    let html: string;
    if (options.jupyter) {
      const executed = await executeNotebook(notebook, {
        quick: options.quick,
        outDir: executedDir,
        echo: true,
        cellTimeout: options.cellTimeout,
      });
      html = await nbconvertHtml(executed, options.outDir);
    } else {
      const run = await runNotebookMeasured(notebook, {
        quick: options.quick,
        outDir: executedDir,
        cellTimeout: options.cellTimeout,
        onProgress: printProgress,
      });
      peakRssBytes = run.peakRssBytes;
      html = exportHtml(run.executed, options.outDir);
    }
    const peak = peakRssBytes === undefined ? "" : `, peak memory ${formatBytes(peakRssBytes)}`;
    console.log(`✔ ${shown(html)} (${seconds().toFixed(1)} s${peak})`);
    return { name, html: path.basename(html), seconds: seconds(), peakRssBytes };
  } catch (err) {
    const message = relativizePaths((err as Error).message);
    const peakRssBytes = err instanceof NotebookError ? err.peakRssBytes : undefined;
    const peak = peakRssBytes === undefined ? "" : ` (peak memory ${formatBytes(peakRssBytes)})`;
    console.error(`✘ ${name} failed after ${seconds().toFixed(1)} s${peak}:\n${message}`);
    // The notebook executed up to the failing cell still makes a report, so the error can be read there.
    const executed = err instanceof NotebookError ? err.executed : undefined;
    const html = executed
      ? path.basename(exportHtml(executed, options.outDir, { failure: message }))
      : undefined;
    return { name, html, seconds: seconds(), error: message, peakRssBytes };
  }
}

/** "Peak memory: 07-join-all 1.21 GiB (the largest notebook), this runner 85 MiB." */
function peakSummary(entries: Entry[], runnerPeak: number): string {
  const measured = entries.filter((e) => e.peakRssBytes !== undefined);
  const runner = `this runner ${formatBytes(runnerPeak)}`;
  if (measured.length === 0) return `Peak memory: ${runner}.`;
  const largest = measured.reduce((a, b) => (b.peakRssBytes! > a.peakRssBytes! ? b : a));
  return `Peak memory: ${largest.name} ${formatBytes(largest.peakRssBytes!)} (the largest notebook), ${runner}.`;
}

function printProgress(p: CellProgress): void {
  const clock = `${Math.floor(p.notebookSeconds / 60)}:${String(Math.floor(p.notebookSeconds % 60)).padStart(2, "0")}`;
  const still = p.cellSeconds >= 1 ? ` (still running, ${Math.round(p.cellSeconds)} s in this cell)` : "";
  // The peak so far shows which cell made memory grow (it covers the cells before this one).
  const peak = p.peakRssBytes === undefined ? "" : ` [peak ${formatBytes(p.peakRssBytes)}]`;
  console.log(`  [${p.cell}/${p.cells}] ${clock}${peak} ${p.firstLine}${still}`);
}

/** A path as printed to the reader: relative to the project. */
function shown(file: string): string {
  return path.relative(ROOT, file) || ".";
}

if (require.main === module) runMain(main);
