/**
 * What every scratch neural-network classifier shares: training hyperparameters, input checks,
 * building the Sequential network, the training loop, probabilities, and saving/loading weights.
 * Subclasses only say which layers to stack and what shape a sample has.
 */
import { getKernels } from "../../kernels";
import type { Kernels } from "../../kernels/api";
import type { Layer } from "../../nn/layer";
import { softmaxRows } from "../../nn/loss";
import { Adam, AdamW } from "../../nn/optimizers/adam";
import type { Optimizer } from "../../nn/optimizers/optimizer";
import { Sgd } from "../../nn/optimizers/sgd";
import { scheduleByName, type LearningRateSchedule, type ScheduleName } from "../../nn/schedules";
import { Sequential } from "../../nn/sequential";
import { train, type AugmentHook, type TrainLog } from "../../nn/train";
import { checkChoice, checkPositiveInteger, checkPositiveReal, checkScalar, checkSeed } from "../../validation";
import { type Matrix } from "../../matrix";
import { BaseClassifier, type FitOptions } from "../estimator";

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
  seed?: number;
  verbose?: boolean;
  /** Called on every training batch to augment it in place. */
  augment?: AugmentHook;
  /** Default: getKernels() (WebAssembly when built, all cores). */
  kernels?: Kernels;
}

/** The options every scratch network shares, in the order of `TrainingOptions`. */
export const TRAINING_PARAM_NAMES = [
  "epochs", "batchSize", "learningRate", "optimizer", "schedule", "weightDecay", "seed", "verbose", "augment", "kernels",
] as const;

/** A JSON-serialisable snapshot of a trained model: architecture, and every array as base64 float32. */
export interface SavedWeights {
  format: "mnist-notebooks/scratch-weights";
  version: 1;
  model: string;
  architecture: unknown;
  inputFeatures: number;
  arrays: { name: string; length: number; base64: string }[];
}

export abstract class ScratchNetworkClassifier extends BaseClassifier {
  readonly implementation = "scratch" as const;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly optimizer: OptimizerName;
  readonly schedule: ScheduleName | LearningRateSchedule;
  readonly weightDecay: number;
  readonly seed: number;
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
    defaults: Required<Pick<TrainingOptions, "epochs" | "batchSize" | "learningRate" | "optimizer" | "schedule">>,
    ownParamNames: readonly string[],
  ) {
    super(options, [...TRAINING_PARAM_NAMES, ...ownParamNames]);
    const label = new.target.name;
    this.epochs = checkPositiveInteger(label, "epochs", options.epochs ?? defaults.epochs);
    this.batchSize = checkPositiveInteger(label, "batchSize", options.batchSize ?? defaults.batchSize);
    this.learningRate = checkPositiveReal(label, "learningRate", options.learningRate ?? defaults.learningRate);
    this.optimizer = checkChoice(label, "optimizer", options.optimizer ?? defaults.optimizer, OPTIMIZER_NAMES);
    this.schedule = options.schedule ?? defaults.schedule;
    if (typeof this.schedule === "string") scheduleByName(this.schedule);
    const defaultDecay = this.optimizer === "adamw" ? 0.01 : 0;
    this.weightDecay = checkScalar(label, "weightDecay", options.weightDecay ?? defaultDecay, { min: 0 });
    this.seed = checkSeed(label, options.seed ?? 0);
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
    const validation = options.validation ? { x: options.validation.x.data, labels: options.validation.y } : undefined;
    const history: TrainLog[] = [];
    this.history = history;
    await train(network, x.data, y, {
      epochs: this.epochs,
      batchSize: this.batchSize,
      learningRate: this.learningRate,
      optimizer: this.makeOptimizer(),
      schedule: typeof this.schedule === "string" ? scheduleByName(this.schedule) : this.schedule,
      seed: this.seed,
      augment: this.augment,
      validation,
      verbose: options.verbose ?? this.verbose,
      label: this.name,
      onEpoch: (log) => {
        history.push(log);
        options.onEpoch?.(log);
      },
    });
    this.network = network;
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
    if (!this.network || this.nFeatures === null) throw new Error(`${this.name}: saveWeights called before fit`);
    return {
      format: "mnist-notebooks/scratch-weights",
      version: 1,
      model: this.constructor.name,
      architecture: this.architecture(),
      inputFeatures: this.nFeatures,
      arrays: this.network.state().map(({ name, value }) => ({
        name,
        length: value.length,
        base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64"),
      })),
    };
  }

  /** Restores a model saved by `saveWeights` from a model constructed with the same architecture. */
  loadWeights(saved: SavedWeights): this {
    if (saved?.format !== "mnist-notebooks/scratch-weights" || saved.version !== 1) {
      throw new Error(`${this.name}: not a saved scratch model (expected format "mnist-notebooks/scratch-weights" version 1)`);
    }
    if (saved.model !== this.constructor.name) throw new Error(`${this.name}: the weights were saved from a ${saved.model}`);
    const mine = JSON.stringify(this.architecture());
    if (JSON.stringify(saved.architecture) !== mine) {
      throw new Error(`${this.name}: the weights are for architecture ${JSON.stringify(saved.architecture)}, this model has ${mine}`);
    }
    const network = this.buildNetwork(saved.inputFeatures);
    const arrays = new Map(saved.arrays.map((a) => [a.name, a]));
    for (const { name, value } of network.state()) {
      const entry = arrays.get(name);
      if (!entry || entry.length !== value.length) throw new Error(`${this.name}: saved weights lack ${name} (${value.length} values)`);
      const bytes = Buffer.from(entry.base64, "base64");
      value.set(new Float32Array(bytes.buffer, bytes.byteOffset, value.length));
    }
    this.network = network;
    this.nFeatures = saved.inputFeatures;
    return this;
  }

  private buildNetwork(features: number): Sequential {
    return new Sequential(this.buildLayers(), this.sampleShape(features), {
      batchCapacity: this.batchSize,
      seed: this.seed,
      kernels: this.kernels ?? getKernels(),
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
