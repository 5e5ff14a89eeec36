/**
 * Where the linear SVM reads its rows from: a plain Matrix, or features stored quantised.
 *
 * The SVM copies every row of a batch into a scratch block anyway (centred on the column means), so a
 * source only has to write one centred row on request, and a compact one can decode there for free.
 * That is what lets the RBF SVM keep the random Fourier features of all 60,000 MNIST rows: with 8192
 * components they take 1.97 GB as Float32 and 0.49 GB as Int8 (see QuantisedRows).
 */
import type { Matrix } from "../../matrix";

export interface RowSource {
  readonly rows: number;
  readonly cols: number;
  /** Writes row `row` minus `means` (`cols` values each) into out[offset, offset + cols). */
  copyCentredRow(row: number, means: Float32Array, out: Float32Array, offset: number): void;
}

/** A Matrix read in place, as a RowSource. */
export function matrixRows(x: Matrix): RowSource {
  const { data, rows, cols } = x;
  return {
    rows,
    cols,
    copyCentredRow(row, means, out, offset) {
      const base = row * cols;
      for (let j = 0; j < cols; j++) out[offset + j] = data[base + j] - means[j];
    },
  };
}

/**
 * Rows of values known to lie in [−bound, bound], stored as Int8: v ≈ q · bound / 127 with q rounded to
 * the nearest integer, so each value is off by at most bound / 254 (values outside are clamped).
 *
 * For random Fourier features (bound √(2/D)) that rounding error is uniform and independent across
 * components; in a kernel value z(x)·z(y) it adds about 0.003/√D, against the 1/√D the random features
 * themselves are off by, so it does not change what the SVM learns (tests/models/classic/svm.test.ts,
 * and the RBF SVM's validation accuracy in notebook 03's measurements).
 */
export class QuantisedRows implements RowSource {
  static readonly LEVELS = 127;
  readonly rows: number;
  readonly cols: number;
  readonly bound: number;
  /** rows × cols codes, row-major. */
  readonly codes: Int8Array;
  /** The value one code step stands for: bound / LEVELS. */
  readonly step: number;

  constructor(rows: number, cols: number, bound: number) {
    if (!(bound > 0) || !Number.isFinite(bound))
      throw new RangeError(`QuantisedRows: bound must be a positive finite number, got ${bound}`);
    this.rows = rows;
    this.cols = cols;
    this.bound = bound;
    this.step = bound / QuantisedRows.LEVELS;
    this.codes = new Int8Array(rows * cols);
  }

  /** Quantises `count` rows of `values` (row-major, `cols` each) into rows firstRow, firstRow + 1, ... */
  setRows(firstRow: number, values: Float32Array, count: number): void {
    if (firstRow < 0 || firstRow + count > this.rows)
      throw new RangeError(
        `QuantisedRows: rows ${firstRow}..${firstRow + count - 1} outside 0..${this.rows - 1}`,
      );
    const levels = QuantisedRows.LEVELS;
    const inverseStep = 1 / this.step;
    const base = firstRow * this.cols;
    for (let i = 0; i < count * this.cols; i++) {
      const code = Math.round(values[i] * inverseStep);
      this.codes[base + i] = code > levels ? levels : code < -levels ? -levels : code;
    }
  }

  copyCentredRow(row: number, means: Float32Array, out: Float32Array, offset: number): void {
    const { codes, cols, step } = this;
    const base = row * cols;
    for (let j = 0; j < cols; j++) out[offset + j] = codes[base + j] * step - means[j];
  }

  /** Every row decoded into a Matrix (for tests and inspection: it is the memory this class saves). */
  toMatrix(): Matrix {
    const data = new Float32Array(this.rows * this.cols);
    const zeros = new Float32Array(this.cols);
    for (let r = 0; r < this.rows; r++) this.copyCentredRow(r, zeros, data, r * this.cols);
    return { data, rows: this.rows, cols: this.cols };
  }
}

/** The mean of each column, accumulated in float64. */
export function columnMeans(source: RowSource): Float32Array {
  const { rows, cols } = source;
  const sums = new Float64Array(cols);
  const zeros = new Float32Array(cols);
  const row = new Float32Array(cols);
  for (let i = 0; i < rows; i++) {
    source.copyCentredRow(i, zeros, row, 0);
    for (let j = 0; j < cols; j++) sums[j] += row[j];
  }
  return Float32Array.from(sums, (sum) => sum / rows);
}
