/**
 * The arg-max of each max-pool computed while a gradient is being recorded, kept until its MaxPoolGrad
 * asks for it: tfjs hands MaxPoolGrad the forward pass's input and output tensors, so the pool need not
 * be recomputed. An entry is found only for the very same tensors (tfjs tensor data never changes
 * under a dataId) and the same geometry; anything else is a miss, and the gradient recomputes the
 * arg-max, giving the same numbers. Entries live in our kernels' memory: each is freed when its
 * gradient has used it, and the oldest beyond `capacity` (pools recorded but never differentiated).
 */
import type { Kernels } from "../kernels";

interface Entry {
  output: object;
  input: object;
  geometry: string;
  storage: Float32Array;
}

export class ArgmaxCache {
  private entries: Entry[] = [];
  /** Gradients that found their forward pass's arg-max, and those that recomputed it. */
  readonly stats = { reused: 0, recomputed: 0 };

  constructor(
    private readonly kernels: Kernels,
    readonly capacity = 8,
  ) {}

  /**
   * Room for the arg-max of the pool from `input` to `output` (tfjs dataIds) with `geometry` (any string
   * naming the pool's shape, window, stride and padding), remembered for `take`.
   */
  store(output: object, input: object, geometry: string, length: number): Int32Array {
    const storage = this.kernels.alloc(length);
    this.entries.push({ output, input, geometry, storage });
    while (this.entries.length > this.capacity) this.kernels.free(this.entries.shift()!.storage);
    return asInt32(storage);
  }

  /**
   * Runs `use` on the remembered arg-max of that pool and frees it; returns false (running nothing)
   * when there is none.
   */
  take(output: object, input: object, geometry: string, use: (argmax: Int32Array) => void): boolean {
    const index = this.entries.findIndex(
      (e) => e.output === output && e.input === input && e.geometry === geometry,
    );
    if (index < 0) {
      this.stats.recomputed++;
      return false;
    }
    const [entry] = this.entries.splice(index, 1);
    try {
      use(asInt32(entry.storage));
    } finally {
      this.kernels.free(entry.storage);
    }
    this.stats.reused++;
    return true;
  }

  /** Frees every entry. */
  clear(): void {
    for (const entry of this.entries) this.kernels.free(entry.storage);
    this.entries = [];
  }
}

/** An Int32Array over a Float32Array's bytes in the kernels' memory (no staging copy). */
export function asInt32(floats: Float32Array): Int32Array {
  return new Int32Array(floats.buffer, floats.byteOffset, floats.length);
}
