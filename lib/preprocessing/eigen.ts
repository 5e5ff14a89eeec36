/**
 * Eigen-decomposition of a real symmetric matrix, for PCA's covariance:
 *  1. Householder reduction to a tridiagonal T (the first half of EISPACK's tred2);
 *  2. all eigenvalues of T by implicit QL without vectors (tql1), O(n²);
 *  3. eigenvectors of T for the wanted eigenvalues only, by inverse iteration (as LAPACK's dstein:
 *     shifted tridiagonal solves, re-orthogonalised against neighbours in the same cluster);
 *  4. back-transform through the Householder reflections.
 * PCA wants a few dozen vectors out of 784; skipping the full accumulation and QL-with-vectors makes
 * that several times faster than tred2 + tql2, and costs no more than they do for all n vectors.
 *
 * The Householder algorithm is usually written on V[row][col] with its inner loops running down
 * columns. Here the array holds Vᵀ (V[r][c] lives at w[c·n + r]) so those loops walk contiguous memory.
 */
import { checkFinite, checkPositiveInteger, checkScalar } from "../validation";
import { Random } from "../random";

export interface SymmetricEigen {
  /** All n eigenvalues, largest first. */
  values: Float64Array;
  /** count × n, row i the unit eigenvector of values[i]; its largest-magnitude entry is positive. */
  vectors: Float64Array;
}

/**
 * Decomposes the symmetric n×n row-major matrix `a` (read only), returning every eigenvalue and the
 * eigenvectors of the `count` largest. `count` may be chosen from the sorted eigenvalues (e.g. "enough
 * to explain 95% of the variance").
 */
export function symmetricEigen(
  a: ArrayLike<number>,
  n: number,
  count: number | ((values: Float64Array) => number) = n,
): SymmetricEigen {
  checkPositiveInteger("symmetricEigen", "size", n);
  if (a.length !== n * n)
    throw new RangeError(`symmetricEigen: a ${n}×${n} matrix needs ${n * n} values, got ${a.length}`);
  const w = Float64Array.from(a);
  checkFinite("symmetricEigen", "the matrix", w, n);
  const h = new Float64Array(n);
  const off = new Float64Array(n);
  reduceToTridiagonal(w, n, h, off);
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = w[i * n + i];

  const values = tridiagonalEigenvalues(diag, off);
  values.sort((x, y) => y - x);
  if (typeof count === "function") count = count(values);
  checkScalar("symmetricEigen", "count", count, { integer: true, min: 0, max: n });
  const vectors = tridiagonalEigenvectors(diag, off, values.subarray(0, count));
  for (let v = 0; v < count; v++) {
    const x = vectors.subarray(v * n, (v + 1) * n);
    applyReflections(w, n, h, x);
    fixSign(x);
  }
  return { values, vectors };
}

/**
 * The reduction half of tred2. Afterwards w[i·n + i] is T's diagonal, e[i] (i ≥ 1) the entry between
 * rows i−1 and i, and reflection i (1 ≤ i < n) is P_i = I − u uᵀ/h with u = w[i·n .. i·n + i − 1] and
 * h = d[i] (h = 0: no reflection). A = P_{n−1}···P_1 · T · P_1···P_{n−1}.
 */
function reduceToTridiagonal(w: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = w[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + i - 1];
        w[j * n + i] = 0;
        w[i * n + j] = 0;
      }
    } else {
      // Scaling the Householder vector avoids under- and overflow.
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        const col = j * n;
        f = d[j];
        w[i * n + j] = f;
        g = e[j] + w[col + j] * f;
        for (let k = j + 1; k < i; k++) {
          const v = w[col + k];
          g += v * d[k];
          e[k] += v * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        const col = j * n;
        f = d[j];
        g = e[j];
        for (let k = j; k < i; k++) w[col + k] -= f * e[k] + g * d[k];
        d[j] = w[col + i - 1];
        w[col + i] = 0;
      }
    }
    d[i] = h;
  }
  e[0] = 0;
}

/** tql1: implicit QL with shifts on a copy of T; returns its eigenvalues, unordered. */
function tridiagonalEigenvalues(diag: Float64Array, off: Float64Array): Float64Array {
  const n = diag.length;
  const d = Float64Array.from(diag);
  const e = new Float64Array(n);
  for (let i = 1; i < n; i++) e[i - 1] = off[i];
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > 60) throw new Error("symmetricEigen: QL iteration did not converge");
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  return d;
}

/**
 * Eigenvectors of T for the given eigenvalues (descending) by inverse iteration. Eigenvalues closer
 * than 1e-3·‖T‖ form a cluster, whose vectors are kept orthogonal by Gram-Schmidt against the earlier
 * ones, and shifts are nudged apart so equal eigenvalues still get distinct vectors (as dstein does).
 */
function tridiagonalEigenvectors(diag: Float64Array, off: Float64Array, values: Float64Array): Float64Array {
  const n = diag.length;
  const count = values.length;
  const vectors = new Float64Array(count * n);
  let norm = 0;
  for (let i = 0; i < n; i++)
    norm = Math.max(norm, Math.abs(diag[i]) + Math.abs(off[i]) + (i + 1 < n ? Math.abs(off[i + 1]) : 0));
  const scale = norm > 0 ? norm : 1;
  const clusterGap = 1e-3 * scale;
  const minSeparation = 10 * 2 ** -52 * scale;
  const lu = new ShiftedTridiagonalLU(diag, off);
  // A fixed seed keeps the decomposition deterministic.
  const random = new Random(0x5eed);
  let clusterStart = 0;
  let previousShift = Infinity;
  for (let j = 0; j < count; j++) {
    let shift = values[j];
    if (j > 0 && values[j - 1] - values[j] > clusterGap) clusterStart = j;
    if (previousShift - shift < minSeparation) shift = previousShift - minSeparation;
    previousShift = shift;
    lu.factor(shift, minSeparation);
    const x = vectors.subarray(j * n, (j + 1) * n);
    for (let i = 0; i < n; i++) x[i] = random.uniform(-1, 1);
    for (let iteration = 0; iteration < 3; iteration++) {
      lu.solve(x);
      for (let k = clusterStart; k < j; k++) {
        const other = vectors.subarray(k * n, (k + 1) * n);
        let dot = 0;
        for (let i = 0; i < n; i++) dot += x[i] * other[i];
        for (let i = 0; i < n; i++) x[i] -= dot * other[i];
      }
      normalize(x);
    }
  }
  return vectors;
}

/** LU factorisation with partial pivoting of T − shift·I (which adds a second super-diagonal). */
class ShiftedTridiagonalLU {
  private readonly diagonal: Float64Array;
  private readonly upper1: Float64Array;
  private readonly upper2: Float64Array;
  private readonly multiplier: Float64Array;
  private readonly swapped: Uint8Array;

  constructor(
    private readonly diag: Float64Array,
    private readonly off: Float64Array,
  ) {
    const n = diag.length;
    this.diagonal = new Float64Array(n);
    this.upper1 = new Float64Array(n);
    this.upper2 = new Float64Array(n);
    this.multiplier = new Float64Array(n);
    this.swapped = new Uint8Array(n);
  }

  /** `tiny` replaces exactly-zero pivots: T − λI is singular by design at an exact eigenvalue. */
  factor(shift: number, tiny: number): void {
    const n = this.diag.length;
    const { diagonal, upper1, upper2, multiplier, swapped, off } = this;
    let pivotRow = this.diag[0] - shift;
    let pivotRight = n > 1 ? off[1] : 0;
    for (let i = 0; i < n - 1; i++) {
      const below = off[i + 1];
      const belowDiagonal = this.diag[i + 1] - shift;
      const belowRight = i + 2 < n ? off[i + 2] : 0;
      if (Math.abs(pivotRow) >= Math.abs(below)) {
        if (pivotRow === 0) pivotRow = tiny;
        const m = below / pivotRow;
        swapped[i] = 0;
        multiplier[i] = m;
        diagonal[i] = pivotRow;
        upper1[i] = pivotRight;
        upper2[i] = 0;
        pivotRow = belowDiagonal - m * pivotRight;
        pivotRight = belowRight;
      } else {
        const m = pivotRow / below;
        swapped[i] = 1;
        multiplier[i] = m;
        diagonal[i] = below;
        upper1[i] = belowDiagonal;
        upper2[i] = belowRight;
        pivotRow = pivotRight - m * belowDiagonal;
        pivotRight = -m * belowRight;
      }
    }
    diagonal[n - 1] = pivotRow === 0 ? tiny : pivotRow;
  }

  /** Solves (T − shift·I)·x = b in place (b in, x out). */
  solve(x: Float64Array): void {
    const n = x.length;
    const { diagonal, upper1, upper2, multiplier, swapped } = this;
    for (let i = 0; i < n - 1; i++) {
      if (swapped[i]) {
        const t = x[i];
        x[i] = x[i + 1];
        x[i + 1] = t;
      }
      x[i + 1] -= multiplier[i] * x[i];
    }
    x[n - 1] /= diagonal[n - 1];
    if (n > 1) x[n - 2] = (x[n - 2] - upper1[n - 2] * x[n - 1]) / diagonal[n - 2];
    for (let i = n - 3; i >= 0; i--)
      x[i] = (x[i] - upper1[i] * x[i + 1] - upper2[i] * x[i + 2]) / diagonal[i];
  }
}

/** x ← P_{n−1}···P_1 · x: takes an eigenvector of T to one of the original matrix. */
function applyReflections(w: Float64Array, n: number, h: Float64Array, x: Float64Array): void {
  for (let i = 1; i < n; i++) {
    if (h[i] === 0) continue;
    const u = i * n;
    let dot = 0;
    for (let k = 0; k < i; k++) dot += w[u + k] * x[k];
    const g = dot / h[i];
    for (let k = 0; k < i; k++) x[k] -= g * w[u + k];
  }
}

function normalize(x: Float64Array): void {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] * x[i];
  const inverse = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  for (let i = 0; i < x.length; i++) x[i] *= inverse;
}

/**
 * Eigenvectors are only defined up to sign; making the largest-magnitude entry (the first on near
 * ties) positive makes PCA components, projections and plots reproducible.
 */
function fixSign(x: Float64Array): void {
  let largest = 0;
  for (let k = 1; k < x.length; k++) if (Math.abs(x[k]) > Math.abs(x[largest]) + 1e-12) largest = k;
  if (x[largest] < 0) for (let k = 0; k < x.length; k++) x[k] = -x[k];
}
