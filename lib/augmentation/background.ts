/**
 * Augmentation on a worker thread, one batch ahead of training: while the network trains on batch k,
 * the worker augments batch k + 1, so the trainer only waits for augmentation that takes longer than a
 * training step.
 *
 * The images are the same as the serial augmenter's: each job carries the trainer's Random state to the
 * worker and brings the advanced state back, and jobs run one at a time in batch order, so the stream of
 * draws is the one the serial hook would make. The trainer's loop is synchronous (it blocks in the
 * kernels' own Atomics.wait), so the two threads talk through shared memory and Atomics, not messages.
 *
 * Protocol: the trainer writes a gathered batch into `images` and the Random state into `control` and
 * `spare`, then bumps SUBMITTED; the worker augments in place, writes the advanced state back, and sets
 * DONE to the job's number. One job is in flight at most.
 */
import * as path from "path";
import { Worker } from "worker_threads";
import type { Random, RandomState } from "../random";
import type { RecipeAugmenter } from "./augmenter";
import type { AugmentConfig } from "./options";

/** Slots of the shared Int32Array `control`. */
export const Slot = {
  /** Number of the last job the trainer submitted. */
  Submitted: 0,
  /** Number of the last job the worker finished. */
  Done: 1,
  /** Images in the submitted batch. */
  BatchSize: 2,
  /** 1 when the job failed (the message is in `failure`). */
  Failed: 3,
  /** 1 once the worker has stopped (it will not finish any more jobs). */
  Dead: 4,
  /** 1 when the Random state has a spare normal deviate (in `spare[0]`). */
  HasSpare: 5,
  /** The Random's four 32-bit words, in and out (four slots). */
  Words: 6,
  /** 1 once the worker has loaded its modules and waits for jobs. */
  Ready: 10,
  Length: 11,
} as const;

/** How the trainer and the worker share one job: what the worker receives as workerData. */
export interface BackgroundChannels {
  control: Int32Array;
  spare: Float64Array;
  images: Float32Array;
  /** UTF-8 error message of a failed job, zero-padded. */
  failure: Uint8Array;
}

/** How long one wait lasts before checking again whether the worker has stopped, ms. */
const RECHECK_MS = 50;
/**
 * How long `receive` waits for a worker that never started: one that fails while loading its modules
 * cannot say so (its exit event needs this thread's event loop, which the wait blocks).
 */
const STARTUP_TIMEOUT_MS = 60_000;
const FAILURE_BYTES = 2048;

export function writeRandomState(channels: BackgroundChannels, state: RandomState): void {
  for (let i = 0; i < 4; i++) channels.control[Slot.Words + i] = state.words[i] | 0;
  channels.control[Slot.HasSpare] = state.spareNormal === null ? 0 : 1;
  channels.spare[0] = state.spareNormal ?? 0;
}

export function readRandomState(channels: BackgroundChannels): RandomState {
  const w = channels.control;
  const words: RandomState["words"] = [
    w[Slot.Words],
    w[Slot.Words + 1],
    w[Slot.Words + 2],
    w[Slot.Words + 3],
  ];
  return { words, spareNormal: w[Slot.HasSpare] === 1 ? channels.spare[0] : null };
}

/** A worker thread that augments one batch at a time, ahead of the trainer. */
export class BackgroundAugmenter {
  /** Images (height × width values each) the shared buffer holds. */
  readonly capacity: number;
  private readonly channels: BackgroundChannels;
  private readonly worker: Worker;
  private readonly imageSize: number;
  private submitted = 0;
  private pendingBatch = 0;
  private closed = false;

  constructor(config: AugmentConfig, capacity: number) {
    this.capacity = capacity;
    this.imageSize = config.height * config.width;
    this.channels = {
      control: new Int32Array(new SharedArrayBuffer(Slot.Length * 4)),
      spare: new Float64Array(new SharedArrayBuffer(8)),
      images: new Float32Array(new SharedArrayBuffer(capacity * this.imageSize * 4)),
      failure: new Uint8Array(new SharedArrayBuffer(FAILURE_BYTES)),
    };
    this.worker = new Worker(path.join(__dirname, "background-worker.js"), {
      workerData: { config, channels: this.channels },
    });
    // A worker killed from outside runs no code of its own; this listener marks it for `receive`.
    this.worker.on("exit", () => Atomics.store(this.channels.control, Slot.Dead, 1));
    // Idle, it must not keep the process alive once the user's program is done.
    this.worker.unref();
  }

  /** Where the trainer gathers the next batch (its first batchSize × height × width values). */
  get input(): Float32Array {
    return this.channels.images;
  }

  /** Starts augmenting the first batchSize images of `input`, drawing from `random`'s stream. */
  submit(batchSize: number, random: Random): void {
    if (this.closed) throw new Error("BackgroundAugmenter: submit after close");
    if (this.submitted !== Atomics.load(this.channels.control, Slot.Done)) {
      throw new Error("BackgroundAugmenter: submit while a batch is still being augmented; receive it first");
    }
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > this.capacity) {
      throw new RangeError(
        `BackgroundAugmenter: batchSize must be an integer in 1..${this.capacity}, got ${batchSize}`,
      );
    }
    writeRandomState(this.channels, random.saveState());
    this.channels.control[Slot.BatchSize] = batchSize;
    this.channels.control[Slot.Failed] = 0;
    this.pendingBatch = batchSize;
    this.submitted++;
    Atomics.store(this.channels.control, Slot.Submitted, this.submitted);
    Atomics.notify(this.channels.control, Slot.Submitted);
  }

  /**
   * Waits for the submitted batch, copies it into `output` and moves `random` on to where the serial
   * augmenter would have left it. Throws the worker's error if the job failed or the worker stopped.
   */
  receive(output: Float32Array, random: Random): void {
    const { control } = this.channels;
    if (this.submitted === 0 || this.pendingBatch === 0) {
      throw new Error("BackgroundAugmenter: receive without a submitted batch");
    }
    const started = Date.now();
    for (let done = Atomics.load(control, Slot.Done); done !== this.submitted;) {
      if (Atomics.load(control, Slot.Dead) === 1) {
        throw new Error("BackgroundAugmenter: the augmentation worker stopped before finishing the batch");
      }
      if (Atomics.load(control, Slot.Ready) === 0 && Date.now() - started > STARTUP_TIMEOUT_MS) {
        this.close();
        throw new Error(
          `BackgroundAugmenter: the augmentation worker did not start within ${STARTUP_TIMEOUT_MS} ms`,
        );
      }
      Atomics.wait(control, Slot.Done, done, RECHECK_MS);
      done = Atomics.load(control, Slot.Done);
    }
    const values = this.pendingBatch * this.imageSize;
    this.pendingBatch = 0;
    if (Atomics.load(control, Slot.Failed) === 1) {
      const bytes = this.channels.failure;
      const end = bytes.indexOf(0);
      const message = Buffer.from(bytes.slice(0, end < 0 ? bytes.length : end)).toString("utf8");
      throw new Error(`background augmentation failed: ${message}`);
    }
    output.set(this.channels.images.subarray(0, values));
    random.restoreState(readRandomState(this.channels));
  }

  /** Whether it can take jobs: not closed, its worker alive, and no batch left in flight. */
  get usable(): boolean {
    const { control } = this.channels;
    return (
      !this.closed &&
      Atomics.load(control, Slot.Dead) === 0 &&
      this.submitted === Atomics.load(control, Slot.Done)
    );
  }

  /** Stops the worker (waiting is not needed: nothing is in flight between batches). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.worker.terminate();
  }
}

/**
 * Idle workers kept for the next fit, by recipe: starting one takes 0.1–1.3 s (loading the modules into
 * a new isolate), too much to pay on every short fit. Jobs carry their Random state, so one worker serves
 * any number of trainers of the same recipe, one batch at a time (a trainer never leaves a batch in
 * flight between epochs, when another could run). A few recipes at most are kept.
 */
const idleWorkers = new Map<string, BackgroundAugmenter>();
const MAX_IDLE_WORKERS = 4;

/**
 * The background augmenter for a trainer's hook, or null when the hook runs serially: a hand-written
 * hook (its recipe is unknown to the worker), a recipe made with `inBackground: false`, or samples that
 * are not the recipe's height × width images. The trainer must not close it: it is kept for reuse.
 */
export function startInBackground(
  hook: unknown,
  sampleSize: number,
  batchSize: number,
): BackgroundAugmenter | null {
  if (typeof hook !== "function") return null;
  const { options, inBackground } = hook as Partial<RecipeAugmenter>;
  if (inBackground !== true || !options || options.height * options.width !== sampleSize) return null;
  const key = JSON.stringify(options);
  const kept = idleWorkers.get(key);
  if (kept && kept.usable && kept.capacity >= batchSize) return kept;
  kept?.close();
  idleWorkers.delete(key);
  if (idleWorkers.size >= MAX_IDLE_WORKERS) {
    const [oldest] = idleWorkers.keys();
    idleWorkers.get(oldest)!.close();
    idleWorkers.delete(oldest);
  }
  const started = new BackgroundAugmenter(options, batchSize);
  idleWorkers.set(key, started);
  return started;
}
