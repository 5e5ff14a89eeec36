/**
 * A kernel worker: instantiates the kernels module on the shared memory and then, forever, waits for
 * the next epoch, runs queued jobs while there are any, and reports completion. See thread-protocol.ts.
 */
import { workerData } from "worker_threads";
import { EPOCH, PENDING, READY, RECHECK_MS, reportFailure, runQueuedJobs, type ThreadChannels } from "./thread-protocol";
import { instantiate } from "./wasm-module";

interface KernelWorkerData {
  kernelModule: WebAssembly.Module;
  memory: WebAssembly.Memory;
  channels: ThreadChannels;
  thread: number;
  /** This thread's own scratch area in the shared memory. */
  scratch: number;
}

// Not `module`: that name is taken in a CommonJS file's scope.
const { kernelModule, memory, channels, thread, scratch } = workerData as KernelWorkerData;
const { counters } = channels;
const kernels = instantiate(kernelModule, memory);

let seenEpoch = Atomics.load(counters, EPOCH);
Atomics.add(counters, READY, 1);
Atomics.notify(counters, READY);
for (;;) {
  const epoch = Atomics.load(counters, EPOCH);
  // Serve each epoch exactly once, however the wait below returned (notify, timeout or otherwise).
  if (epoch === seenEpoch) {
    Atomics.wait(counters, EPOCH, seenEpoch, RECHECK_MS);
    continue;
  }
  seenEpoch = epoch;
  try {
    runQueuedJobs(kernels, channels, scratch);
  } catch (error) {
    // The caller is blocked in Atomics.wait and cannot see exceptions here: hand it over, keep serving.
    reportFailure(channels, thread, error);
  }
  if (Atomics.sub(counters, PENDING, 1) === 1) Atomics.notify(counters, PENDING);
}
