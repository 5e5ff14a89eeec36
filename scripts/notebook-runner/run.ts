/**
 * Executes a notebook with Node alone: a kernel process (kernel.ts) runs the code cells in order on tslab's
 * own executor, and this side records the outputs as nbformat 4 and writes the executed notebook. Fails as
 * nbconvert does: the first failing cell stops the run, a cell has a time limit, and the notebook executed
 * up to the failure is still written so the report can show the error.
 */
import { ChildProcess, fork } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../lib/paths";
import { Cell, cellSource, firstLine, Notebook, readNotebook } from "./notebook";
import { OutputRecorder } from "./outputs";
import type { KernelMessage } from "./protocol";

export interface RunOptions {
  /** Run with MNIST_QUICK=1 (small subsets, few epochs). */
  quick: boolean;
  /** Where the executed .ipynb goes. */
  outDir: string;
  /** Seconds a single cell may run before it counts as hung (default 3600, as nbconvert's report used). */
  cellTimeout?: number;
  /** Where notebooks write result files such as metrics.json (MNIST_RESULTS_DIR; default: reports/). */
  resultsDir?: string;
  /** Called when a cell starts, and every `heartbeatSeconds` while it runs. */
  onProgress?: (progress: CellProgress) => void;
  heartbeatSeconds?: number;
}

export interface CellProgress {
  notebook: string;
  /** 1-based position among the code cells that run, and how many there are. */
  cell: number;
  cells: number;
  firstLine: string;
  /** Seconds since the notebook started and since this cell started. */
  notebookSeconds: number;
  cellSeconds: number;
  /** The kernel's peak memory over the cells finished so far (undefined before the first one). */
  peakRssBytes?: number;
}

/**
 * A notebook that could not be read or whose cell failed; `executed` is the notebook written so far, and
 * `peakRssBytes` the kernel's peak memory up to the last cell that finished (when one did).
 */
export class NotebookError extends Error {
  constructor(
    message: string,
    readonly notebook: string,
    readonly cell?: number,
    readonly executed?: string,
    readonly peakRssBytes?: number,
  ) {
    super(message);
    this.name = "NotebookError";
  }
}

const ROOT = projectRoot();
const KERNEL = path.join(__dirname, "kernel.js");

/** Absolute paths under the project shown as relative ones, so reports do not carry this machine's layout. */
export function relativizePaths(text: string): string {
  return text.split(ROOT + path.sep).join("");
}

/** Executes `file`'s code cells in a fresh kernel; returns the executed notebook's path. */
export async function runNotebook(file: string, options: RunOptions): Promise<string> {
  return (await runNotebookMeasured(file, options)).executed;
}

/** What `runNotebookMeasured` gives back. */
export interface NotebookRun {
  /** The executed notebook's path. */
  executed: string;
  /** The kernel process's peak resident memory over the whole notebook, in bytes. */
  peakRssBytes: number;
}

/** `runNotebook`, also reporting the kernel process's peak memory (for the report's index). */
export async function runNotebookMeasured(file: string, options: RunOptions): Promise<NotebookRun> {
  const name = path.basename(file);
  let nb: Notebook;
  try {
    nb = readNotebook(file);
  } catch (err) {
    throw new NotebookError((err as Error).message, name);
  }
  const executed = path.join(options.outDir, name);
  fs.mkdirSync(options.outDir, { recursive: true });
  const kernel = await Kernel.start(path.dirname(path.resolve(file)), kernelEnv(options)).catch(
    (err: Error) => {
      throw new NotebookError(`${name}: could not start its kernel: ${err.message}`, name);
    },
  );
  const recorder = new OutputRecorder(relativizePaths);
  nb.metadata.language_info = kernel.languageInfo;
  const codeCells = nb.cells.filter((c) => c.cell_type === "code");
  const toRun = codeCells.filter((c) => cellSource(c).trim() !== "");
  for (const cell of codeCells) {
    cell.outputs = [];
    cell.execution_count = null;
  }
  const started = Date.now();
  let executionCount = 0;
  try {
    for (const [i, cell] of toRun.entries()) {
      const progress = (cellStarted: number): CellProgress => ({
        notebook: name,
        cell: i + 1,
        cells: toRun.length,
        firstLine: firstLine(cell),
        notebookSeconds: (Date.now() - started) / 1000,
        cellSeconds: (Date.now() - cellStarted) / 1000,
        peakRssBytes: kernel.peakRssBytes,
      });
      const count = ++executionCount;
      cell.execution_count = count;
      const cellStarted = Date.now();
      options.onProgress?.(progress(cellStarted));
      const heartbeat = setInterval(
        () => options.onProgress?.(progress(cellStarted)),
        (options.heartbeatSeconds ?? 60) * 1000,
      );
      const outcome = await kernel
        .execute(cellSource(cell), options.cellTimeout ?? 3600, (m) => recorder.record(cell, m, count))
        .finally(() => clearInterval(heartbeat));
      if (outcome !== "ok") {
        if (outcome !== "failed") recorder.record(cell, outcome, count);
        writeNotebook(executed, nb);
        const message = failureMessage(name, i + 1, toRun.length, cell);
        throw new NotebookError(message, name, i + 1, executed, kernel.peakRssBytes);
      }
    }
  } finally {
    kernel.stop();
  }
  writeNotebook(executed, nb);
  return { executed, peakRssBytes: kernel.peakRssBytes ?? 0 };
}

function kernelEnv(options: RunOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MNIST_QUICK: options.quick ? "1" : "0" };
  // Empty means unset (lib/paths.ts folderFromEnv); the notebooks then write to reports/.
  if (env.MNIST_RESULTS_DIR?.trim() === "") delete env.MNIST_RESULTS_DIR;
  if (options.resultsDir) env.MNIST_RESULTS_DIR = options.resultsDir;
  return env;
}

/** Like nbconvert's CellExecutionError: where it failed, the cell's first line, then the error. */
function failureMessage(notebook: string, index: number, total: number, cell: Cell): string {
  const error = (cell.outputs ?? []).find((o) => o.output_type === "error");
  const detail =
    error?.output_type === "error" ? error.traceback.slice(0, 12).join("\n") : "(no error output)";
  return `${notebook}: cell ${index} of ${total} failed: ${firstLine(cell)}\n${detail}`;
}

function writeNotebook(file: string, nb: Notebook): void {
  fs.writeFileSync(file, JSON.stringify(nb, null, 1) + "\n");
}

/** A cell that did not finish: the error output the runner adds for it. */
type Failure = Extract<KernelMessage, { type: "error" }>;

/** The kernel process and the one cell it is running. */
class Kernel {
  /** The process's peak resident memory, as its last finished cell reported it. */
  peakRssBytes: number | undefined;
  private output = "";
  private onMessage: (message: KernelMessage) => void = () => {};
  private onExit: (code: number | null, signal: string | null) => void = () => {};

  private constructor(
    private readonly child: ChildProcess,
    readonly languageInfo: Record<string, unknown>,
  ) {}

  static start(cwd: string, env: NodeJS.ProcessEnv): Promise<Kernel> {
    const child = fork(KERNEL, [], { cwd, env, stdio: ["ignore", "pipe", "pipe", "ipc"] });
    return new Promise((resolve, reject) => {
      let kernel: Kernel | undefined;
      let early = "";
      const keep = (chunk: Buffer) => {
        if (kernel) kernel.output = (kernel.output + chunk.toString()).slice(-4000);
        else early += chunk.toString();
      };
      child.stdout?.on("data", keep);
      child.stderr?.on("data", keep);
      child.on("message", (message: KernelMessage) => {
        if (!kernel && message.type === "ready") {
          kernel = new Kernel(child, message.languageInfo);
          kernel.output = early;
          resolve(kernel);
        } else kernel?.onMessage(message);
      });
      child.on("error", reject);
      child.on("exit", (code, signal) => {
        if (kernel) kernel.onExit(code, signal);
        else
          reject(
            new Error(
              `the kernel process exited (${signal ?? `code ${code}`}) before it was ready:\n${early}`,
            ),
          );
      });
    });
  }

  /**
   * Runs one cell, passing its outputs to `record`. Resolves "ok"; "failed" when the kernel reported the
   * cell failed (its error is among the outputs); or the error to record when it hung or killed the kernel.
   */
  execute(
    code: string,
    timeoutSeconds: number,
    record: (m: KernelMessage) => void,
  ): Promise<"ok" | "failed" | Failure> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill("SIGKILL");
        resolve({
          type: "error",
          ename: "CellTimeoutError",
          evalue: `the cell did not finish within ${timeoutSeconds} s`,
          traceback: [
            `CellTimeoutError: the cell did not finish within ${timeoutSeconds} s; its kernel was stopped`,
          ],
        });
      }, timeoutSeconds * 1000);
      this.onMessage = (message) => {
        if (message.type !== "done") return record(message);
        clearTimeout(timer);
        this.peakRssBytes = Math.max(this.peakRssBytes ?? 0, message.peakRssBytes);
        resolve(message.ok ? "ok" : "failed");
      };
      this.onExit = (code, signal) => {
        clearTimeout(timer);
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const tail = this.output.trim();
        resolve({
          type: "error",
          ename: "DeadKernelError",
          evalue: `the kernel process ${how} while running the cell`,
          traceback: [
            `DeadKernelError: the kernel process ${how} while running the cell`,
            ...(tail ? tail.split("\n") : []),
          ],
        });
      };
      this.child.send({ type: "execute", code });
    });
  }

  stop(): void {
    this.onExit = () => {};
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }
}
