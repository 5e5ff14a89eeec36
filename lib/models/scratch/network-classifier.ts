/**
 * What every scratch neural-network classifier shares: training hyperparameters, input checks,
 * building the Sequential network, the training loop, probabilities, and saving/loading weights.
 * Subclasses only say which layers to stack and what shape a sample has.
 */
import { createHash } from "crypto";
// For the weights' save/load at the end of this file (kept apart from the training imports above).
import { checkFinite } from "../../validation";
import { getKernels } from "../../kernels";
import type { Kernels } from "../../kernels/api";
import type { Layer } from "../../nn/layer";
import { checkLabelSmoothing, softmaxRows } from "../../nn/loss";
import { Adam, AdamW } from "../../nn/optimizers/adam";
import type { Optimizer } from "../../nn/optimizers/optimizer";
import { Sgd } from "../../nn/optimizers/sgd";
import { scheduleByName, type LearningRateSchedule, type ScheduleName } from "../../nn/schedules";
import { Sequential } from "../../nn/sequential";
import { train, type AugmentHook, type TrainLog } from "../../nn/train";
import { checkChoice, checkPositiveInteger, checkScalar } from "../../validation";
import { type Matrix } from "../../matrix";
import { EpochTrainedClassifier } from "../epoch-trained";
import { type FitOptions } from "../estimator";

/** "momentum" and "nesterov" are SGD with momentum 0.9. */
export const OPTIMIZER_NAMES = ["sgd", "momentum", "nesterov", "adam", "adamw"] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface TrainingOptions {
  epochs?: number;
  batchSize?: number;
  /** Base (peak) learning rate. */
  learningRate?: number;
  optimizer?: OptimizerName;
  schedule?: ScheduleName | LearningRateSchedule;
  /**
   * L2 for SGD/Adam, decoupled decay for AdamW (default 0, or 0.01 for AdamW); biases and
   * batch-norm parameters are not decayed.
   */
  weightDecay?: number;
  /** ε of the training loss's label smoothing, in [0, 1) (default 0: one-hot targets). */
  labelSmoothing?: number;
  /**
   * Largest per-step decay of an exponential moving average of the weights (and batch-norm statistics),
   * in [0, 1); validation scores the average and the fitted model keeps it (nn/weight-average.ts).
   * 0 is no averaging (the average is then the last step's weights); default: none, or the preset's.
   */
  emaDecay?: number;
  seed?: number;
  verbose?: boolean;
  /** Called on every training batch to augment it in place. */
  augment?: AugmentHook;
  /** Default: getKernels() (WebAssembly when built, all cores). */
  kernels?: Kernels;
}

/** The options every scratch network shares, in the order of `TrainingOptions`. */
export const TRAINING_PARAM_NAMES = [
  "epochs",
  "batchSize",
  "learningRate",
  "optimizer",
  "schedule",
  "weightDecay",
  "labelSmoothing",
  "emaDecay",
  "seed",
  "verbose",
  "augment",
  "kernels",
] as const;

/** The `format` tag of saved scratch weights, and the version `saveWeights` writes. */
export const WEIGHTS_FORMAT = "mnist-notebooks/scratch-weights";
export const WEIGHTS_VERSION = 2;

/** One parameter array of a saved model: float32 values as base64, with what it takes to verify them. */
export interface SavedArray {
  name: string;
  /** Number of float32 values. */
  length: number;
  /** Number of bytes the base64 decodes to (4 per value). */
  bytes: number;
  /** SHA-256 (hex) of those bytes: a cut, edited or re-encoded array fails to load, not loads wrong. */
  sha256: string;
  base64: string;
}

/** A JSON-serialisable snapshot of a trained model: architecture, and every array as base64 float32. */
export interface SavedWeights {
  format: typeof WEIGHTS_FORMAT;
  /** 2 since arrays carry a byte count and a checksum; version 1 files are refused with a clear error. */
  version: typeof WEIGHTS_VERSION;
  model: string;
  architecture: unknown;
  inputFeatures: number;
  arrays: SavedArray[];
}

export abstract class ScratchNetworkClassifier extends EpochTrainedClassifier {
  readonly implementation = "scratch" as const;
  readonly optimizer: OptimizerName;
  readonly schedule: ScheduleName | LearningRateSchedule;
  readonly weightDecay: number;
  readonly labelSmoothing: number;
  readonly emaDecay: number | undefined;
  readonly verbose: boolean;
  readonly augment?: AugmentHook;
  readonly kernels?: Kernels;
  /** The trained network; null until fit or loadWeights. */
  network: Sequential | null = null;

  /**
   * @param defaults the subclass's defaults for the shared training options
   * @param ownParamNames the subclass's own options (architecture), besides the shared ones
   */
  constructor(
    options: TrainingOptions,
    defaults: Required<
      Pick<TrainingOptions, "epochs" | "batchSize" | "learningRate" | "optimizer" | "schedule">
    > &
      Pick<TrainingOptions, "labelSmoothing" | "emaDecay">,
    ownParamNames: readonly string[],
  ) {
    super(options, defaults, [...TRAINING_PARAM_NAMES, ...ownParamNames]);
    const label = new.target.name;
    this.optimizer = checkChoice(
      label,
      "optimizer",
      options.optimizer ?? defaults.optimizer,
      OPTIMIZER_NAMES,
    );
    this.schedule = options.schedule ?? defaults.schedule;
    if (typeof this.schedule === "string") scheduleByName(this.schedule);
    const defaultDecay = this.optimizer === "adamw" ? 0.01 : 0;
    this.weightDecay = checkScalar(label, "weightDecay", options.weightDecay ?? defaultDecay, { min: 0 });
    this.labelSmoothing = options.labelSmoothing ?? defaults.labelSmoothing ?? 0;
    checkLabelSmoothing(label, this.labelSmoothing);
    this.emaDecay = options.emaDecay ?? defaults.emaDecay;
    if (this.emaDecay !== undefined)
      checkScalar(label, "emaDecay", this.emaDecay, { min: 0, max: 1, maxExclusive: true });
    this.verbose = options.verbose ?? false;
    this.augment = options.augment;
    this.kernels = options.kernels;
  }

  /** The per-sample shape the network sees, for rows of `features` values. */
  protected abstract sampleShape(features: number): number[];
  /** Fresh, unbuilt layers. */
  protected abstract buildLayers(): Layer[];
  /** The hyperparameters that fix the weights' shapes, compared when loading weights. */
  protected abstract architecture(): unknown;

  protected async fitImpl(x: Matrix, y: Uint8Array, options: FitOptions): Promise<void> {
    const network = this.buildNetwork(x.cols);
    const validation = options.validation
      ? { x: options.validation.x.data, labels: options.validation.y }
      : undefined;
    const history: TrainLog[] = [];
    this.history = history;
    await train(network, x.data, y, {
      epochs: this.epochs,
      batchSize: this.batchSize,
      learningRate: this.learningRate,
      optimizer: this.makeOptimizer(),
      schedule: typeof this.schedule === "string" ? scheduleByName(this.schedule) : this.schedule,
      labelSmoothing: this.labelSmoothing,
      emaDecay: this.emaDecay,
      seed: this.seed,
      augment: this.augment,
      validation,
      verbose: options.verbose ?? this.verbose,
      label: this.name,
      onEpoch: (log) => {
        history.push(log);
        return options.onEpoch?.(log);
      },
    });
    this.network = network;
  }

  /**
   * Frees the network's kernel memory now rather than when the garbage collector gets to it (see
   * Sequential.dispose), e.g. after scoring a loaded model once; the model is unfitted afterwards.
   */
  dispose(): void {
    this.network?.dispose();
    this.network = null;
    this.nFeatures = null;
  }

  protected predictProbaImpl(x: Matrix): Float32Array {
    const probabilities = this.network!.predict(x.data, x.rows);
    softmaxRows(probabilities, x.rows, this.numClasses, probabilities);
    return probabilities;
  }

  /** Layer-by-layer shapes and parameter counts (after fit or loadWeights). */
  summary(): string {
    if (!this.network) throw new Error(`${this.name}: summary needs a fitted model`);
    return this.network.summary();
  }

  saveWeights(): SavedWeights {
    const { architecture, inputFeatures, arrays } = this.weightArrays("saveWeights");
    return {
      format: WEIGHTS_FORMAT,
      version: WEIGHTS_VERSION,
      model: this.constructor.name,
      architecture,
      inputFeatures,
      arrays: arrays.map(({ name, value }) => {
        const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
        const base64 = bytes.toString("base64");
        return { name, length: value.length, bytes: bytes.length, sha256: sha256(bytes), base64 };
      }),
    };
  }

  /**
   * The trained weights as they are (views of the network's arrays, not copies), for the model store's
   * binary weights file; `loadWeightArrays` takes them back.
   */
  weightArrays(caller = "weightArrays"): {
    architecture: unknown;
    inputFeatures: number;
    arrays: { name: string; value: Float32Array }[];
  } {
    if (!this.network || this.nFeatures === null)
      throw new Error(`${this.name}: ${caller} called before fit`);
    const arrays = this.network.state().map(({ name, value }) => ({ name, value }));
    return { architecture: this.architecture(), inputFeatures: this.nFeatures, arrays };
  }

  /**
   * Restores a model saved by `saveWeights` from a model constructed with the same architecture. Every
   * array is checked before any is used (byte count, strict base64, SHA-256, finite values), so damaged
   * weights fail here with the array's name instead of loading into a model that predicts nonsense.
   */
  loadWeights(saved: SavedWeights): this {
    const who = `${this.name}: loadWeights`;
    const record = saved as unknown as Record<string, unknown> | null;
    if (typeof record !== "object" || record === null || record.format !== WEIGHTS_FORMAT) {
      throw new Error(`${who}: not a saved scratch model (expected format "${WEIGHTS_FORMAT}")`);
    }
    if (record.version !== WEIGHTS_VERSION) {
      const old =
        record.version === 1 ? " (version 1 weights carry no checksums; train and save the model again)" : "";
      const got = JSON.stringify(record.version);
      throw new Error(`${who}: version must be ${WEIGHTS_VERSION}, got ${got}${old}`);
    }
    if (saved.model !== this.constructor.name)
      throw new Error(`${this.name}: the weights were saved from a ${saved.model}`);
    if (!Array.isArray(saved.arrays)) {
      throw new TypeError(`${who}: arrays must be an array, got ${typeof saved.arrays}`);
    }
    const entries = new Map(saved.arrays.map((a) => [a?.name, a]));
    return this.restoreArrays(
      who,
      saved.architecture,
      saved.inputFeatures,
      (name, length) => {
        const entry = entries.get(name);
        return entry && decodeArray(`${who}: ${name}`, entry, length);
      },
      [...entries.keys()],
    );
  }

  /**
   * Restores weights already checked against their checksums, as the model store reads them from its
   * binary weights file (lib/store): float32 arrays by name, with no base64 on the way. Counts and
   * finite values are still checked here, and the architecture must be this model's.
   */
  loadWeightArrays(
    architecture: unknown,
    inputFeatures: number,
    arrays: ReadonlyMap<string, Float32Array>,
  ): this {
    const who = `${this.name}: loadWeightArrays`;
    return this.restoreArrays(
      who,
      architecture,
      inputFeatures,
      (name, length) => {
        const values = arrays.get(name);
        if (values === undefined) return undefined;
        if (!(values instanceof Float32Array) || values.length !== length) {
          const got = values instanceof Float32Array ? `${values.length} values` : typeof values;
          throw new RangeError(`${who}: ${name} must be ${length} float32 values, got ${got}`);
        }
        checkFinite(`${who}: ${name}`, "the array", values);
        return values;
      },
      [...arrays.keys()],
    );
  }

  /**
   * Builds the network for `inputFeatures` and fills every saved array from `read(name, length)`
   * (undefined: missing); `names` are the arrays given, so arrays this model does not have are refused.
   */
  private restoreArrays(
    who: string,
    architecture: unknown,
    inputFeatures: unknown,
    read: (name: string, length: number) => Float32Array | undefined,
    names: unknown[],
  ): this {
    const mine = JSON.stringify(this.architecture());
    if (JSON.stringify(architecture) !== mine) {
      throw new Error(
        `${this.name}: the weights are for architecture ${JSON.stringify(architecture)}, this model has ${mine}`,
      );
    }
    const features = checkPositiveInteger(who, "inputFeatures", inputFeatures);
    // Every parameter is overwritten below: no random initial weights first.
    const network = this.buildNetwork(features, false);
    const state = network.state();
    const expected = new Set(state.map(({ name }) => name));
    const extra = names.filter((name) => !expected.has(name as string));
    if (extra.length > 0) {
      throw new Error(`${who}: the saved weights hold arrays this model does not have: ${extra.join(", ")}`);
    }
    for (const { name, value } of state) {
      const values = read(name, value.length);
      if (!values) throw new Error(`${who}: the saved weights lack ${name} (${value.length} values)`);
      value.set(values);
    }
    this.network = network;
    this.nFeatures = features;
    return this;
  }

  private buildNetwork(features: number, initialize = true): Sequential {
    return new Sequential(this.buildLayers(), this.sampleShape(features), {
      batchCapacity: this.batchSize,
      seed: this.seed,
      kernels: this.kernels ?? getKernels(),
      initialize,
    });
  }

  private makeOptimizer(): Optimizer {
    const weightDecay = this.weightDecay;
    switch (this.optimizer) {
      case "sgd":
        return new Sgd({ weightDecay });
      case "momentum":
        return new Sgd({ momentum: 0.9, weightDecay });
      case "nesterov":
        return new Sgd({ momentum: 0.9, nesterov: true, weightDecay });
      case "adam":
        return new Adam({ weightDecay });
      case "adamw":
        return new AdamW({ weightDecay });
    }
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Strict base64: the alphabet, padded to a multiple of 4 (Buffer.from skips invalid characters silently). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The float32 values of one saved array, after checking its count, encoding, checksum and values. */
function decodeArray(who: string, entry: SavedArray, length: number): Float32Array {
  if (entry.length !== length) {
    throw new RangeError(`${who}: length must be ${length}, got ${JSON.stringify(entry.length)}`);
  }
  if (entry.bytes !== 4 * length) {
    throw new RangeError(`${who}: bytes must be ${4 * length}, got ${JSON.stringify(entry.bytes)}`);
  }
  if (typeof entry.base64 !== "string" || !BASE64.test(entry.base64)) {
    throw new RangeError(`${who}: base64 holds characters outside the base64 alphabet or is cut short`);
  }
  const bytes = Buffer.from(entry.base64, "base64");
  if (bytes.length !== entry.bytes) {
    throw new RangeError(`${who}: base64 decodes to ${bytes.length} bytes, but the array has ${entry.bytes}`);
  }
  const actual = sha256(bytes);
  if (actual !== entry.sha256) {
    const saved = JSON.stringify(entry.sha256);
    throw new RangeError(
      `${who}: SHA-256 of the decoded bytes is ${actual}, but the saved checksum is ${saved}`,
    );
  }
  // A copy: Buffer.from may return a view at an offset that is not a multiple of 4 in a shared pool.
  const values = new Float32Array(length);
  new Uint8Array(values.buffer).set(bytes);
  checkFinite(who, "the array", values);
  return values;
}
