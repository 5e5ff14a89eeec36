/**
 * The training rows kept in compressed sparse-row form, for the one distance every k-NN search path
 * agrees on: ‖q − t‖² = ‖q‖² + ‖t‖² − 2·q·t evaluated in float64 over t's nonzeros.
 *
 * Why float64: products of two float32 values are exact in float64, so this distance is accurate to
 * ~1e-15 relatively, and it is a deterministic function of (q, t): the brute-force and pruned searches
 * rank with it and therefore return the same neighbours. Why sparse: MNIST digits are ~80% background,
 * so a distance costs ~150 multiply-adds instead of 784.
 */
import { Matrix } from "../../matrix";

export class SparseRows {
  readonly rows: number;
  readonly cols: number;
  /** Row r's nonzeros are entries offsets[r] .. offsets[r + 1] − 1 of columns / values. */
  private readonly offsets: Int32Array;
  /** Uint16 when columns fit (784 pixels do): the search reads rows at random, so bytes are time. */
  private readonly columns: Uint16Array | Int32Array;
  private readonly values: Float32Array;
  /** ‖t‖² per row, in float64. */
  readonly squaredNorms: Float64Array;
  /** The largest squaredNorms entry. */
  readonly maxSquaredNorm: number;

  constructor(x: Matrix) {
    this.rows = x.rows;
    this.cols = x.cols;
    let nonzeros = 0;
    for (let i = 0; i < x.data.length; i++) if (x.data[i] !== 0) nonzeros++;
    this.offsets = new Int32Array(x.rows + 1);
    this.columns = x.cols <= 65536 ? new Uint16Array(nonzeros) : new Int32Array(nonzeros);
    this.values = new Float32Array(nonzeros);
    this.squaredNorms = new Float64Array(x.rows);
    let next = 0;
    let maxSquaredNorm = 0;
    for (let r = 0; r < x.rows; r++) {
      let norm = 0;
      for (let c = 0; c < x.cols; c++) {
        const v = x.data[r * x.cols + c];
        if (v === 0) continue;
        this.columns[next] = c;
        this.values[next++] = v;
        norm += v * v;
      }
      this.offsets[r + 1] = next;
      this.squaredNorms[r] = norm;
      maxSquaredNorm = Math.max(maxSquaredNorm, norm);
    }
    this.maxSquaredNorm = maxSquaredNorm;
  }

  /** ‖q − t_row‖², where q is the `cols` values of `query` from `offset` and querySquaredNorm = ‖q‖² (see `squaredNorm`). */
  squaredDistance(query: Float32Array, offset: number, querySquaredNorm: number, row: number): number {
    let dot = 0;
    for (let i = this.offsets[row], end = this.offsets[row + 1]; i < end; i++)
      dot += query[offset + this.columns[i]] * this.values[i];
    // Cancellation can push an exact zero a hair below it.
    return Math.max(0, querySquaredNorm + this.squaredNorms[row] - 2 * dot);
  }
}

/** ‖v‖² of `length` values from `offset`, in float64 (the same arithmetic as SparseRows' norms). */
export function squaredNorm(data: Float32Array, offset: number, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += data[offset + i] * data[offset + i];
  return sum;
}
