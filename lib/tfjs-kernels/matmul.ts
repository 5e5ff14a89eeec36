/**
 * BatchMatMul and _FusedMatMul (bias and ReLU fused) for tfjs's wasm backend on our threaded GEMM.
 * Inputs are [..., rows, cols] (tfjs's matMul passes rank 2, its fused and batched forms rank 3); a
 * single matrix on one side is broadcast against a batch on the other.
 * Products too small to gain from threads (below MIN_MULTIPLY_ADDS) stay with tfjs-wasm's own kernel,
 * as do other activations, a bias that is not one value per output column, and other broadcasts.
 */
import { backend_util, type TensorInfo } from "@tensorflow/tfjs";
import { type KernelFn, ourFusion } from "./context";
import { UnsupportedKernelInput, required } from "./refuse";
import { MAX_BLOCK_BYTES, asWasmBackend, floats } from "./wasm-tensors";

/**
 * Below this many multiply-adds, an untransposed product stays with tfjs-wasm, which is as fast there
 * (64×128 · 128×10: 0.017 ms against our 0.025 ms, measured on a 2-core VM). Transposed products are
 * always ours: tfjs-wasm 4.22 transposes them slowly (784×128ᵀ · 128×512: 90–145 ms against our 2.3 ms).
 */
export const MIN_MULTIPLY_ADDS = 1 << 18;

export const multiply: KernelFn<[fused: boolean]> = (context, kernel, call, fused) => {
  const { inputs, attrs } = call;
  const a = required<TensorInfo>(kernel, "input", inputs, "a");
  const b = required<TensorInfo>(kernel, "input", inputs, "b");
  const transposeA = required<boolean>(kernel, "attribute", attrs, "transposeA");
  const transposeB = required<boolean>(kernel, "attribute", attrs, "transposeB");
  if (a.shape.length < 2)
    throw new UnsupportedKernelInput(kernel, "shape of a", a.shape, "rank 2 or more [..., rows, cols]");
  if (b.shape.length < 2)
    throw new UnsupportedKernelInput(kernel, "shape of b", b.shape, "rank 2 or more [..., rows, cols]");
  const [rowsA, colsA] = a.shape.slice(-2);
  const [rowsB, colsB] = b.shape.slice(-2);
  const [m, kA] = transposeA ? [colsA, rowsA] : [rowsA, colsA];
  const [kB, n] = transposeB ? [colsB, rowsB] : [rowsB, colsB];
  if (kA !== kB) {
    throw new UnsupportedKernelInput(
      kernel,
      "inner dimensions",
      [kA, kB],
      `equal sizes (a ${JSON.stringify(a.shape)}, b ${JSON.stringify(b.shape)})`,
    );
  }
  const outer = backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const [batchA, batchB, batch] = [a.shape.slice(0, -2), b.shape.slice(0, -2), outer].map(product);
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) {
    return context.delegate(
      kernel,
      call,
      new UnsupportedKernelInput(
        kernel,
        "batch shapes",
        [a.shape, b.shape],
        "equal, or one side a single matrix",
      ),
    );
  }
  const fusion = ourFusion(kernel, call, fused);
  if (fusion instanceof UnsupportedKernelInput) return context.delegate(kernel, call, fusion);
  const { activation, bias } = fusion;
  if (bias && !(product(bias.shape) === n && bias.shape[bias.shape.length - 1] === n)) {
    return context.delegate(
      kernel,
      call,
      new UnsupportedKernelInput(kernel, "bias shape", bias.shape, `[${n}]`),
    );
  }
  if (m * n * kA < MIN_MULTIPLY_ADDS && !transposeA && !transposeB && context.originals.has(kernel)) {
    return context.delegate(kernel, call, new UnsupportedKernelInput(kernel, "size", [m, n, kA], "large"));
  }
  const k = kA;
  const bytes = 4 * (m * k + k * n + m * n);
  if (bytes > MAX_BLOCK_BYTES) {
    const what = `a ${m}×${k} · ${k}×${n} product (${(bytes / 2 ** 20).toFixed(0)} MiB)`;
    const limit = `products within ${MAX_BLOCK_BYTES / 2 ** 20} MiB of our kernels' memory`;
    return context.delegate(kernel, call, new UnsupportedKernelInput(kernel, "size", what, limit));
  }
  const backend = asWasmBackend(kernel, call.backend);
  const out = backend.makeOutput([...outer, m, n], "float32");
  const outView = floats(kernel, "output", backend, out);
  const aView = floats(kernel, "a", backend, a);
  const bView = floats(kernel, "b", backend, b);
  const biasValues = bias ? context.copyIn("bias", floats(kernel, "bias", backend, bias), 0, n) : null;
  const { kernels } = context;
  for (let i = 0; i < batch; i++) {
    const left = context.copyIn("a", aView, (batchA === 1 ? 0 : i) * m * k, m * k);
    const right =
      i === 0 || batchB > 1 ? context.copyIn("b", bView, i * k * n, k * n) : context.scratch.get("b", k * n);
    const product = context.scratch.get("product", m * n);
    kernels.gemm(transposeA, transposeB, m, n, k, 1, left, right, 0, product);
    if (biasValues) kernels.addBias(product, m, n, biasValues);
    if (activation === "relu") kernels.relu(product, product);
    outView.set(product, i * m * n);
  }
  return out;
};

function product(shape: readonly number[]): number {
  return shape.reduce((p, size) => p * size, 1);
}
