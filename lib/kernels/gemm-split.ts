/**
 * Splitting one GEMM into independent products over disjoint slices of C: column blocks when C is
 * wide, row blocks when it is tall. Threads take slices from a queue, two per thread, so a thread
 * the OS holds up leaves its second slice to the others. Each slice re-packs the operand it shares,
 * a cost of O(size of that operand) against O(m·n·k) of arithmetic, so only big products are split.
 * A small C over a long sum (a filter gradient: 9×32 over 43,264 steps) is split along the sum
 * instead, each slice writing a partial product that the caller adds up.
 */

/** Arguments of the wasm `gemm` export; a, b, c are byte addresses, lda/ldb/ldc strides in floats. */
export interface GemmCall {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: number;
  lda: number;
  b: number;
  ldb: number;
  beta: number;
  c: number;
  ldc: number;
}

/**
 * Below this many flops per slice, waking a worker (tens of microseconds) costs more than it saves:
 * 4 Mflop is about 100 µs of one core.
 */
export const MIN_FLOPS_PER_SLICE = 4e6;

/** Slices queued per thread: more balance the load better, each costs a re-pack of the shared operand. */
export const SLICES_PER_THREAD = 2;

/**
 * A slice must be at least this many rows or columns wide to pay for re-packing the shared operand:
 * packing a float costs about as much as 30 flops, and a slice w wide does 2·w flops per float of it.
 * Narrower slices made products like conv1's filter gradient (9×32 over 43,264 steps) slower on two
 * threads than on one.
 */
export const MIN_SLICE_EXTENT = 64;

/**
 * Slice edges are multiples of the register tile (MR×NR = 5×8 in assembly/microkernel.ts), so no
 * slice adds a ragged edge.
 */
const ROW_ALIGN = 5;
const COLUMN_ALIGN = 8;

export function splitGemm(call: GemmCall, threads: number): GemmCall[] {
  if (threads < 2) return [call];
  const flops = 2 * call.m * call.n * call.k;
  const splitColumns = call.n >= call.m;
  const extent = splitColumns ? call.n : call.m;
  const align = splitColumns ? COLUMN_ALIGN : ROW_ALIGN;
  const wanted = Math.min(
    threads * SLICES_PER_THREAD,
    Math.floor(flops / MIN_FLOPS_PER_SLICE),
    Math.floor(extent / MIN_SLICE_EXTENT),
  );
  if (wanted < 2) return [call];
  const sliceSize = Math.ceil(extent / wanted / align) * align;
  const slices: GemmCall[] = [];
  for (let start = 0; start < extent; start += sliceSize) {
    const size = Math.min(sliceSize, extent - start);
    slices.push(splitColumns ? columnSlice(call, start, size) : rowSlice(call, start, size));
  }
  return slices;
}

/** Columns [j0, j0 + cols) of C: the matching columns of op(B), all of op(A). */
function columnSlice(call: GemmCall, j0: number, cols: number): GemmCall {
  // op(B)(p, j) is at b[p·ldb + j] when stored, b[j·ldb + p] when transposed.
  const bOffset = call.transB ? j0 * call.ldb : j0;
  return { ...call, n: cols, b: call.b + bOffset * 4, c: call.c + j0 * 4 };
}

/** Rows [i0, i0 + rows) of C: the matching rows of op(A), all of op(B). */
function rowSlice(call: GemmCall, i0: number, rows: number): GemmCall {
  const aOffset = call.transA ? i0 : i0 * call.lda;
  return { ...call, m: rows, a: call.a + aOffset * 4, c: call.c + i0 * call.ldc * 4 };
}

/** A depth split pays only while adding up the partial products (m·n floats each) is cheap. */
export const MAX_DEPTH_SPLIT_OUTPUT = 4096;

/** Steps of the sum each depth slice takes at least, a few packed depth blocks. */
export const MIN_DEPTH_PER_SLICE = 2048;

/**
 * How many partial products to cut a product into along its sum: more than 1 only for a small C that
 * the row and column split leave whole. Results then differ from one thread's by rounding (the sum
 * is added in another order), but the same thread count always gives the same numbers.
 */
export function depthSliceCount(call: GemmCall, threads: number): number {
  if (threads < 2 || call.m * call.n > MAX_DEPTH_SPLIT_OUTPUT || splitGemm(call, threads).length > 1)
    return 1;
  const flops = 2 * call.m * call.n * call.k;
  return Math.max(
    1,
    Math.min(threads, Math.floor(flops / MIN_FLOPS_PER_SLICE), Math.floor(call.k / MIN_DEPTH_PER_SLICE)),
  );
}

/**
 * Slice `index` of `count` along the sum: its steps of op(A)·op(B), unscaled (alpha = 1, beta = 0),
 * written to `partial`, an m×n block the caller owns.
 */
export function depthSlice(call: GemmCall, index: number, count: number, partial: number): GemmCall {
  const depth = Math.ceil(call.k / count);
  const p0 = index * depth;
  // op(A)(i, p) is at a[i·lda + p] when stored, a[p·lda + i] when transposed; op(B)(p, j) at b[p·ldb + j] or b[j·ldb + p].
  const aOffset = call.transA ? p0 * call.lda : p0;
  const bOffset = call.transB ? p0 : p0 * call.ldb;
  return {
    ...call,
    k: Math.min(depth, call.k - p0),
    alpha: 1,
    beta: 0,
    a: call.a + aOffset * 4,
    b: call.b + bOffset * 4,
    c: partial,
    ldc: call.n,
  };
}
