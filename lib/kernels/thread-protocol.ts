/**
 * How the calling thread and the kernel workers hand work to each other, without messages:
 * a small Int32Array of counters and a Float64Array of per-thread argument slots, both on
 * SharedArrayBuffers. The caller fills the slots, bumps EPOCH and notifies; every worker runs its
 * slot (possibly empty) and decrements PENDING; the last one notifies the caller.
 */
import type { KernelExports } from "./wasm-module";

export const EPOCH = 0;
export const PENDING = 1;
export const FAILED = 2;
export const READY = 3;
export const COUNTERS = 4;

/** Functions a slot can name; index 0 means "nothing for this thread this time". */
export const OPERATIONS = ["idle", "gemm"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Floats per slot: the operation code and up to 15 arguments. */
export const SLOT = 16;

export interface ThreadChannels {
  counters: Int32Array;
  slots: Float64Array;
}

export function createChannels(threads: number): ThreadChannels {
  return {
    counters: new Int32Array(new SharedArrayBuffer(COUNTERS * 4)),
    slots: new Float64Array(new SharedArrayBuffer(threads * SLOT * 8)),
  };
}

export function writeSlot(slots: Float64Array, thread: number, operation: Operation, args: readonly number[]): void {
  if (args.length >= SLOT) throw new RangeError(`thread slot: ${args.length} arguments do not fit`);
  const base = thread * SLOT;
  slots[base] = OPERATIONS.indexOf(operation);
  for (let i = 0; i < args.length; i++) slots[base + 1 + i] = args[i];
}

/** Runs the slot of `thread`, on whichever thread calls it. */
export function runSlot(kernels: KernelExports, slots: Float64Array, thread: number): void {
  const base = thread * SLOT;
  const operation = OPERATIONS[slots[base]];
  if (operation === "idle") return;
  const fn = kernels[operation] as (...args: number[]) => void;
  fn(...Array.from(slots.subarray(base + 1, base + SLOT)));
}
