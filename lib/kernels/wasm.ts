/**
 * The WebAssembly SIMD kernels (assembly/, built to dist/wasm/kernels.wasm) behind the `Kernels`
 * interface: argument checks, placing arrays in the shared memory, and splitting GEMM over threads.
 * The element-wise, conv and pool kernels are memory-bound and run on the calling thread; the sparse
 * conv backward kernels are split over threads (by filter bands and by images) like GEMM.
 */
import { convOutputSize, poolOutputSize, type AdamHyper, type ConvShape, type Kernels, type PoolShape } from "./api";
import { SLICES_PER_THREAD, splitGemm, type GemmCall } from "./gemm-split";
import { SharedHeap } from "./heap";
import { Staging } from "./staging";
import { ThreadPool } from "./thread-pool";
import { MAXIMUM_PAGES, instantiate, type KernelExports, type KernelModule } from "./wasm-module";

/** Below this many dY entries the sparse conv kernels stay on the calling thread. */
const SPARSE_SPLIT_MIN = 1 << 16;
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
      this.pool.run(
        splitGemm(call, this.threads).map((slice) => ({
          operation: "gemm" as const,
          args: [
            +slice.transA, +slice.transB, slice.m, slice.n, slice.k, slice.alpha,
            slice.a, slice.lda, slice.b, slice.ldb, slice.beta, slice.c, slice.ldc,
          ],
        })),
      );
    });
  }

  im2col(input: Float32Array, shape: ConvShape, cols: Float32Array): void {
    const { outHeight, outWidth } = convOutputSize(shape);
    const inputLength = shape.batch * shape.height * shape.width * shape.channels;
    const colsLength = shape.batch * outHeight * outWidth * shape.kernelHeight * shape.kernelWidth * shape.channels;
    requireLength("im2col", "input", input, inputLength);
    requireLength("im2col", "cols", cols, colsLength);
    this.withStaging((staging) =>
      this.exports.im2col(
        staging.input(input, inputLength), ...convArgs(shape), outHeight, outWidth, staging.output(cols, colsLength),
      ),
    );
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
    this.withStaging((staging) =>
      this.exports.maxPool(
        staging.input(input, inputLength), batch, height, width, channels, size, stride, outHeight, outWidth,
        staging.output(output, outputLength), staging.output(argmax, outputLength),
      ),
    );
  }

  maxPoolBackward(gradOutput: Float32Array, argmax: Int32Array, gradInput: Float32Array): void {
    requireLength("maxPoolBackward", "gradOutput", gradOutput, argmax.length);
    // An out-of-range index would write outside gradInput, into someone else's tensor: the kernel
    // checks every index first and writes nothing if one is out of range.
    this.withStaging((staging) => {
      const bad = this.exports.maxPoolBackward(
        staging.input(gradOutput, argmax.length), staging.input(argmax, argmax.length), argmax.length,
        staging.output(gradInput, gradInput.length), gradInput.length,
      );
      // Thrown inside, so that a staged copy of gradInput is not written back either.
      if (bad >= 0) {
        throw new RangeError(`maxPoolBackward: argmax[${bad}] = ${argmax[bad]} is outside gradInput (length ${gradInput.length})`);
      }
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
    this.withStaging((staging) =>
      this.exports.adamStep(
        staging.inputOutput(w, n), staging.input(g, n), staging.inputOutput(m, n), staging.inputOutput(v, n), n,
        beta1, 1 - beta1, beta2, 1 - beta2, stepSize, epsilonHat, coupled, shrink,
      ),
    );
  }

  relu(x: Float32Array, out: Float32Array): void {
    requireLength("relu", "out", out, x.length);
    this.withStaging((staging) => {
      const inPlace = out === x;
      const xAddress = inPlace ? staging.inputOutput(x, x.length) : staging.input(x, x.length);
      const outAddress = inPlace ? xAddress : staging.output(out, x.length);
      this.exports.relu(xAddress, outAddress, x.length);
    });
  }

  reluBackward(x: Float32Array, gradOut: Float32Array, gradIn: Float32Array): void {
    requireLength("reluBackward", "gradOut", gradOut, x.length);
    requireLength("reluBackward", "gradIn", gradIn, x.length);
    this.withStaging((staging) =>
      this.exports.reluBackward(
        staging.input(x, x.length), staging.input(gradOut, x.length), staging.output(gradIn, x.length), x.length,
      ),
    );
  }

  addBias(x: Float32Array, rows: number, cols: number, bias: Float32Array): void {
    requireLength("addBias", "x", x, rows * cols);
    requireLength("addBias", "bias", bias, cols);
    this.withStaging((staging) =>
      this.exports.addBias(staging.inputOutput(x, rows * cols), rows, cols, staging.input(bias, cols)),
    );
  }

  sumRows(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
    requireLength("sumRows", "x", x, rows * cols);
    requireLength("sumRows", "out", out, cols);
    this.withStaging((staging) =>
      this.exports.sumRows(staging.input(x, rows * cols), rows, cols, staging.output(out, cols)),
    );
  }

  /** Bytes of the shared memory currently handed out (tensors plus scratch), for diagnostics. */
  get usedBytes(): number {
    return this.heap.usedBytes;
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
