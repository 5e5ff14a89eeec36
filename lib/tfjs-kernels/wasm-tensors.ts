/**
 * Reading and writing the tfjs wasm backend's tensors in place: a tensor's floats are a view on that
 * backend's WebAssembly heap (`typedArrayFromHeap`), which our kernels copy into their own memory once
 * (one memcpy per input, no JavaScript arrays in between). Outputs are allocated with `makeOutput`
 * before any view is taken: allocating can grow the backend's heap, which detaches the views taken before.
 */
import type { TensorInfo } from "@tensorflow/tfjs";
import type { Kernels } from "../kernels";
import { UnsupportedKernelInput } from "./refuse";

/** The parts of tfjs-backend-wasm's `BackendWasm` (4.x) these kernels use. */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Checks that `backend` has the methods used here, naming the kernel when it does not. */
export function asWasmBackend(kernel: string, backend: unknown): WasmBackendLike {
  const candidate = backend as Partial<WasmBackendLike> | null;
  if (
    !candidate ||
    typeof candidate.makeOutput !== "function" ||
    typeof candidate.typedArrayFromHeap !== "function"
  ) {
    throw new UnsupportedKernelInput(
      kernel,
      "backend",
      candidate?.constructor?.name ?? candidate,
      "tfjs-backend-wasm 4.x (makeOutput, typedArrayFromHeap)",
    );
  }
  return candidate as WasmBackendLike;
}

/** A float32 tensor's values, as a view on the backend's heap (valid until the next allocation there). */
export function floats(
  kernel: string,
  name: string,
  backend: WasmBackendLike,
  tensor: TensorInfo,
): Float32Array {
  if (tensor.dtype !== "float32")
    throw new UnsupportedKernelInput(kernel, `dtype of ${name}`, tensor.dtype, "'float32'");
  return backend.typedArrayFromHeap(tensor) as Float32Array;
}

/** Above this, one call's working set would not fit the kernels' 2 GiB memory beside their other blocks. */
export const MAX_BLOCK_BYTES = 512 * 1024 * 1024;

/** Why a call needing `bytes` of our memory goes to the wasm backend's own kernel; null when it fits. */
export function overBlockLimit(
  kernel: string,
  name: string,
  shape: readonly number[],
  bytes: number,
): UnsupportedKernelInput | null {
  if (bytes <= MAX_BLOCK_BYTES) return null;
  return new UnsupportedKernelInput(kernel, name, shape, `within ${MAX_BLOCK_BYTES / 2 ** 20} MiB`);
}
/** Large calls are cut into blocks of images whose patch matrix stays around this size. */
export const TARGET_BLOCK_BYTES = 32 * 1024 * 1024;

/**
 * Images per block so that `bytesPerImage` times the block stays near TARGET_BLOCK_BYTES; one image over
 * MAX_BLOCK_BYTES is refused (naming the kernel and the shape) instead of failing inside the kernels.
 */
export function imagesPerBlock(kernel: string, batch: number, bytesPerImage: number, what: string): number {
  if (bytesPerImage > MAX_BLOCK_BYTES) {
    throw new UnsupportedKernelInput(
      kernel,
      "input shape",
      what,
      `a single image whose working set fits in ${MAX_BLOCK_BYTES / 2 ** 20} MiB (needs ${(bytesPerImage / 2 ** 20).toFixed(0)} MiB)`,
    );
  }
  return Math.max(1, Math.min(batch, Math.floor(TARGET_BLOCK_BYTES / Math.max(bytesPerImage, 1))));
}

/**
 * Reusable arrays in the kernels' own memory, one per role, grown when a call needs more: no staging
 * copy and no zero-filling per call. Calls are synchronous, so one array per role is never shared.
 */
export class Scratch {
  private readonly arrays = new Map<string, Float32Array>();

  constructor(readonly kernels: Kernels) {}

  /** A view of `length` floats for `role`; contents are whatever the last call left there. */
  get(role: string, length: number): Float32Array {
    let array = this.arrays.get(role);
    if (!array || array.length < length) {
      if (array) this.kernels.free(array);
      array = this.kernels.alloc(Math.max(length, Math.ceil((array?.length ?? 0) * 1.25)));
      this.arrays.set(role, array);
    }
    return array.subarray(0, length);
  }

  /** Hands every array back to the kernels. */
  release(): void {
    for (const array of this.arrays.values()) this.kernels.free(array);
    this.arrays.clear();
  }
}
