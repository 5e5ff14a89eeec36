/**
 * Sends rich output to the notebook through tslab's display API. Outside a kernel (tests, scripts)
 * tslab has no channel to write to, so the output is dropped and a one-line placeholder is printed.
 */
import * as tslab from "tslab";

export function displayHtml(html: string, placeholder = "[html output]"): void {
  if (!send(() => tslab.display.html(html))) console.log(placeholder);
}

export function displayPng(png: Uint8Array, placeholder = "[png image]"): void {
  if (!send(() => tslab.display.png(png))) console.log(placeholder);
}

/**
 * True while a tslab kernel is executing a cell: tslab keeps the cell's display writer there (and
 * `display.*` throws "Not ready" without one). Reading it writes nothing into the cell's output.
 */
export function inNotebook(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
  return jupyter.lastWriteDisplayData !== null && jupyter.lastWriteDisplayData !== undefined;
}

function send(write: () => void): boolean {
  try {
    write();
    return true;
  } catch (err) {
    if (err instanceof Error && err.message === "Not ready") return false;
    throw err;
  }
}
