/**
 * Two kernels that tfjs-wasm 4.22 makes copy far more than they need to; no compute of ours in them:
 *  - Identity: tfjs-wasm copies the whole tensor; here the output shares the input's data (counted
 *    once more, as its own Reshape and the cpu backend's Identity do), which is safe because tfjs
 *    tensor data never changes under a dataId. Training calls it three times per conv layer and step.
 *  - Slice: tfjs-wasm first copies the whole input out of its heap (`readSync`), then the slice; for
 *    `model.predict` on 2,048 images that was half the time (64 batches of 32, each copying all 2,048).
 *    Here a slice that is one contiguous range is copied straight from the heap; others go to the wasm
 *    backend's own kernel.
 */
import { slice_util, util, type TensorInfo } from "@tensorflow/tfjs";
import type { KernelFn } from "./context";
import { UnsupportedKernelInput, required } from "./refuse";
import { asWasmBackend } from "./wasm-tensors";

interface SharingBackend {
  incRef(dataId: object): void;
}

export const identity: KernelFn = (context, kernel, call) => {
  const x = required<TensorInfo>(kernel, "input", call.inputs, "x");
  const backend = call.backend as Partial<SharingBackend> | null;
  if (x.dtype === "string" || typeof backend?.incRef !== "function") {
    const why = new UnsupportedKernelInput(
      kernel,
      "dtype",
      x.dtype,
      "a numeric tensor on tfjs-backend-wasm 4.x",
    );
    return context.delegate(kernel, call, why);
  }
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
};

export const slice: KernelFn = (context, kernel, call) => {
  const x = required<TensorInfo>(kernel, "input", call.inputs, "x");
  const begin = required<number | number[]>(kernel, "attribute", call.attrs, "begin");
  const size = required<number | number[]>(kernel, "attribute", call.attrs, "size");
  const [start, length] = slice_util.parseSliceParams(x as never, begin, size);
  if (x.dtype === "string" || !slice_util.isSliceContinous(x.shape, start, length)) {
    const why = new UnsupportedKernelInput(kernel, "begin, size", [begin, size], "one contiguous range");
    return context.delegate(kernel, call, why);
  }
  const backend = asWasmBackend(kernel, call.backend);
  const out = backend.makeOutput(length, x.dtype as "float32");
  // Views taken after makeOutput, which can grow (and so detach) the heap.
  const offset = slice_util.computeFlatOffset(start, util.computeStrides(x.shape));
  const count = util.sizeFromShape(length);
  backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x).subarray(offset, offset + count));
  return out;
};
