/**
 * The kernel process: executes one notebook's cells in order with tslab's own converter, executor and
 * execute handler (the code behind tslab's Jupyter kernel), so cells behave exactly as in JupyterLab,
 * but it talks to the runner over Node IPC instead of ZeroMQ. One process per notebook, started in the
 * notebook's folder, like a fresh Jupyter kernel.
 */
import * as util from "util";
import { createConverter, Converter } from "tslab/dist/converter";
import { createExecutor } from "tslab/dist/executor";
import { JupyterHandlerImpl } from "tslab/dist/jupyter";
import type { ErrorMessage, ExecuteMessage, KernelMessage } from "./protocol";

function send(message: KernelMessage): void {
  process.send?.(message);
}

/** The converter set tslab's kernel builds: Node and browser converters, created on first use. */
function converters() {
  let node: Converter | undefined;
  let browser: Converter | undefined;
  return {
    get node() {
      return (node ??= createConverter({ isJS: false, isBrowser: false }));
    },
    get browser() {
      return (browser ??= createConverter({ isJS: false, isBrowser: true }));
    },
    close() {
      node?.close();
      browser?.close();
    },
  };
}

/**
 * An exception as Jupyter's error output: its class name, message and stack lines. The stack starts at
 * the "Name: message" line (Node puts the failing source line above it for code run by vm) and stops
 * where tslab's executor called the cell, whose frames say nothing about the notebook.
 */
function errorOutput(value: unknown): ErrorMessage {
  if (value instanceof Error) {
    const lines = (value.stack ?? `${value.name}: ${value.message}`).split("\n");
    const headline = value.message.split("\n")[0];
    const start = lines.findIndex((l) => l.startsWith(value.name) && l.includes(headline));
    const frames = start > 0 ? lines.slice(start) : lines;
    const end = frames.findIndex((l) => /^\s+at (Script|Object)\.runInThisContext /.test(l));
    return {
      type: "error",
      ename: value.name,
      evalue: value.message,
      traceback: end > 0 ? frames.slice(0, end) : frames,
    };
  }
  const text = util.inspect(value);
  return { type: "error", ename: "Thrown value", evalue: text, traceback: [`Uncaught ${text}`] };
}

function main(): void {
  const convs = converters();
  void convs.node; // warm up the TypeScript converter before the first cell, as tslab's kernel does
  // The executor reports through this console: compile errors as formatted lines, an exception as the
  // value alone, and the cell's last expression through log.
  let diagnostics: string[] = [];
  const executor = createExecutor(process.cwd(), convs, {
    log: (value: unknown) => send({ type: "result", text: util.format(value) }),
    error: (message: unknown, ...rest: unknown[]) => {
      if (rest.length > 0) diagnostics.push(util.format(message, ...rest));
      else send(errorOutput(message));
    },
  });
  const handler = new JupyterHandlerImpl(executor, false);
  send({ type: "ready", languageInfo: handler.handleKernel().language_info as Record<string, unknown> });

  // As tslab's kernel does: errors that escape a cell are printed into whichever cell is running.
  process.on("uncaughtException", (err) => console.error("UncaughtException:", err));
  process.on("unhandledRejection", (reason) => console.error("UnhandledPromiseRejection:", reason));

  process.on("message", async (message: ExecuteMessage) => {
    if (message.type !== "execute") return;
    diagnostics = [];
    const reply = await handler.handleExecute(
      {
        code: message.code,
        silent: false,
        store_history: true,
        user_expressions: {},
        allow_stdin: false,
        stop_on_error: true,
      },
      (name, text) => send({ type: "stream", name: name as "stdout" | "stderr", text }),
      (data, update) =>
        send({
          type: "display",
          data: data.data as Record<string, unknown>,
          metadata: (data.metadata ?? {}) as Record<string, unknown>,
          displayId: data.transient?.display_id,
          update,
        }),
    );
    if (diagnostics.length > 0) {
      const evalue =
        diagnostics.length === 1 ? diagnostics[0] : `${diagnostics.length} errors; first: ${diagnostics[0]}`;
      send({ type: "error", ename: "TypeScript compile error", evalue, traceback: diagnostics });
    }
    send({
      type: "done",
      ok: reply.status === "ok",
      executionCount: reply.execution_count ?? 0,
      // maxRSS is in KiB.
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    });
  });
}

main();
