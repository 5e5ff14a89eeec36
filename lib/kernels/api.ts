/**
 * The compute kernels the from-scratch engine, PCA and k-NN are written against.
 *
 * Two implementations sit behind this one interface:
 *  - `reference.ts`: plain TypeScript loops, written to be read, the ground truth in tests;
 *  - the WebAssembly SIMD build of `assembly/` (fast, optionally multi-threaded).
 *
 * Conventions: every matrix is dense and row-major; images are NHWC (batch, height, width, channels).
 * Kernels accept any Float32Array; views obtained from `alloc` avoid copies in the WebAssembly build.
 */
export interface Kernels {
  /** "reference" or "wasm-simd". */
  readonly name: string;
  /** Threads used by the parallel kernels (1 = the calling thread only). */
  readonly threads: number;

  /**
   * A zeroed Float32Array the kernels can use without copying. In the wasm build its memory is
   * reclaimed once neither it nor any view derived from it (subarray, view on its `.buffer`) is
   * reachable, or by `free`.
   */
  alloc(length: number): Float32Array;
  /**
   * Optionally hands an `alloc` array back for reuse before the garbage collector would (the wasm
   * build reclaims unreachable ones by itself). Frees the whole block the array or view came from;
   * neither it nor any other view of that block may be used afterwards. Other arrays are ignored.
   */
  free(array: Float32Array): void;

  /**
   * C = alpha · op(A) · op(B) + beta · C, where op(A) is m×k and op(B) is k×n and C is m×n.
   * With transA the stored A is k×m; with transB the stored B is n×k.
   */
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    b: Float32Array,
    beta: number,
    c: Float32Array,
  ): void;

  /**
   * Unfolds NHWC input patches into rows: output is (n·outH·outW) × (kh·kw·c),
   * where outH = (h + 2·pad − kh) / stride + 1 (likewise outW). Zero padding.
   */
  im2col(input: Float32Array, shape: ConvShape, cols: Float32Array): void;
  /** The adjoint of im2col: scatters-and-adds patch rows back into an NHWC gradient (overwritten). */
  col2im(cols: Float32Array, shape: ConvShape, gradInput: Float32Array): void;
  /**
   * A convolution's forward pass: im2col(input) into cols, then output = cols · weights (+ bias per
   * filter; null for none), as `im2col` + `gemm` + `addBias` would compute it, bit for bit.
   * weights is (kh·kw·c) × filters and output NHWC (batch·outH·outW) × filters.
   */
  convForward(
    input: Float32Array,
    shape: ConvShape,
    weights: Float32Array,
    filters: number,
    bias: Float32Array | null,
    cols: Float32Array,
    output: Float32Array,
  ): void;

  /**
   * The same convolution as `convForward` (without its patches) by Winograd's F(2×2, 3×3): equal up to
   * float rounding, with 2.25× fewer multiplications. Only 3×3 kernels at stride 1 (any padding), with
   * channels and filters multiples of 4; anything else is a RangeError.
   */
  winogradConvForward(
    input: Float32Array,
    shape: ConvShape,
    weights: Float32Array,
    filters: number,
    bias: Float32Array | null,
    output: Float32Array,
  ): void;

  /** Max pooling over NHWC, window `size`, step `stride`; records the flat input index of each max. */
  maxPool(input: Float32Array, shape: PoolShape, output: Float32Array, argmax: Int32Array): void;
  /**
   * Routes each output gradient to its arg-max input (gradInput is overwritten), for the arg-max
   * `maxPool` recorded over `shape`. An index outside its own image's inputs is a RangeError, raised
   * before anything is written.
   */
  maxPoolBackward(
    gradOutput: Float32Array,
    argmax: Int32Array,
    shape: PoolShape,
    gradInput: Float32Array,
  ): void;

  /**
   * For layers whose output gradient is mostly zeros (a convolution followed by max-pooling):
   * the filter gradient colsᵀ · gradOutput (patch × filters, overwritten), where cols is rows × patch
   * and gradOutput rows × filters, reading only the non-zero entries of gradOutput. Equal to
   * `gemm(true, false, patch, filters, rows, 1, cols, gradOutput, 0, gradWeights)` up to rounding
   * (except that a non-finite value in cols is not propagated where gradOutput is zero).
   */
  convWeightGradSparse(
    cols: Float32Array,
    gradOutput: Float32Array,
    rows: number,
    patch: number,
    filters: number,
    gradWeights: Float32Array,
  ): void;
  /**
   * For a convolution whose output gradient a max-pool routed (zero except values[i] added
   * at flat output index argmax[i], for every i < argmax.length): the filter gradient
   * (patch × filters, overwritten) and the bias gradient (filters; null for no bias), without forming
   * that gradient. Equal up to rounding to maxPoolBackward into a dense dY, then
   * `gemm(true, false, patch, filters, rows, 1, cols, dY, 0, gradWeights)` and `sumRows(dY)`. The
   * arg-max must come from pooling this convolution's output over `batch` images: an index outside
   * its own image's outputs is a RangeError, raised before anything is written.
   */
  convGradRouted(
    cols: Float32Array,
    values: Float32Array,
    argmax: Int32Array,
    batch: number,
    rows: number,
    patch: number,
    filters: number,
    gradWeights: Float32Array,
    gradBias: Float32Array | null,
  ): void;
  /**
   * The matching input gradient: col2im(gradOutput · weightsᵀ) into gradInput (NHWC,
   * overwritten), for weights (kh·kw·c) × filters and gradOutput (batch·outH·outW) × filters,
   * skipping the zero entries of gradOutput.
   */
  convInputGradSparse(
    gradOutput: Float32Array,
    weights: Float32Array,
    shape: ConvShape,
    filters: number,
    gradInput: Float32Array,
  ): void;

  /**
   * One Adam step over w (in place) with its gradient g and moments m, v (in place), all of the same
   * length; the rule itself (written once, in reference.ts) is
   * grad = g + coupled·w; m = β1·m + (1−β1)·grad; v = β2·v + (1−β2)·grad·grad;
   * w = shrink·w − stepSize·m / (√v + epsilonHat), in float64 with m, v, w rounded to float32 when stored.
   * nn/optimizers/adam.ts derives the per-step constants; every build agrees bit for bit.
   */
  adamStep(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, hyper: AdamHyper): void;

  /** out[i] = max(x[i], 0). `out` may be `x`. */
  relu(x: Float32Array, out: Float32Array): void;
  /** gradIn[i] = x[i] > 0 ? gradOut[i] : 0, where x is the ReLU's input or output. */
  reluBackward(x: Float32Array, gradOut: Float32Array, gradIn: Float32Array): void;
  /** Adds bias[j] to every row of the rows×cols matrix x, in place. */
  addBias(x: Float32Array, rows: number, cols: number, bias: Float32Array): void;
  /** out[j] = Σ_i x[i·cols + j] (overwrites out), e.g. a bias gradient. */
  sumRows(x: Float32Array, rows: number, cols: number, out: Float32Array): void;
  /** out[j] = Σ_i x[i·cols + j]·y[i·cols + j] (overwrites out); y may be x, giving sums of squares. */
  sumRowsOfProducts(x: Float32Array, y: Float32Array, rows: number, cols: number, out: Float32Array): void;
  /**
   * out[i, j] = a[i, j]·wa[j] + b[i, j]·wb[j] + shift[j] over rows×cols matrices, the b term left out
   * when b and wb are null: per-column scale-and-shift, or a per-column blend of two matrices. Computed
   * in float32, rounding after each product and each sum in that order, so every build agrees bit for bit.
   */
  combineColumns(
    a: Float32Array,
    wa: Float32Array,
    b: Float32Array | null,
    wb: Float32Array | null,
    shift: Float32Array,
    rows: number,
    cols: number,
    out: Float32Array,
  ): void;
}

/**
 * The parameter list of kernel K, so that an implementation is typed once from the interface:
 * `gemm(...[transA, transB, m, n, k, alpha, a, b, beta, c]: KernelArgs<"gemm">): void`.
 */
export type KernelArgs<K extends KernelName> = Parameters<Kernels[K]>;

/** The kernels proper: every member of `Kernels` but its two descriptive fields. */
export type KernelName = Exclude<keyof Kernels, "name" | "threads">;

/** The per-step constants of `adamStep`. */
export interface AdamHyper {
  beta1: number;
  beta2: number;
  stepSize: number;
  epsilonHat: number;
  /** L2 decay added to the gradient (Adam). */
  coupled: number;
  /** Factor applied to the weights first (AdamW's decoupled decay). */
  shrink: number;
}

export interface ConvShape {
  batch: number;
  height: number;
  width: number;
  channels: number;
  kernelHeight: number;
  kernelWidth: number;
  stride: number;
  pad: number;
}

export interface PoolShape {
  batch: number;
  height: number;
  width: number;
  channels: number;
  size: number;
  stride: number;
}

export function convOutputSize(shape: ConvShape): { outHeight: number; outWidth: number } {
  const outHeight = Math.floor((shape.height + 2 * shape.pad - shape.kernelHeight) / shape.stride) + 1;
  const outWidth = Math.floor((shape.width + 2 * shape.pad - shape.kernelWidth) / shape.stride) + 1;
  if (outHeight <= 0 || outWidth <= 0) {
    throw new RangeError(
      `conv: a ${shape.kernelHeight}×${shape.kernelWidth} kernel does not fit a ${shape.height}×${shape.width} input with pad ${shape.pad}`,
    );
  }
  return { outHeight, outWidth };
}

export function poolOutputSize(shape: PoolShape): { outHeight: number; outWidth: number } {
  const outHeight = Math.floor((shape.height - shape.size) / shape.stride) + 1;
  const outWidth = Math.floor((shape.width - shape.size) / shape.stride) + 1;
  if (outHeight <= 0 || outWidth <= 0) {
    throw new RangeError(
      `pool: a ${shape.size}×${shape.size} window does not fit a ${shape.height}×${shape.width} input`,
    );
  }
  return { outHeight, outWidth };
}
