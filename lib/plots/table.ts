/**
 * Tables: danfojs DataFrames (the pandas of JavaScript) rendered as HTML in the notebook.
 */
import { displayHtml } from "../display";
import { escapeHtml } from "./image-grid";
import { checkScalar } from "../validation";

import { toDataFrame, type FrameLike, type Row } from "../data-frame";

export { toDataFrame, type FrameLike, type Row };

/**
 * HTML for a DataFrame; numbers are shown with `digits` decimals (default 4), except in columns that
 * hold only integers, so that one column reads at one precision (72.00 beside 47.60, not 72).
 */
export function tableHtml(frame: FrameLike, digits = 4): string {
  // toFixed accepts 0..100; more than 20 decimals of a float64 are noise.
  checkScalar("tableHtml", "digits", digits, { integer: true, min: 0, max: 20 });
  const columns = frame.columns;
  const values = frame.values;
  const fractional = columns.map((_, j) => values.some((row) => typeof row[j] === "number" && !Number.isInteger(row[j])));
  const cell = (v: unknown, j: number) => {
    const text = typeof v === "number" && Number.isFinite(v) && fractional[j] ? v.toFixed(digits) : String(v);
    return `<td style="text-align:${typeof v === "number" ? "right" : "left"};padding:2px 10px;">${escapeHtml(text)}</td>`;
  };
  const head = columns.map((c) => `<th style="text-align:left;padding:2px 10px;">${escapeHtml(c)}</th>`).join("");
  const body = values.map((row) => `<tr>${row.map((v, j) => cell(v, j)).join("")}</tr>`).join("\n");
  return `<table class="mnist-table" style="border-collapse:collapse;font:13px sans-serif;"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function showTable(frame: FrameLike | Row[], digits = 4): void {
  const df = Array.isArray(frame) ? toDataFrame(frame) : frame;
  displayHtml(tableHtml(df, digits), df.toString());
}
