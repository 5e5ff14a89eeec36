/**
 * A kernel worker: instantiates the kernels module on the shared memory and then, forever, waits for
 * the next epoch, runs queued jobs while there are any, and reports completion. See thread-protocol.ts.
 */
import { workerData } from "worker_threads";
import {
  Counter,
  RECHECK_MS,
  markDead,
  reportFailure,
  runQueuedJobs,
  type ThreadChannels,
} from "./thread-protocol";
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
const { counters, served } = channels;

// A worker that stops (process.exit, an exception outside a job) tells the caller at once, which may be
// blocked waiting for it and cannot receive the Worker's 'exit' event until it returns. A worker killed
// from outside (terminate, out of memory) runs no code: the pool's exit listener reports it instead.
process.on("exit", (code) => {
  reportFailure(channels, thread, `stopped with exit code ${code}`);
  markDead(channels, thread);
});

const kernels = instantiate(kernelModule, memory);

let seenEpoch = Atomics.load(counters, Counter.Epoch);
Atomics.store(served, thread - 1, seenEpoch);
Atomics.add(counters, Counter.Ready, 1);
Atomics.notify(counters, Counter.Ready);
for (;;) {
  const epoch = Atomics.load(counters, Counter.Epoch);
  // Serve each epoch exactly once, however the wait below returned (notify, timeout or otherwise).
  if (epoch === seenEpoch) {
    Atomics.wait(counters, Counter.Epoch, seenEpoch, RECHECK_MS);
    continue;
  }
  seenEpoch = epoch;
  try {
    runQueuedJobs(kernels, channels, scratch);
  } catch (error) {
    // The caller is blocked in Atomics.wait and cannot see exceptions here: hand it over, keep serving.
    reportFailure(channels, thread, error);
  }
  Atomics.store(served, thread - 1, epoch);
  if (Atomics.sub(counters, Counter.Pending, 1) === 1) Atomics.notify(counters, Counter.Pending);
}
