/**
 * The shared vocabulary of the library, at its bottom layer: every module that passes samples around
 * (data, preprocessing, kernels, networks, metrics, models) speaks in these terms and imports them from
 * here, never from a higher layer.
 *
 * Samples are dense row-major matrices of float features (one row per sample); labels are integers
 * 0..NUM_CLASSES-1 in a Uint8Array. Image models take the same 784-column rows and reshape them.
 */

export interface Matrix {
  /** rows × cols values, row-major. */
  data: Float32Array;
  rows: number;
  cols: number;
}

/** Digits 0..9. */
export const NUM_CLASSES = 10;

/** Makes a Matrix, checking that the data length matches the shape. */
export function matrix(data: Float32Array, rows: number, cols: number): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols <= 0) {
    throw new RangeError(`matrix: invalid shape ${rows}×${cols}`);
  }
  if (data.length !== rows * cols) {
    throw new RangeError(
      `matrix: data has ${data.length} values but shape ${rows}×${cols} needs ${rows * cols}`,
    );
  }
  return { data, rows, cols };
}

/** The index of each row's largest value (the first one on ties): class scores → predicted labels. */
export function argmaxRows(values: Float32Array, rows: number, cols: number): Uint8Array {
  const out = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestValue = values[r * cols];
    for (let c = 1; c < cols; c++) {
      const v = values[r * cols + c];
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    out[r] = best;
  }
  return out;
}
