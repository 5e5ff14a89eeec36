/**
 * Worker threads that run fold fits side by side (./fold-fit.ts), for models that do not use the
 * engine's threads within one fit. Each worker builds its own copy of the model on single-threaded
 * kernels; the training data is shared (SharedArrayBuffer), not copied. Fits are handed out in order
 * to whichever worker is free; each fit depends only on its task, so the scores equal a serial run's.
 */
import * as path from "path";
import { Worker } from "worker_threads";
import type { Classifier } from "../models/estimator";
import type { FoldFitResult, FoldFitSettings, FoldFitTask } from "./fold-fit";
import type { LabelledData } from "./labelled-data";
import type { SplitIndices } from "./stratified-split";
import { describeEstimator, type EstimatorSpec } from "./worker-estimators";

/** What a worker is started with (its workerData). */
export interface TrialWorkerSetup {
  who: string;
  estimator: EstimatorSpec;
  x: Float32Array;
  rows: number;
  cols: number;
  y: Uint8Array;
  folds: SplitIndices[];
  settings: FoldFitSettings;
}

/** A message from a worker: a fit's result, or the error that stopped it. */
export type TrialWorkerReply = { id: number; result: FoldFitResult } | { id: number; error: string };

interface Pending {
  id: number;
  task: FoldFitTask;
  resolve: (result: FoldFitResult) => void;
  reject: (error: Error) => void;
}

export class TrialWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly running = new Map<Worker, Pending>();
  private nextId = 0;

  constructor(
    readonly who: string,
    estimator: Classifier,
    data: LabelledData,
    folds: SplitIndices[],
    settings: FoldFitSettings,
    readonly size: number,
  ) {
    const setup: TrialWorkerSetup = {
      who,
      estimator: describeEstimator(who, estimator),
      x: shared(data.x.data, Float32Array),
      rows: data.x.rows,
      cols: data.x.cols,
      y: shared(data.y, Uint8Array),
      folds,
      settings,
    };
    const file = path.join(__dirname, "trial-worker.js");
    for (let i = 0; i < size; i++) {
      const worker = new Worker(file, { workerData: setup });
      worker.unref(); // a search that fails before close() must not keep the process alive
      worker.on("message", (reply: TrialWorkerReply) => this.settle(worker, reply));
      worker.on("error", (error) => this.fail(worker, error));
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /** Runs one fold fit on the next free worker. */
  fit(task: FoldFitTask): Promise<FoldFitResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.shift()!;
      const pending = this.queue.shift()!;
      this.running.set(worker, pending);
      worker.postMessage({ id: pending.id, task: pending.task });
    }
  }

  private settle(worker: Worker, reply: TrialWorkerReply): void {
    const pending = this.running.get(worker)!;
    this.running.delete(worker);
    this.idle.push(worker);
    if ("error" in reply) pending.reject(new Error(`${this.who}: in a worker thread: ${reply.error}`));
    else pending.resolve(reply.result);
    this.dispatch();
  }

  /** A worker that died fails its fit, and every queued one, with an error naming it. */
  private fail(worker: Worker, error: Error): void {
    const message = `${this.who}: a trial worker thread died: ${error.message}`;
    this.running.get(worker)?.reject(new Error(message));
    this.running.delete(worker);
    for (const pending of this.queue.splice(0)) pending.reject(new Error(message));
  }
}

function shared<T extends Float32Array | Uint8Array>(
  values: T,
  Kind: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
): T {
  const out = new Kind(new SharedArrayBuffer(values.length * Kind.BYTES_PER_ELEMENT));
  out.set(values as never);
  return out;
}
