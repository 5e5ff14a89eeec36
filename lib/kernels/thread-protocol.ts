/**
 * How the calling thread and the kernel workers hand work to each other, without messages: an
 * Int32Array of counters and a Float64Array of job slots, both on SharedArrayBuffers.
 *
 * The caller writes the jobs, resets NextJob, sets JobCount and Pending, bumps Epoch and notifies.
 * Then every thread, the caller included, claims jobs with an atomic increment of NextJob until none
 * is left, so a thread the OS holds up simply ends up doing fewer jobs. Each worker then records the
 * epoch it served in its `served` slot and decrements Pending; the last one notifies the caller.
 * A worker that dies sets its `served` slot to DEAD instead, so the caller stops waiting for it.
 */
import { OPERATIONS, type KernelExports, type ThreadJob } from "./exports";

export type { ThreadJob };

/** The slots of `counters`. */
export enum Counter {
  Epoch,
  Pending,
  Failed,
  Ready,
  NextJob,
  JobCount,
}
const COUNTERS = 6;

/**
 * Every wait is timed and re-checks its condition afterwards. Notifications are not expected to be
 * lost, but a hang here would freeze the caller's whole process (we once saw one we could not
 * reproduce), so a wait never trusts a single wake-up or its absence.
 */
export const RECHECK_MS = 50;

/**
 * Floats per job slot: the operation code, the argument count and up to 18 arguments. Each job is
 * called with its arguments plus the running thread's scratch address (see exports.ts).
 */
const SLOT = 20;

/** Bytes kept of a failing worker's error message. */
const ERROR_BYTES = 1024;

export interface ThreadChannels {
  counters: Int32Array;
  slots: Float64Array;
  /** UTF-8 message of the last worker failure; the caller cannot see a worker's console while it waits. */
  errorText: Uint8Array;
  /** Per worker (index = thread − 1): the last epoch it served, or DEAD once it has stopped. */
  served: Int32Array;
}

/** A worker's `served` slot once the worker has stopped for good. */
export const DEAD = -1;

export function createChannels(maxJobs: number, workers: number): ThreadChannels {
  return {
    served: new Int32Array(new SharedArrayBuffer(Math.max(workers, 1) * 4)),
    counters: new Int32Array(new SharedArrayBuffer(COUNTERS * 4)),
    slots: new Float64Array(new SharedArrayBuffer(maxJobs * SLOT * 8)),
    errorText: new Uint8Array(new SharedArrayBuffer(ERROR_BYTES)),
  };
}

/** The number of jobs `channels` has slots for. */
export function jobCapacity(channels: ThreadChannels): number {
  return channels.slots.length / SLOT;
}

/** Writes the jobs and opens the queue (the caller then bumps Epoch to let the workers in). */
export function postJobs(channels: ThreadChannels, jobs: readonly ThreadJob[]): void {
  if (jobs.length > jobCapacity(channels))
    throw new RangeError(`thread pool: ${jobs.length} jobs for ${jobCapacity(channels)} slots`);
  jobs.forEach((job, index) => {
    if (job.args.length > SLOT - 2)
      throw new RangeError(`thread pool: ${job.args.length} arguments do not fit a slot`);
    const base = index * SLOT;
    channels.slots[base] = OPERATIONS.indexOf(job.operation);
    channels.slots[base + 1] = job.args.length;
    channels.slots.set(job.args, base + 2);
  });
  Atomics.store(channels.counters, Counter.NextJob, 0);
  Atomics.store(channels.counters, Counter.JobCount, jobs.length);
}

/** Claims and runs queued jobs until none is left; any thread may call it. */
export function runQueuedJobs(kernels: KernelExports, channels: ThreadChannels, scratch: number): void {
  const { counters, slots } = channels;
  const count = Atomics.load(counters, Counter.JobCount);
  for (
    let index = Atomics.add(counters, Counter.NextJob, 1);
    index < count;
    index = Atomics.add(counters, Counter.NextJob, 1)
  ) {
    const base = index * SLOT;
    const operation = OPERATIONS[slots[base]];
    const args = Array.from(slots.subarray(base + 2, base + 2 + slots[base + 1]));
    runOperation(kernels, { operation, args } as ThreadJob, scratch);
  }
}

export function runOperation(kernels: KernelExports, job: ThreadJob, scratch: number): void {
  // An export without a scratch parameter ignores the extra argument.
  const fn = kernels[job.operation] as (...args: number[]) => void;
  fn(...job.args, scratch);
}

/** Called by a worker whose job threw, or that is stopping: records the message, then raises Failed. */
export function reportFailure(channels: ThreadChannels, thread: number, error: unknown): void {
  const text = new TextEncoder().encode(`kernel worker ${thread}: ${String(error)}`).subarray(0, ERROR_BYTES);
  channels.errorText.fill(0);
  channels.errorText.set(text);
  Atomics.store(channels.counters, Counter.Failed, 1);
}

/** The recorded failure, if any, clearing it. */
export function takeFailure(channels: ThreadChannels): string | undefined {
  if (Atomics.exchange(channels.counters, Counter.Failed, 0) === 0) return undefined;
  // TextDecoder does not read shared memory: copy out first.
  const bytes = channels.errorText.slice();
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** Marks worker `thread` as stopped for good and wakes a caller waiting for it. */
export function markDead(channels: ThreadChannels, thread: number): void {
  Atomics.store(channels.served, thread - 1, DEAD);
  Atomics.notify(channels.counters, Counter.Pending);
}

/** The workers (by thread number) that have stopped for good. */
export function deadWorkers(channels: ThreadChannels): number[] {
  const dead: number[] = [];
  for (let i = 0; i < channels.served.length; i++)
    if (Atomics.load(channels.served, i) === DEAD) dead.push(i + 1);
  return dead;
}

/** True when every worker has served `epoch` or stopped: nobody else is still writing memory for it. */
export function allServedOrDead(channels: ThreadChannels, workers: number, epoch: number): boolean {
  for (let i = 0; i < workers; i++) {
    const served = Atomics.load(channels.served, i);
    if (served !== epoch && served !== DEAD) return false;
  }
  return true;
}
