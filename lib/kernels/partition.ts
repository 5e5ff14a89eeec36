/**
 * The partition policy of the WebAssembly kernels: when a call is worth splitting over threads and
 * into which parts. The cost constants were measured on a 2-core x86 VM; only their order of magnitude
 * matters, since they only decide whether a call pays for waking the workers. GEMM has its own
 * policy in gemm-split.ts (slices of C, or of the sum).
 */

/**
 * Waking a worker and waiting for it costs about 30 µs, so the memory-bound kernels are cut into parts
 * of at least twice that much of one thread's work (twice: a split also moves data between the cores'
 * caches); a smaller call stays on the calling thread.
 */
export const MIN_PART_NANOSECONDS = 60_000;
/** Per element of relu, reluBackward, addBias and sumRows, and per float im2col copies. */
export const NANOSECONDS_PER_ELEMENT = 0.3;
/** sumRowsOfProducts reads two floats per element. */
export const NANOSECONDS_PER_PRODUCT = 0.4;
/** combineColumns per output float, per matrix it reads (one or two). */
export const NANOSECONDS_PER_COMBINED_INPUT = 0.25;
/** im2col's copy of one patch row, besides its floats: with one channel, a row is 3 floats. */
export const NANOSECONDS_PER_PATCH_ROW = 10;
/** maxPool's compare-and-select chains, per input float. */
export const NANOSECONDS_PER_POOLED_INPUT = 0.8;
/** maxPoolBackward's zero-fill and scatter, per input float. */
export const NANOSECONDS_PER_SCATTERED_INPUT = 0.4;
/** adamStep's float64 division and square root, per weight. */
export const NANOSECONDS_PER_ADAM_WEIGHT = 4;
/** convGradRouted's update of one filter's patch weights, per routed value. */
export const NANOSECONDS_PER_ROUTED_VALUE = 3;
/** A conv forward pass is GEMM-bound: about 30 GFLOPS on one thread, im2col included. */
export const GEMM_FLOPS_PER_NANOSECOND = 30;
/** Below this many dY entries the sparse conv kernels stay on the calling thread. */
export const SPARSE_SPLIT_MIN = 1 << 16;
/**
 * Element-wise parts start on multiples of 16 floats, one 64-byte cache line when the array starts on
 * one (as `alloc`'s arrays do), so two threads never write the same line.
 */
export const CACHE_LINE_FLOATS = 16;

/** One part of `splitRange`: items [start, start + count). */
export interface Range {
  start: number;
  count: number;
}

/**
 * [0, total) items cut into one part per thread, or fewer so that each part still holds
 * MIN_PART_NANOSECONDS of the call's estimated `nanoseconds`; inner edges on multiples of `align` items.
 */
export function splitWork(threads: number, total: number, nanoseconds: number, align = 1): Range[] {
  const parts = Math.min(threads, Math.floor(nanoseconds / MIN_PART_NANOSECONDS));
  return splitRange(total, Math.max(parts, 1), align);
}

/**
 * [0, total) cut into at most `parts` contiguous ranges whose sizes differ by at most `align`, with
 * every inner edge a multiple of `align` (e.g. whole SIMD vectors or cache lines). The cut depends
 * only on the arguments, so a split kernel combines its parts in the same way on every run.
 */
export function splitRange(total: number, parts: number, align = 1): Range[] {
  const units = Math.ceil(total / align);
  const ranges: Range[] = [];
  for (let part = 0; part < parts; part++) {
    const start = Math.min(total, Math.floor((part * units) / parts) * align);
    const end = Math.min(total, Math.floor(((part + 1) * units) / parts) * align);
    if (end > start) ranges.push({ start, count: end - start });
  }
  return ranges;
}

/**
 * Equal blocks of at most `parts` for sparse kernels that split [0, total) only when the call has at
 * least SPARSE_SPLIT_MIN dY entries, each block a multiple of `align`: [start, count] pairs.
 */
export function sparseBlocks(total: number, entries: number, parts: number, align = 1): Range[] {
  const wanted = entries >= SPARSE_SPLIT_MIN ? parts : 1;
  const block = Math.ceil(total / wanted / align) * align;
  const ranges: Range[] = [];
  for (let start = 0; start < total; start += block)
    ranges.push({ start, count: Math.min(block, total - start) });
  return ranges;
}
