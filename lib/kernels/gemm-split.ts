/**
 * Splitting one GEMM into independent products over disjoint slices of C: column blocks when C is
 * wide, row blocks when it is tall. Threads take slices from a queue, two per thread, so a thread
 * the OS holds up leaves its second slice to the others. Each slice re-packs the operand it shares,
 * a cost of O(size of that operand) against O(m·n·k) of arithmetic, so only big products are split.
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

/** Slice edges are multiples of the 8-wide register tile so no slice adds a ragged edge. */
const SLICE_ALIGN = 8;

export function splitGemm(call: GemmCall, threads: number): GemmCall[] {
  if (threads < 2) return [call];
  const flops = 2 * call.m * call.n * call.k;
  const wanted = Math.min(threads * SLICES_PER_THREAD, Math.floor(flops / MIN_FLOPS_PER_SLICE));
  const splitColumns = call.n >= call.m;
  const extent = splitColumns ? call.n : call.m;
  if (wanted < 2 || extent < 2 * SLICE_ALIGN) return [call];
  const sliceSize = Math.ceil(extent / wanted / SLICE_ALIGN) * SLICE_ALIGN;
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
