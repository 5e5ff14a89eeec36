/**
 * Workers sharing one WebAssembly.Memory, driven synchronously: `run` returns only when every
 * thread's slot has finished. The calling thread takes slot 0 itself, so `threads` counts it.
 */
import * as path from "path";
import { Worker } from "worker_threads";
import { EPOCH, FAILED, PENDING, READY, createChannels, runSlot, writeSlot, type Operation, type ThreadChannels } from "./thread-protocol";
import type { KernelExports } from "./wasm-module";

/** How long getKernels may block while the workers boot before giving up on them. */
const STARTUP_TIMEOUT_MS = 20000;

export interface ThreadJob {
  operation: Operation;
  args: readonly number[];
}

export class ThreadPool {
  readonly threads: number;
  private readonly channels: ThreadChannels;
  private readonly workers: Worker[] = [];

  constructor(
    private readonly exports: KernelExports,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    threads: number,
  ) {
    this.threads = threads;
    this.channels = createChannels(threads);
    const { counters, slots } = this.channels;
    for (let thread = 1; thread < threads; thread++) {
      const worker = new Worker(path.join(__dirname, "worker.js"), {
        workerData: { kernelModule: module, memory, counters, slots, thread },
      });
      // Idle workers must not keep the process alive once the user's program is done.
      worker.unref();
      this.workers.push(worker);
    }
    this.waitForWorkers();
  }

  /** Runs jobs[i] on thread i (jobs[0] on the caller) and returns when all are done. */
  run(jobs: readonly ThreadJob[]): void {
    if (jobs.length > this.threads) throw new RangeError(`thread pool: ${jobs.length} jobs for ${this.threads} threads`);
    const { counters, slots } = this.channels;
    for (let thread = 0; thread < this.threads; thread++) {
      const job = jobs[thread];
      writeSlot(slots, thread, job ? job.operation : "idle", job ? job.args : []);
    }
    if (this.workers.length > 0) {
      Atomics.store(counters, PENDING, this.workers.length);
      Atomics.add(counters, EPOCH, 1);
      Atomics.notify(counters, EPOCH);
    }
    try {
      runSlot(this.exports, slots, 0);
    } finally {
      // Even if our share threw, the workers are still writing into shared memory: wait for them.
      for (let pending = Atomics.load(counters, PENDING); pending !== 0; pending = Atomics.load(counters, PENDING)) {
        Atomics.wait(counters, PENDING, pending);
      }
    }
    if (Atomics.exchange(counters, FAILED, 0) !== 0) throw new Error("a kernel worker failed (see its error above)");
  }

  private waitForWorkers(): void {
    const { counters } = this.channels;
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (let ready = Atomics.load(counters, READY); ready < this.workers.length; ready = Atomics.load(counters, READY)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        for (const worker of this.workers) void worker.terminate();
        throw new Error(`kernel workers did not start within ${STARTUP_TIMEOUT_MS} ms`);
      }
      Atomics.wait(counters, READY, ready, left);
    }
  }
}
