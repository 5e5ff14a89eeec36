/**
 * Workers sharing one WebAssembly.Memory, driven synchronously: `run` returns only when every job
 * has finished. The calling thread works through the queue too, so `threads` counts it.
 */
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import { checkPositiveInteger } from "../validation";
import {
  Counter,
  RECHECK_MS,
  allServedOrDead,
  createChannels,
  deadWorkers,
  markDead,
  postJobs,
  runOperation,
  runQueuedJobs,
  takeFailure,
  type ThreadChannels,
  type ThreadJob,
} from "./thread-protocol";
import type { KernelExports } from "./wasm-module";

/** How long getKernels may block while the workers boot before giving up on them. */
const STARTUP_TIMEOUT_MS = 20000;

/**
 * Threads allowed per core. More threads than cores only take turns on them, and each costs a worker
 * (an isolate of about 8 MB) and GEMM scratch: 400 threads on two cores took 3 GB.
 */
export const THREADS_PER_CORE = 4;

/** Throws unless `threads` is a positive integer of at most THREADS_PER_CORE per core of this machine. */
export function checkThreadCount(threads: unknown): number {
  checkPositiveInteger("kernels", "threads", threads);
  const cores = os.availableParallelism();
  const cap = THREADS_PER_CORE * cores;
  if ((threads as number) > cap) {
    throw new RangeError(
      `kernels: threads must be at most ${cap} (${THREADS_PER_CORE} per core, ${cores} cores here), got ${threads}`,
    );
  }
  return threads as number;
}

export type { ThreadJob };

export class ThreadPool {
  readonly threads: number;
  private readonly channels: ThreadChannels;
  private readonly workers: Worker[] = [];
  /** Why the pool can no longer run jobs: a worker has stopped. */
  private broken: string | undefined;

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
    this.channels = createChannels(maxJobs, this.threads - 1);
    for (let thread = 1; thread < this.threads; thread++) {
      const worker = new Worker(path.join(__dirname, "worker.js"), {
        workerData: {
          kernelModule: module,
          memory,
          channels: this.channels,
          thread,
          scratch: scratch[thread],
        },
      });
      // A worker killed from outside runs no code of its own: these listeners are what tells the pool.
      worker.on("error", (error) => this.stopped(thread, `failed: ${error.message}`));
      worker.on("exit", (code) => this.stopped(thread, `exited with code ${code}`));
      // Idle workers must not keep the process alive once the user's program is done.
      worker.unref();
      this.workers.push(worker);
    }
    this.waitForWorkers();
  }

  /** Runs the jobs, on the caller and the workers, and returns when all are done. */
  run(jobs: readonly ThreadJob[]): void {
    if (this.broken !== undefined) throw new Error(`${this.broken}; cannot run ${describeCall(jobs)}`);
    if (jobs.length <= 1 || this.workers.length === 0) {
      // Nothing to share: waking the workers would only add their round trip.
      for (const job of jobs) runOperation(this.exports, job, this.scratch[0]);
      return;
    }
    const { counters } = this.channels;
    postJobs(this.channels, jobs);
    Atomics.store(counters, Counter.Pending, this.workers.length);
    const epoch = Atomics.add(counters, Counter.Epoch, 1) + 1;
    Atomics.notify(counters, Counter.Epoch);
    let ownFailure: { error: unknown } | undefined;
    try {
      runQueuedJobs(this.exports, this.channels, this.scratch[0]);
    } catch (error) {
      ownFailure = { error };
    }
    // Even if our share threw, the workers are still writing into shared memory: wait for them, but
    // not for a worker that has stopped, which never will.
    const workers = this.workers.length;
    for (let pending = Atomics.load(counters, Counter.Pending); pending !== 0;) {
      Atomics.wait(counters, Counter.Pending, pending, RECHECK_MS);
      if (deadWorkers(this.channels).length > 0 && allServedOrDead(this.channels, workers, epoch)) break;
      pending = Atomics.load(counters, Counter.Pending);
    }
    // Always collect a worker's failure, so it is not reported again by the next run.
    const workerFailure = takeFailure(this.channels);
    const dead = deadWorkers(this.channels);
    if (dead.length > 0) {
      const why = workerFailure ?? `kernel worker ${dead[0]} stopped`;
      this.broken = `${why} (the kernel pool cannot be used any more)`;
      throw new Error(`${this.broken}, during ${describeCall(jobs)}`);
    }
    if (ownFailure) throw ownFailure.error;
    if (workerFailure !== undefined) throw new Error(workerFailure);
  }

  /** Records that worker `thread` stopped: the next `run` fails with this reason instead of waiting. */
  private stopped(thread: number, how: string): void {
    this.broken ??= `kernel worker ${thread} ${how} (the kernel pool cannot be used any more)`;
    markDead(this.channels, thread);
  }

  private waitForWorkers(): void {
    const { counters } = this.channels;
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (let ready = Atomics.load(counters, Counter.Ready); ready < this.workers.length;) {
      const left = deadline - Date.now();
      const dead = deadWorkers(this.channels);
      if (left <= 0 || dead.length > 0) {
        for (const worker of this.workers) void worker.terminate();
        if (dead.length === 0)
          throw new Error(`kernel workers did not start within ${STARTUP_TIMEOUT_MS} ms`);
        const why = takeFailure(this.channels) ?? `kernel worker ${dead[0]} stopped`;
        throw new Error(`kernel workers failed to start: ${why}`);
      }
      Atomics.wait(counters, Counter.Ready, ready, Math.min(left, RECHECK_MS));
      ready = Atomics.load(counters, Counter.Ready);
    }
  }
}

/** "a gemm call (4 jobs)" or "a call of im2col, gemm (2 jobs)", for error messages. */
function describeCall(jobs: readonly ThreadJob[]): string {
  const operations = [...new Set(jobs.map((job) => job.operation))];
  const count = `${jobs.length} job${jobs.length === 1 ? "" : "s"}`;
  if (operations.length === 1) return `a ${operations[0]} call (${count})`;
  return `a call of ${operations.join(", ")} (${count})`;
}
