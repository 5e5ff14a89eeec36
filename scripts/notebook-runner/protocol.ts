/**
 * Messages between the runner (parent process) and the kernel process that executes one notebook's cells.
 * They carry what a Jupyter kernel would publish on IOPub, without ZeroMQ: plain Node IPC.
 */

/** Parent → kernel: run this cell's source. */
export interface ExecuteMessage {
  type: "execute";
  code: string;
}

/** Kernel → parent: a write to process.stdout or process.stderr during a cell. */
export interface StreamMessage {
  type: "stream";
  name: "stdout" | "stderr";
  text: string;
}

/** Kernel → parent: `tslab.display.*` output; `update` when it replaces an earlier output with that id. */
export interface DisplayMessage {
  type: "display";
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  displayId?: string;
  update: boolean;
}

/** Kernel → parent: the value of the cell's last expression, formatted as console.log would. */
export interface ResultMessage {
  type: "result";
  text: string;
}

/** Kernel → parent: an exception thrown by the cell, or TypeScript's compile errors. */
export interface ErrorMessage {
  type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

/**
 * Kernel → parent: the cell finished (ok or not) with this execution count, and the most memory the
 * kernel process has held so far (its peak resident set, worker threads included).
 */
export interface DoneMessage {
  type: "done";
  ok: boolean;
  executionCount: number;
  peakRssBytes: number;
}

/** Kernel → parent, once at start: what Jupyter stores as the notebook's language_info. */
export interface ReadyMessage {
  type: "ready";
  languageInfo: Record<string, unknown>;
}

export type KernelMessage =
  StreamMessage | DisplayMessage | ResultMessage | ErrorMessage | DoneMessage | ReadyMessage;
