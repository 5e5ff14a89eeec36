import { strict as assert } from "assert";

/** Asserts |actual − expected| ≤ tolerance; hand-computed fractions rarely match floating point bit for bit. */
export function assertClose(actual: number, expected: number, tolerance = 1e-9, message = ""): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${message ? message + ": " : ""}expected ${expected} ± ${tolerance}, got ${actual}`,
  );
}

/** Row-major Float32Array from rows of numbers, so test probabilities read like a table. */
export function probabilityRows(rows: number[][]): Float32Array {
  return Float32Array.from(rows.flat());
}
