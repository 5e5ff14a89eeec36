/**
 * A kernel worker: instantiates the kernels module on the shared memory and then, forever, waits for
 * the next epoch, runs its slot and reports completion. See thread-protocol.ts.
 */
import { workerData } from "worker_threads";
import { EPOCH, FAILED, PENDING, READY, runSlot } from "./thread-protocol";
import { instantiate } from "./wasm-module";

interface KernelWorkerData {
  kernelModule: WebAssembly.Module;
  memory: WebAssembly.Memory;
  counters: Int32Array;
  slots: Float64Array;
  thread: number;
}

// Not `module`: that name is taken in a CommonJS file's scope.
const { kernelModule, memory, counters, slots, thread } = workerData as KernelWorkerData;
const kernels = instantiate(kernelModule, memory);

let seenEpoch = Atomics.load(counters, EPOCH);
Atomics.add(counters, READY, 1);
Atomics.notify(counters, READY);
for (;;) {
  Atomics.wait(counters, EPOCH, seenEpoch);
  seenEpoch = Atomics.load(counters, EPOCH);
  try {
    runSlot(kernels, slots, thread);
  } catch (error) {
    // The caller is blocked in Atomics.wait and cannot see exceptions here: flag it, keep serving.
    Atomics.store(counters, FAILED, 1);
    console.error(`kernel worker ${thread}:`, error);
  }
  if (Atomics.sub(counters, PENDING, 1) === 1) Atomics.notify(counters, PENDING);
}
