/**
 * One fine-tuning at a time, run in the background while the server keeps answering: the person's
 * samples from data/personal/<name>/ (a fifth held out when there are at least 20), MNIST mixed in,
 * accuracy before and after on the held-out samples and on MNIST test images, the result saved to the
 * store as a new model. The page polls the job for its progress.
 */
import { randomUUID } from "crypto";
import { loadMnist } from "../../lib/data/mnist";
import { toMatrix } from "../../lib/data/dataset";
import { matrix, type Matrix } from "../../lib/matrix";
import { CnnClassifier } from "../../lib/models/scratch/cnn-classifier";
import { fineTune, MIN_FINE_TUNE_SAMPLES, readPersonalSamples } from "../../lib/personal";
import type { AppModels } from "./models";

export interface FineTuneJob {
  id: string;
  person: string;
  baseModel: string;
  status: "running" | "done" | "failed";
  epoch: number;
  epochs: number;
  message: string;
  result?: {
    model: string;
    samples: number;
    heldOut: number;
    /** What the person's accuracy was measured on: their held-out samples, or (too few) the training ones. */
    personalSet: "held-out" | "training";
    personal: { before: number; after: number };
    mnistTest: { before: number; after: number; images: number };
    seconds: number;
  };
}

/** Refused requests (too few samples, a job already running): the message is for the person. */
export class FineTuneRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "FineTuneRequestError";
  }
}

export interface MnistForApp {
  train: { x: Matrix; y: Uint8Array };
  test: { x: Matrix; y: Uint8Array };
}

/** MNIST for the mix and the before/after check, read once: 10,000 training and 2,000 test images. */
export function loadMnistForApp(): MnistForApp {
  const data = loadMnist({ trainLimit: 10_000, testLimit: 2_000 });
  return {
    train: { x: toMatrix(data.train), y: data.train.labels },
    test: { x: toMatrix(data.test), y: data.test.labels },
  };
}

export class FineTuneJobs {
  private readonly jobs = new Map<string, FineTuneJob>();
  private running: FineTuneJob | null = null;
  private mnist: MnistForApp | null = null;

  constructor(
    private readonly models: AppModels,
    private readonly options: { epochs?: number; mnist?: () => MnistForApp } = {},
  ) {}

  get(id: string): FineTuneJob | undefined {
    return this.jobs.get(id);
  }

  /** Checks the request, then starts the job and returns it at once. */
  async start(person: string, personDir: string, baseModel: string): Promise<FineTuneJob> {
    if (this.running) {
      throw new FineTuneRequestError(
        `a fine-tuning (of ${this.running.baseModel} for ${this.running.person}) is already running`,
        409,
      );
    }
    const model = await this.models.get(baseModel);
    if (!(model instanceof CnnClassifier)) {
      throw new FineTuneRequestError(
        `only scratch CNNs can be fine-tuned; ${baseModel} is a ${model.name}`,
        400,
      );
    }
    const samples = readPersonalSamples(personDir);
    if (samples.x.rows < MIN_FINE_TUNE_SAMPLES) {
      throw new FineTuneRequestError(
        `fine-tuning needs at least ${MIN_FINE_TUNE_SAMPLES} labelled samples; ${person} has ` +
          `${samples.x.rows}: teach more digits first`,
        400,
      );
    }
    const job: FineTuneJob = {
      id: randomUUID(),
      person,
      baseModel,
      status: "running",
      epoch: 0,
      epochs: this.options.epochs ?? 4,
      message: "starting",
    };
    this.jobs.set(job.id, job);
    this.running = job;
    // Runs after this request's answer; errors end up in the job, never as an unhandled rejection.
    setImmediate(() => {
      this.run(job, model, samples)
        .catch((err: Error) => {
          job.status = "failed";
          job.message = err.message;
        })
        .finally(() => {
          this.running = null;
        });
    });
    return job;
  }

  private async run(
    job: FineTuneJob,
    model: CnnClassifier,
    samples: { x: Matrix; y: Int32Array },
  ): Promise<void> {
    const started = performance.now();
    job.message = "reading MNIST";
    this.mnist ??= (this.options.mnist ?? loadMnistForApp)();
    const { train, test } = this.mnist;
    const { teach, heldOut } = holdOutFifth(samples);
    const personal = heldOut ?? teach;
    const before = { personal: accuracy(model, personal), mnist: accuracy(model, test) };
    job.message = `fine-tuning on ${teach.x.rows} samples`;
    const tuned = await fineTune(model, teach, {
      mnist: train,
      epochs: job.epochs,
      seed: 0,
      onEpoch: (log) => {
        job.epoch = log.epoch;
        job.message = `epoch ${log.epoch}/${job.epochs}: training accuracy ${(100 * (log.accuracy ?? 0)).toFixed(1)}%`;
      },
    });
    const after = { personal: accuracy(tuned, personal), mnist: accuracy(tuned, test) };
    const name = `${job.baseModel}-${job.person}`.slice(0, 80);
    const seconds = (performance.now() - started) / 1000;
    await this.models.add(name, tuned, {
      trainingSeconds: seconds,
      metrics: { personalAccuracy: after.personal, personalAccuracyBefore: before.personal },
      title: `${model.name} fine-tuned for ${job.person}`,
    });
    job.result = {
      model: name,
      samples: teach.x.rows,
      heldOut: heldOut ? heldOut.x.rows : 0,
      personalSet: heldOut ? "held-out" : "training",
      personal: { before: before.personal, after: after.personal },
      mnistTest: { before: before.mnist, after: after.mnist, images: test.x.rows },
      seconds,
    };
    job.status = "done";
    job.message = `saved as ${name}`;
  }
}

function accuracy(model: CnnClassifier, data: { x: Matrix; y: ArrayLike<number> }): number {
  const predicted = model.predict(data.x);
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === data.y[i]) correct++;
  return correct / predicted.length;
}

type Labelled = { x: Matrix; y: Int32Array };

/** Every fifth sample held out once there are at least 20 (so at least 16 remain to learn from). */
function holdOutFifth(samples: Labelled): { teach: Labelled; heldOut: Labelled | null } {
  if (samples.x.rows < 2 * MIN_FINE_TUNE_SAMPLES) return { teach: samples, heldOut: null };
  const pick = (keep: (i: number) => boolean): Labelled => {
    const rows = Array.from({ length: samples.x.rows }, (_, i) => i).filter(keep);
    const data = new Float32Array(rows.length * 784);
    rows.forEach((r, i) => data.set(samples.x.data.subarray(r * 784, (r + 1) * 784), i * 784));
    return { x: matrix(data, rows.length, 784), y: Int32Array.from(rows, (r) => samples.y[r]) };
  };
  return { teach: pick((i) => i % 5 !== 4), heldOut: pick((i) => i % 5 === 4) };
}
