/**
 * Workers sharing one WebAssembly.Memory, driven synchronously: `run` returns only when every job
 * has finished. The calling thread works through the queue too, so `threads` counts it.
 */
import * as path from "path";
import { Worker } from "worker_threads";
import {
  EPOCH, PENDING, READY, RECHECK_MS, createChannels, postJobs, runOperation, runQueuedJobs, takeFailure,
  type ThreadChannels, type ThreadJob,
} from "./thread-protocol";
import type { KernelExports } from "./wasm-module";

/** How long getKernels may block while the workers boot before giving up on them. */
const STARTUP_TIMEOUT_MS = 20000;

export type { ThreadJob };

export class ThreadPool {
  readonly threads: number;
  private readonly channels: ThreadChannels;
  private readonly workers: Worker[] = [];

  /**
   * `scratch[t]` is thread t's private scratch address, passed as the last argument of every job
   * it runs (thread 0 is the caller). `maxJobs` bounds the jobs of one `run`.
   */
  constructor(
    private readonly exports: KernelExports,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    private readonly scratch: readonly number[],
    maxJobs: number,
  ) {
    this.threads = scratch.length;
    this.channels = createChannels(maxJobs);
    for (let thread = 1; thread < this.threads; thread++) {
      const worker = new Worker(path.join(__dirname, "worker.js"), {
        workerData: { kernelModule: module, memory, channels: this.channels, thread, scratch: scratch[thread] },
      });
      // Idle workers must not keep the process alive once the user's program is done.
      worker.unref();
      this.workers.push(worker);
    }
    this.waitForWorkers();
  }

  /** Runs the jobs, on the caller and the workers, and returns when all are done. */
  run(jobs: readonly ThreadJob[]): void {
    if (jobs.length <= 1 || this.workers.length === 0) {
      // Nothing to share: waking the workers would only add their round trip.
      for (const job of jobs) runOperation(this.exports, job, this.scratch[0]);
      return;
    }
    const { counters } = this.channels;
    postJobs(this.channels, jobs);
    Atomics.store(counters, PENDING, this.workers.length);
    Atomics.add(counters, EPOCH, 1);
    Atomics.notify(counters, EPOCH);
    let ownFailure: { error: unknown } | undefined;
    try {
      runQueuedJobs(this.exports, this.channels, this.scratch[0]);
    } catch (error) {
      ownFailure = { error };
    }
    // Even if our share threw, the workers are still writing into shared memory: wait for them.
    for (let pending = Atomics.load(counters, PENDING); pending !== 0; pending = Atomics.load(counters, PENDING)) {
      Atomics.wait(counters, PENDING, pending, RECHECK_MS);
    }
    // Always collect a worker's failure, so it is not reported again by the next run.
    const workerFailure = takeFailure(this.channels);
    if (ownFailure) throw ownFailure.error;
    if (workerFailure !== undefined) throw new Error(workerFailure);
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

/** One part of `splitRange`: items [start, start + count). */
export interface Range {
  start: number;
  count: number;
}

/**
 * [0, total) cut into at most `parts` contiguous ranges whose sizes differ by at most `align`, with
 * every inner edge a multiple of `align` (e.g. whole SIMD vectors or cache lines). The cut depends
 * only on the arguments, so a split kernel combines its parts in the same way on every run.
 */
export function splitRange(total: number, parts: number, align = 1): Range[] {
  const units = Math.ceil(total / align);
  const ranges: Range[] = [];
  for (let part = 0; part < parts; part++) {
    const start = Math.min(total, Math.floor((part * units) / parts) * align);
    const end = Math.min(total, Math.floor(((part + 1) * units) / parts) * align);
    if (end > start) ranges.push({ start, count: end - start });
  }
  return ranges;
}
