/**
 * The WebAssembly SIMD kernels (assembly/, built to dist/wasm/kernels.wasm) behind the `Kernels`
 * interface. Each method checks its arguments (checks.ts), places its arrays in the shared memory
 * (staging.ts) and hands the export calls to the thread pool, cut into parts by the partition policy
 * (partition.ts; gemm-split.ts for GEMM). The loop nests and micro-kernels live in assembly/, their
 * reference twins in reference.ts, and each export's signature once, in exports.ts.
 *
 * How each kernel is split: GEMM by rows or columns, or along a long sum; convForward by blocks of
 * images; the sparse conv backward kernels by filter bands and by images; convGradRouted by blocks of
 * routed values whose per-block sums are added in a fixed order. The memory-bound kernels get one
 * contiguous part per thread when large enough: im2col and max pooling by whole images, the element-wise
 * kernels by ranges of elements or rows, so each gives the same floats on any number of threads;
 * sumRows and sumRowsOfProducts add per-part sums, in a fixed order. col2im stays on the calling thread.
 */
import { convOutputSize, poolOutputSize } from "./api";
import type { AdamHyper, ConvShape, KernelArgs, Kernels, PoolShape } from "./api";
import { checkRoutedBatch, checkSecondTerm, rejectStrayArgmax, requireLength } from "./checks";
import type { CONV_GEOMETRY, JobArgs, KernelExports, Numbers, Operation, ThreadJob } from "./exports";
import { SLICES_PER_THREAD, depthSlice, depthSliceCount, splitGemm, type GemmCall } from "./gemm-split";
import { SharedHeap } from "./heap";
import * as cost from "./partition";
import { sparseBlocks, splitWork, type Range } from "./partition";
import { Staging } from "./staging";
import { checkWinogradShape } from "./winograd-reference";
import { ThreadPool, checkThreadCount } from "./thread-pool";
import { runOperation } from "./thread-protocol";
import { MAXIMUM_PAGES, instantiate, type KernelModule } from "./wasm-module";

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
  private readonly module: WebAssembly.Module;
  /** Each thread's GEMM packing area; thread 0 is the caller. */
  private readonly scratch: number[];
  /** Started by the first call cut into several parts (see `run`). */
  private pool: ThreadPool | undefined;

  constructor({ module, fusedMultiplyAdd }: KernelModule, threads: number) {
    checkThreadCount(threads);
    const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
    this.exports = instantiate(module, memory);
    this.heap = new SharedHeap(memory, HEAP_BASE);
    // One GEMM packing area per thread, so concurrent slices never share scratch.
    this.scratch = Array.from({ length: threads }, () =>
      this.heap.allocBytes(this.exports.gemmScratchBytes()),
    );
    this.module = module;
    this.threads = threads;
    this.fusedMultiplyAdd = fusedMultiplyAdd;
  }

  alloc(length: number): Float32Array {
    return this.heap.allocFloats(length);
  }

  free(array: Float32Array): void {
    this.heap.freeFloats(array);
  }

  gemm(...[transA, transB, m, n, k, alpha, a, b, beta, c]: KernelArgs<"gemm">): void {
    requireLength("gemm", "a", a, m * k);
    requireLength("gemm", "b", b, k * n);
    requireLength("gemm", "c", c, m * n);
    this.withStaging((staging) => {
      const call: GemmCall = {
        transA,
        transB,
        m,
        n,
        k,
        alpha,
        beta,
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
        this.run(splitGemm(call, this.threads).map(gemmJob));
        return;
      }
      // Partial products side by side, [depthSlices, m·n]: their column sums are op(A)·op(B).
      const size = m * n;
      const partials = staging.scratch(depthSlices * size);
      const slices = Array.from({ length: depthSlices }, (_, i) =>
        depthSlice(call, i, depthSlices, partials + i * size * 4),
      );
      this.run(slices.map(gemmJob));
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
    const patchRows = shape.batch * outHeight * outWidth * shape.kernelHeight;
    const nanoseconds =
      patchRows * cost.NANOSECONDS_PER_PATCH_ROW + colsLength * cost.NANOSECONDS_PER_ELEMENT;
    this.withStaging((staging) => {
      const inputAddress = staging.input(input, inputLength);
      const colsAddress = staging.output(cols, colsLength);
      // A block of images reads only its own images and writes only its own rows of cols.
      this.runParts("im2col", this.split(shape.batch, nanoseconds), ({ start, count }) => [
        inputAddress + start * imageFloats * 4,
        ...convGeometry(shape, count, outHeight, outWidth),
        colsAddress + start * imageCols * 4,
      ]);
    });
  }

  convForward(...[input, shape, weights, filters, bias, cols, output]: KernelArgs<"convForward">): void {
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
    const nanoseconds = (2 * shape.batch * imageOutput * patch) / cost.GEMM_FLOPS_PER_NANOSECOND;
    this.withStaging((staging) => {
      const inputAddress = staging.input(input, shape.batch * imageFloats);
      const weightsAddress = staging.input(weights, patch * filters);
      const biasAddress = bias ? staging.input(bias, filters) : 0;
      const colsAddress = staging.output(cols, shape.batch * imageCols);
      const outputAddress = staging.output(output, shape.batch * imageOutput);
      // Each thread runs the whole pass on its own block of images.
      this.runParts("convForward", this.split(shape.batch, nanoseconds), ({ start, count }) => [
        inputAddress + start * imageFloats * 4,
        ...convGeometry(shape, count, outHeight, outWidth),
        filters,
        weightsAddress,
        biasAddress,
        colsAddress + start * imageCols * 4,
        outputAddress + start * imageOutput * 4,
      ]);
    });
  }

  winogradConvForward(
    ...[input, shape, weights, filters, bias, output]: KernelArgs<"winogradConvForward">
  ): void {
    checkWinogradShape("winogradConvForward", shape, filters);
    const { outHeight, outWidth } = convOutputSize(shape);
    const { batch, height, width, channels, pad } = shape;
    const imageFloats = height * width * channels;
    const imageOutput = outHeight * outWidth * filters;
    requireLength("winogradConvForward", "input", input, batch * imageFloats);
    requireLength("winogradConvForward", "weights", weights, 9 * channels * filters);
    if (bias) requireLength("winogradConvForward", "bias", bias, filters);
    requireLength("winogradConvForward", "output", output, batch * imageOutput);
    const tilesPerImage = ((outHeight + 1) >> 1) * ((outWidth + 1) >> 1);
    // 16 multiplications per tile, channel and filter; the GEMMs dominate.
    const nanoseconds =
      (2 * 16 * batch * tilesPerImage * channels * filters) / cost.GEMM_FLOPS_PER_NANOSECOND;
    this.withStaging((staging) => {
      const inputAddress = staging.input(input, batch * imageFloats);
      const weightsAddress = staging.input(weights, 9 * channels * filters);
      const biasAddress = bias ? staging.input(bias, filters) : 0;
      const outputAddress = staging.output(output, batch * imageOutput);
      // The filters are transformed once, on this thread (a few hundred thousand operations).
      const transformed = staging.scratch(this.exports.winogradFilterFloats(channels, filters));
      this.exports.winogradFilters(weightsAddress, channels, filters, transformed);
      const workspaceFloats = this.exports.winogradWorkspaceBytes(tilesPerImage, channels, filters) / 4;
      // Each thread runs all three steps on its own block of images, in its own workspace.
      this.runParts("winogradForward", this.split(batch, nanoseconds), ({ start, count }) => [
        inputAddress + start * imageFloats * 4,
        count,
        height,
        width,
        channels,
        pad,
        outHeight,
        outWidth,
        filters,
        transformed,
        biasAddress,
        staging.scratch(workspaceFloats),
        outputAddress + start * imageOutput * 4,
      ]);
    });
  }

  col2im(cols: Float32Array, shape: ConvShape, gradInput: Float32Array): void {
    const { outHeight, outWidth } = convOutputSize(shape);
    const inputLength = shape.batch * shape.height * shape.width * shape.channels;
    const colsLength =
      shape.batch * outHeight * outWidth * shape.kernelHeight * shape.kernelWidth * shape.channels;
    requireLength("col2im", "cols", cols, colsLength);
    requireLength("col2im", "gradInput", gradInput, inputLength);
    this.withStaging((staging) => {
      const colsAddress = staging.input(cols, colsLength);
      const gradInputAddress = staging.output(gradInput, inputLength);
      this.runParts("col2im", [{ start: 0, count: shape.batch }], ({ count }) => [
        colsAddress,
        ...convGeometry(shape, count, outHeight, outWidth),
        gradInputAddress,
      ]);
    });
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
      const blocks = this.split(batch, inputLength * cost.NANOSECONDS_PER_POOLED_INPUT);
      this.runParts("maxPool", blocks, ({ start, count }) => [
        inputAddress,
        start,
        count,
        height,
        width,
        channels,
        size,
        stride,
        outHeight,
        outWidth,
        outputAddress,
        argmaxAddress,
      ]);
    });
  }

  maxPoolBackward(...[gradOutput, argmax, shape, gradInput]: KernelArgs<"maxPoolBackward">): void {
    const { outHeight, outWidth } = poolOutputSize(shape);
    const { batch, height, width, channels } = shape;
    const inImage = height * width * channels;
    const outImage = outHeight * outWidth * channels;
    requireLength("maxPoolBackward", "gradOutput", gradOutput, batch * outImage);
    requireLength("maxPoolBackward", "argmax", argmax, batch * outImage);
    requireLength("maxPoolBackward", "gradInput", gradInput, batch * inImage);
    this.withStaging((staging) => {
      // Checked inside, so that a staged copy of gradInput is not written back either.
      const argmaxAddress = this.checkArgmax(
        "maxPoolBackward",
        "inputs",
        staging,
        argmax,
        batch,
        outImage,
        inImage,
      );
      const gradOutputAddress = staging.input(gradOutput, batch * outImage);
      const gradInputAddress = staging.output(gradInput, batch * inImage);
      const blocks = this.split(batch, batch * inImage * cost.NANOSECONDS_PER_SCATTERED_INPUT);
      this.runParts("maxPoolBackward", blocks, ({ start, count }) => [
        gradOutputAddress,
        argmaxAddress,
        start,
        count,
        outImage,
        gradInputAddress,
        inImage,
      ]);
    });
  }

  convWeightGradSparse(
    ...[cols, gradOutput, rows, patch, filters, gradWeights]: KernelArgs<"convWeightGradSparse">
  ): void {
    requireLength("convWeightGradSparse", "cols", cols, rows * patch);
    requireLength("convWeightGradSparse", "gradOutput", gradOutput, rows * filters);
    requireLength("convWeightGradSparse", "gradWeights", gradWeights, patch * filters);
    this.withStaging((staging) => {
      const colsAddress = staging.input(cols, rows * patch);
      const gradAddress = staging.input(gradOutput, rows * filters);
      const weightsAddress = staging.output(gradWeights, patch * filters);
      // Each thread takes a band of filters (a multiple of 4), accumulating in its own scratch.
      const bands = sparseBlocks(filters, rows * filters, this.threads, 4);
      if (bands[0].count * patch * 4 > this.exports.gemmScratchBytes()) {
        const scratch = staging.scratch(patch * filters);
        this.exports.convWeightGradSparse(
          colsAddress,
          gradAddress,
          rows,
          patch,
          filters,
          filters,
          weightsAddress,
          scratch,
        );
        return;
      }
      this.runParts("convWeightGradSparse", bands, ({ start, count }) => [
        colsAddress,
        gradAddress + start * 4,
        rows,
        patch,
        count,
        filters,
        weightsAddress + start * 4,
      ]);
    });
  }

  convGradRouted(...args: KernelArgs<"convGradRouted">): void {
    const [cols, values, argmax, batch, rows, patch, filters, gradWeights, gradBias] = args;
    const count = argmax.length;
    checkRoutedBatch(batch, count, rows);
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
      const outImage = count / batch;
      const argmaxAddress = this.checkArgmax(
        "convGradRouted",
        "outputs",
        staging,
        argmax,
        batch,
        outImage,
        (rows * filters) / batch,
      );
      const colsAddress = staging.input(cols, rows * patch);
      const valuesAddress = staging.input(values, count);
      // Each part sums its block of values into its own runs; the parts are then added in a fixed order.
      const parts = this.split(count, count * cost.NANOSECONDS_PER_ROUTED_VALUE);
      const partials = staging.scratch(parts.length * filters * runFloats);
      this.runParts("convGradRouted", parts, ({ start, count: blockCount }, index) => [
        colsAddress,
        valuesAddress + start * 4,
        argmaxAddress + start * 4,
        blockCount,
        patch,
        filters,
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
    ...[gradOutput, weights, shape, filters, gradInput]: KernelArgs<"convInputGradSparse">
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
      const job = ({ start, count }: Range): JobArgs<"convInputGradSparse"> => [
        gradAddress + start * outPixels * filters * 4,
        weightsAddress,
        ...convGeometry(shape, count, outHeight, outWidth),
        filters,
        inputAddress + start * imageFloats * 4,
      ];
      if (patch * filters * 4 > this.exports.gemmScratchBytes()) {
        this.exports.convInputGradSparse(
          ...job({ start: 0, count: shape.batch }),
          staging.scratch(patch * filters),
        );
        return;
      }
      // Each thread takes a block of images (each transposes the weights into its own scratch).
      this.runParts("convInputGradSparse", sparseBlocks(shape.batch, rows * filters, this.threads), job);
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
      const ranges = this.split(n, n * cost.NANOSECONDS_PER_ADAM_WEIGHT, cost.CACHE_LINE_FLOATS);
      this.runParts("adamStep", ranges, ({ start, count }) => [
        wAddress + start * 4,
        gAddress + start * 4,
        mAddress + start * 4,
        vAddress + start * 4,
        count,
        beta1,
        1 - beta1,
        beta2,
        1 - beta2,
        stepSize,
        epsilonHat,
        coupled,
        shrink,
      ]);
    });
  }

  relu(x: Float32Array, out: Float32Array): void {
    requireLength("relu", "out", out, x.length);
    this.withStaging((staging) => {
      const inPlace = out === x;
      const xAddress = inPlace ? staging.inputOutput(x, x.length) : staging.input(x, x.length);
      const outAddress = inPlace ? xAddress : staging.output(out, x.length);
      const ranges = this.split(x.length, x.length * cost.NANOSECONDS_PER_ELEMENT, cost.CACHE_LINE_FLOATS);
      this.runParts("relu", ranges, ({ start, count }) => [
        xAddress + start * 4,
        outAddress + start * 4,
        count,
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
      const ranges = this.split(x.length, x.length * cost.NANOSECONDS_PER_ELEMENT, cost.CACHE_LINE_FLOATS);
      this.runParts("reluBackward", ranges, ({ start, count }) => [
        xAddress + start * 4,
        gradOutAddress + start * 4,
        gradInAddress + start * 4,
        count,
      ]);
    });
  }

  addBias(x: Float32Array, rows: number, cols: number, bias: Float32Array): void {
    requireLength("addBias", "x", x, rows * cols);
    requireLength("addBias", "bias", bias, cols);
    this.withStaging((staging) => {
      const xAddress = staging.inputOutput(x, rows * cols);
      const biasAddress = staging.input(bias, cols);
      this.runParts(
        "addBias",
        this.split(rows, rows * cols * cost.NANOSECONDS_PER_ELEMENT),
        ({ start, count }) => [xAddress + start * cols * 4, count, cols, biasAddress],
      );
    });
  }

  sumRows(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
    this.sumRowsOf("sumRows", x, null, rows, cols, out, cost.NANOSECONDS_PER_ELEMENT);
  }

  sumRowsOfProducts(x: Float32Array, y: Float32Array, rows: number, cols: number, out: Float32Array): void {
    this.sumRowsOf("sumRowsOfProducts", x, y, rows, cols, out, cost.NANOSECONDS_PER_PRODUCT);
  }

  combineColumns(...[a, wa, b, wb, shift, rows, cols, out]: KernelArgs<"combineColumns">): void {
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
      const nanoseconds = n * (b ? 2 : 1) * cost.NANOSECONDS_PER_COMBINED_INPUT;
      this.runParts("combineColumns", this.split(rows, nanoseconds), ({ start, count }) => {
        const offset = start * cols * 4;
        return [
          aAddress + offset,
          waAddress,
          b ? bAddress + offset : 0,
          wbAddress,
          shiftAddress,
          count,
          cols,
          outAddress + offset,
        ];
      });
    });
  }

  /** Bytes of the shared memory currently handed out (tensors plus scratch), for diagnostics. */
  get usedBytes(): number {
    return this.heap.usedBytes;
  }

  /**
   * Column sums of x (y null) or of x·y, element by element. Each band of rows sums into its own row
   * of partials (per band, not per thread: which thread takes which band varies from run to run),
   * then the partials are summed in band order, so the rounding is the same on every run with this
   * many threads.
   */
  private sumRowsOf(
    kernel: "sumRows" | "sumRowsOfProducts",
    x: Float32Array,
    y: Float32Array | null,
    rows: number,
    cols: number,
    out: Float32Array,
    nanosecondsPerElement: number,
  ): void {
    requireLength(kernel, "x", x, rows * cols);
    if (y) requireLength(kernel, "y", y, rows * cols);
    requireLength(kernel, "out", out, cols);
    this.withStaging((staging) => {
      const xAddress = staging.input(x, rows * cols);
      const yAddress = y ? staging.input(y, rows * cols) : 0;
      const outAddress = staging.output(out, cols);
      const bands = this.split(rows, rows * cols * nanosecondsPerElement);
      if (bands.length <= 1) {
        if (y) this.exports.sumRowsOfProducts(xAddress, yAddress, rows, cols, outAddress);
        else this.exports.sumRows(xAddress, rows, cols, outAddress);
        return;
      }
      const partials = staging.scratch(bands.length * cols);
      this.run(
        bands.map(({ start, count }, band): ThreadJob => {
          const at = start * cols * 4;
          const target = partials + band * cols * 4;
          return y
            ? { operation: "sumRowsOfProducts", args: [xAddress + at, yAddress + at, count, cols, target] }
            : { operation: "sumRows", args: [xAddress + at, count, cols, target] };
        }),
      );
      this.exports.sumRows(partials, bands.length, cols, outAddress);
    });
  }

  /**
   * Checks every arg-max index against its own image's block before anything is written (an index
   * outside would write into another thread's images, or into someone else's tensor); returns the
   * staged address of `argmax`.
   */
  private checkArgmax(
    kernel: string,
    what: string,
    staging: Staging,
    argmax: Int32Array,
    batch: number,
    outImage: number,
    inImage: number,
  ): number {
    const address = staging.input(argmax, batch * outImage);
    const stray = this.exports.maxPoolCheckArgmax(address, batch, outImage, inImage);
    rejectStrayArgmax(kernel, what, argmax, stray, outImage, inImage);
    return address;
  }

  /** [0, total) cut into parts for this many threads by the partition policy. */
  private split(total: number, nanoseconds: number, align = 1): Range[] {
    return splitWork(this.threads, total, nanoseconds, align);
  }

  /**
   * Runs the jobs and returns when all are done. The worker threads start with the first call of
   * several jobs, not with the kernels: booting them costs 0.1–0.2 s, which a process that only makes
   * small calls (`npm run predict` on one image) never needs to pay. A single job runs on the calling
   * thread, as the pool would run it.
   */
  private run(jobs: readonly ThreadJob[]): void {
    if (this.pool === undefined && jobs.length <= 1) {
      for (const job of jobs) runOperation(this.exports, job, this.scratch[0]);
      return;
    }
    this.pool ??= new ThreadPool(
      this.exports,
      this.module,
      this.heap.memory,
      this.scratch,
      this.threads * SLICES_PER_THREAD,
    );
    this.pool.run(jobs);
  }

  /** One job per part; a single part runs on the calling thread without waking the workers. */
  private runParts<K extends Operation>(
    operation: K,
    parts: readonly Range[],
    args: (part: Range, index: number) => JobArgs<K>,
  ): void {
    this.run(parts.map((part, index) => ({ operation, args: args(part, index) }) as ThreadJob));
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

/** The geometry arguments shared by im2col, convForward, col2im and convInputGradSparse, for `batch` images. */
function convGeometry(
  shape: ConvShape,
  batch: number,
  outHeight: number,
  outWidth: number,
): Numbers<typeof CONV_GEOMETRY> {
  const { height, width, channels, kernelHeight, kernelWidth, stride, pad } = shape;
  return [batch, height, width, channels, kernelHeight, kernelWidth, stride, pad, outHeight, outWidth];
}

function gemmJob(slice: GemmCall): ThreadJob {
  const { transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc } = slice;
  return { operation: "gemm", args: [+transA, +transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc] };
}
