/**
 * The WebAssembly SIMD kernels (assembly/, built to dist/wasm/kernels.wasm) behind the `Kernels`
 * interface: argument checks, placing arrays in the shared memory, and splitting work over threads.
 * GEMM is split by gemm-split.ts (by rows or columns, or along a long sum), convForward by blocks of
 * images, the sparse conv backward kernels by filter bands and by images, and convGradRouted by blocks
 * of routed values whose per-block sums are added in a fixed order. The memory-bound kernels are split into one contiguous part per thread when large enough: im2col and
 * max pooling by whole images, the element-wise kernels by ranges of elements or rows, so each
 * gives the same floats on any number of threads; sumRows and sumRowsOfProducts add per-part sums,
 * in a fixed order. col2im stays on the calling thread.
 */
import { checkSecondTerm, convOutputSize, poolOutputSize, type AdamHyper, type ConvShape, type Kernels, type PoolShape } from "./api";
import { SLICES_PER_THREAD, depthSlice, depthSliceCount, splitGemm, type GemmCall } from "./gemm-split";
import { SharedHeap } from "./heap";
import { Staging } from "./staging";
import { ThreadPool, splitRange, type Range } from "./thread-pool";
import type { Operation, ThreadJob } from "./thread-protocol";
import { MAXIMUM_PAGES, instantiate, type KernelExports, type KernelModule } from "./wasm-module";

/** Below this many dY entries the sparse conv kernels stay on the calling thread. */
const SPARSE_SPLIT_MIN = 1 << 16;
/**
 * Waking a worker and waiting for it costs about 30 µs, so the memory-bound kernels are cut into parts
 * of at least twice that much of one thread's work (twice: a split also moves data between the cores'
 * caches); a smaller call stays on the calling thread.
 */
const MIN_PART_NANOSECONDS = 60_000;
/**
 * Rough single-thread costs of the memory-bound kernels, measured on a 2-core x86 VM, to tell whether
 * a call is worth splitting; only their order of magnitude matters. This one is per element of relu,
 * reluBackward, addBias and sumRows, and per float im2col copies.
 */
const NANOSECONDS_PER_ELEMENT = 0.3;
/** sumRowsOfProducts reads two floats per element. */
const NANOSECONDS_PER_PRODUCT = 0.4;
/** combineColumns per output float, per matrix it reads (one or two). */
const NANOSECONDS_PER_COMBINED_INPUT = 0.25;
/** im2col's copy of one patch row, besides its floats: with one channel, a row is 3 floats. */
const NANOSECONDS_PER_PATCH_ROW = 10;
/** maxPool's compare-and-select chains, per input float. */
const NANOSECONDS_PER_POOLED_INPUT = 0.8;
/** maxPoolBackward's zero-fill and scatter, per input float. */
const NANOSECONDS_PER_SCATTERED_INPUT = 0.4;
/** adamStep's float64 division and square root, per weight. */
const NANOSECONDS_PER_ADAM_WEIGHT = 4;
/** convGradRouted's update of one filter's patch weights, per routed value. */
const NANOSECONDS_PER_ROUTED_VALUE = 3;
/** A conv forward pass is GEMM-bound: about 30 GFLOPS on one thread, im2col included. */
const GEMM_FLOPS_PER_NANOSECOND = 30;
/**
 * Element-wise parts start on multiples of 16 floats, one 64-byte cache line when the array starts on
 * one (as `alloc`'s arrays do), so two threads never write the same line.
 */
const CACHE_LINE_FLOATS = 16;
/** The first 1 KiB of memory stays unused so that address 0 is never a valid array. */
const HEAP_BASE = 1024;
/** 16 MiB to start: room for the per-thread GEMM scratch and a few batches before the first grow. */
const INITIAL_PAGES = 256;

export class WasmKernels implements Kernels {
  readonly name = "wasm-simd";
  readonly threads: number;
  /** Whether this is the relaxed-SIMD build, whose GEMM uses fused multiply-add. */
  readonly fusedMultiplyAdd: boolean;
  private readonly exports: KernelExports;
  private readonly heap: SharedHeap;
  private readonly pool: ThreadPool;

  constructor({ module, fusedMultiplyAdd }: KernelModule, threads: number) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
    this.exports = instantiate(module, memory);
    this.heap = new SharedHeap(memory, HEAP_BASE);
    // One GEMM packing area per thread, so concurrent slices never share scratch.
    const scratch = Array.from({ length: threads }, () => this.heap.allocBytes(this.exports.gemmScratchBytes()));
    this.pool = new ThreadPool(this.exports, module, memory, scratch, threads * SLICES_PER_THREAD);
    this.threads = threads;
    this.fusedMultiplyAdd = fusedMultiplyAdd;
  }

  alloc(length: number): Float32Array {
    return this.heap.allocFloats(length);
  }

  free(array: Float32Array): void {
    this.heap.freeFloats(array);
  }

  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array,
  ): void {
    requireLength("gemm", "a", a, m * k);
    requireLength("gemm", "b", b, k * n);
    requireLength("gemm", "c", c, m * n);
    this.withStaging((staging) => {
      const call: GemmCall = {
        transA, transB, m, n, k, alpha, beta,
        a: staging.input(a, m * k),
        lda: transA ? m : k,
        b: staging.input(b, k * n),
        ldb: transB ? k : n,
        // beta = 0 means C is not read, so a foreign C need not be copied in.
        c: beta === 0 ? staging.output(c, m * n) : staging.inputOutput(c, m * n),
        ldc: n,
      };
      const depthSlices = depthSliceCount(call, this.threads);
      if (depthSlices === 1) {
        this.pool.run(splitGemm(call, this.threads).map(gemmJob));
        return;
      }
      // Partial products side by side, [depthSlices, m·n]: their column sums are op(A)·op(B).
      const size = m * n;
      const partials = staging.scratch(depthSlices * size);
      this.pool.run(Array.from({ length: depthSlices }, (_, i) => gemmJob(depthSlice(call, i, depthSlices, partials + i * size * 4))));
      if (alpha === 1 && beta === 0) {
        this.exports.sumRows(partials, depthSlices, size, call.c);
        return;
      }
      const product = new Float32Array(this.heap.buffer, staging.scratch(size), size);
      this.exports.sumRows(partials, depthSlices, size, product.byteOffset);
      const out = new Float32Array(this.heap.buffer, call.c, size);
      for (let i = 0; i < size; i++) out[i] = alpha * product[i] + (beta === 0 ? 0 : beta * out[i]);
    });
  }

  im2col(input: Float32Array, shape: ConvShape, cols: Float32Array): void {
    const { outHeight, outWidth } = convOutputSize(shape);
    const imageFloats = shape.height * shape.width * shape.channels;
    const inputLength = shape.batch * imageFloats;
    const imageCols = outHeight * outWidth * shape.kernelHeight * shape.kernelWidth * shape.channels;
    const colsLength = shape.batch * imageCols;
    requireLength("im2col", "input", input, inputLength);
    requireLength("im2col", "cols", cols, colsLength);
    const [, ...geometry] = convArgs(shape);
    const patchRows = shape.batch * outHeight * outWidth * shape.kernelHeight;
    const nanoseconds = patchRows * NANOSECONDS_PER_PATCH_ROW + colsLength * NANOSECONDS_PER_ELEMENT;
    this.withStaging((staging) => {
      const inputAddress = staging.input(input, inputLength);
      const colsAddress = staging.output(cols, colsLength);
      // A block of images reads only its own images and writes only its own rows of cols.
      this.runParts("im2col", this.split(shape.batch, nanoseconds), ({ start, count }) => [
        inputAddress + start * imageFloats * 4, count, ...geometry, outHeight, outWidth, colsAddress + start * imageCols * 4,
      ]);
    });
  }

  convForward(
    input: Float32Array, shape: ConvShape, weights: Float32Array, filters: number, bias: Float32Array | null,
    cols: Float32Array, output: Float32Array,
  ): void {
    const { outHeight, outWidth } = convOutputSize(shape);
    const imageFloats = shape.height * shape.width * shape.channels;
    const imageCols = outHeight * outWidth * shape.kernelHeight * shape.kernelWidth * shape.channels;
    const imageOutput = outHeight * outWidth * filters;
    const patch = shape.kernelHeight * shape.kernelWidth * shape.channels;
    requireLength("convForward", "input", input, shape.batch * imageFloats);
    requireLength("convForward", "weights", weights, patch * filters);
    if (bias) requireLength("convForward", "bias", bias, filters);
    requireLength("convForward", "cols", cols, shape.batch * imageCols);
    requireLength("convForward", "output", output, shape.batch * imageOutput);
    const [, ...geometry] = convArgs(shape);
    const nanoseconds = (2 * shape.batch * imageOutput * patch) / GEMM_FLOPS_PER_NANOSECOND;
    this.withStaging((staging) => {
      const inputAddress = staging.input(input, shape.batch * imageFloats);
      const weightsAddress = staging.input(weights, patch * filters);
      const biasAddress = bias ? staging.input(bias, filters) : 0;
      const colsAddress = staging.output(cols, shape.batch * imageCols);
      const outputAddress = staging.output(output, shape.batch * imageOutput);
      // Each thread runs the whole pass on its own block of images.
      this.runParts("convForward", this.split(shape.batch, nanoseconds), ({ start, count }) => [
        inputAddress + start * imageFloats * 4, count, ...geometry, outHeight, outWidth, filters, weightsAddress, biasAddress,
        colsAddress + start * imageCols * 4, outputAddress + start * imageOutput * 4,
      ]);
    });
  }

  col2im(cols: Float32Array, shape: ConvShape, gradInput: Float32Array): void {
    const { outHeight, outWidth } = convOutputSize(shape);
    const inputLength = shape.batch * shape.height * shape.width * shape.channels;
    const colsLength = shape.batch * outHeight * outWidth * shape.kernelHeight * shape.kernelWidth * shape.channels;
    requireLength("col2im", "cols", cols, colsLength);
    requireLength("col2im", "gradInput", gradInput, inputLength);
    this.withStaging((staging) =>
      this.exports.col2im(
        staging.input(cols, colsLength), ...convArgs(shape), outHeight, outWidth, staging.output(gradInput, inputLength),
      ),
    );
  }

  maxPool(input: Float32Array, shape: PoolShape, output: Float32Array, argmax: Int32Array): void {
    const { outHeight, outWidth } = poolOutputSize(shape);
    const { batch, height, width, channels, size, stride } = shape;
    const inputLength = batch * height * width * channels;
    const outputLength = batch * outHeight * outWidth * channels;
    requireLength("maxPool", "input", input, inputLength);
    requireLength("maxPool", "output", output, outputLength);
    requireLength("maxPool", "argmax", argmax, outputLength);
    this.withStaging((staging) => {
      const inputAddress = staging.input(input, inputLength);
      const outputAddress = staging.output(output, outputLength);
      const argmaxAddress = staging.output(argmax, outputLength);
      const blocks = this.split(batch, inputLength * NANOSECONDS_PER_POOLED_INPUT);
      this.runParts("maxPool", blocks, ({ start, count }) => [
        inputAddress, start, count, height, width, channels, size, stride, outHeight, outWidth, outputAddress, argmaxAddress,
      ]);
    });
  }

  maxPoolBackward(gradOutput: Float32Array, argmax: Int32Array, shape: PoolShape, gradInput: Float32Array): void {
    const { outHeight, outWidth } = poolOutputSize(shape);
    const { batch, height, width, channels } = shape;
    const inImage = height * width * channels;
    const outImage = outHeight * outWidth * channels;
    requireLength("maxPoolBackward", "gradOutput", gradOutput, batch * outImage);
    requireLength("maxPoolBackward", "argmax", argmax, batch * outImage);
    requireLength("maxPoolBackward", "gradInput", gradInput, batch * inImage);
    this.withStaging((staging) => {
      const argmaxAddress = staging.input(argmax, batch * outImage);
      // An index outside its own image would write into another thread's images, or outside gradInput
      // into someone else's tensor: every index is checked before anything is written. Thrown inside,
      // so that a staged copy of gradInput is not written back either.
      const bad = this.exports.maxPoolCheckArgmax(argmaxAddress, batch, outImage, inImage);
      if (bad >= 0) {
        const image = Math.floor(bad / outImage);
        throw new RangeError(
          `maxPoolBackward: argmax[${bad}] = ${argmax[bad]} is outside image ${image}'s inputs [${image * inImage}, ${(image + 1) * inImage})`,
        );
      }
      const gradOutputAddress = staging.input(gradOutput, batch * outImage);
      const gradInputAddress = staging.output(gradInput, batch * inImage);
      const blocks = this.split(batch, batch * inImage * NANOSECONDS_PER_SCATTERED_INPUT);
      this.runParts("maxPoolBackward", blocks, ({ start, count }) => [
        gradOutputAddress, argmaxAddress, start, count, outImage, gradInputAddress, inImage,
      ]);
    });
  }

  convWeightGradSparse(
    cols: Float32Array, gradOutput: Float32Array, rows: number, patch: number, filters: number, gradWeights: Float32Array,
  ): void {
    requireLength("convWeightGradSparse", "cols", cols, rows * patch);
    requireLength("convWeightGradSparse", "gradOutput", gradOutput, rows * filters);
    requireLength("convWeightGradSparse", "gradWeights", gradWeights, patch * filters);
    this.withStaging((staging) => {
      const colsAddress = staging.input(cols, rows * patch);
      const gradAddress = staging.input(gradOutput, rows * filters);
      const weightsAddress = staging.output(gradWeights, patch * filters);
      // Each thread takes a band of filters (a multiple of 4), accumulating in its own scratch.
      const parts = rows * filters >= SPARSE_SPLIT_MIN ? this.threads : 1;
      const band = Math.ceil(filters / parts / 4) * 4;
      if (band * patch * 4 > this.exports.gemmScratchBytes()) {
        this.exports.convWeightGradSparse(colsAddress, gradAddress, rows, patch, filters, filters, weightsAddress, staging.scratch(patch * filters));
        return;
      }
      const jobs = [];
      for (let f0 = 0; f0 < filters; f0 += band) {
        jobs.push({
          operation: "convWeightGradSparse" as const,
          args: [colsAddress, gradAddress + f0 * 4, rows, patch, Math.min(band, filters - f0), filters, weightsAddress + f0 * 4],
        });
      }
      this.pool.run(jobs);
    });
  }

  convGradRouted(
    cols: Float32Array, values: Float32Array, argmax: Int32Array, batch: number, rows: number, patch: number, filters: number,
    gradWeights: Float32Array, gradBias: Float32Array | null,
  ): void {
    const count = argmax.length;
    if (!Number.isInteger(batch) || batch <= 0 || count % batch !== 0 || rows % batch !== 0) {
      throw new RangeError(`convGradRouted: ${count} routed values and ${rows} rows do not split into ${batch} images`);
    }
    requireLength("convGradRouted", "values", values, count);
    requireLength("convGradRouted", "cols", cols, rows * patch);
    requireLength("convGradRouted", "gradWeights", gradWeights, patch * filters);
    if (gradBias) requireLength("convGradRouted", "gradBias", gradBias, filters);
    const runFloats = patch + 1;
    if (count === 0) {
      gradWeights.fill(0, 0, patch * filters);
      gradBias?.fill(0, 0, filters);
      return;
    }
    this.withStaging((staging) => {
      const argmaxAddress = staging.input(argmax, count);
      const outImage = count / batch;
      const inImage = (rows * filters) / batch;
      const bad = this.exports.maxPoolCheckArgmax(argmaxAddress, batch, outImage, inImage);
      if (bad >= 0) {
        const image = Math.floor(bad / outImage);
        throw new RangeError(
          `convGradRouted: argmax[${bad}] = ${argmax[bad]} is outside image ${image}'s outputs [${image * inImage}, ${(image + 1) * inImage})`,
        );
      }
      const colsAddress = staging.input(cols, rows * patch);
      const valuesAddress = staging.input(values, count);
      // Each part sums its block of values into its own runs; the parts are then added in a fixed order.
      const parts = this.split(count, count * NANOSECONDS_PER_ROUTED_VALUE);
      const partials = staging.scratch(parts.length * filters * runFloats);
      this.runParts("convGradRouted", parts, ({ start, count: blockCount }, index) => [
        colsAddress, valuesAddress + start * 4, argmaxAddress + start * 4, blockCount, patch, filters,
        partials + index * filters * runFloats * 4,
      ]);
      const total = parts.length > 1 ? staging.scratch(filters * runFloats) : partials;
      if (parts.length > 1) this.exports.sumRows(partials, parts.length, filters * runFloats, total);
      // Runs are per filter ([patch weights, bias]); gradWeights is patch × filters.
      const sums = new Float32Array(this.heap.buffer, total, filters * runFloats);
      for (let f = 0; f < filters; f++) {
        for (let p = 0; p < patch; p++) gradWeights[p * filters + f] = sums[f * runFloats + p];
        if (gradBias) gradBias[f] = sums[f * runFloats + patch];
      }
    });
  }

  convInputGradSparse(
    gradOutput: Float32Array, weights: Float32Array, shape: ConvShape, filters: number, gradInput: Float32Array,
  ): void {
    const { outHeight, outWidth } = convOutputSize(shape);
    const patch = shape.kernelHeight * shape.kernelWidth * shape.channels;
    const outPixels = outHeight * outWidth;
    const imageFloats = shape.height * shape.width * shape.channels;
    const rows = shape.batch * outPixels;
    const inputLength = shape.batch * imageFloats;
    requireLength("convInputGradSparse", "gradOutput", gradOutput, rows * filters);
    requireLength("convInputGradSparse", "weights", weights, patch * filters);
    requireLength("convInputGradSparse", "gradInput", gradInput, inputLength);
    this.withStaging((staging) => {
      const gradAddress = staging.input(gradOutput, rows * filters);
      const weightsAddress = staging.input(weights, patch * filters);
      const inputAddress = staging.output(gradInput, inputLength);
      const args = (batch: number) => [
        batch, shape.height, shape.width, shape.channels, shape.kernelHeight, shape.kernelWidth, shape.stride, shape.pad,
        outHeight, outWidth, filters,
      ];
      if (patch * filters * 4 > this.exports.gemmScratchBytes()) {
        const [b, h, w, c, kh, kw, s, p, oh, ow, f] = args(shape.batch);
        this.exports.convInputGradSparse(gradAddress, weightsAddress, b, h, w, c, kh, kw, s, p, oh, ow, f, inputAddress, staging.scratch(patch * filters));
        return;
      }
      // Each thread takes a block of images (each transposes the weights into its own scratch).
      const parts = rows * filters >= SPARSE_SPLIT_MIN ? Math.min(this.threads, shape.batch) : 1;
      const block = Math.ceil(shape.batch / parts);
      const jobs = [];
      for (let b0 = 0; b0 < shape.batch; b0 += block) {
        const [b, h, w, c, kh, kw, s, p, oh, ow, f] = args(Math.min(block, shape.batch - b0));
        jobs.push({
          operation: "convInputGradSparse" as const,
          args: [gradAddress + b0 * outPixels * filters * 4, weightsAddress, b, h, w, c, kh, kw, s, p, oh, ow, f, inputAddress + b0 * imageFloats * 4],
        });
      }
      this.pool.run(jobs);
    });
  }

  adamStep(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, hyper: AdamHyper): void {
    const n = w.length;
    requireLength("adamStep", "g", g, n);
    requireLength("adamStep", "m", m, n);
    requireLength("adamStep", "v", v, n);
    const { beta1, beta2, stepSize, epsilonHat, coupled, shrink } = hyper;
    this.withStaging((staging) => {
      const wAddress = staging.inputOutput(w, n);
      const gAddress = staging.input(g, n);
      const mAddress = staging.inputOutput(m, n);
      const vAddress = staging.inputOutput(v, n);
      const ranges = this.split(n, n * NANOSECONDS_PER_ADAM_WEIGHT, CACHE_LINE_FLOATS);
      this.runParts("adamStep", ranges, ({ start, count }) => [
        wAddress + start * 4, gAddress + start * 4, mAddress + start * 4, vAddress + start * 4, count,
        beta1, 1 - beta1, beta2, 1 - beta2, stepSize, epsilonHat, coupled, shrink,
      ]);
    });
  }

  relu(x: Float32Array, out: Float32Array): void {
    requireLength("relu", "out", out, x.length);
    this.withStaging((staging) => {
      const inPlace = out === x;
      const xAddress = inPlace ? staging.inputOutput(x, x.length) : staging.input(x, x.length);
      const outAddress = inPlace ? xAddress : staging.output(out, x.length);
      const ranges = this.split(x.length, x.length * NANOSECONDS_PER_ELEMENT, CACHE_LINE_FLOATS);
      this.runParts("relu", ranges, ({ start, count }) => [
        xAddress + start * 4, outAddress + start * 4, count,
      ]);
    });
  }

  reluBackward(x: Float32Array, gradOut: Float32Array, gradIn: Float32Array): void {
    requireLength("reluBackward", "gradOut", gradOut, x.length);
    requireLength("reluBackward", "gradIn", gradIn, x.length);
    this.withStaging((staging) => {
      const xAddress = staging.input(x, x.length);
      const gradOutAddress = staging.input(gradOut, x.length);
      const gradInAddress = staging.output(gradIn, x.length);
      const ranges = this.split(x.length, x.length * NANOSECONDS_PER_ELEMENT, CACHE_LINE_FLOATS);
      this.runParts("reluBackward", ranges, ({ start, count }) => [
        xAddress + start * 4, gradOutAddress + start * 4, gradInAddress + start * 4, count,
      ]);
    });
  }

  addBias(x: Float32Array, rows: number, cols: number, bias: Float32Array): void {
    requireLength("addBias", "x", x, rows * cols);
    requireLength("addBias", "bias", bias, cols);
    this.withStaging((staging) => {
      const xAddress = staging.inputOutput(x, rows * cols);
      const biasAddress = staging.input(bias, cols);
      this.runParts("addBias", this.split(rows, rows * cols * NANOSECONDS_PER_ELEMENT), ({ start, count }) => [
        xAddress + start * cols * 4, count, cols, biasAddress,
      ]);
    });
  }

  sumRows(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
    requireLength("sumRows", "x", x, rows * cols);
    requireLength("sumRows", "out", out, cols);
    this.withStaging((staging) => {
      const xAddress = staging.input(x, rows * cols);
      const outAddress = staging.output(out, cols);
      const bands = this.split(rows, rows * cols * NANOSECONDS_PER_ELEMENT);
      if (bands.length <= 1) {
        this.exports.sumRows(xAddress, rows, cols, outAddress);
        return;
      }
      // Each band of rows sums into its own row of partials (per band, not per thread: which thread
      // takes which band varies from run to run), then the partials are summed in band order. So the
      // rounding is the same on every run with this many threads.
      const partials = staging.scratch(bands.length * cols);
      this.runParts("sumRows", bands, ({ start, count }, band) => [
        xAddress + start * cols * 4, count, cols, partials + band * cols * 4,
      ]);
      this.exports.sumRows(partials, bands.length, cols, outAddress);
    });
  }

  sumRowsOfProducts(x: Float32Array, y: Float32Array, rows: number, cols: number, out: Float32Array): void {
    requireLength("sumRowsOfProducts", "x", x, rows * cols);
    requireLength("sumRowsOfProducts", "y", y, rows * cols);
    requireLength("sumRowsOfProducts", "out", out, cols);
    this.withStaging((staging) => {
      const xAddress = staging.input(x, rows * cols);
      const yAddress = staging.input(y, rows * cols);
      const outAddress = staging.output(out, cols);
      const bands = this.split(rows, rows * cols * NANOSECONDS_PER_PRODUCT);
      if (bands.length <= 1) {
        this.exports.sumRowsOfProducts(xAddress, yAddress, rows, cols, outAddress);
        return;
      }
      // Per-band partials summed in band order, as in sumRows: the same bits on every run.
      const partials = staging.scratch(bands.length * cols);
      this.runParts("sumRowsOfProducts", bands, ({ start, count }, band) => [
        xAddress + start * cols * 4, yAddress + start * cols * 4, count, cols, partials + band * cols * 4,
      ]);
      this.exports.sumRows(partials, bands.length, cols, outAddress);
    });
  }

  combineColumns(
    a: Float32Array, wa: Float32Array, b: Float32Array | null, wb: Float32Array | null, shift: Float32Array,
    rows: number, cols: number, out: Float32Array,
  ): void {
    checkSecondTerm(b, wb);
    const n = rows * cols;
    requireLength("combineColumns", "a", a, n);
    requireLength("combineColumns", "wa", wa, cols);
    if (b) requireLength("combineColumns", "b", b, n);
    if (wb) requireLength("combineColumns", "wb", wb, cols);
    requireLength("combineColumns", "shift", shift, cols);
    requireLength("combineColumns", "out", out, n);
    this.withStaging((staging) => {
      const aAddress = staging.input(a, n);
      const waAddress = staging.input(wa, cols);
      const bAddress = b ? staging.input(b, n) : 0;
      const wbAddress = wb ? staging.input(wb, cols) : 0;
      const shiftAddress = staging.input(shift, cols);
      const outAddress = staging.output(out, n);
      const nanoseconds = n * (b ? 2 : 1) * NANOSECONDS_PER_COMBINED_INPUT;
      this.runParts("combineColumns", this.split(rows, nanoseconds), ({ start, count }) => {
        const offset = start * cols * 4;
        return [aAddress + offset, waAddress, b ? bAddress + offset : 0, wbAddress, shiftAddress, count, cols, outAddress + offset];
      });
    });
  }

  /** Bytes of the shared memory currently handed out (tensors plus scratch), for diagnostics. */
  get usedBytes(): number {
    return this.heap.usedBytes;
  }

  /**
   * [0, total) items cut into one part per thread, or fewer so that each part still holds
   * MIN_PART_NANOSECONDS of the call's estimated `nanoseconds`; inner edges on multiples of `align` items.
   */
  private split(total: number, nanoseconds: number, align = 1): Range[] {
    const parts = Math.min(this.threads, Math.floor(nanoseconds / MIN_PART_NANOSECONDS));
    return splitRange(total, Math.max(parts, 1), align);
  }

  /** One job per part; a single part runs on the calling thread without waking the workers. */
  private runParts(operation: Operation, parts: readonly Range[], args: (part: Range, index: number) => number[]): void {
    this.pool.run(parts.map((part, index) => ({ operation, args: args(part, index) })));
  }

  private withStaging(body: (staging: Staging) => void): void {
    const staging = new Staging(this.heap);
    let success = false;
    try {
      body(staging);
      success = true;
    } finally {
      staging.finish(success);
    }
  }
}

function convArgs(shape: ConvShape): [number, number, number, number, number, number, number, number] {
  return [shape.batch, shape.height, shape.width, shape.channels, shape.kernelHeight, shape.kernelWidth, shape.stride, shape.pad];
}

/** Unlike plain arrays, wasm memory has no bounds per tensor: a short array would read its neighbours. */
function requireLength(kernel: string, name: string, array: ArrayLike<number>, needed: number): void {
  if (array.length < needed) throw new RangeError(`${kernel}: ${name} has ${array.length} elements, needs ${needed}`);
}

function gemmJob(slice: GemmCall): ThreadJob {
  return {
    operation: "gemm",
    args: [
      +slice.transA, +slice.transB, slice.m, slice.n, slice.k, slice.alpha,
      slice.a, slice.lda, slice.b, slice.ldb, slice.beta, slice.c, slice.ldc,
    ],
  };
}
