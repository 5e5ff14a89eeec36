/**
 * The Jupyter side: a project-local tslab kernelspec (so nothing global is needed) for `npm run lab`, and
 * nbconvert to execute notebooks and export them as HTML for `npm run report -- --jupyter` and the test
 * that holds the Node runner (scripts/notebook-runner/) and nbconvert to the same outputs.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../lib/paths";

export const ROOT = projectRoot();
export const NOTEBOOK_DIR = path.join(ROOT, "notebooks");
const JUPYTER_PATH = path.join(ROOT, "build", "jupyter");

export const INSTALL_HINT =
  "Jupyter was not found. It is needed only for JupyterLab (npm run lab) and for report --jupyter; " +
  "npm run report and npm test run the notebooks with Node alone. Install it with one of:\n" +
  "  pip install jupyterlab nbconvert\n" +
  "  sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel   (Debian/Ubuntu)\n" +
  "then run this command again.";

/** The notebooks in `dir` (default notebooks/), sorted by their numeric prefix. */
export function listNotebooks(dir = NOTEBOOK_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Throws with install instructions when `jupyter nbconvert` is not available. */
export function checkJupyter(): string {
  const result = spawnSync("jupyter", ["nbconvert", "--version"], { encoding: "utf8" });
  if (result.error || result.status !== 0) throw new Error(INSTALL_HINT);
  return result.stdout.trim();
}

/**
 * Writes the tslab kernelspec, pointing at this project's own tslab, under `dataDir` (default: the
 * project-local build/jupyter that report and tests put on JUPYTER_PATH).
 */
export function writeKernelSpec(dataDir = JUPYTER_PATH): string {
  const tslab = path.join(ROOT, "node_modules", ".bin", "tslab");
  if (!fs.existsSync(tslab)) throw new Error(`tslab is not installed (${tslab} missing): run npm install`);
  const dir = path.join(dataDir, "kernels", "tslab");
  fs.mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [tslab, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript (tslab)",
    language: "typescript",
  };
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  return dir;
}

export interface ExecuteOptions {
  /** Run with MNIST_QUICK=1 (small subsets, few epochs). */
  quick: boolean;
  /** Seconds a single cell may run before it counts as hung. */
  cellTimeout?: number;
  /** Where the executed .ipynb goes. */
  outDir: string;
  /** Print nbconvert's progress lines as they come. */
  echo?: boolean;
  /** Where notebooks write result files such as metrics.json (default: reports/). */
  resultsDir?: string;
}

/** Executes a notebook with the tslab kernel; rejects with the failing cell's error on any error. */
export function executeNotebook(notebook: string, options: ExecuteOptions): Promise<string> {
  writeKernelSpec();
  fs.mkdirSync(options.outDir, { recursive: true });
  const args = [
    "nbconvert",
    "--to",
    "notebook",
    "--execute",
    "--ExecutePreprocessor.kernel_name=tslab",
    `--ExecutePreprocessor.timeout=${options.cellTimeout ?? 3600}`,
    "--output-dir",
    options.outDir,
    notebook,
  ];
  const env: Record<string, string> = { MNIST_QUICK: options.quick ? "1" : "0" };
  if (options.resultsDir) env.MNIST_RESULTS_DIR = options.resultsDir;
  return run("jupyter", args, env, options.echo ?? false).then(() => {
    const executed = path.join(options.outDir, path.basename(notebook));
    // As the Node runner does: paths inside the project shown relative to it, not as this machine's.
    const json = fs.readFileSync(executed, "utf8");
    fs.writeFileSync(executed, json.split(JSON.stringify(ROOT + path.sep).slice(1, -1)).join(""));
    return executed;
  });
}

/** Converts an executed notebook to a standalone HTML report; returns its path. */
export function exportHtml(executedNotebook: string, outDir: string): Promise<string> {
  fs.mkdirSync(outDir, { recursive: true });
  const args = ["nbconvert", "--to", "html", "--output-dir", outDir, executedNotebook];
  return run("jupyter", args, {}, false).then(() =>
    path.join(outDir, path.basename(executedNotebook).replace(/\.ipynb$/, ".html")),
  );
}

/** Environment for Jupyter processes: the project-local kernelspec first on JUPYTER_PATH. */
export function jupyterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const jupyterPath = [JUPYTER_PATH, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, JUPYTER_PATH: jupyterPath };
  // Empty means unset (lib/paths.ts folderFromEnv); the notebooks then write to reports/.
  if (env.MNIST_RESULTS_DIR?.trim() === "") delete env.MNIST_RESULTS_DIR;
  return env;
}

function run(command: string, args: string[], env: Record<string, string>, echo: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: jupyterEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (echo) process.stderr.write(chunk);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", (err) =>
      reject((err as NodeJS.ErrnoException).code === "ENOENT" ? new Error(INSTALL_HINT) : err),
    );
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(" ")} failed (exit ${code}):\n${cellError(output)}`));
    });
  });
}

/** nbconvert prints the failing cell and its traceback after a banner; keep that part. */
function cellError(output: string): string {
  const marker = output.indexOf("An error occurred while executing the following cell");
  const text = marker >= 0 ? output.slice(marker) : output;
  return text.length > 6000 ? `${text.slice(0, 6000)}\n…` : text;
}
