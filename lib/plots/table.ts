/**
 * Tables: danfojs DataFrames (the pandas of JavaScript) rendered as HTML in the notebook.
 */
import { displayHtml } from "../display";
import { escapeHtml } from "./image-grid";
import { checkScalar } from "../validation";
import { toDataFrame, type FrameLike, type Row } from "../data-frame";

export { toDataFrame, type FrameLike, type Row };

/**
 * Decimals for the numbers of a table: one count for every column, or a count per column name (columns
 * not named get 4), e.g. `{ "accuracy %": 2, "log loss": 3 }`.
 */
export type TableDigits = number | Record<string, number>;

/**
 * HTML for a DataFrame; numbers are shown with `digits` decimals (default 4), except in columns that
 * hold only integers, so that one column reads at one precision (72.00 beside 47.60, not 72).
 */
export function tableHtml(frame: FrameLike, digits: TableDigits = 4): string {
  // toFixed accepts 0..100; more than 20 decimals of a float64 are noise.
  const counts = typeof digits === "number" ? [digits] : Object.values(digits);
  for (const count of counts) checkScalar("tableHtml", "digits", count, { integer: true, min: 0, max: 20 });
  const columns = frame.columns;
  const values = frame.values;
  const isFraction = (v: unknown) => typeof v === "number" && !Number.isInteger(v);
  const fractional = columns.map((_, j) => values.some((row) => isFraction(row[j])));
  const decimals = columns.map((c) => (typeof digits === "number" ? digits : (digits[c] ?? 4)));
  const cell = (v: unknown, j: number) => {
    const fixed = typeof v === "number" && Number.isFinite(v) && fractional[j];
    const text = fixed ? (v as number).toFixed(decimals[j]) : String(v);
    return `<td style="text-align:${typeof v === "number" ? "right" : "left"};padding:2px 10px;">${escapeHtml(text)}</td>`;
  };
  const head = columns
    .map((c) => `<th style="text-align:left;padding:2px 10px;">${escapeHtml(c)}</th>`)
    .join("");
  const body = values.map((row) => `<tr>${row.map((v, j) => cell(v, j)).join("")}</tr>`).join("\n");
  return `<table class="mnist-table" style="border-collapse:collapse;font:13px sans-serif;"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function showTable(frame: FrameLike | Row[], digits: TableDigits = 4): void {
  const df = Array.isArray(frame) ? toDataFrame(frame) : frame;
  displayHtml(tableHtml(df, digits), df.toString());
}
