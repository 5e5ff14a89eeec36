/**
 * Sends rich output to the notebook through tslab's display API. Outside a kernel (tests, scripts)
 * tslab has no channel to write to, so a one-line placeholder is printed instead.
 */
import * as tslab from "tslab";

export function displayHtml(html: string, placeholder = "[html output]"): void {
  if (inNotebook()) tslab.display.html(html);
  else console.log(placeholder);
}

export function displayPng(png: Uint8Array, placeholder = "[png image]"): void {
  if (inNotebook()) tslab.display.png(png);
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
