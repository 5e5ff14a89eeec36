/**
 * Sends rich output to the notebook through tslab's display API. Outside a kernel (tests, scripts)
 * tslab has no channel to write to, so a one-line placeholder is printed instead.
 */
import type * as Tslab from "tslab";

/** tslab on first use: loading it (and the TypeScript compiler it brings) takes most of a second, which
 * a command such as `npm run predict` that never displays anything should not pay. */
function tslab(): typeof Tslab {
  return require("tslab") as typeof Tslab;
}

export function displayHtml(html: string, placeholder = "[html output]"): void {
  if (inNotebook()) tslab().display.html(html);
  else console.log(placeholder);
}

export function displayPng(png: Uint8Array, placeholder = "[png image]"): void {
  if (inNotebook()) tslab().display.png(png);
  else console.log(placeholder);
}

/**
 * True while a tslab kernel is executing a cell: tslab keeps the cell's display writer there (and
 * `display.*` throws "Not ready" without one). Reading it writes nothing into the cell's output.
 */
export function inNotebook(): boolean {
  const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
  return jupyter.lastWriteDisplayData !== null && jupyter.lastWriteDisplayData !== undefined;
}
